package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.Auth;
import io.shudu.core.internal.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AK/SK signatures verified by the sandbox: replays, clock skew, wrong secrets and tampering are refused. */
class SandboxSigningTest {
  private static Sandbox sandbox;
  private static SandboxTenant tenant;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    tenant = sandbox.tenant("signer");
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static ApiClient api(Credentials c) {
    return new ApiClient(ClientConfig.builder().endpoint(sandbox.baseUrl()).credentials(c)
        .retryPolicy(RetryPolicy.none()).build(), "test");
  }

  private static JsonNode problem(Response r) throws Exception {
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    return Json.mapper().readTree(r.body().bytes());
  }

  @Test
  void aSignedRequestSentTwiceIsRefusedTheSecondTimeAsAReplay() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    Request signed = api.prepare(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build());
    try (Response first = api.http().newCall(signed).execute()) {
      assertThat(first.code()).isEqualTo(200);
      assertThat(Json.mapper().readTree(first.body().bytes()).get("tenant").asText()).isEqualTo("signer");
    }
    try (Response replay = api.http().newCall(signed).execute()) {
      assertThat(replay.code()).isEqualTo(401);
      JsonNode p = problem(replay);
      assertThat(p.get("code").asText()).isEqualTo("replayed_nonce");
      assertThat(p.get("detail").asText()).contains("Send a fresh nonce");
    }
    // the SDK itself signs every attempt afresh, so repeated calls all pass
    for (int i = 0; i < 3; i++) {
      api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build());
    }
  }

  @Test
  void aFixedNonceIsRefusedOnItsSecondUse() {
    ApiClient api = api(Auth.accessKey(tenant.accessKeyId(), tenant.secretAccessKey(), Clock.systemUTC(),
        () -> "00000000000000000000000000000001"));
    api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
    assertThat(t).isInstanceOf(AuthenticationException.class);
    assertThat(((AuthenticationException) t).code()).contains("replayed_nonce");
  }

  @Test
  void aClockMoreThanFiveMinutesOffIsRefusedInEitherDirection() {
    for (Duration skew : new Duration[] {Duration.ofMinutes(6), Duration.ofMinutes(-6)}) {
      ApiClient api = api(Auth.accessKey(tenant.accessKeyId(), tenant.secretAccessKey(),
          Clock.offset(Clock.systemUTC(), skew)));
      Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
      assertThat(t).isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("more than 5 minutes away from the platform's clock")
          .hasMessageContaining("Synchronise the client clock (NTP)");
      assertThat(((AuthenticationException) t).code()).contains("clock_skew");
    }
    for (Duration skew : new Duration[] {Duration.ofMinutes(4), Duration.ofMinutes(-4)}) {
      ApiClient api = api(Auth.accessKey(tenant.accessKeyId(), tenant.secretAccessKey(),
          Clock.offset(Clock.systemUTC(), skew)));
      assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status()).isEqualTo(200);
    }
  }

  @Test
  void aWrongSecretIsASignatureMismatchThatNamesTheAccessKeyButNotTheSecret() {
    Throwable t = catchThrowable(() -> api(Credentials.accessKey(tenant.accessKeyId(), "not-the-secret"))
        .execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
    assertThat(t).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("signature_mismatch")
        .hasMessageContaining("Check the secret access key")
        .hasMessageContaining("access key id " + tenant.accessKeyId())
        .hasMessageNotContaining("not-the-secret");
  }

  @Test
  void aBodyChangedAfterSigningIsRefused() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    Request signed = api.prepare(ApiRequest.builder("core.echo", "POST", "/v1/echo").json(Map.of("amount", 10))
        .build());
    Request tampered = signed.newBuilder().post(RequestBody.create("{\"amount\":10000}",
        MediaType.get("application/json"))).build();
    try (Response r = api.http().newCall(tampered).execute()) {
      assertThat(r.code()).isEqualTo(401);
      assertThat(problem(r).get("detail").asText()).contains("X-Shudu-Content-Sha256 does not match");
    }
  }

  @Test
  void signedQueriesPathsAndBodiesVerify() {
    ApiClient api = api(tenant.accessKeyCredentials());
    JsonNode me = api.call(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").query("z", "last")
        .query("a", "first & second").query("q", "临港 100%").query("a", "again").build(), JsonNode.class);
    assertThat(me.get("tenant").asText()).isEqualTo("signer");
    JsonNode echo = api.call(ApiRequest.builder("core.echo", "POST", "/v1/echo").json(Map.of("name", "滴水湖"))
        .build(), JsonNode.class);
    assertThat(echo.get("echo").get("name").asText()).isEqualTo("滴水湖");
  }

  /** Sends a request and returns its status and, for a 401, the problem's code. */
  private static String outcome(ApiClient api, Request r) throws Exception {
    try (Response res = api.http().newCall(r).execute()) {
      if (res.code() == 401) {
        return "401 " + problem(res).path("code").asText();
      }
      return res.isSuccessful() ? "2xx" : Integer.toString(res.code());
    }
  }

  /** The same request with its body's media type replaced (OkHttp derives Content-Type from the body). */
  private static Request withContentType(Request r, String mediaType) throws Exception {
    okio.Buffer body = new okio.Buffer();
    r.body().writeTo(body);
    Request.Builder b = r.newBuilder().method(r.method(), RequestBody.create(body.readByteArray(),
        mediaType == null ? null : MediaType.get(mediaType)));
    return mediaType == null ? b.removeHeader("Content-Type").build() : b.header("Content-Type", mediaType).build();
  }

  /** The request as raw HTTP/1.1 bytes, with one header sent a second time (OkHttp would collapse it). */
  private static String raw(Request r, String twice) throws Exception {
    okio.Buffer body = new okio.Buffer();
    r.body().writeTo(body);
    String bytes = body.readUtf8();
    StringBuilder sb = new StringBuilder(r.method() + " " + r.url().encodedPath() + " HTTP/1.1\r\n");
    r.headers().forEach(p -> sb.append(p.getFirst()).append(": ").append(p.getSecond()).append("\r\n"));
    sb.append(twice).append(": ").append(r.header(twice)).append("\r\n");
    sb.append("Content-Length: ").append(bytes.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .append("\r\nConnection: close\r\n\r\n").append(bytes);
    return sb.toString();
  }

  private static Request signedWrite(ApiClient api) {
    return api.prepare(ApiRequest.builder("core.echo", "POST", "/v1/echo").json(Map.of("amount", 10))
        .header("If-Match", "\"7\"").options(io.shudu.core.RequestOptions.builder().idempotencyKey("write-0001")
        .build()).build());
  }

  @Test
  void everySignedHeaderIsCoveredAndTamperingWithAnyIsRefused() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    assertThat(signedWrite(api).header("Authorization")).contains(
        "SignedHeaders=content-type;host;idempotency-key;if-match;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce");
    Map<String, String> tampered = new java.util.LinkedHashMap<>();
    tampered.put("Host", "evil.example:" + sandbox.port());
    tampered.put("Idempotency-Key", "write-0002");
    tampered.put("If-Match", "\"8\"");
    tampered.put("X-Shudu-Nonce", "ffffffffffffffffffffffffffffffff");
    for (Map.Entry<String, String> h : tampered.entrySet()) {
      Request signed = signedWrite(api);
      // the tampered copy is refused for its signature, so its nonce is not spent: the original then passes
      assertThat(outcome(api, signed.newBuilder().header(h.getKey(), h.getValue()).build())).as(h.getKey())
          .isEqualTo("401 signature_mismatch");
      assertThat(outcome(api, signed)).as("the untouched original").isEqualTo("2xx");
    }
    Request signed = signedWrite(api);
    assertThat(outcome(api, withContentType(signed, "text/plain"))).isEqualTo("401 signature_mismatch");
    assertThat(outcome(api, signed)).isEqualTo("2xx");
    // a timestamp moved by one second (still inside the window) breaks the signature too
    Request dated = signedWrite(api);
    String later = io.shudu.sandbox.internal.SandboxAuth.TIMESTAMP.format(java.time.Instant.from(
        io.shudu.sandbox.internal.SandboxAuth.TIMESTAMP.parse(dated.header("X-Shudu-Date"))).plusSeconds(1));
    assertThat(outcome(api, dated.newBuilder().header("X-Shudu-Date", later).build()))
        .isEqualTo("401 signature_mismatch");
    assertThat(outcome(api, dated)).isEqualTo("2xx");
  }

  @Test
  void aSignedHeaderRemovedOrSentTwiceIsRefused() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    for (String h : new String[] {"Content-Type", "Idempotency-Key", "If-Match"}) {
      Request signed = signedWrite(api);
      Request without = h.equals("Content-Type") ? withContentType(signed, null)
          : signed.newBuilder().removeHeader(h).build();
      assertThat(outcome(api, without)).as("without " + h).isEqualTo("401 unauthorized");
      RawHttp.Answer twice = RawHttp.send(sandbox.baseUrl(), raw(signed, h));
      assertThat(twice.status()).as(h + " twice").isEqualTo(401);
      assertThat(twice.body()).contains("repeated_header");
      assertThat(outcome(api, signed)).isEqualTo("2xx");
    }
  }

  @Test
  void anUnsignedIdempotencyKeyPreconditionOrContentTypeAddedToASignedRequestIsRefused() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    String[][] added = {{"Idempotency-Key", "replayed-as-a-new-write"}, {"If-Match", "\"1\""},
        {"If-None-Match", "*"}, {"Content-Type", "application/json"}};
    for (String[] h : added) {
      Request signed = api.prepare(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build());
      assertThat(outcome(api, signed.newBuilder().header(h[0], h[1]).build())).as(h[0])
          .isEqualTo("401 unsigned_header");
      assertThat(outcome(api, signed)).isEqualTo("2xx");
    }
  }

  @Test
  void aSignedQueryCannotBeReplayedWithItsRepeatedValuesReordered() throws Exception {
    ApiClient api = api(tenant.accessKeyCredentials());
    Request signed = api.prepare(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").query("limit", 1)
        .query("limit", 3).query("state", "FINALIZED").build());
    assertThat(signed.url().encodedQuery()).isEqualTo("limit=1&limit=3&state=FINALIZED");
    for (String q : new String[] {"limit=3&limit=1&state=FINALIZED", "limit=3&state=FINALIZED",
        "limit=1&limit=3&state=FINALIZED&limit=2", "limit=1&limit=3&state=VERIFIED"}) {
      Request replay = signed.newBuilder().url(signed.url().newBuilder().encodedQuery(q).build()).build();
      assertThat(outcome(api, replay)).as(q).isEqualTo("401 signature_mismatch");
    }
    // different names may come in any order: they mean the same
    Request reordered = signed.newBuilder().url(signed.url().newBuilder()
        .encodedQuery("state=FINALIZED&limit=1&limit=3").build()).build();
    assertThat(outcome(api, reordered)).isEqualTo("2xx");
    assertThat(outcome(api, signed)).as("the same nonce again").isEqualTo("401 replayed_nonce");
  }
}
