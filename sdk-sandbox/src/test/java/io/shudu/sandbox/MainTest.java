package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The command line, in-process: options, the printed URL and credentials, and a call made with them. */
class MainTest {
  @Test
  void startsPrintsWhatToCurlAndServesWithThePrintedKey() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Sandbox sandbox = Main.start(new String[] {"--port", "0", "--seed", "7", "--rate", "0", "--host", "127.0.0.1"},
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(sandbox.running()).isTrue();
      assertThat(sandbox.port()).isPositive();
      assertThat(out).contains("Shudu sandbox running at " + sandbox.baseUrl() + " (seed 7)")
          .contains("curl " + sandbox.baseUrl() + "/health").contains("Press Ctrl-C to stop.")
          .contains(sandbox.tenant("demo").accessKeyId()).contains(sandbox.tenant("demo").clientId());
      Matcher m = Pattern.compile("API key +(\\S+)").matcher(out);
      assertThat(m.find()).isTrue();
      ApiClient anonymous = new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
          .credentials(Credentials.anonymous()).build(), "test");
      assertThat(anonymous.call(ApiRequest.builder("health", "GET", "/health").build(), JsonNode.class)
          .get("status").asText()).isEqualTo("UP");
      ApiClient withPrintedKey = new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
          .credentials(Credentials.apiKey(m.group(1))).build(), "test");
      assertThat(withPrintedKey.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
          .get("tenant").asText()).isEqualTo("demo");
    } finally {
      sandbox.close();
    }
    assertThat(sandbox.running()).isFalse();
  }

  @Test
  void openModeAcceptsCallsWithoutCredentials() {
    Sandbox sandbox = Main.start(new String[] {"--port", "0", "--open", "--rate", "0"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      ApiClient anonymous = new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
          .credentials(Credentials.anonymous()).build(), "test");
      assertThat(anonymous.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
          .get("tenant").asText()).isEqualTo("open");
    } finally {
      sandbox.close();
    }
  }

  @Test
  void helpPrintsUsageAndStartsNothing() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(Main.start(new String[] {"--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8))).isNull();
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--port N").contains("--seed N").contains("--open")
        .contains("--rate R").contains("--host H");
  }

  @Test
  void badOptionsAreNamed() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(catchThrowable(() -> Main.start(new String[] {"--bogus"}, out))).hasMessage("unknown option '--bogus'");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port"}, out))).hasMessage("--port needs a value");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "x"}, out)))
        .hasMessage("--port must be an integer, got 'x'");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "70000"}, out)))
        .hasMessage("--port must be between 0 and 65535, got 70000");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--seed", "abc"}, out)))
        .hasMessage("--seed must be an integer, got 'abc'");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--rate", "fast"}, out)))
        .hasMessageContaining("--rate must be a number");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--limit", "maxStreams"}, out)))
        .hasMessage("--limit needs name=value, got 'maxStreams'");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--limit", "bogus=1"}, out)))
        .hasMessageContaining("unknown limit 'bogus'").hasMessageContaining("maxStreamsPerTenant");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--limit", "headerTimeout=soon"}, out)))
        .hasMessageContaining("headerTimeout must be a duration");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--limit", "maxHeaders=0"}, out)))
        .hasMessageContaining("maxHeaders must be between 1 and");
  }

  @Test
  void limitsFromTheCommandLineAreEnforced() throws Exception {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (Sandbox sandbox = Main.start(new String[] {"--port", "0", "--rate", "0", "--limit", "maxHeaders=5",
        "--limit", "headerTimeout=1500ms", "--limit", "maxRequestBytes=1KiB"}, out)) {
      assertThat(sandbox.limits().maxHeaders()).isEqualTo(5);
      assertThat(sandbox.limits().headerTimeout()).isEqualTo(java.time.Duration.ofMillis(1500));
      assertThat(sandbox.limits().maxRequestBytes()).isEqualTo(1024);
      StringBuilder req = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 6; i++) {
        req.append("X-").append(i).append(": v\r\n");
      }
      assertThat(RawHttp.send(sandbox.baseUrl(), req + "\r\n").status()).isEqualTo(431);
    }
  }
}
