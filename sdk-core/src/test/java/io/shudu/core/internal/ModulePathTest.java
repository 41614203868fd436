package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.geo.Geometry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the {@code module-path} Surefire execution): the module descriptor exports only the API
 * packages and the not-API internal package, and a real call goes through the pipeline with the JDK enforcing module boundaries.
 */
class ModulePathTest {
  @Test
  void runsAsANamedModuleExportingOnlyItsApi() {
    Module module = ClientConfig.class.getModule();
    assertThat(module.isNamed()).as("sdk-core must be on the module path in this execution").isTrue();
    ModuleDescriptor descriptor = module.getDescriptor();
    assertThat(descriptor.name()).isEqualTo("io.shudu.core");
    Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    // the API packages, and the NOT-API internal package exported only to the SDK's own modules
    assertThat(exported).containsExactlyInAnyOrder("io.shudu.core", "io.shudu.core.okhttp", "io.shudu.core.geo",
        "io.shudu.core.internal");
    assertThat(module.isExported("io.shudu.core.internal")).as("not to everyone").isFalse();
    assertThat(descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
        .map(ModuleDescriptor.Exports::source).toList()).containsExactly("io.shudu.core.internal");
  }

  @Test
  void geometryReadsAndWritesGeoJsonOnTheModulePath() throws Exception {
    Geometry box = Geometry.box(121.90, 30.88, 121.95, 30.92);
    assertThat(Geometry.fromGeoJson(box.toGeoJson())).isEqualTo(box);
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(box), Geometry.class)).isEqualTo(box);
  }

  @Test
  void callsThroughThePipelineOnTheModulePath() throws Exception {
    // A one-answer HTTP server on plain sockets: test tools that reach into OkHttp's internals (MockWebServer) cannot
    // run where the JDK enforces okhttp3's module boundaries, which is the point of this execution.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> answerOnce(socket));
      ClientConfig config = ClientConfig.builder().endpoint("http://127.0.0.1:" + socket.getLocalPort() + "/")
          .credentials(Credentials.apiKey("k_module_path")).build();
      ApiClient api = new ApiClient(config, "test");
      ApiResponse response = api.execute(ApiRequest.builder("test.get", "GET", "/x").build());
      assertThat(response.status()).isEqualTo(200);
      // the version comes from the build (version.properties), readable from inside the named module
      assertThat(head.get(10, TimeUnit.SECONDS)).startsWith("GET /x HTTP/1.1")
          .containsPattern("(?i)user-agent: shudu-sdk-java/\\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(test; java ");
    }
  }

  private static String answerOnce(ServerSocket socket) {
    try (Socket s = socket.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.append(line).append('\n');
      }
      byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
          + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return head.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
