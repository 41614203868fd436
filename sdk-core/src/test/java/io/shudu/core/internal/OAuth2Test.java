package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth2 client credentials: caching, early refresh, single-flight, 401 handling. */
class OAuth2Test {
  private static final String SECRET = "cs_live_9f8e7d6c5b4a";

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private MockWebServer server;
  private final AtomicInteger tokenRequests = new AtomicInteger();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final List<String> bearers = new CopyOnWriteArrayList<>();
  private volatile long tokenDelayMillis;
  private volatile boolean refuseClient;
  private volatile CountDownLatch tokenGate;
  private final MutableClock clock = new MutableClock(Instant.parse("2024-08-24T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
        if (r.getUrl().encodedPath().equals("/oauth2/token")) {
          if (refuseClient) {
            return new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
                .body("{\"error\":\"invalid_client\",\"error_description\":\"Unknown client id or wrong secret.\"}")
                .build();
          }
          Thread.sleep(tokenDelayMillis);
          CountDownLatch gate = tokenGate;
          if (gate != null) {
            gate.await(10, TimeUnit.SECONDS);
          }
          int n = tokenRequests.incrementAndGet();
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
              .body("{\"access_token\":\"at_" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":600}").build();
        }
        String authz = r.getHeaders().get("Authorization");
        bearers.add(authz);
        if (authz == null || revoked.contains(authz.substring(7))) {
          return new MockResponse.Builder().code(401).addHeader("Content-Type", "application/problem+json")
              .body("{\"title\":\"Authentication required\",\"code\":\"unauthorized\"}").build();
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body("{\"ok\":true}").build();
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Auth.OAuth2 credentials() {
    return Auth.oauth2(URI.create(server.url("/oauth2/token").toString()), "client-1", SECRET, "twin.read", clock);
  }

  private ApiClient api(Auth.OAuth2 creds) {
    return new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString()).credentials(creds)
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).build())
        .build(), "test");
  }

  private static ApiRequest whoami() {
    return ApiRequest.builder("test.whoami", "GET", "/v1/whoami").build();
  }

  @Test
  void aTokenIsFetchedOnceAndCached() {
    Auth.OAuth2 creds = credentials();
    ApiClient api = api(creds);
    for (int i = 0; i < 5; i++) {
      api.execute(whoami());
    }
    assertThat(tokenRequests).hasValue(1);
    assertThat(creds.fetchCount()).isEqualTo(1);
    assertThat(bearers).hasSize(5).containsOnly("Bearer at_1");
  }

  @Test
  void theTokenRequestUsesClientCredentialsInBasicAuthAndTheScope() throws Exception {
    api(credentials()).execute(whoami());
    RecordedRequest token = server.takeRequest();
    assertThat(token.getMethod()).isEqualTo("POST");
    assertThat(token.getHeaders().get("Authorization")).startsWith("Basic ");
    assertThat(token.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(token.getBody().utf8()).isEqualTo("grant_type=client_credentials&scope=twin.read");
  }

  @Test
  void theTokenIsRefreshedShortlyBeforeItExpires() {
    ApiClient api = api(credentials());
    api.execute(whoami());
    clock.advance(Duration.ofSeconds(500)); // 600 s token, refreshed 60 s early
    api.execute(whoami());
    assertThat(tokenRequests).hasValue(1);
    clock.advance(Duration.ofSeconds(45)); // 545 s: inside the refresh window, still valid
    api.execute(whoami());
    assertThat(tokenRequests).hasValue(2);
    assertThat(bearers).containsExactly("Bearer at_1", "Bearer at_1", "Bearer at_2");
    clock.advance(Duration.ofSeconds(700)); // past expiry: must fetch before sending
    api.execute(whoami());
    assertThat(tokenRequests).hasValue(3);
    assertThat(bearers.get(3)).isEqualTo("Bearer at_3");
  }

  @Test
  void thirtyTwoConcurrentCallsFetchExactlyOneToken() throws Exception {
    tokenDelayMillis = 300;
    ApiClient api = api(credentials());
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ApiResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return api.execute(whoami());
        }));
      }
      go.countDown();
      for (Future<ApiResponse> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokenRequests).hasValue(1);
    assertThat(bearers).hasSize(32).containsOnly("Bearer at_1");
  }

  @Test
  void theDefaultChainSharesOneTokenAcrossConcurrentFirstCalls() throws Exception {
    tokenDelayMillis = 200;
    io.shudu.core.Credentials chain = Auth.defaultChain(k -> null, java.util.Map.of("SHUDU_CLIENT_ID", "client-1",
        "SHUDU_CLIENT_SECRET", SECRET, "SHUDU_TOKEN_URL", server.url("/oauth2/token").toString())::get);
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString()).credentials(chain)
        .build(), "test");
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ApiResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return api.execute(whoami());
        }));
      }
      go.countDown();
      for (Future<ApiResponse> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokenRequests).hasValue(1);
  }

  @Test
  void a401RefreshesTheTokenOnceAndRetries() {
    ApiClient api = api(credentials());
    api.execute(whoami());
    revoked.add("at_1"); // the platform revoked the cached token
    assertThat(api.execute(whoami()).status()).isEqualTo(200);
    assertThat(tokenRequests).hasValue(2);
    assertThat(bearers).containsExactly("Bearer at_1", "Bearer at_1", "Bearer at_2");
  }

  @Test
  void aSecond401IsReportedWithoutAnotherRefresh() {
    ApiClient api = api(credentials());
    revoked.add("at_1");
    revoked.add("at_2");
    Throwable t = catchThrowable(() -> api.execute(whoami()));
    assertThat(t).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("an OAuth2 bearer token of client 'client-1'")
        .hasMessageNotContaining(SECRET).hasMessageNotContaining("at_2");
    assertThat(tokenRequests).hasValue(2);
    assertThat(bearers).containsExactly("Bearer at_1", "Bearer at_2");
  }

  @Test
  void manyConcurrent401sCauseOneNewToken() throws Exception {
    ApiClient api = api(credentials());
    api.execute(whoami());
    revoked.add("at_1");
    tokenDelayMillis = 100;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ApiResponse>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return api.execute(whoami());
        }));
      }
      go.countDown();
      for (Future<ApiResponse> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(tokenRequests).hasValue(2);
  }

  @Test
  void aRefusedClientGetsAMessageSayingWhatToCheck() {
    refuseClient = true;
    Throwable t = catchThrowable(() -> api(credentials()).execute(whoami()));
    assertThat(t).isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("client 'client-1'")
        .hasMessageContaining("Check the client id and secret")
        .hasMessageNotContaining(SECRET);
    assertThat(credentials().toString()).contains("client-1").doesNotContain(SECRET);
  }

  @Test
  void anAsyncCallNeverWaitsForTheTokenOnTheCallersThread() throws Exception {
    tokenGate = new CountDownLatch(1); // the token endpoint answers only once the test lets it
    ApiClient api = api(credentials());
    java.util.concurrent.CompletableFuture<ApiResponse> f = api.executeAsync(whoami());
    // had executeAsync fetched the token on this thread, it would have returned only after the token was served
    assertThat(tokenRequests).hasValue(0);
    assertThat(f).isNotDone();
    tokenGate.countDown();
    assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(tokenRequests).hasValue(1);
    assertThat(bearers).containsExactly("Bearer at_1");
  }

  @Test
  void asyncCallsUseTheCachedTokenAndRefreshOn401() throws Exception {
    ApiClient api = api(credentials());
    assertThat(api.executeAsync(whoami()).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    revoked.add("at_1");
    assertThat(api.executeAsync(whoami()).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(tokenRequests).hasValue(2);
    assertThat(bearers).containsExactly("Bearer at_1", "Bearer at_1", "Bearer at_2");
  }
}
