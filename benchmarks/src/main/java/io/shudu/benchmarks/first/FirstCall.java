package io.shudu.benchmarks.first;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.twin.Entity;
import io.shudu.twin.TwinClient;

/**
 * A partner's one-call program: build a client, fetch one twin entity, print its id (and the
 * process CPU time so far), exit. {@link FirstCallCompare}
 * times it as a whole process, from launch to exit. With a third argument {@code raw} it makes the same call the way
 * hand-written code would, with a bare OkHttp client and a Jackson mapper (with the java.time module) decoding into
 * the same record: the floor of the stack the SDK is built on.
 */
public final class FirstCall {
  private FirstCall() {}

  /**
   * Makes one call.
   *
   * @param args the sandbox's base URL and an API key
   */
  public static void main(String[] args) throws java.io.IOException {
    if (args.length > 2 && args[2].equals("raw")) {
      okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
      com.fasterxml.jackson.databind.ObjectMapper mapper = com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
      okhttp3.Request request = new okhttp3.Request.Builder().url(args[0] + "/twin/v1/entities/lg-bldg-0001")
          .header("X-Api-Key", args[1]).build();
      try (okhttp3.Response r = http.newCall(request).execute()) {
        if (r.code() != 200) {
          throw new IllegalStateException("HTTP " + r.code());
        }
        Entity e = mapper.readValue(r.body().byteStream(), Entity.class);
        System.out.println(e.id() + " " + ProcessHandle.current().info().totalCpuDuration()
            .map(d -> d.toMillis()).orElse(-1L));
      }
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
      return;
    }
    ClientConfig config = ClientConfig.builder().endpoint(args[0]).credentials(Credentials.apiKey(args[1])).build();
    try (TwinClient twin = TwinClient.create(config)) {
      Entity e = twin.entities().get("lg-bldg-0001");
      // the id, and the CPU time of the whole process so far (all threads: JIT, GC, class loading included)
      System.out.println(e.id() + " " + ProcessHandle.current().info().totalCpuDuration()
          .map(d -> d.toMillis()).orElse(-1L));
    }
  }
}
