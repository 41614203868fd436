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
    // same length, so that only the body differs from what was signed (Content-Length is a signed header)
    Request tampered = signed.newBuilder().post(RequestBody.create("{\"amount\":99}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), signed.body().contentType())).build();
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
}
