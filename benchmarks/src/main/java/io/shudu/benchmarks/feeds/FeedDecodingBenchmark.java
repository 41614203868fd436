package io.shudu.benchmarks.feeds;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.shudu.benchmarks.Bench;
import io.shudu.core.FeedEvent;
import io.shudu.core.internal.FeedDecoder;
import io.shudu.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding observations from a Server-Sent Events stream, in memory: the SDK's client path (okhttp-sse's reader on
 * the response body, then {@link FeedDecoder}: the CloudEvents envelope streamed with Jackson and the payload bound
 * to a record) against a hand-written baseline over the same bytes (a byte-level SSE line scanner and Jackson's
 * streaming parser filling the record field by field, no data binding). Scores are events per second.
 *
 * <pre>
 * ./mvnw -B -q -Dshudu.build.dir=target-feeds -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target-feeds/benchmarks.jar FeedDecodingBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class FeedDecodingBenchmark {
  static final int EVENTS = 10_000;
  static final MediaType EVENT_STREAM = MediaType.get("text/event-stream; charset=utf-8");
  static final Request REQUEST = new Request.Builder().url("http://127.0.0.1/feeds/v1/water-quality").build();

  /** The observation payload, as the IoT feeds publish it. */
  public record Observation(String datastream, Instant phenomenonTime, Instant resultTime, double result, String unit,
      String quality) {}

  private byte[] stream;
  private FeedDecoder<Observation> decoder;
  private final JsonFactory factory = Json.mapper().getFactory();

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder sb = new StringBuilder("retry: 1000\nevent: open\ndata: {\"feed\":\"water-quality\",\"position\":0,"
        + "\"lastId\":" + EVENTS + ",\"oldestId\":1}\n\n");
    Instant t0 = Instant.parse("2026-11-25T08:00:00Z");
    for (int i = 1; i <= EVENTS; i++) {
      String ds = "qingpu-river-" + (i % 40) + "-ph";
      Instant t = t0.plusMillis(250L * i);
      sb.append("id: ").append(i).append("\nevent: observation\ndata: {\"specversion\":\"1.0\",\"id\":\"").append(i)
          .append("\",\"source\":\"/feeds/v1/water-quality\",\"type\":\"observation\",\"subject\":\"").append(ds)
          .append("\",\"time\":\"").append(t).append("\",\"datacontenttype\":\"application/json\",\"data\":")
          .append("{\"datastream\":\"").append(ds).append("\",\"phenomenonTime\":\"").append(t)
          .append("\",\"resultTime\":\"").append(t.plusMillis(40)).append("\",\"result\":")
          .append(String.format(Locale.ROOT, "%.3f", 6.5 + (i % 300) / 100.0))
          .append(",\"unit\":\"pH\",\"quality\":\"good\"}}\n\n");
      if (i % 500 == 0) {
        sb.append(": heartbeat\n\n");
      }
    }
    stream = sb.toString().getBytes(StandardCharsets.UTF_8);
    decoder = new FeedDecoder<>("water-quality", Json.mapper().constructType(Observation.class));
  }

  /**
   * The same three decoders timed by the calling thread's CPU time rather than wall time (robust on a shared
   * machine): emits {@code feeds.cpu.<name>.cpu_us} and {@code .alloc_b} per stream of 10,000 events, for
   * {@code benchmarks/run.sh}.
   *
   * @param args {@code --quick} for a short run
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean quick = Bench.quick(args);
    FeedDecodingBenchmark b = new FeedDecodingBenchmark();
    b.setUp();
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    Bench.Cost[] c = Bench.interleaved("feeds.cpu", List.of(
        new Bench.Named("rawJacksonStreaming", () -> b.rawJacksonStreaming(bh)),
        new Bench.Named("sdkClientPath", () -> b.sdkClientPath(bh))), quick ? 20 : 50, quick ? 3 : 10, quick ? 5 : 10);
    Bench.emit("feeds.cpu.ratio.sdk_raw", (double) c[0].cpuNanos() / c[1].cpuNanos());
    bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
  }

  /** The SDK's path: okhttp-sse reads the body, FeedDecoder decodes each event into a FeedEvent. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void sdkClientPath(Blackhole bh) {
    Response response = new Response.Builder().request(REQUEST).protocol(Protocol.HTTP_1_1).code(200).message("OK")
        .body(ResponseBody.create(stream, EVENT_STREAM)).build();
    Instant now = Instant.now();
    EventSources.processResponse(response, new EventSourceListener() {
      @Override
      public void onEvent(EventSource source, String id, String type, String data) {
        if ("open".equals(type)) {
          return;
        }
        try {
          FeedEvent<Observation> e = decoder.decode(id, type, data, now);
          bh.consume(e);
        } catch (IOException ex) {
          throw new IllegalStateException(ex);
        }
      }

      @Override
      public void onFailure(EventSource source, Throwable t, Response r) {
        throw new IllegalStateException(t);
      }
    });
  }

  /** Where the SDK path's time goes: okhttp-sse's framing alone (events split into strings, no JSON). */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void sseFramingOnly(Blackhole bh) {
    Response response = new Response.Builder().request(REQUEST).protocol(Protocol.HTTP_1_1).code(200).message("OK")
        .body(ResponseBody.create(stream, EVENT_STREAM)).build();
    EventSources.processResponse(response, new EventSourceListener() {
      @Override
      public void onEvent(EventSource source, String id, String type, String data) {
        bh.consume(id);
        bh.consume(data);
      }
    });
  }

  /** Baseline: a byte-level SSE scanner and Jackson's streaming parser filling the record by hand. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void rawJacksonStreaming(Blackhole bh) throws IOException {
    byte[] b = stream;
    int n = b.length;
    int pos = 0;
    long id = 0;
    boolean observation = false;
    while (pos < n) {
      int end = pos;
      while (end < n && b[end] != '\n') {
        end++;
      }
      if (end == pos) {
        observation = false; // blank line: end of event
      } else if (startsWith(b, pos, "id: ")) {
        id = parseLong(b, pos + 4, end);
      } else if (startsWith(b, pos, "event: ")) {
        observation = startsWith(b, pos + 7, "observation");
      } else if (observation && startsWith(b, pos, "data: ")) {
        bh.consume(parseEnvelope(b, pos + 6, end - pos - 6, id));
      }
      pos = end + 1;
    }
  }

  private Object[] parseEnvelope(byte[] b, int off, int len, long id) throws IOException {
    String subject = null;
    Instant time = null;
    Observation obs = null;
    try (JsonParser p = factory.createParser(b, off, len)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "subject" -> subject = p.getText();
          case "time" -> time = Instant.parse(p.getText());
          case "data" -> obs = parseObservation(p);
          default -> p.skipChildren();
        }
      }
    }
    return new Object[] {id, subject, time, obs};
  }

  private static Observation parseObservation(JsonParser p) throws IOException {
    String ds = null;
    Instant pt = null;
    Instant rt = null;
    double result = 0;
    String unit = null;
    String quality = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      switch (f) {
        case "datastream" -> ds = p.getText();
        case "phenomenonTime" -> pt = Instant.parse(p.getText());
        case "resultTime" -> rt = Instant.parse(p.getText());
        case "result" -> result = p.getDoubleValue();
        case "unit" -> unit = p.getText();
        case "quality" -> quality = p.getText();
        default -> p.skipChildren();
      }
    }
    return new Observation(ds, pt, rt, result, unit, quality);
  }

  private static boolean startsWith(byte[] b, int pos, String prefix) {
    if (pos + prefix.length() > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (b[pos + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long parseLong(byte[] b, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }
}
