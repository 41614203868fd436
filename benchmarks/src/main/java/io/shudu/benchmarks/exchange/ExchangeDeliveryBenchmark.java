package io.shudu.benchmarks.exchange;

import io.shudu.benchmarks.Bench;
import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import io.shudu.exchange.Claim;
import io.shudu.exchange.Delivery;
import io.shudu.exchange.DeliveryState;
import io.shudu.exchange.DownloadResult;
import io.shudu.exchange.ExchangeAssets;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import io.shudu.exchange.OrderState;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side-by-side measurement on one embedded sandbox in one run:
 * <ol>
 *   <li>delivery of the 1 GiB product {@code dp-city-sensing-1g} with the SDK (streamed, every 1 MiB chunk hashed
 *       and checked, Merkle root and Ed25519 receipt verified) against {@code curl -o /dev/null} (no verification) on
 *       the same URL, alternating runs, median throughput and their ratio, plus the JVM's peak heap during SDK
 *       downloads (sampled every 5 ms; the in-process sandbox's own allocations are included), and the CPU seconds
 *       this JVM spent during each SDK download (SDK plus the sandbox serving it) and during each curl download (the
 *       sandbox serving curl): on a shared machine these are steadier than the rates;</li>
 *   <li>free claims per second on the digital asset board, sequential and with 64 in flight.</li>
 * </ol>
 * Part of {@code benchmarks/run.sh} ({@code exchange}), which runs it with {@code -Xmx256m}.
 */
public final class ExchangeDeliveryBenchmark {
  private ExchangeDeliveryBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --quick} for one round of each (default: two rounds of each)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean quick = Bench.quick(args);
    int runs = quick ? 1 : 2;
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      SandboxTenant tenant = sandbox.tenant("bench");
      ClientConfig config = tenant.clientConfig().toBuilder().callTimeout(Duration.ofMinutes(10))
          .attemptTimeout(Duration.ofMinutes(5)).build();
      try (ExchangeClient exchange = ExchangeClient.create(config)) {
        delivery(sandbox, tenant, exchange, runs);
        claims(exchange, config);
      }
    }
  }

  private static void delivery(Sandbox sandbox, SandboxTenant tenant, ExchangeClient exchange, int runs)
      throws Exception {
    Order o = exchange.orders().create("of-city-sensing-1g", IntendedUse.of("research", 30));
    exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(30));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    Delivery d = exchange.deliveries().request(o.id());
    System.out.printf(Locale.ROOT, "sandbox prepared the 1 GiB manifest (1,024 chunk hashes) in %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
    d = exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(60));
    String url = sandbox.baseUrl() + "/exchange/v1/deliveries/" + d.id() + "/content";
    boolean haveCurl = curlAvailable();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();

    // warm-up
    exchange.deliveries().download(d.id(), OutputStream.nullOutputStream(), null);
    if (haveCurl) {
      curl(url, tenant.apiKey());
    }
    List<Double> sdk = new ArrayList<>();
    List<Double> curl = new ArrayList<>();
    List<Double> curlSha = new ArrayList<>();
    List<Double> sdkCpu = new ArrayList<>();
    List<Double> sandboxCpu = new ArrayList<>();
    long peakHeap = 0;
    long growth = 0;
    for (int i = 0; i < runs; i++) {
      System.gc();
      long baseline = mem.getHeapMemoryUsage().getUsed();
      AtomicLong peak = new AtomicLong(baseline);
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.setDaemon(true);
      sampler.start();
      long cpu0 = processCpuNanos();
      long s = System.nanoTime();
      DownloadResult r = exchange.deliveries().download(d.id(), OutputStream.nullOutputStream(), null);
      double secs = (System.nanoTime() - s) / 1e9;
      sdkCpu.add((processCpuNanos() - cpu0) / 1e9);
      sampler.interrupt();
      sampler.join();
      peakHeap = Math.max(peakHeap, peak.get());
      growth = Math.max(growth, peak.get() - baseline);
      sdk.add(r.bytes() / secs / (1 << 20));
      System.out.printf(Locale.ROOT, "run %d: SDK  %,d bytes verified in %.2f s = %.0f MiB/s (heap peak %d MiB, "
          + "baseline %d MiB); CPU of this JVM (SDK and sandbox) %.2f s%n", i + 1, r.bytes(), secs, sdk.get(i),
          peak.get() >> 20, baseline >> 20, sdkCpu.get(i));
      if (haveCurl) {
        long ccpu0 = processCpuNanos();
        double[] c = curl(url, tenant.apiKey());
        sandboxCpu.add((processCpuNanos() - ccpu0) / 1e9);
        curl.add(c[0] / c[1] / (1 << 20));
        System.out.printf(Locale.ROOT, "run %d: curl %,d bytes in %.2f s = %.0f MiB/s; CPU of this JVM (the sandbox "
            + "serving curl) %.2f s%n", i + 1, (long) c[0], c[1], curl.get(i), sandboxCpu.get(i));
        double piped = curlSha256(url, tenant.apiKey());
        curlSha.add(r.bytes() / piped / (1 << 20));
        System.out.printf(Locale.ROOT, "run %d: curl | sha256sum in %.2f s = %.0f MiB/s%n", i + 1, piped,
            curlSha.get(i));
      }
    }
    double sdkMedian = median(sdk);
    Bench.emit("exchange.sha256_one_thread.mib_s", sha256Rate());
    Bench.emit("exchange.sdk.mib_s", sdkMedian);
    Bench.emit("exchange.sdk.heap_growth_mib", growth / (double) (1 << 20));
    Bench.emit("exchange.sdk.heap_peak_mib", peakHeap / (double) (1 << 20));
    // CPU seconds per 1 GiB, robust to a busy machine where the wall-clock rates are not: the SDK download's JVM
    // (SDK reader and hashers plus the sandbox serving it) against the same sandbox serving curl.
    Bench.emit("exchange.sdk.jvm_cpu_s", median(sdkCpu));
    if (!haveCurl) {
      throw new IllegalStateException("curl is not installed: the delivery has no baseline (apt-get install curl)");
    }
    double curlMedian = median(curl);
    double shaMedian = median(curlSha);
    Bench.emit("exchange.curl.mib_s", curlMedian);
    Bench.emit("exchange.curl.sandbox_cpu_s", median(sandboxCpu));
    Bench.emit("exchange.curlsha.mib_s", shaMedian);
    Bench.emit("exchange.ratio.sdk_curl", sdkMedian / curlMedian);
    Bench.emit("exchange.ratio.sdk_curlsha", sdkMedian / shaMedian);
  }

  /** CPU time of this JVM (all threads), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** SHA-256 over 256 MiB in memory, 1 MiB per update, on one thread: the verification's floor on this machine. */
  private static double sha256Rate() throws Exception {
    byte[] chunk = new byte[1 << 20];
    new java.util.Random(1).nextBytes(chunk);
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < 64; i++) {
      md.update(chunk); // warm-up
    }
    md.reset();
    long s = System.nanoTime();
    for (int i = 0; i < 256; i++) {
      md.update(chunk);
    }
    if (md.digest().length != 32) {
      throw new IllegalStateException("SHA-256");
    }
    return 256 / ((System.nanoTime() - s) / 1e9);
  }

  private static void claims(ExchangeClient exchange, ClientConfig config) {
    int sequential = 300;
    long s = System.nanoTime();
    for (int i = 0; i < sequential; i++) {
      exchange.assets().claim(ExchangeAssets.SERIES, "seq-" + i);
    }
    double seqRate = sequential / ((System.nanoTime() - s) / 1e9);
    int concurrent = 2_000;
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<Claim>> all = new ArrayList<>(concurrent);
    try (ExchangeClient async = ExchangeClient.create(config.toBuilder()
        .retryPolicy(RetryPolicy.builder().retryBudget(100_000, 1, 1).build()).build())) {
      s = System.nanoTime();
      for (int i = 0; i < concurrent; i++) {
        inFlight.acquireUninterruptibly();
        CompletableFuture<Claim> f = async.assets().claimAsync(ExchangeAssets.SERIES, "par-" + i);
        f.whenComplete((c, e) -> inFlight.release());
        all.add(f);
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }
    double parRate = concurrent / ((System.nanoTime() - s) / 1e9);
    Bench.emit("exchange.claims.seq_per_s", seqRate);
    Bench.emit("exchange.claims.async64_per_s", parRate);
  }

  private static boolean curlAvailable() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** Runs curl; returns {bytes, seconds} as curl measured them. */
  private static double[] curl(String url, String apiKey) throws Exception {
    Process p = new ProcessBuilder("curl", "-s", "-S", "-f", "-o", "/dev/null", "-H", "X-Api-Key: " + apiKey,
        "-w", "%{size_download} %{time_total}", url).start();
    String line;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = r.readLine();
    }
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || line == null) {
      throw new IllegalStateException("curl failed: " + err);
    }
    String[] parts = line.trim().split(" ");
    return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
  }

  /** Runs {@code curl | sha256sum} (download plus one hash over the bytes); returns wall-clock seconds. */
  private static double curlSha256(String url, String apiKey) throws Exception {
    long s = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder("sh", "-c",
        "curl -s -S -f -H \"X-Api-Key: $SHUDU_KEY\" \"$SHUDU_URL\" | sha256sum").redirectErrorStream(true);
    pb.environment().put("SHUDU_KEY", apiKey);
    pb.environment().put("SHUDU_URL", url);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("curl | sha256sum failed: " + out);
    }
    return (System.nanoTime() - s) / 1e9;
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
