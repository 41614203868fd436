package io.shudu.benchmarks.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.benchmarks.Bench;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.okhttp.OkHttpTransport;
import io.shudu.iot.Datastream;
import io.shudu.iot.Expr;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Observation;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;

/**
 * End to end, over loopback: observations published to the sandbox's traffic feed (through the IoT API), then read
 * from the first event by one {@link FeedSubscription} until all have arrived, twice: fault-free, and through faults
 * (the client's network layer resets the connection after a random 20 to 300 KB of stream, and every fifth reset
 * the sandbox answers the reconnect with a 503 or a connection reset). Both must deliver every event exactly once
 * and in order. Part of {@code benchmarks/run.sh} ({@code feeds}).
 */
public final class FeedsEndToEnd {
  private FeedsEndToEnd() {}

  /**
   * Runs one measurement.
   *
   * @param args {@code --quick} for 20,000 events (default 100,000)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int n = Bench.quick(args) ? 20_000 : 100_000;
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).feedWindow(n + 10_000).start()) {
      publish(sandbox, n);
      ClientConfig config = sandbox.clientConfig();
      subscribe(config, n, null); // warm-up
      double clean = subscribe(config, n, null)[0];
      double[] faulty = subscribe(config, n, sandbox);
      Bench.emit("feeds.e2e.events", n);
      Bench.emit("feeds.e2e.clean_per_s", clean);
      Bench.emit("feeds.e2e.faults_per_s", faulty[0]);
      Bench.emit("feeds.e2e.faults_reconnects", faulty[1]);
      Bench.emit("feeds.e2e.ratio.faults_clean", faulty[0] / clean);
    }
  }

  static void publish(Sandbox sandbox, int n) {
    try (IotClient iot = IotClient.create(sandbox.clientConfig())) {
      List<Long> streams = new ArrayList<>();
      for (Datastream d : iot.datastreams().list(IotQuery.builder()
          .filter(Expr.property("Thing/properties/feed").eq("traffic")).build())) {
        streams.add(d.id());
      }
      int i = 0;
      for (int left = n; left > 0; ) {
        int batch = Math.min(2_000, left);
        List<Observation> obs = new ArrayList<>(batch);
        for (int k = 0; k < batch; k++) {
          obs.add(Observation.of(Instant.now(), k * 0.5));
        }
        iot.observations().createDataArray(streams.get(i++ % streams.size()), obs);
        left -= batch;
      }
    }
  }

  /** Returns {events per second, reconnects}; with a sandbox, through faults. */
  static double[] subscribe(ClientConfig base, int n, Sandbox faults) throws Exception {
    OkHttpClient http = null;
    AtomicInteger resets = new AtomicInteger();
    ClientConfig config = base;
    if (faults != null) {
      Random random = new Random(20261201L);
      Interceptor resetter = chain -> {
        Response r = chain.proceed(chain.request());
        if (r.code() != 200 || !chain.request().url().encodedPath().startsWith("/feeds/v1/")) {
          return r;
        }
        long budget;
        synchronized (random) {
          budget = 20_000 + random.nextInt(280_000);
        }
        ResponseBody original = r.body();
        ForwardingSource limited = new ForwardingSource(original.source()) {
          private long left = budget;

          @Override
          public long read(Buffer sink, long byteCount) throws IOException {
            if (left <= 0) {
              int k = resets.incrementAndGet();
              if (k % 5 == 0) {
                faults.injectFault(k % 10 == 0 ? Fault.status(503, null).onPath("/feeds/")
                    : Fault.connectionReset().onPath("/feeds/"));
              }
              throw new SocketException("Connection reset (injected by the benchmark)");
            }
            long read = super.read(sink, Math.min(byteCount, left));
            if (read > 0) {
              left -= read;
            }
            return read;
          }
        };
        return r.newBuilder().body(ResponseBody.create(Okio.buffer(limited), original.contentType(), -1)).build();
      };
      http = new OkHttpClient.Builder().addNetworkInterceptor(resetter).build();
      config = base.toBuilder().transport(OkHttpTransport.of(http)).build();
    }
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong count = new AtomicLong();
    AtomicLong expected = new AtomicLong(-1);
    AtomicReference<String> violation = new AtomicReference<>();
    FeedOptions options = FeedOptions.builder().start(FeedOptions.StartPosition.earliest())
        .reconnectBackoff(Duration.ofMillis(2), Duration.ofMillis(50)).build();
    long start = System.nanoTime();
    long reconnects;
    try (FeedSubscription sub = FeedSubscription.open(config, "traffic", List.of(), JsonNode.class, options, e -> {
      long want = expected.get();
      if (want >= 0 && e.id() != want) {
        violation.compareAndSet(null, "expected event " + want + " but got " + e.id());
      }
      expected.set(e.id() + 1);
      if (count.incrementAndGet() == n) {
        done.countDown();
      }
    })) {
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("got " + count.get() + " of " + n + " events (" + sub.state() + ", "
            + sub.failure().map(Throwable::getMessage).orElse("no failure") + ")");
      }
      reconnects = sub.reconnects();
    } finally {
      if (http != null) {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    if (violation.get() != null) {
      throw new IllegalStateException(violation.get());
    }
    if (faults != null && resets.get() < 3) {
      throw new IllegalStateException("only " + resets.get() + " faults were injected");
    }
    return new double[] {n / secs, reconnects};
  }
}
