package io.shudu.benchmarks.twin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shudu.benchmarks.Bench;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import io.shudu.twin.Entity;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Side by side on one in-process sandbox (Lingang dataset, default seed), client cost measured on the calling
 * thread only (the sandbox answers on its own threads): {@code TwinClient.entities().get} against a bare OkHttp call
 * decoded by a plain Jackson mapper into the same {@code Entity} record, and a bbox query matching every entity of
 * the dataset (all pages of 1,000), whose client allocation and CPU time are reported per returned entity. Part of
 * {@code benchmarks/run.sh} ({@code twin}).
 */
public final class TwinCompare {
  private TwinCompare() {}

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
      try (TwinClient twin = TwinClient.create(demo.clientConfig())) {
        OkHttpClient raw = new OkHttpClient();
        ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        String base = sandbox.baseUrl().toString().replaceAll("/$", "");
        String apiKey = demo.apiKey();
        Bench.Op rawGet = () -> {
          Request rawRequest = new Request.Builder().url(base + "/twin/v1/entities/" + "lg-bldg-0001")
              .header("X-Api-Key", apiKey).build();
          try (Response r = raw.newCall(rawRequest).execute(); InputStream in = r.body().byteStream()) {
            if (r.code() != 200) {
              throw new IOException("HTTP " + r.code());
            }
            check(mapper.readValue(in, Entity.class));
          }
        };
        Bench.Op sdkGet = () -> check(twin.entities().get("lg-bldg-0001"));
        Bench.Cost[] c = Bench.interleaved("twin.get", List.of(new Bench.Named("raw", rawGet),
            new Bench.Named("sdk", sdkGet)), quick ? 1_000 : 3_000, quick ? 3 : 6, quick ? 500 : 1_500);
        Bench.ratios("twin.get.ratio", c[1], c[0]);
        TwinQuery everything = TwinQuery.builder().bbox(120.5, 30.5, 122.5, 31.7).pageSize(1000).build();
        // the size of an entity on the wire: the first page of the same query, read raw
        okhttp3.HttpUrl.Builder firstPage = okhttp3.HttpUrl.get(base + "/twin/v1/entities").newBuilder();
        firstPage.addQueryParameter("bbox", "120.5,30.5,122.5,31.7"); // the wire form of `everything`
        firstPage.addQueryParameter("limit", "1000");
        try (Response r = raw.newCall(new Request.Builder().url(firstPage.build()).header("X-Api-Key", apiKey).build())
            .execute()) {
          if (r.code() != 200) {
            throw new IOException("HTTP " + r.code() + " for the first page");
          }
          Bench.emit("twin.query.json_b_per_entity", r.body().bytes().length / 1000.0);
        }
        raw.dispatcher().executorService().shutdown();
        raw.connectionPool().evictAll();

        long[] entities = new long[1];
        Bench.Op query = () -> entities[0] = twin.entities().query(everything).stream().count();
        for (int i = 0; i < (quick ? 2 : 4); i++) {
          query.run();
        }
        int rounds = quick ? 3 : 8;
        Bench.Cost total = new Bench.Cost(0, 0, 0);
        for (int i = 0; i < rounds; i++) {
          Bench.Cost s = Bench.Cost.now();
          query.run();
          total = total.plus(Bench.Cost.now().since(s));
        }
        if (entities[0] < 1000) {
          throw new IllegalStateException("the whole-dataset query returned only " + entities[0] + " entities");
        }
        long n = entities[0] * rounds;
        Bench.emit("twin.query.entities", entities[0]);
        Bench.emit("twin.query.wall_ms", total.wallNanos() / 1e6 / rounds);
        Bench.emit("twin.query.cpu_us_per_entity", total.cpuNanos() / 1e3 / n);
        Bench.emit("twin.query.alloc_b_per_entity", (double) total.allocatedBytes() / n);
      }
    }
  }

  private static void check(Entity e) {
    if (e.id() == null) {
      throw new IllegalStateException("entity without id");
    }
  }
}
