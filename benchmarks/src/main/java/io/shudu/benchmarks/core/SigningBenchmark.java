package io.shudu.benchmarks.core;

import io.shudu.benchmarks.Bench;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Client side only, no network: building one authorised attempt of a request ({@link ApiClient#prepare}) with an
 * API key and with SHUDU-HMAC-SHA256 signing. The difference is the cost of signing (body hash, canonical request,
 * string to sign, HMAC, headers). Part of {@code benchmarks/run.sh} ({@code signing}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SigningBenchmark {
  private ApiClient apiKey;
  private ApiClient signed;
  private ApiRequest get;
  private ApiRequest post;

  /** Builds the two clients (nothing listens on the endpoint: nothing is sent). */
  @Setup(Level.Trial)
  public void setUp() {
    ClientConfig base = ClientConfig.builder().endpoint("http://127.0.0.1:9/")
        .credentials(Credentials.apiKey("bench-api-key-0123456789")).build();
    apiKey = new ApiClient(base, "bench");
    signed = new ApiClient(base.toBuilder().credentials(Credentials.accessKey("AKBENCH0123456789",
        "bench-secret-0123456789abcdef0123456789")).build(), "bench");
    get = ApiRequest.builder("twin.get", "GET", "/twin/v1/entities/lg-bldg-0001").build();
    post = ApiRequest.builder("exchange.claim", "POST", "/exchange/v1/assets/series/claims")
        .json(java.util.Map.of("work", "seq-1", "note", "a small JSON body of about a hundred bytes"))
        .build();
  }

  /**
   * The same three operations timed by thread CPU time rather than wall time (robust on a shared machine):
   * emits {@code signing.cpu.<name>.cpu_us} and {@code .alloc_b} per operation, for {@code benchmarks/run.sh}.
   *
   * @param args {@code --quick} for a short run
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean quick = Bench.quick(args);
    SigningBenchmark b = new SigningBenchmark();
    b.setUp();
    Bench.interleaved("signing.cpu", List.of(new Bench.Named("getApiKey", b::getApiKey),
        new Bench.Named("getSigned", b::getSigned), new Bench.Named("postSigned", b::postSigned)),
        quick ? 20_000 : 50_000, quick ? 3 : 10, quick ? 10_000 : 20_000);
  }

  /**
   * An API-key GET attempt.
   *
   * @return the request
   */
  @Benchmark
  public Request getApiKey() {
    return apiKey.prepare(get);
  }

  /**
   * A signed GET attempt.
   *
   * @return the request
   */
  @Benchmark
  public Request getSigned() {
    return signed.prepare(get);
  }

  /**
   * A signed POST attempt with a JSON body.
   *
   * @return the request
   */
  @Benchmark
  public Request postSigned() {
    return signed.prepare(post);
  }
}
