package io.shudu.benchmarks.twin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.twin.IsolationResult;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The twin client on the same in-process sandbox (Lingang dataset, default seed):
 * <ul>
 *   <li>{@code sdkGet} versus {@code rawOkHttpJacksonGet}: {@code GET /twin/v1/entities/lg-bldg-0001} through
 *       {@code TwinClient.entities().get} (the whole pipeline) versus a bare OkHttp call decoded by a plain Jackson
 *       mapper into the same {@code Entity} record (the baseline); compare latency and, with {@code -prof gc},
 *       allocation per call;</li>
 *   <li>{@code isolationTraceFullGasNetwork}: the isolation trace of a burst next to the single gas source, which
 *       cuts off and therefore visits the whole network (437 segments, 30 km), end to end over HTTP;</li>
 *   <li>{@code isolationTraceWaterMain}: a burst on the looped water mains (the example's case);</li>
 *   <li>{@code spatialQueryWholeDataset}: a bbox query covering every entity of the dataset (8,349), all pages of
 *       1,000.</li>
 * </ul>
 * Run with {@code java -jar benchmarks/target/benchmarks.jar TwinBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TwinBenchmark {
  private Sandbox sandbox;
  private TwinClient twin;
  private OkHttpClient raw;
  private ObjectMapper mapper;
  private Request rawRequest;
  private String gasBurst;
  private TwinQuery everything;

  /** Starts the sandbox, generates the dataset and finds the gas segment next to the source. */
  @Setup(Level.Trial)
  public void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
    twin = TwinClient.create(demo.clientConfig());
    raw = new OkHttpClient();
    mapper = JsonMapper.builder().addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    rawRequest = new Request.Builder().url(sandbox.baseUrl() + "/twin/v1/entities/lg-bldg-0001")
        .header("X-Api-Key", demo.apiKey()).build();
    Entity source = twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_NODE)
        .where("network", TwinQuery.Op.EQ, "gas").where("kind", TwinQuery.Op.EQ, "source").build()).stream()
        .findFirst().orElseThrow();
    Entity firstFeeder = twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_SEGMENT)
        .where("fromNode", TwinQuery.Op.EQ, source.id()).build()).stream().findFirst().orElseThrow();
    gasBurst = twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_SEGMENT)
        .where("fromNode", TwinQuery.Op.EQ, firstFeeder.text("toNode")).build()).stream().findFirst().orElseThrow()
        .id();
    everything = TwinQuery.builder().bbox(120.5, 30.5, 122.5, 31.7).pageSize(1000).build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void stop() {
    raw.dispatcher().executorService().shutdown();
    raw.connectionPool().evictAll();
    twin.close();
    sandbox.close();
  }

  /**
   * The SDK's get.
   *
   * @return the entity
   */
  @Benchmark
  public Entity sdkGet() {
    return twin.entities().get("lg-bldg-0001");
  }

  /**
   * The baseline: OkHttp and a plain Jackson mapper, same record.
   *
   * @return the entity
   * @throws IOException on failure
   */
  @Benchmark
  public Entity rawOkHttpJacksonGet() throws IOException {
    try (Response r = raw.newCall(rawRequest).execute(); InputStream in = r.body().byteStream()) {
      if (r.code() != 200) {
        throw new IOException("HTTP " + r.code());
      }
      return mapper.readValue(in, Entity.class);
    }
  }

  /**
   * Isolation trace that cuts off the whole gas network.
   *
   * @return the result
   */
  @Benchmark
  public IsolationResult isolationTraceFullGasNetwork() {
    return twin.networks().isolate(gasBurst);
  }

  /**
   * Isolation trace of a looped water main.
   *
   * @return the result
   */
  @Benchmark
  public IsolationResult isolationTraceWaterMain() {
    return twin.networks().isolate("w-seg-00036");
  }

  /**
   * Spatial query over the whole dataset, every page.
   *
   * @return entities read
   */
  @Benchmark
  public long spatialQueryWholeDataset() {
    return twin.entities().query(everything).stream().count();
  }
}
