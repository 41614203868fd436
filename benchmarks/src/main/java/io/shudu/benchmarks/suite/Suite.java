package io.shudu.benchmarks.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.benchmarks.Bench;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The driver behind {@code benchmarks/run.sh}: runs each side-by-side comparison several times (every run in fresh
 * JVMs), collects the {@code BENCH} lines of each run, computes per-run ratios, and rewrites the block of each
 * comparison in {@code docs/performance.md} (between {@code <!-- bench:NAME:begin -->} and
 * {@code <!-- bench:NAME:end -->}) with the median, minimum and maximum over the runs, the environment (commit, JDK,
 * CPU, cores, load average before and after) and the verdict on each target. Any failure ends it with a non-zero
 * status before the document is touched; the document is replaced in one move.
 *
 * <pre>
 * java -cp benchmarks.jar io.shudu.benchmarks.suite.Suite --jar benchmarks.jar --doc docs/performance.md \
 *     [--quick] [--only core,iot] [--runs 3] [--commit abc123] [--dry-run] [--write]
 * </pre>
 */
public final class Suite {
  /** Every comparison, in the order of the document. */
  static final List<String> ALL = List.of("core", "signing", "twin", "exchange", "iot", "first", "feeds");

  private final String jar;
  private final boolean quick;
  private final int runs;
  private final Path work;

  private Suite(String jar, boolean quick, int runs, Path work) {
    this.jar = jar;
    this.quick = quick;
    this.runs = runs;
    this.work = work;
  }

  /** The values of every metric over the runs of one comparison, and the conditions of the measurement. */
  record Result(String name, Map<String, List<Double>> metrics, double loadBefore, double loadAfter, Instant when,
      int runs) {
    double stat(String metric, Function<double[], Double> f) {
      List<Double> v = metrics.get(metric);
      if (v == null || v.isEmpty()) {
        throw new IllegalStateException("comparison " + name + " produced no value for " + metric);
      }
      double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return f.apply(a);
    }

    double med(String metric) {
      return stat(metric, a -> a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
    }

    double min(String metric) {
      return stat(metric, a -> a[0]);
    }

    double max(String metric) {
      return stat(metric, a -> a[a.length - 1]);
    }
  }

  /**
   * Runs the suite.
   *
   * @param args see the class documentation
   * @throws Exception on failure (non-zero exit, document unchanged)
   */
  public static void main(String[] args) throws Exception {
    String jar = null;
    Path doc = null;
    String commit = "unknown";
    boolean quick = false;
    boolean dryRun = false;
    boolean write = false;
    int runs = -1;
    List<String> only = ALL;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jar" -> jar = args[++i];
        case "--doc" -> doc = Path.of(args[++i]);
        case "--commit" -> commit = args[++i];
        case "--quick" -> quick = true;
        case "--dry-run" -> dryRun = true;
        case "--write" -> write = true;
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--only" -> {
          only = Arrays.stream(args[++i].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
          for (String o : only) {
            if (!ALL.contains(o)) {
              throw new IllegalArgumentException("unknown comparison '" + o + "'; known: " + String.join(",", ALL));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (jar == null || doc == null) {
      throw new IllegalArgumentException("--jar and --doc are required");
    }
    if (runs < 0) {
      runs = quick ? 1 : 3;
    }
    if (!quick && runs < 3) {
      throw new IllegalArgumentException("a full run needs at least 3 runs per comparison (medians of 3)");
    }
    boolean writeDoc = write || (!quick && !dryRun);
    String original = Files.readString(doc, StandardCharsets.UTF_8);
    for (String name : only) {
      markers(original, name); // fail before hours of measuring if a block is missing
    }
    Path work = Files.createTempDirectory("shudu-bench");
    Suite suite = new Suite(jar, quick, runs, work);
    Environment env = Environment.read(commit);
    System.out.println("environment: " + env.describe());
    String updated = original;
    StringBuilder raw = new StringBuilder();
    for (String name : only) {
      Result r = suite.run(name);
      String block = Blocks.render(r, env, quick);
      System.out.println(block);
      raw.append(name).append(' ').append(new TreeMap<>(r.metrics())).append('\n');
      int[] m = markers(updated, name);
      updated = updated.substring(0, m[0]) + "\n" + block + updated.substring(m[1]);
    }
    System.out.println("raw values per run:\n" + raw);
    if (writeDoc) {
      Path tmp = doc.resolveSibling(doc.getFileName() + ".tmp");
      Files.writeString(tmp, updated, StandardCharsets.UTF_8);
      Files.move(tmp, doc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("rewrote " + doc + " (" + String.join(", ", only) + ")");
    } else {
      System.out.println(doc + " left unchanged (" + (quick ? "--quick" : "--dry-run")
          + "; add --write to write it anyway)");
    }
  }

  /** Start (after the begin marker) and end (at the end marker) of a block. */
  static int[] markers(String doc, String name) {
    String begin = "<!-- bench:" + name + ":begin -->";
    String end = "<!-- bench:" + name + ":end -->";
    int b = doc.indexOf(begin);
    int e = doc.indexOf(end);
    if (b < 0 || e < b || doc.indexOf(begin, b + 1) >= 0) {
      throw new IllegalStateException("the document needs exactly one " + begin + " ... " + end + " block");
    }
    return new int[] {b + begin.length(), e};
  }

  Result run(String name) throws Exception {
    double before = Bench.loadAverage();
    Instant when = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Map<String, List<Double>> metrics = new LinkedHashMap<>();
    for (int i = 1; i <= runs; i++) {
      System.out.printf(Locale.ROOT, "== %s run %d of %d (load %.2f)%n", name, i, runs, Bench.loadAverage());
      Map<String, Double> one = new LinkedHashMap<>();
      switch (name) {
        case "core" -> one.putAll(child("core", "-Xmx1g", "io.shudu.benchmarks.core.CoreCompare"));
        case "signing" -> {
          one.putAll(jmh("signing", "SigningBenchmark", true));
          one.put("signing.cost_us", one.get("signing.getSigned.us") - one.get("signing.getApiKey.us"));
          one.putAll(child("signing", "-Xmx512m", "io.shudu.benchmarks.core.SigningBenchmark"));
          one.put("signing.cpu.cost_us", one.get("signing.cpu.getSigned.cpu_us")
              - one.get("signing.cpu.getApiKey.cpu_us"));
        }
        case "twin" -> one.putAll(child("twin", "-Xmx1g", "io.shudu.benchmarks.twin.TwinCompare"));
        case "exchange" -> one.putAll(child("exchange", "-Xmx256m",
            "io.shudu.benchmarks.exchange.ExchangeDeliveryBenchmark"));
        case "iot" -> one.putAll(child("iot", quick ? "-Xmx1g" : "-Xmx3g", "io.shudu.benchmarks.iot.IotListingBenchmark"));
        case "first" -> one.putAll(child("first", "-Xmx256m", "io.shudu.benchmarks.first.FirstCallCompare"));
        case "feeds" -> {
          one.putAll(jmh("feeds.decode", "FeedDecodingBenchmark", true));
          one.put("feeds.decode.ratio.sdk_raw", one.get("feeds.decode.sdkClientPath.ops_s")
              / one.get("feeds.decode.rawJacksonStreaming.ops_s"));
          one.putAll(child("feeds", "-Xmx1g", "io.shudu.benchmarks.feeds.FeedDecodingBenchmark"));
          one.putAll(child("feeds", "-Xmx1g", "io.shudu.benchmarks.feeds.FeedsEndToEnd"));
        }
        default -> throw new IllegalArgumentException(name);
      }
      one.forEach((k, v) -> metrics.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    return new Result(name, metrics, before, Bench.loadAverage(), when, runs);
  }

  private String java() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /** Runs a side-by-side program in a fresh JVM and collects its BENCH lines. */
  private Map<String, Double> child(String name, String heap, String main) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java(), heap, "-cp", jar, main));
    if (quick) {
      cmd.add("--quick");
    }
    Map<String, Double> out = new LinkedHashMap<>();
    Path log = work.resolve(name + "-" + System.nanoTime() + ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        all.append(line).append('\n');
        System.out.println("   " + line);
        if (line.startsWith("BENCH ")) {
          String[] f = line.split(" ");
          out.put(f[1], Double.parseDouble(f[2]));
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      Files.writeString(log, all);
      throw new IllegalStateException(main + " failed (exit " + p.exitValue() + "); output in " + log);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException(main + " reported nothing");
    }
    return out;
  }

  /** Runs a JMH benchmark class in one fork with the GC profiler and reads its JSON results. */
  private Map<String, Double> jmh(String prefix, String regex, boolean gc) throws Exception {
    Path json = work.resolve(regex + "-" + System.nanoTime() + ".json");
    List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar, regex + "\\.", "-f", "1", "-rf", "json", "-rff",
        json.toString()));
    cmd.addAll(quick ? List.of("-wi", "2", "-i", "3", "-w", "1", "-r", "1") : List.of("-wi", "3", "-i", "5", "-w",
        "1", "-r", "1"));
    if (gc) {
      cmd.addAll(List.of("-prof", "gc"));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder all = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        all.append(line).append('\n');
        if (line.startsWith("Benchmark") || line.contains(regex + ".") || line.startsWith("# Run complete")) {
          System.out.println("   " + line);
        }
      }
    }
    if (p.waitFor() != 0 || !Files.exists(json)) {
      Path log = work.resolve(regex + ".log");
      Files.writeString(log, all);
      throw new IllegalStateException("JMH " + regex + " failed; output in " + log);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    JsonNode results = new ObjectMapper().readTree(json.toFile());
    for (JsonNode b : results) {
      String method = b.get("benchmark").asText().replaceAll(".*\\.", "");
      JsonNode primary = b.get("primaryMetric");
      String unit = primary.get("scoreUnit").asText();
      String key = unit.startsWith("us/") ? "us" : unit.startsWith("ops/s") ? "ops_s" : unit.replace('/', '_');
      out.put(prefix + "." + method + "." + key, primary.get("score").asDouble());
      JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
      if (!norm.isMissingNode()) {
        out.put(prefix + "." + method + ".alloc_b", norm.get("score").asDouble());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("JMH " + regex + " produced no results");
    }
    return out;
  }

  /** The conditions of a run. */
  record Environment(String commit, String jdk, String cpu, int cores, String memory) {
    static Environment read(String commit) {
      String cpu = "unknown CPU";
      String mem = "unknown";
      try {
        cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
            .map(l -> l.replaceFirst("^model name\\s*:\\s*", "")).findFirst().orElse(cpu);
        mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
            .map(l -> String.format(Locale.ROOT, "%.0f GiB",
                Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).findFirst().orElse(mem);
      } catch (IOException e) {
        // not Linux: leave unknown
      }
      String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
      return new Environment(commit, jdk, cpu, Runtime.getRuntime().availableProcessors(), mem);
    }

    String describe() {
      return "commit " + commit + ", " + jdk + ", " + cpu + ", " + cores + " cores, " + memory;
    }
  }

  /** Formats with three significant digits, and thousands separators above 1,000. */
  static String fmt(double v) {
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String joined(List<String> xs) {
    return xs.stream().collect(Collectors.joining(", "));
  }
}
