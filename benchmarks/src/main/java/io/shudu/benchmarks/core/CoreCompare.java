package io.shudu.benchmarks.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.benchmarks.Bench;
import io.shudu.benchmarks.core.CoreCallBenchmark.WhoAmI;
import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Side by side, one JVM with the sandbox on its own threads: {@code GET /v1/whoami} decoded into the same record by
 * a bare OkHttp call with a plain Jackson mapper (the baseline: the request built per call, as hand-written code
 * does), by the SDK pipeline with an API key, and by the SDK
 * with SHUDU-HMAC-SHA256 signing (verified by the sandbox). Interleaved rounds; per call: wall time, CPU time and
 * allocation of the calling thread (the client's own cost; the sandbox works on other threads). Part of
 * {@code benchmarks/run.sh} ({@code core}).
 */
public final class CoreCompare {
  private CoreCompare() {}

  /**
   * Runs one measurement.
   *
   * @param args {@code --quick} for a short run
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    boolean quick = Bench.quick(args);
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
      ClientConfig config = demo.clientConfig();
      ApiClient sdk = new ApiClient(config, "bench");
      ApiClient signed = new ApiClient(config.toBuilder().credentials(demo.accessKeyCredentials()).build(), "bench");
      OkHttpClient raw = new OkHttpClient();
      ObjectMapper mapper = new ObjectMapper();
      String base = sandbox.baseUrl().toString().replaceAll("/$", "");
      String apiKey = demo.apiKey();
      ApiRequest whoami = ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build();
      Bench.Op rawCall = () -> {
        // what a hand-written client does per call: build the request (URL and key), send it, check, decode
        Request rawRequest = new Request.Builder().url(base + "/v1/whoami").header("X-Api-Key", apiKey).build();
        try (Response r = raw.newCall(rawRequest).execute()) {
          if (r.code() != 200) {
            throw new IOException("HTTP " + r.code());
          }
          try (InputStream in = r.body().byteStream()) {
            check(mapper.readValue(in, WhoAmI.class));
          }
        }
      };
      Bench.Op sdkCall = () -> check(sdk.call(whoami, WhoAmI.class));
      Bench.Op signedCall = () -> check(signed.call(whoami, WhoAmI.class));
      // A long warm-up (in a probe, the first 5,000 signed calls after 5,000 warm-up calls ran 25-30 % slower than
      // the later ones: the sandbox's signature check is compiled late), then many short interleaved rounds, so that
      // a burst of load on a shared machine lands in one round of one contender and moves one per-round ratio only.
      Bench.Cost[][] rounds = Bench.interleavedRounds("core", List.of(new Bench.Named("raw", rawCall),
          new Bench.Named("apikey", sdkCall), new Bench.Named("signed", signedCall)),
          quick ? 2_000 : 20_000, quick ? 6 : 40, quick ? 500 : 500);
      Bench.Cost[] c = new Bench.Cost[3];
      java.util.Arrays.fill(c, new Bench.Cost(0, 0, 0, 0));
      for (Bench.Cost[] round : rounds) {
        for (int k = 0; k < 3; k++) {
          c[k] = c[k].plus(round[k]);
        }
      }
      Bench.ratios("core.ratio.apikey_raw", c[1], c[0]);
      Bench.ratios("core.ratio.signed_apikey", c[2], c[1]);
      Bench.medianRoundRatio("core.ratio.apikey_raw.wall_round_median", rounds, 1, 0);
      Bench.medianRoundRatio("core.ratio.signed_apikey.wall_round_median", rounds, 2, 1);
      raw.dispatcher().executorService().shutdown();
      raw.connectionPool().evictAll();
    }
  }

  private static void check(WhoAmI w) {
    if (w.tenant() == null) {
      throw new IllegalStateException("no tenant in the answer");
    }
  }
}
