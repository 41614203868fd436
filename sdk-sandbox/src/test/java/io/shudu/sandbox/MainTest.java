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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void tenantsOptionCreatesTenantsWithTheirOwnKeysAndData() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Sandbox sandbox = Main.start(new String[] {"--port", "0", "--rate", "0", "--tenants", "alpha,beta"},
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      String out = buf.toString(StandardCharsets.UTF_8);
      assertThat(out).contains("Tenant 'demo'").contains("Tenant 'alpha'").contains("Tenant 'beta'")
          .contains(sandbox.tenant("alpha").secretAccessKey()).contains(sandbox.tenant("beta").clientSecret());
      ApiClient alpha = printedKeyClient(sandbox, out, "alpha");
      ApiClient beta = printedKeyClient(sandbox, out, "beta");
      assertThat(alpha.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
          .get("tenant").asText()).isEqualTo("alpha");
      assertThat(beta.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
          .get("tenant").asText()).isEqualTo("beta");
      // each has its own data: what alpha creates, beta cannot read
      String hook = alpha.call(ApiRequest.builder("c", "POST", "/exchange/v1/webhooks").json(java.util.Map.of("url",
          "https://alpha.example/hooks", "events", java.util.List.of("delivery.completed"))).build(), JsonNode.class)
          .get("id").asText();
      assertThat(catchThrowable(() -> beta.call(ApiRequest.builder("r", "GET", "/exchange/v1/webhooks/{}", hook)
          .build(), JsonNode.class))).isInstanceOf(io.shudu.core.NotFoundException.class);
      assertThat(beta.call(ApiRequest.builder("l", "GET", "/exchange/v1/webhooks").build(), JsonNode.class)
          .get("items")).isEmpty();
    } finally {
      sandbox.close();
    }
  }

  @Test
  void tenantsFileGivesKeysThatSurviveARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.txt");
    Files.writeString(file, String.join("\n",
        "# partners of the isolation test",
        "",
        "meituan apiKey=sk_test_meituan_fixed_0001 clientSecret=meituan-client-secret-1",
        "ele-me"), StandardCharsets.UTF_8);
    for (int run = 0; run < 2; run++) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      Sandbox sandbox = Main.start(new String[] {"--port", "0", "--rate", "0", "--tenants-file", file.toString(),
          "--tenants", "third"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Tenant 'meituan' (credentials from the tenants file, others generated)")
            .contains("Tenant 'ele-me'").contains("Tenant 'third'");
        assertThat(sandbox.tenant("meituan").apiKey()).isEqualTo("sk_test_meituan_fixed_0001");
        assertThat(sandbox.tenant("meituan").clientSecret()).isEqualTo("meituan-client-secret-1");
        ApiClient meituan = new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
            .credentials(Credentials.apiKey("sk_test_meituan_fixed_0001")).build(), "test");
        assertThat(meituan.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
            .get("tenant").asText()).isEqualTo("meituan");
        ApiClient oauth = new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
            .credentials(sandbox.tenant("meituan").oauth2Credentials()).build(), "test");
        assertThat(oauth.call(ApiRequest.builder("w", "GET", "/v1/whoami").build(), JsonNode.class)
            .get("tenant").asText()).isEqualTo("meituan");
        assertThat(printedKeyClient(sandbox, out, "ele-me").call(ApiRequest.builder("w", "GET", "/v1/whoami")
            .build(), JsonNode.class).get("tenant").asText()).isEqualTo("ele-me");
      } finally {
        sandbox.close();
      }
    }
  }

  @Test
  void badTenantsAreNamedWithoutEchoingSecrets(@TempDir Path dir) throws Exception {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--tenants", "Alpha"}, out)))
        .hasMessageContaining("--tenants: a tenant name must be 1-40 lower-case letters").hasMessageContaining("'Alpha'");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--tenants", "a,,b"}, out)))
        .hasMessageContaining("got ''");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--tenants", "open"}, out)))
        .hasMessageContaining("'open' is reserved");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--tenants", "a,a"}, out)))
        .hasMessage("--tenants: tenant 'a' is given twice");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--tenants", "demo"}, out)))
        .hasMessageContaining("'demo' always exists");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--tenants-file", dir.resolve("none").toString()},
        out))).hasMessageContaining("--tenants-file: cannot read");
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "a token=abcdefghij\n");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--tenants-file", f.toString()}, out)))
        .hasMessageContaining(f + " line 1: expected field=value").hasMessageContaining("'token'");
    Files.writeString(f, "a\nb secretAccessKey=short\n");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--tenants-file", f.toString()}, out)))
        .hasMessageContaining(f + " line 2: secretAccessKey must be 8-200 printable ASCII characters")
        .hasMessageNotContaining("short");
    // a credential two tenants share would let one act as the other
    Files.writeString(f, "a apiKey=sk_test_shared_key_1\nb apiKey=sk_test_shared_key_1\n");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--rate", "0", "--tenants-file",
        f.toString()}, out))).hasMessage("the API key given for tenant 'b' is used by another tenant");
    Files.writeString(f, "a clientId=client-demo\n");
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--rate", "0", "--tenants-file",
        f.toString()}, out))).hasMessageContaining("OAuth2 client id given for tenant 'a' is used by another tenant");
  }

  private static ApiClient printedKeyClient(Sandbox sandbox, String out, String tenant) {
    Matcher m = Pattern.compile("Tenant '" + tenant + "'[^\\n]*\\n  API key +(\\S+)").matcher(out);
    assertThat(m.find()).as("the API key of %s is printed", tenant).isTrue();
    return new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl())
        .credentials(Credentials.apiKey(m.group(1))).build(), "test");
  }

  @Test
  void helpPrintsUsageAndStartsNothing() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    assertThat(Main.start(new String[] {"--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8))).isNull();
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--port N").contains("--seed N").contains("--open")
        .contains("--rate R").contains("--host H").contains("--tenants a,b,c").contains("--tenants-file F");
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

  @Test
  void storedStateLimitsFromTheCommandLine() throws Exception {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (Sandbox sandbox = Main.start(new String[] {"--port", "0", "--rate", "0", "--limit", "maxWebhooksPerTenant=1",
        "--limit", "maxTwinEntitiesPerTenant=200000", "--limit", "feedEventsPerFeed=50", "--limit",
        "maxFeedsPerTenant=10", "--limit", "maxTenants=3", "--tenants", "alpha,beta"}, out)) {
      assertThat(sandbox.limits().maxWebhooksPerTenant()).isEqualTo(1);
      assertThat(sandbox.limits().maxTwinEntitiesPerTenant()).isEqualTo(200_000);
      assertThat(sandbox.limits().feedEventsPerFeed()).isEqualTo(50);
      assertThat(sandbox.limits().asMap()).containsEntry("maxFeedsPerTenant", "10").containsKeys(
          "twinHistoryPerTenant", "maxIotEntitiesPerTenant", "maxOrdersPerTenant", "maxDeliveriesPerTenant",
          "maxBoardEventsPerTenant", "maxTenants");
      String key = sandbox.tenant("alpha").apiKey();
      String body = "{\"url\":\"https://hooks.example/x\"}";
      String req = "POST /exchange/v1/webhooks HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
          + body;
      assertThat(RawHttp.send(sandbox.baseUrl(), req).status()).isEqualTo(201);
      assertThat(RawHttp.send(sandbox.baseUrl(), req).status()).isEqualTo(429);
    }
    // demo + alpha + beta: a fourth tenant is one too many
    assertThat(catchThrowable(() -> Main.start(new String[] {"--port", "0", "--rate", "0", "--limit", "maxTenants=3",
        "--tenants", "alpha,beta,gamma"}, out))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--limit maxTenants=");
  }
}
