package io.shudu.benchmarks.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
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
 * Cost of the SDK pipeline over a raw call: {@code GET /v1/whoami} on the same in-process sandbox, decoded into the
 * same record, through {@link ApiClient} (credentials, traceparent, User-Agent, listeners, logging check, retry
 * bookkeeping, error mapping) versus a bare OkHttp call with a plain Jackson mapper ({@code rawOkHttpJackson}, the
 * baseline). {@code sdkSigned} adds SHUDU-HMAC-SHA256 request signing on the client and its verification on the
 * sandbox. Run with {@code java -jar benchmarks/target/benchmarks.jar CoreCallBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class CoreCallBenchmark {
  /** The decoded answer. */
  public record WhoAmI(String tenant, String requestId, String authScheme) {}

  private Sandbox sandbox;
  private ApiClient sdk;
  private ApiClient signed;
  private OkHttpClient raw;
  private ObjectMapper mapper;
  private Request rawRequest;

  /** Starts the sandbox and the clients. */
  @Setup(Level.Trial)
  public void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
    ClientConfig config = demo.clientConfig();
    sdk = new ApiClient(config, "bench");
    signed = new ApiClient(config.toBuilder().credentials(demo.accessKeyCredentials()).build(), "bench");
    raw = new OkHttpClient();
    mapper = new ObjectMapper();
    rawRequest = new Request.Builder().url(sandbox.baseUrl() + "/v1/whoami").header("X-Api-Key", demo.apiKey())
        .build();
  }

  /** Stops everything. */
  @TearDown(Level.Trial)
  public void stop() {
    raw.dispatcher().executorService().shutdown();
    raw.connectionPool().evictAll();
    sandbox.close();
  }

  /**
   * The SDK: one logical call through the pipeline, API key.
   *
   * @return the decoded answer
   */
  @Benchmark
  public WhoAmI sdkApiKey() {
    return sdk.call(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build(), WhoAmI.class);
  }

  /**
   * The SDK with AK/SK request signing (and the sandbox verifying it).
   *
   * @return the decoded answer
   */
  @Benchmark
  public WhoAmI sdkSigned() {
    return signed.call(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build(), WhoAmI.class);
  }

  /**
   * Baseline: the same request with OkHttp and Jackson directly.
   *
   * @return the decoded answer
   * @throws IOException on a transport failure
   */
  @Benchmark
  public WhoAmI rawOkHttpJackson() throws IOException {
    try (Response r = raw.newCall(rawRequest).execute()) {
      if (r.code() != 200) {
        throw new IOException("HTTP " + r.code());
      }
      try (InputStream in = r.body().byteStream()) {
        return mapper.readValue(in, WhoAmI.class);
      }
    }
  }
}
