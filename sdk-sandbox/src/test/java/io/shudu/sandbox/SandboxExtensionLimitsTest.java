package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code SandboxExtension.builder().limits(...)}: the sandbox a test class gets enforces the limits it was given. */
class SandboxExtensionLimitsTest {
  @RegisterExtension
  static final SandboxExtension SANDBOX = SandboxExtension.builder().simulationRate(0)
      .limits(SandboxLimits.builder().maxWebhooksPerTenant(1).maxRequestBytes(4096).build())
      .build();

  private static RawHttp.Answer post(Sandbox s, String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return RawHttp.send(s.baseUrl(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: "
        + s.tenant(Sandbox.DEFAULT_TENANT).apiKey() + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\nConnection: close\r\n\r\n" + json);
  }

  @Test
  void theSandboxEnforcesTheGivenLimits(Sandbox sandbox) throws IOException {
    assertThat(sandbox.limits().maxWebhooksPerTenant()).isEqualTo(1);
    assertThat(sandbox.limits().maxRequestBytes()).isEqualTo(4096);
    assertThat(post(sandbox, "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/one\"}").status())
        .isEqualTo(201);
    RawHttp.Answer second = post(sandbox, "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/two\"}");
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.head()).containsIgnoringCase("application/problem+json");
    JsonNode problem = Json.mapper().readTree(second.body());
    assertThat(problem.get("limit").asText()).isEqualTo("maxWebhooksPerTenant");
    RawHttp.Answer big = post(sandbox, "/v1/echo", "{\"pad\":\"" + "x".repeat(5000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
  }

  @Test
  void maxRequestBytesAfterLimitsKeepsTheOtherLimits() {
    SandboxExtension ext = SandboxExtension.builder().simulationRate(0)
        .limits(SandboxLimits.builder().maxWebhooksPerTenant(3).build()).maxRequestBytes(1234).build();
    assertThat(ext).isNotNull();
    try (Sandbox s = sandboxOf(ext)) {
      assertThat(s.limits().maxWebhooksPerTenant()).isEqualTo(3);
      assertThat(s.limits().maxRequestBytes()).isEqualTo(1234);
    }
  }

  private static Sandbox sandboxOf(SandboxExtension ext) {
    return ext.settings().newSandbox();
  }
}
