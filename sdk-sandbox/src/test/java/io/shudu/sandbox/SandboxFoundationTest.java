package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.AuthenticationException;
import io.shudu.core.BadRequestException;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox foundation over real sockets: health, whoami, tenants kept apart, problem+json for every kind of bad
 * request (never a 500), idempotency keys. Uses the programmatic form of {@link SandboxExtension}.
 */
class SandboxFoundationTest {
  @RegisterExtension
  static SandboxExtension sandbox = SandboxExtension.builder().simulationRate(0).maxRequestBytes(64 * 1024).build();

  private static ApiClient api(ClientConfig config) {
    return new ApiClient(config.toBuilder().retryPolicy(RetryPolicy.none()).build(), "test");
  }

  private static ApiClient api(Credentials c) {
    return api(sandbox.clientConfig().toBuilder().credentials(c).build());
  }

  private static JsonNode whoami(ApiClient api) {
    return api.call(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build(), JsonNode.class);
  }

  private static JsonNode problem(RawHttp.Answer a) throws Exception {
    assertThat(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
    JsonNode p = Json.mapper().readTree(a.body());
    assertThat(p.get("status").asInt()).isEqualTo(a.status());
    assertThat(p.get("requestId").asText()).startsWith("req_");
    assertThat(a.head()).containsIgnoringCase("X-Request-Id: " + p.get("requestId").asText());
    for (String member : List.of("type", "title", "detail", "instance", "code")) {
      assertThat(p.hasNonNull(member)).as(member).isTrue();
    }
    return p;
  }

  @Test
  void healthNeedsNoCredentials() {
    JsonNode h = api(Credentials.anonymous()).call(ApiRequest.builder("health", "GET", "/health").build(),
        JsonNode.class);
    assertThat(h.get("status").asText()).isEqualTo("UP");
  }

  @Test
  void whoamiNamesTheTenantAndTheScheme() {
    SandboxTenant t = sandbox.tenant("meituan");
    assertThat(whoami(api(t.apiKeyCredentials())).get("authScheme").asText()).isEqualTo("api-key");
    assertThat(whoami(api(t.accessKeyCredentials())).get("authScheme").asText()).isEqualTo("aksk");
    JsonNode viaOauth = whoami(api(t.oauth2Credentials()));
    assertThat(viaOauth.get("authScheme").asText()).isEqualTo("oauth2");
    assertThat(viaOauth.get("tenant").asText()).isEqualTo("meituan");
    assertThat(viaOauth.get("requestId").asText()).startsWith("req_");
  }

  @Test
  void tenantsAreKeptApart() {
    SandboxTenant a = sandbox.tenant("tenant-a");
    SandboxTenant b = sandbox.tenant("tenant-b");
    assertThat(whoami(api(a.apiKeyCredentials())).get("tenant").asText()).isEqualTo("tenant-a");
    assertThat(whoami(api(b.apiKeyCredentials())).get("tenant").asText()).isEqualTo("tenant-b");
    assertThat(a.apiKey()).isNotEqualTo(b.apiKey());
    assertThat(sandbox.tenant("tenant-a").apiKey()).isEqualTo(a.apiKey()); // stable per sandbox

    // mixing A's public id with B's secret never authenticates as anyone
    Throwable aksk = catchThrowable(() -> whoami(api(Credentials.accessKey(a.accessKeyId(), b.secretAccessKey()))));
    assertThat(aksk).isInstanceOf(AuthenticationException.class);
    assertThat(((AuthenticationException) aksk).code()).contains("signature_mismatch");
    Throwable oauth = catchThrowable(() -> whoami(api(Credentials.oauth2(
        URI.create(sandbox.sandbox().baseUrl() + "/oauth2/token"), a.clientId(), b.clientSecret()))));
    assertThat(oauth).isInstanceOf(AuthenticationException.class).hasMessageContaining("Check the client id and secret");

    // the same idempotency key in two tenants is two different operations
    RequestOptions key = RequestOptions.builder().idempotencyKey("shared-key-1").build();
    JsonNode ea = api(a.apiKeyCredentials()).call(ApiRequest.builder("echo", "POST", "/v1/echo")
        .json(Map.of("from", "a")).options(key).build(), JsonNode.class);
    JsonNode eb = api(b.apiKeyCredentials()).call(ApiRequest.builder("echo", "POST", "/v1/echo")
        .json(Map.of("from", "b")).options(key).build(), JsonNode.class);
    assertThat(ea.get("tenant").asText()).isEqualTo("tenant-a");
    assertThat(eb.get("tenant").asText()).isEqualTo("tenant-b");
    assertThat(eb.get("echo").get("from").asText()).isEqualTo("b");
  }

  @Test
  void aWrongApiKeySaysWhereTheKeyCameFromAndWhereSandboxKeysAreShown() {
    Throwable t = catchThrowable(() -> whoami(api(Credentials.apiKey("sk_test_demo_wrong"))));
    assertThat(t).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("invalid_api_key")
        .hasMessageContaining("a sandbox prints its keys at start-up")
        .hasMessageContaining("Sandbox.tenant(name).apiKey()")
        .hasMessageContaining("sent an API key (X-Api-Key) from Credentials.apiKey(...) to "
            + sandbox.sandbox().baseUrl())
        .hasMessageNotContaining("sk_test_demo_wrong");
    assertThat(((AuthenticationException) t).requestId()).isPresent();
  }

  @Test
  void idempotencyKeysReplayTheFirstAnswerAndRefuseADifferentBody() {
    ApiClient api = api(sandbox.clientConfig());
    RequestOptions key = RequestOptions.builder().idempotencyKey("order-42").build();
    JsonNode first = api.call(ApiRequest.builder("echo", "POST", "/v1/echo").json(Map.of("n", 1)).options(key).build(),
        JsonNode.class);
    var again = api.execute(ApiRequest.builder("echo", "POST", "/v1/echo").json(Map.of("n", 1)).options(key).build());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.json(JsonNode.class)).isEqualTo(first);
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("echo", "POST", "/v1/echo").json(Map.of("n", 2))
        .options(key).build()));
    assertThat(t).isInstanceOf(BadRequestException.class);
    assertThat(((ServiceException) t).status()).isEqualTo(422);
    assertThat(((ServiceException) t).code()).contains("idempotency_key_reused");
  }

  @Test
  void unknownPathIs404ProblemJson() throws Exception {
    RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), "GET /v1/nothing-here HTTP/1.1\r\nHost: x\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(a.status()).isEqualTo(404);
    assertThat(problem(a).get("code").asText()).isEqualTo("not_found");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), "DELETE /v1/whoami HTTP/1.1\r\nHost: x\r\n"
        + "Connection: close\r\n\r\n");
    assertThat(a.status()).isEqualTo(405);
    assertThat(a.head()).containsIgnoringCase("Allow: GET");
    assertThat(problem(a).get("code").asText()).isEqualTo("method_not_allowed");
  }

  @Test
  void malformedJsonIs400() {
    Throwable t = catchThrowable(() -> api(sandbox.clientConfig()).execute(ApiRequest.builder("echo", "POST", "/v1/echo")
        .body("{\"n\": 1,".getBytes(StandardCharsets.UTF_8), "application/json").build()));
    assertThat(t).isInstanceOf(BadRequestException.class).hasMessageContaining("not valid JSON");
    assertThat(((ServiceException) t).requestId()).isPresent();
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    byte[] big = new byte[100 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    Throwable t = catchThrowable(() -> api(sandbox.clientConfig()).execute(ApiRequest.builder("echo", "POST", "/v1/echo")
        .body(big, "application/json").build()));
    assertThat(t).isInstanceOf(ServiceException.class);
    assertThat(((ServiceException) t).status()).isEqualTo(413);
    assertThat(((ServiceException) t).code()).contains("payload_too_large");
    // chunked, so the size is only known while reading
    String head = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + sandbox.sandbox().tenant("demo").apiKey()
        + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
    StringBuilder req = new StringBuilder(head);
    for (int i = 0; i < 10; i++) {
      req.append(Integer.toHexString(10_000)).append("\r\n").append("a".repeat(10_000)).append("\r\n");
    }
    req.append("0\r\n\r\n");
    RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), req.toString());
    assertThat(a.status()).isEqualTo(413);
    problem(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "X-Api-Key: \r\n",
      "X-Api-Key: \u00ff\u00fe not a key\r\n",
      "Authorization: SHUDU-HMAC-SHA256 garbage\r\n",
      "Authorization: SHUDU-HMAC-SHA256 Credential=AKNOBODY, SignedHeaders=host, Signature=00\r\n",
      "Authorization: Bearer \r\n",
      "Authorization: Bearer at_forged\r\n",
      "Authorization: Basic !!!\r\n",
      "Authorization: \r\n",
      "Idempotency-Key: \r\nX-Api-Key: nope\r\n",
      "Content-Type: \u0001\u0002\r\n",
      "Accept: */*;q=abc\r\nX-Shudu-Date: yesterday\r\n"})
  void garbageHeadersGetA4xxProblemNeverA500(String headers) throws Exception {
    RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\n" + headers
        + "Connection: close\r\n\r\n");
    assertThat(a.status()).isBetween(400, 499);
    problem(a);
  }

  @Test
  void aSignedRequestWithGarbageSignatureFieldsIs401() throws Exception {
    SandboxTenant t = sandbox.tenant("demo");
    for (String authz : List.of(
        "SHUDU-HMAC-SHA256 Credential=" + t.accessKeyId() + ", SignedHeaders=host, Signature=00",
        "SHUDU-HMAC-SHA256 Credential=" + t.accessKeyId() + ", SignedHeaders=host;x-shudu-date;x-shudu-nonce;"
            + "x-shudu-content-sha256, Signature=zz")) {
      RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: " + authz + "\r\nX-Shudu-Date: 2024\r\nX-Shudu-Nonce: n\r\nX-Shudu-Content-Sha256: x\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(a.status()).isEqualTo(401);
      problem(a);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nNo colon here\r\nConnection: close\r\n\r\n",
      "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n",
      "BREW /v1/whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET /v1/whoami?a=%E4%B8&b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"})
  void malformedRequestsNeverGetA500(String request) throws Exception {
    RawHttp.Answer a = RawHttp.send(sandbox.sandbox().baseUrl(), request);
    // either the JDK server refuses the request line itself (400) or our front answers a 4xx problem
    assertThat(a.status()).as(a.head()).isBetween(400, 499);
    // and the sandbox still serves afterwards
    assertThat(whoami(api(sandbox.clientConfig())).get("tenant").asText()).isEqualTo("demo");
  }

  @Test
  void aHugeHeaderNeverGetsA500() throws Exception {
    malformedRequestsNeverGetA500("GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + "k".repeat(60_000)
        + "\r\nConnection: close\r\n\r\n");
  }

  @Test
  void secretsStayOutOfToString() {
    SandboxTenant t = sandbox.tenant("demo");
    for (String text : List.of(t.toString(), sandbox.sandbox().toString(), t.clientConfig().toString(),
        t.accessKeyCredentials().toString(), t.oauth2Credentials().toString())) {
      assertThat(text).doesNotContain(t.apiKey()).doesNotContain(t.secretAccessKey()).doesNotContain(t.clientSecret());
    }
    assertThat(t.toString()).contains("demo").contains(t.accessKeyId());
  }
}
