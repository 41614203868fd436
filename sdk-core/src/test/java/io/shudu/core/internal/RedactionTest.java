package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import io.shudu.core.WebhookVerifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Captures the SDK's log output (slf4j-simple on System.err, see simplelogger.properties) over real calls with every
 * credential scheme, retries and failures, and checks that no secret appears while allow-listed values do.
 */
class RedactionTest {
  private static final String API_KEY = "sk_live_apikey_0123456789abcdef";
  private static final String AK = "AKREDACTTEST";
  private static final String SK = "sk_secret_access_key_fedcba9876543210";
  private static final String CLIENT_SECRET = "cs_oauth_client_secret_5555";
  private static final String ACCESS_TOKEN = "at_bearer_token_777777777777";
  private static final String QUERY_SECRET = "q_signed_download_token_31337";

  private MockWebServer server;
  private final List<String> signatures = new ArrayList<>();
  private PrintStream originalErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private int calls;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public synchronized MockResponse dispatch(RecordedRequest r) {
        String authz = r.getHeaders().get("Authorization");
        if (authz != null && authz.startsWith("SHUDU-HMAC-SHA256")) {
          signatures.add(authz.substring(authz.indexOf("Signature=") + 10));
        }
        if (r.getUrl().encodedPath().equals("/oauth2/token")) {
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
              .body("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":600}").build();
        }
        if (r.getUrl().encodedPath().equals("/denied")) {
          return new MockResponse.Builder().code(401).addHeader("Content-Type", "application/problem+json")
              .addHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
              .body("{\"title\":\"Authentication required\",\"code\":\"unauthorized\"}").build();
        }
        calls++;
        if (calls % 2 == 1) { // every other call fails once, so retries are logged too
          return new MockResponse.Builder().code(503).addHeader("X-Request-Id", "req-redact-" + calls).build();
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .addHeader("X-Request-Id", "req-redact-" + calls).addHeader("Set-Cookie", "session=" + ACCESS_TOKEN)
            .body("{}").build();
      }
    });
    server.start();
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(originalErr);
    server.close();
  }

  private ApiClient api(Credentials c) {
    return new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString()).credentials(c)
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(2)).build())
        .build(), "test");
  }

  private static ApiRequest call(String op) {
    return ApiRequest.builder(op, "GET", "/v1/things").query("limit", 5).query("token", QUERY_SECRET).build();
  }

  @Test
  void noSecretReachesTheLogsWhileAllowListedValuesDo() {
    List<String> messages = new ArrayList<>();
    api(Credentials.apiKey(API_KEY)).execute(call("redact.apikey"));
    api(Credentials.accessKey(AK, SK)).execute(call("redact.aksk"));
    api(Credentials.accessKey(AK, SK)).execute(ApiRequest.builder("redact.aksk.post", "POST", "/v1/things")
        .json(java.util.Map.of("name", "x")).build());
    api(Credentials.oauth2(URI.create(server.url("/oauth2/token").toString()), "client-redact", CLIENT_SECRET))
        .execute(call("redact.oauth2"));
    for (Credentials c : List.of(Credentials.apiKey(API_KEY), Credentials.accessKey(AK, SK),
        Credentials.oauth2(URI.create(server.url("/oauth2/token").toString()), "client-redact", CLIENT_SECRET))) {
      Throwable t = catchThrowable(() -> api(c).execute(ApiRequest.builder("redact.denied", "GET", "/denied").build()));
      messages.add(String.valueOf(t.getMessage()));
      messages.add(t.toString());
    }
    System.err.flush();
    String log = captured.toString(StandardCharsets.UTF_8);

    // the logging really happened, with allow-listed values visible
    assertThat(log).contains("--> GET").contains("<-- 200").contains("retrying in")
        .contains("x-request-id=req-redact-2").contains("limit=5").contains("traceparent=00-")
        .contains("user-agent=shudu-sdk-java/");
    // and everything else redacted
    assertThat(log).contains("token=REDACTED").contains("x-api-key=REDACTED").contains("authorization=REDACTED")
        .contains("set-cookie=REDACTED");
    assertThat(signatures).hasSizeGreaterThanOrEqualTo(3);
    List<String> secrets = new ArrayList<>(List.of(API_KEY, SK, CLIENT_SECRET, ACCESS_TOKEN, QUERY_SECRET));
    secrets.addAll(signatures);
    for (String secret : secrets) {
      assertThat(log).as("log output").doesNotContain(secret);
      assertThat(messages).as("exception messages").noneMatch(m -> m.contains(secret));
    }
  }

  @Test
  void toStringNeverShowsASecret() {
    Credentials apiKey = Credentials.apiKey(API_KEY);
    Credentials aksk = Credentials.accessKey(AK, SK);
    Credentials oauth = Credentials.oauth2(URI.create("http://127.0.0.1:9/oauth2/token"), "client-redact",
        CLIENT_SECRET);
    Credentials chain = Auth.defaultChain(k -> null, java.util.Map.of("SHUDU_API_KEY", API_KEY)::get);
    ((Auth.Chain) chain).authorize(new Credentials.OutgoingRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public URI uri() {
        return URI.create("http://127.0.0.1/");
      }

      @Override
      public java.util.Optional<String> header(String name) {
        return java.util.Optional.empty();
      }

      @Override
      public void setHeader(String name, String value) {}

      @Override
      public byte[] body() {
        return new byte[0];
      }
    });
    List<String> texts = new ArrayList<>();
    for (Credentials c : List.of(apiKey, aksk, oauth, chain)) {
      texts.add(c.toString());
      texts.add(ClientConfig.builder().endpoint("http://127.0.0.1:9").credentials(c).build().toString());
      texts.add(Auth.describe(c));
    }
    texts.add(WebhookVerifier.builder().secret(SK).build().toString());
    texts.add(Signing.parse("SHUDU-HMAC-SHA256 Credential=AK, SignedHeaders=host, Signature=" + API_KEY).toString());
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(API_KEY).doesNotContain(SK)
        .doesNotContain(CLIENT_SECRET));
    assertThat(texts.get(3)).contains(AK); // the public key id is shown, to help debugging
    assertThat(texts.get(1)).contains("REDACTED");
  }
}
