package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.Sandbox;
import io.shudu.twin.TwinClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Whole applications (auto-configuration from the imports file, a web server, Actuator): the health indicator and info
 * contributor over HTTP, the {@code shudu.sandbox.enabled} switch for partners' tests, and no secret in the logs.
 */
@ExtendWith(OutputCaptureExtension.class)
class ActuatorAndSandboxTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A partner's application. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class).properties("server.port=0", "spring.main.banner-mode=off",
        "management.endpoints.web.exposure.include=health,info", "management.endpoint.health.show-details=always",
        "spring.jmx.enabled=false").properties(properties).run();
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sandboxPropertyStartsASandboxAndHealthAndInfoReportIt(CapturedOutput output) throws Exception {
    Sandbox sandbox;
    try (ConfigurableApplicationContext app = start("shudu.sandbox.enabled=true", "shudu.sandbox.simulation-rate=0",
        "logging.level.io.shudu=DEBUG")) {
      sandbox = app.getBean(Sandbox.class);
      assertThat(sandbox.running()).isTrue();
      assertThat(app.getBean(TwinClient.class).entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
      HttpResponse<String> health = get(app, "/actuator/health/shudu");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"tenant\":\"demo\"")
          .contains(sandbox.baseUrl().toString());
      HttpResponse<String> info = get(app, "/actuator/info");
      assertThat(info.body()).contains("\"shudu\"").contains("\"sdkVersion\":\"0.1.0-SNAPSHOT\"")
          .contains("\"tenant\":\"demo\"").contains("\"endpoint\":\"" + sandbox.baseUrl());
      String key = sandbox.tenant("demo").apiKey();
      assertThat(health.body() + info.body()).doesNotContain(key);
      assertThat(output.getAll()).as("DEBUG logs of the SDK's calls").contains("whoami").doesNotContain(key);
    }
    assertThat(sandbox.running()).as("stopped with the context").isFalse();
  }

  @Test
  void healthIsDownWithoutLeakingTheRejectedKey() throws Exception {
    String wrongKey = "sk_test_WRONG_KEY_0000000000000000";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        ConfigurableApplicationContext app = start("shudu.endpoint=" + sandbox.baseUrl(), "shudu.api-key=" + wrongKey,
            "shudu.tenant=lingang-water")) {
      HttpResponse<String> health = get(app, "/actuator/health/shudu");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("authentication failed")
          .doesNotContain(wrongKey).doesNotContain("WRONG_KEY");
      assertThat(get(app, "/actuator/health").body()).contains("\"shudu\"");
      assertThat(get(app, "/actuator/info").body()).contains("\"tenant\":\"lingang-water\"");
    }
  }

  @Test
  void healthIsDownWhenThePlatformIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (ConfigurableApplicationContext app = start("shudu.endpoint=http://127.0.0.1:" + closedPort,
        "shudu.api-key=sk_test_unused", "shudu.connect-timeout=1s")) {
      HttpResponse<String> health = get(app, "/actuator/health/shudu");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"status\":\"DOWN\"").contains("no answer")
          .doesNotContain("sk_test_unused");
    }
  }
}
