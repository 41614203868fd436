package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import org.junit.jupiter.api.Test;

class SandboxSmokeTest {
  @Test
  void whoamiWorksWithEachScheme() {
    try (Sandbox sandbox = Sandbox.start()) {
      SandboxTenant t = sandbox.tenant("meituan");
      for (var creds : java.util.List.of(t.apiKeyCredentials(), t.accessKeyCredentials(), t.oauth2Credentials())) {
        ApiClient api = new ApiClient(t.clientConfig().toBuilder().credentials(creds).build(), "test");
        JsonNode me = api.call(ApiRequest.builder("whoami", "GET", "/v1/whoami").query("x", "a b").build(), JsonNode.class);
        assertThat(me.get("tenant").asText()).isEqualTo("meituan");
      }
    }
  }
}
