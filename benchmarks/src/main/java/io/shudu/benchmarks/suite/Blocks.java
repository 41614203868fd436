package io.shudu.benchmarks.suite;

import io.shudu.benchmarks.suite.Suite.Environment;
import io.shudu.benchmarks.suite.Suite.Result;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Markdown of each comparison's block in docs/performance.md, from a {@link Result}. */
final class Blocks {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private Blocks() {}

  /** A table being built. */
  private static final class Table {
    private final Result r;
    private final StringBuilder sb = new StringBuilder();

    Table(Result r) {
      this.r = r;
      sb.append("| measure | median | min | max |\n| --- | --- | --- | --- |\n");
    }

    Table row(String label, String metric, String unit) {
      sb.append("| ").append(label).append(" | ").append(Suite.fmt(r.med(metric))).append(unit).append(" | ")
          .append(Suite.fmt(r.min(metric))).append(unit).append(" | ").append(Suite.fmt(r.max(metric))).append(unit)
          .append(" |\n");
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }

  /** Targets and their verdicts. */
  private static final class Targets {
    private final Result r;
    private final StringBuilder sb = new StringBuilder();

    Targets(Result r) {
      this.r = r;
      sb.append("| target | median (min-max) | verdict |\n| --- | --- | --- |\n");
    }

    Targets atMost(String label, String metric, double limit, String unit) {
      return add(label, metric, unit, r.med(metric) <= limit,
          miss((r.med(metric) / limit - 1) * 100));
    }

    Targets atLeast(String label, String metric, double limit, String unit) {
      return add(label, metric, unit, r.med(metric) >= limit,
          miss((1 - r.med(metric) / limit) * 100));
    }

    private static String miss(double percent) {
      return String.format(Locale.ROOT, percent < 10 ? "missed by %.1f %%" : "missed by %.0f %%", percent);
    }

    private Targets add(String label, String metric, String unit, boolean met, String miss) {
      sb.append("| ").append(label).append(" | ").append(Suite.fmt(r.med(metric))).append(unit).append(" (")
          .append(Suite.fmt(r.min(metric))).append('-').append(Suite.fmt(r.max(metric))).append(unit).append(") | ")
          .append(met ? "**met**" : "**" + miss + "**").append(" |\n");
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }

  static String render(Result r, Environment env, boolean quick) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "_Written by `benchmarks/run.sh%s` on %s: %d run%s (each in fresh JVMs), "
        + "median, min and max over the runs; ratios are taken within each run. Commit %s, %s, %s, %d cores, %s. "
        + "Load average (1 min) %.2f before, %.2f after._%n%n", quick ? " --quick" : "", WHEN.format(r.when()),
        r.runs(), r.runs() == 1 ? "" : "s", env.commit(), env.jdk(), env.cpu(), env.cores(), env.memory(),
        r.loadBefore(), r.loadAfter()));
    switch (r.name()) {
      case "core" -> sb.append(new Table(r)
              .row("raw OkHttp + Jackson: wall per call", "core.raw.wall_us", " us")
              .row("SDK, API key: wall per call", "core.apikey.wall_us", " us")
              .row("SDK, signed: wall per call", "core.signed.wall_us", " us")
              .row("raw OkHttp + Jackson: client CPU per call", "core.raw.cpu_us", " us")
              .row("SDK, API key: client CPU per call", "core.apikey.cpu_us", " us")
              .row("SDK, signed: client CPU per call", "core.signed.cpu_us", " us")
              .row("raw OkHttp + Jackson: client allocation per call", "core.raw.alloc_b", " B")
              .row("SDK, API key: client allocation per call", "core.apikey.alloc_b", " B")
              .row("SDK, signed: client allocation per call", "core.signed.alloc_b", " B")
              .row("client CPU ratio, SDK / raw", "core.ratio.apikey_raw.cpu", "x")
              .row("raw OkHttp + Jackson: process CPU per call (client + sandbox, all threads)", "core.raw.proc_us",
                  " us")
              .row("SDK, API key: process CPU per call (client + sandbox, all threads)", "core.apikey.proc_us", " us")
              .row("SDK, signed: process CPU per call (client + sandbox, all threads)", "core.signed.proc_us", " us")
              .row("process CPU ratio, signed / API key", "core.ratio.signed_apikey.proc", "x")
              .row("wall ratio of the totals, SDK / raw", "core.ratio.apikey_raw.wall", "x")
              .row("wall ratio of the totals, signed / API key", "core.ratio.signed_apikey.wall", "x"))
          .append('\n').append(new Targets(r)
              .atMost("SDK call time <= 1.05x raw OkHttp + Jackson (wall, median of the per-round ratios)",
                  "core.ratio.apikey_raw.wall_round_median", 1.05, "x")
              .atMost("SDK call allocation <= 1.10x raw (client thread)", "core.ratio.apikey_raw.alloc", 1.10, "x")
              .atMost("signed call <= 1.10x API-key call, end to end (wall, median of the per-round ratios)",
                  "core.ratio.signed_apikey.wall_round_median", 1.10, "x"));
      case "signing" -> sb.append(new Table(r)
              .row("prepare a GET attempt, API key", "signing.getApiKey.us", " us")
              .row("prepare a GET attempt, signed", "signing.getSigned.us", " us")
              .row("prepare a POST attempt with a JSON body, signed", "signing.postSigned.us", " us")
              .row("client thread CPU: prepare a GET attempt, API key", "signing.cpu.getApiKey.cpu_us", " us")
              .row("client thread CPU: prepare a GET attempt, signed", "signing.cpu.getSigned.cpu_us", " us")
              .row("client thread CPU: prepare a signed POST attempt", "signing.cpu.postSigned.cpu_us", " us")
              .row("allocation, GET, API key", "signing.getApiKey.alloc_b", " B")
              .row("allocation, GET, signed", "signing.getSigned.alloc_b", " B")
              .row("allocation, POST, signed", "signing.postSigned.alloc_b", " B"))
          .append('\n').append(new Targets(r)
              .atMost("signing itself <= 10 us (JMH: signed GET minus API-key GET)", "signing.cost_us", 10, " us")
              .atMost("signing itself <= 10 us (thread CPU: signed GET minus API-key GET)", "signing.cpu.cost_us", 10,
                  " us")
              .atMost("a whole signed POST attempt <= 10 us", "signing.postSigned.us", 10, " us"));
      case "twin" -> sb.append(new Table(r)
              .row("raw OkHttp + Jackson `GET` entity: wall", "twin.get.raw.wall_us", " us")
              .row("`TwinClient.entities().get`: wall", "twin.get.sdk.wall_us", " us")
              .row("raw: client CPU per call", "twin.get.raw.cpu_us", " us")
              .row("SDK: client CPU per call", "twin.get.sdk.cpu_us", " us")
              .row("raw: client allocation per call", "twin.get.raw.alloc_b", " B")
              .row("SDK: client allocation per call", "twin.get.sdk.alloc_b", " B")
              .row("get ratio SDK / raw, wall", "twin.get.ratio.wall", "x")
              .row("get ratio SDK / raw, client allocation", "twin.get.ratio.alloc", "x")
              .row("whole-dataset bbox query: entities returned", "twin.query.entities", "")
              .row("JSON on the wire per entity (first page of 1,000)", "twin.query.json_b_per_entity", " B")
              .row("whole-dataset bbox query: wall per query", "twin.query.wall_ms", " ms")
              .row("whole-dataset bbox query: client CPU per entity", "twin.query.cpu_us_per_entity", " us"))
          .append('\n').append(new Targets(r)
              .atMost("spatial query: client allocation per returned entity <= 4 KB", "twin.query.alloc_b_per_entity",
                  4096, " B"));
      case "exchange" -> sb.append(new Table(r)
              .row("`curl -o /dev/null` (no verification)", "exchange.curl.mib_s", " MiB/s")
              .row("SDK download, every chunk and the receipt verified", "exchange.sdk.mib_s", " MiB/s")
              .row("`curl \\| sha256sum`", "exchange.curlsha.mib_s", " MiB/s")
              .row("SHA-256 alone, in memory, one thread (the JDK's `MessageDigest`)", "exchange.sha256_one_thread.mib_s",
                  " MiB/s")
              .row("SDK / (`curl \\| sha256sum`)", "exchange.ratio.sdk_curlsha", "x")
              .row("heap peak during the SDK download (sandbox in the same JVM included; -Xmx256m)",
                  "exchange.sdk.heap_peak_mib", " MiB")
              .row("CPU of the JVM during one SDK download (SDK reader and hashers + sandbox serving it)",
                  "exchange.sdk.jvm_cpu_s", " s")
              .row("CPU of the JVM during one curl download (the sandbox serving curl)", "exchange.curl.sandbox_cpu_s",
                  " s")
              .row("board claims, sequential", "exchange.claims.seq_per_s", "/s")
              .row("board claims, 64 in flight", "exchange.claims.async64_per_s", "/s"))
          .append('\n').append(new Targets(r)
              .atLeast("1 GiB verified delivery >= 0.9x `curl -o /dev/null`", "exchange.ratio.sdk_curl", 0.9, "x")
              .atMost("heap growth during the download <= 64 MiB (sandbox included)", "exchange.sdk.heap_growth_mib",
                  64, " MiB"));
      case "iot" -> sb.append(new Table(r)
              .row("observations listed", "iot.items", "")
              .row("Shudu SDK: wall per listing", "iot.sdk.wall_s", " s")
              .row("FROST-Client: wall per listing", "iot.frost.wall_s", " s")
              .row("Shudu SDK: client CPU per item", "iot.sdk.cpu_us_per_item", " us")
              .row("FROST-Client: client CPU per item", "iot.frost.cpu_us_per_item", " us")
              .row("Shudu SDK: client allocation per item", "iot.sdk.alloc_b_per_item", " B")
              .row("FROST-Client: client allocation per item", "iot.frost.alloc_b_per_item", " B")
              .row("FROST-Client: retained heap growth", "iot.frost.heap_growth_kib", " KiB"))
          .append('\n').append(new Targets(r)
              .atLeast("client CPU per item: SDK >= 3x better than FROST-Client", "iot.ratio.cpu", 3, "x")
              .atLeast("wall time: SDK faster than FROST-Client (FROST / SDK > 1)", "iot.ratio.wall", 1.0001, "x")
              .atMost("heap flat: retained growth during the listing <= 8 MiB", "iot.sdk.heap_growth_kib", 8192,
                  " KiB"));
      case "first" -> sb.append(new Table(r)
              .row("SDK one-call program: wall, median launch", "first.wall_ms", " ms")
              .row("SDK one-call program: fastest launch", "first.fastest_ms", " ms")
              .row("SDK one-call program: CPU time of the whole process (all threads), median launch", "first.cpu_ms",
                  " ms")
              .row("hand-written OkHttp + Jackson one-call program: wall, median launch", "first.raw.wall_ms", " ms")
              .row("hand-written OkHttp + Jackson one-call program: fastest launch", "first.raw.fastest_ms", " ms")
              .row("hand-written OkHttp + Jackson one-call program: CPU time of the whole process", "first.raw.cpu_ms",
                  " ms")
              .row("SDK / hand-written, median wall", "first.ratio.sdk_raw", "x")
              .row("with AppCDS + C1 only: wall, median launch", "first.cds.wall_ms", " ms")
              .row("with AppCDS + C1 only: fastest launch", "first.cds.fastest_ms", " ms")
              .row("with AppCDS + C1 only: CPU time of the whole process", "first.cds.cpu_ms", " ms"))
          .append('\n').append(new Targets(r)
              .atMost("JVM start to first answer and exit, default JVM, median launch <= 400 ms", "first.wall_ms",
                  400, " ms")
              .atMost("the same with AppCDS + C1 only (a start-up recipe for CLI tools)", "first.cds.wall_ms", 400,
                  " ms"));
      case "feeds" -> sb.append(new Table(r)
              .row("decoding: hand-written Jackson streaming (baseline)", "feeds.decode.rawJacksonStreaming.ops_s",
                  " events/s")
              .row("decoding: SDK client path (okhttp-sse + FeedDecoder)", "feeds.decode.sdkClientPath.ops_s",
                  " events/s")
              .row("decoding: okhttp-sse framing only", "feeds.decode.sseFramingOnly.ops_s", " events/s")
              .row("decoding, thread CPU per 10,000 events: baseline", "feeds.cpu.rawJacksonStreaming.cpu_us", " us")
              .row("decoding, thread CPU per 10,000 events: SDK", "feeds.cpu.sdkClientPath.cpu_us", " us")
              .row("allocation per event, baseline", "feeds.decode.rawJacksonStreaming.alloc_b", " B")
              .row("allocation per event, SDK", "feeds.decode.sdkClientPath.alloc_b", " B")
              .row("end to end: events per subscription", "feeds.e2e.events", "")
              .row("end to end, fault-free", "feeds.e2e.clean_per_s", " events/s")
              .row("end to end, through injected faults", "feeds.e2e.faults_per_s", " events/s")
              .row("reconnects in the faulty subscription", "feeds.e2e.faults_reconnects", "")
              .row("faulty / fault-free", "feeds.e2e.ratio.faults_clean", "x"))
          .append('\n').append(new Targets(r)
              .atLeast("decoding >= 1.0x the hand-written Jackson streaming baseline (JMH events/s)",
                  "feeds.decode.ratio.sdk_raw", 1.0, "x")
              .atLeast("the same by thread CPU time (baseline CPU / SDK CPU)", "feeds.cpu.ratio.sdk_raw", 1.0, "x"));
      default -> throw new IllegalArgumentException(r.name());
    }
    return sb.toString();
  }
}
