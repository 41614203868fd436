package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import io.shudu.core.okhttp.OkHttpTransport;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The errors a newcomer meets first say exactly what to do. */
class NewcomerErrorsTest {
  private static final RetryPolicy FAST = RetryPolicy.builder().maxAttempts(2).baseDelay(Duration.ofMillis(5))
      .maxDelay(Duration.ofMillis(10)).build();

  private static ApiRequest whoami() {
    return ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build();
  }

  @Test
  void nothingListeningAtTheEndpointNamesTheEndpointAndSaysToStartTheSandbox() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint("http://127.0.0.1:" + port)
        .credentials(Credentials.apiKey("k")).retryPolicy(FAST).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(whoami()));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("could not connect to http://127.0.0.1:" + port)
        .hasMessageContaining("Check that the endpoint is right and that the platform (or sandbox) is running")
        .hasCauseInstanceOf(ConnectException.class);
    assertThat(((ClientException) t).retryable()).isTrue();
    Throwable async = catchThrowable(() -> api.executeAsync(whoami()).join());
    assertThat(ApiClient.unwrap(async)).isInstanceOf(ClientException.class)
        .hasMessageContaining("could not connect to http://127.0.0.1:" + port);
  }

  @Test
  void anUnknownHostNamesTheEndpointAndSaysToCheckItsSpelling() {
    OkHttpClient noDns = new OkHttpClient.Builder().dns(host -> {
      throw new UnknownHostException(host + ": Name or service not known");
    }).build();
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint("https://api.shudu.exmaple")
        .transport(OkHttpTransport.of(noDns)).credentials(Credentials.apiKey("k")).retryPolicy(FAST).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(whoami()));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("the host of endpoint https://api.shudu.exmaple could not be resolved")
        .hasMessageContaining("Check the endpoint's spelling");
  }

  @Test
  void noCredentialsInTheDefaultChainNamesTheVariablesToSet() {
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint("http://127.0.0.1:9")
        .credentials(Auth.defaultChain(k -> null, k -> null)).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(whoami()));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("No credentials found")
        .hasMessageContaining("SHUDU_API_KEY")
        .hasMessageContaining("-Dshudu.apiKey")
        .hasMessageContaining("SHUDU_ACCESS_KEY_ID + SHUDU_SECRET_ACCESS_KEY")
        .hasMessageContaining("SHUDU_CLIENT_ID + SHUDU_CLIENT_SECRET + SHUDU_TOKEN_URL")
        .hasMessageContaining("ClientConfig.builder().credentials(...)");

    ApiClient half = new ApiClient(ClientConfig.builder().endpoint("http://127.0.0.1:9")
        .credentials(Auth.defaultChain(k -> null, Map.of("SHUDU_ACCESS_KEY_ID", "AKDEMO")::get)).build(), "test");
    assertThat(catchThrowable(() -> half.execute(whoami())))
        .hasMessageContaining("SHUDU_ACCESS_KEY_ID is set but SHUDU_SECRET_ACCESS_KEY is missing");
  }

  @Test
  void theDefaultChainPrefersSystemPropertiesThenEnvironment() {
    Credentials fromEnv = Auth.defaultChain(k -> null, Map.of("SHUDU_API_KEY", "env-key")::get);
    Credentials fromProp = Auth.defaultChain(Map.of("shudu.apiKey", "prop-key")::get,
        Map.of("SHUDU_API_KEY", "env-key")::get);
    assertThat(((Auth.Chain) fromEnv).resolve()).isInstanceOf(Auth.ApiKey.class);
    assertThat(Auth.describe(((Auth.Chain) fromEnv).resolve())).contains("environment variable SHUDU_API_KEY");
    assertThat(Auth.describe(((Auth.Chain) fromProp).resolve())).contains("system property shudu.apiKey");
    Credentials aksk = Auth.defaultChain(k -> null,
        Map.of("SHUDU_ACCESS_KEY_ID", "AKDEMO", "SHUDU_SECRET_ACCESS_KEY", "sk-secret")::get);
    assertThat(((Auth.Chain) aksk).resolve()).isInstanceOf(Auth.AccessKey.class);
    Credentials oauth = Auth.defaultChain(k -> null, Map.of("SHUDU_CLIENT_ID", "c", "SHUDU_CLIENT_SECRET", "s",
        "SHUDU_TOKEN_URL", "http://127.0.0.1:9/oauth2/token")::get);
    assertThat(((Auth.Chain) oauth).resolve()).isInstanceOf(Auth.OAuth2.class);
  }

  @Test
  void aWrongApiKeyNamesWhereTheKeyCameFrom() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      String body = "{\"title\":\"Authentication required\",\"code\":\"invalid_api_key\",\"detail\":\"The API key in "
          + "X-Api-Key is not known to this platform.\"}";
      server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/problem+json")
          .body(body).build());
      server.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/problem+json")
          .body(body).build());
      ClientConfig.Builder b = ClientConfig.builder().endpoint(server.url("/").toString()).retryPolicy(FAST);
      Throwable direct = catchThrowable(() -> new ApiClient(b.credentials(Credentials.apiKey("sk_wrong_123")).build(),
          "test").execute(whoami()));
      assertThat(direct).isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("invalid_api_key")
          .hasMessageContaining("The API key in X-Api-Key is not known")
          .hasMessageContaining("core.whoami sent an API key (X-Api-Key) from Credentials.apiKey(...) to " + server.url("/")
              .toString().replaceAll("/$", ""))
          .hasMessageNotContaining("sk_wrong_123");
      Throwable env = catchThrowable(() -> new ApiClient(b.credentials(Auth.defaultChain(k -> null,
          Map.of("SHUDU_API_KEY", "sk_wrong_456")::get)).build(), "test").execute(whoami()));
      assertThat(env).hasMessageContaining("from the environment variable SHUDU_API_KEY")
          .hasMessageNotContaining("sk_wrong_456");
      assertThat(server.getRequestCount()).isEqualTo(2); // a 401 with an API key is not retried
    }
  }

  @Test
  void badConfigurationIsRefusedWithTheFieldName() {
    assertThat(catchThrowable(() -> ClientConfig.builder().endpoint("ftp://x"))).isInstanceOf(
        IllegalArgumentException.class).hasMessageContaining("endpoint must be an absolute http(s) URI");
    assertThat(catchThrowable(() -> ClientConfig.builder().build())).hasMessageContaining("endpoint is required");
    assertThat(catchThrowable(() -> ClientConfig.builder().attemptTimeout(Duration.ZERO)))
        .hasMessageContaining("attemptTimeout must be positive");
    assertThat(catchThrowable(() -> Credentials.apiKey(" "))).hasMessageContaining("apiKey must not be empty");
    assertThat(catchThrowable(() -> RetryPolicy.builder().maxAttempts(0))).hasMessageContaining("maxAttempts");
    assertThat(catchThrowable(() -> ClientConfig.builder().loggedHeaders(java.util.Set.of("X-Api-Key"))))
        .hasMessageContaining("never logged");
  }
}
