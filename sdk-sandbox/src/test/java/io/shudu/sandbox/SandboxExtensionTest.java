package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The declarative form of the extension: parameter injection, one sandbox per class, faults cleared per test. */
@ExtendWith(SandboxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxExtensionTest {
  private static Sandbox seen;

  private final Sandbox fromConstructor;

  SandboxExtensionTest(Sandbox sandbox) {
    this.fromConstructor = sandbox;
  }

  @Test
  @Order(1)
  void injectsARunningSandboxAndItsClientConfig(Sandbox sandbox, ClientConfig config) {
    assertThat(sandbox.running()).isTrue();
    assertThat(sandbox).isSameAs(fromConstructor);
    assertThat(config.endpoint()).isEqualTo(sandbox.baseUrl());
    JsonNode me = new ApiClient(config, "test").call(ApiRequest.builder("w", "GET", "/v1/whoami").build(),
        JsonNode.class);
    assertThat(me.get("tenant").asText()).isEqualTo(Sandbox.DEFAULT_TENANT);
    seen = sandbox;
    sandbox.injectFault(Fault.status(503, Duration.ofSeconds(1)).times(5)); // left behind on purpose
  }

  @Test
  @Order(2)
  void theSameSandboxServesEveryTestOfTheClassAndFaultsDoNotLeak(Sandbox sandbox, ClientConfig config) {
    assertThat(sandbox).isSameAs(seen);
    assertThat(new ApiClient(config, "test").execute(ApiRequest.builder("w", "GET", "/v1/whoami").build()).status())
        .isEqualTo(200);
  }

  @Nested
  class NestedTests {
    @Test
    void nestedClassesShareTheOuterSandbox(Sandbox sandbox) {
      assertThat(sandbox).isSameAs(fromConstructor);
      assertThat(sandbox.running()).isTrue();
    }
  }
}
