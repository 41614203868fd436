package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ShuduException;
import io.shudu.core.ShuduException.Outcome;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls whose answer is lost after the platform may have applied them: every exception says what may have happened
 * ({@link Outcome}) and carries the Idempotency-Key, listeners see the key, {@link RequestOptions#repeatOf} repeats with
 * it, and an exhausted retry budget never stops the replays a keyed write needs to learn its outcome.
 */
class LostAnswerTest {
  private MockWebServer server;
  private Recorder recorder;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    recorder = new Recorder();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ApiClient client(RetryPolicy policy) {
    return new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString())
        .credentials(Credentials.apiKey("k_test")).retryPolicy(policy).addListener(recorder).build(), "test");
  }

  private static RetryPolicy fast(int attempts) {
    return RetryPolicy.builder().maxAttempts(attempts).baseDelay(Duration.ofMillis(2)).maxDelay(Duration.ofMillis(5))
        .build();
  }

  /** The server reads the request (it may have applied it) and closes the connection without answering. */
  private static MockResponse lost() {
    return new MockResponse.Builder().code(201).body("{}")
        .onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
  }

  private static MockResponse created() {
    return new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json").body("{\"id\":1}")
        .build();
  }

  private static ApiRequest create(RequestOptions options) {
    return ApiRequest.builder("test.orders.create", "POST", "/orders").json(Map.of("offerId", "of-1"))
        .options(options).build();
  }

  private List<String> keysSent() throws InterruptedException {
    List<String> keys = new ArrayList<>();
    for (int i = server.getRequestCount(); i > 0; i--) {
      RecordedRequest r = server.takeRequest();
      keys.add(r.getHeaders().get("Idempotency-Key"));
    }
    return keys;
  }

  @Test
  void aKeyedWriteWhoseAnswersAreAllLostSaysMaybeProcessedWithItsKey() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(lost());
    }
    ApiClient api = client(fast(3));
    ClientException e = catchThrowableOfType(ClientException.class,
        () -> api.execute(create(RequestOptions.defaults())));

    List<String> keys = keysSent();
    assertThat(keys).hasSize(3).doesNotContainNull().containsOnly(keys.get(0));
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).contains(keys.get(0));
    assertThat(e.getMessage()).contains("MAYBE_PROCESSED", keys.get(0), "RequestOptions.repeatOf");
    assertThat(recorder.started).extracting(ClientListener.Attempt::idempotencyKey).containsOnly(keys.get(0));
    assertThat(recorder.ended).extracting(ClientListener.Attempt::idempotencyKey).containsOnly(keys.get(0));
    assertThat(recorder.calls).singleElement().satisfies(c -> {
      assertThat(c.idempotencyKey()).isEqualTo(keys.get(0));
      assertThat(c.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
      assertThat(c.error()).isSameAs(e);
    });
  }

  @Test
  void repeatOfSendsTheFailedCallsKeyAgain() throws Exception {
    server.enqueue(lost());
    server.enqueue(created());
    ApiClient api = client(RetryPolicy.none());
    ShuduException e = catchThrowableOfType(ShuduException.class, () -> api.execute(create(RequestOptions.defaults())));
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);

    assertThat(api.execute(create(RequestOptions.repeatOf(e))).status()).isEqualTo(201);
    List<String> keys = keysSent();
    assertThat(keys).hasSize(2).containsOnly(e.idempotencyKey().orElseThrow());
    assertThat(recorder.calls).extracting(ClientListener.Call::outcome)
        .containsExactly(Outcome.MAYBE_PROCESSED, Outcome.ANSWERED);
  }

  @Test
  void repeatOfRefusesAnExceptionWithoutKey() {
    ShuduException plain = new ClientException("x", null, true);
    assertThatThrownBy(() -> RequestOptions.repeatOf(plain)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no Idempotency-Key");
  }

  @Test
  void anAnswerIsAnsweredAndCarriesTheKey() throws Exception {
    server.enqueue(new MockResponse.Builder().code(422).addHeader("Content-Type", "application/problem+json")
        .body("{\"code\":\"policy_violation\",\"status\":422}").build());
    ApiClient api = client(fast(3));
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> api.execute(create(RequestOptions.builder().idempotencyKey("order-7").build())));
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(e.idempotencyKey()).contains("order-7");
    assertThat(e.getMessage()).doesNotContain("MAYBE_PROCESSED");
  }

  @Test
  void anErrorAnswerAfterALostAnswerStillSaysMaybeProcessed() throws Exception {
    server.enqueue(lost());
    server.enqueue(new MockResponse.Builder().code(503).body("{}").build());
    ApiClient api = client(fast(2));
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> api.execute(create(RequestOptions.defaults())));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).isPresent();
  }

  @Test
  void aServerErrorMayHaveBeenProcessed() {
    server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
    ApiClient api = client(RetryPolicy.none());
    ServiceException e = catchThrowableOfType(ServiceException.class,
        () -> api.execute(create(RequestOptions.defaults())));
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
  }

  @Test
  void aRefusedConnectionWasNotSent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint("http://127.0.0.1:" + port + "/")
        .credentials(Credentials.apiKey("k_test")).retryPolicy(fast(2)).addListener(recorder).build(), "test");
    ClientException e = catchThrowableOfType(ClientException.class,
        () -> api.execute(create(RequestOptions.builder().idempotencyKey("order-8").build())));
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_SENT);
    assertThat(e.idempotencyKey()).contains("order-8");
    assertThat(recorder.calls).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.NOT_SENT));
  }

  @Test
  void aKeyStillInProgressIsRetried() throws Exception {
    server.enqueue(new MockResponse.Builder().code(409).addHeader("Content-Type", "application/problem+json")
        .addHeader("Retry-After", "0").body("{\"code\":\"idempotency_in_progress\",\"status\":409}").build());
    server.enqueue(created());
    ApiClient api = client(fast(3));
    assertThat(api.execute(create(RequestOptions.defaults())).status()).isEqualTo(201);
    assertThat(keysSent()).hasSize(2);
  }

  @Test
  void aCreateOnlyPutCarriesAKeyAndOtherPutsDoNot() throws Exception {
    server.enqueue(created());
    server.enqueue(created());
    ApiClient api = client(fast(1));
    api.execute(ApiRequest.builder("test.create", "PUT", "/entities/e1").json(Map.of("id", "e1"))
        .header("If-None-Match", "*").build());
    api.execute(ApiRequest.builder("test.upsert", "PUT", "/entities/e1").json(Map.of("id", "e1")).build());
    List<String> keys = keysSent();
    assertThat(keys.get(0)).isNotNull();
    assertThat(keys.get(1)).isNull();
  }

  @Test
  void anUnreadableSuccessIsAnsweredAndCarriesTheKey() {
    server.enqueue(new MockResponse.Builder().code(201).addHeader("Content-Type", "application/json").body("{not json")
        .build());
    ApiClient api = client(fast(1));
    ClientException e = catchThrowableOfType(ClientException.class,
        () -> api.call(create(RequestOptions.builder().idempotencyKey("order-9").build()), Map.class));
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(e.idempotencyKey()).contains("order-9");
  }

  // ---------------------------------------------------------------- the retry budget and keyed writes

  private static ApiClient drained(ApiClient api) {
    while (api.budget().tryAcquire()) {
      // empty the bucket, as a storm of other failures would
    }
    return api;
  }

  @Test
  void anEmptyBudgetLeavesAKeyedWriteWhoseAnswerWasLostItsReservedRetries() throws Exception {
    server.enqueue(lost());
    server.enqueue(lost());
    server.enqueue(created());
    ApiClient api = drained(client(fast(5).toBuilder().retryBudget(10, 5, 0).build()));
    assertThat(api.execute(create(RequestOptions.defaults())).status()).isEqualTo(201);
    List<String> keys = keysSent();
    assertThat(keys).hasSize(3).containsOnly(keys.get(0));
    assertThat(recorder.reasons).hasSize(2).allSatisfy(r -> assertThat(r).contains("reserved retry"));
  }

  @Test
  void reservedRetriesAreBoundedAndTheFailureCarriesTheKey() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(lost());
    }
    ApiClient api = drained(client(fast(5).toBuilder().retryBudget(10, 5, 0).lostAnswerRetries(2).build()));
    ClientException e = catchThrowableOfType(ClientException.class,
        () -> api.execute(create(RequestOptions.defaults())));
    assertThat(keysSent()).hasSize(3); // the first attempt and two reserved retries
    assertThat(e.getMessage()).contains("retry budget is exhausted", "MAYBE_PROCESSED");
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).isPresent();
    assertThat(((ShuduException) e.getCause()).idempotencyKey()).isEqualTo(e.idempotencyKey());
  }

  @Test
  void withoutReservedRetriesTheBudgetStopsAtOnceButTheOutcomeStaysKnowable() throws Exception {
    server.enqueue(lost());
    server.enqueue(created());
    ApiClient api = drained(client(fast(5).toBuilder().retryBudget(10, 5, 0).lostAnswerRetries(0).build()));
    ClientException e = catchThrowableOfType(ClientException.class,
        () -> api.execute(create(RequestOptions.defaults())));
    assertThat(e.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(api.execute(create(RequestOptions.repeatOf(e))).status()).isEqualTo(201);
    List<String> keys = keysSent();
    assertThat(keys).hasSize(2).containsOnly(e.idempotencyKey().orElseThrow());
  }

  @Test
  void theBudgetStillStopsRetriesOfReadsAndOfWritesThatWereAnswered() throws Exception {
    server.enqueue(lost());
    server.enqueue(new MockResponse.Builder().code(503).body("{}").build());
    server.enqueue(created());
    ApiClient api = drained(client(fast(5).toBuilder().retryBudget(10, 5, 0).build()));
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("test.get", "GET", "/orders/1").build()))
        .hasMessageContaining("retry budget is exhausted");
    ShuduException e = catchThrowableOfType(ShuduException.class,
        () -> api.execute(create(RequestOptions.defaults())));
    assertThat(e).hasMessageContaining("retry budget is exhausted"); // a 503 was not applied: no reserved retry
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aCancelledPostWhoseRequestWasSentMayHaveBeenProcessed() throws Exception {
    // the platform takes the request and applies it, but its answer comes long after the caller cancelled
    server.enqueue(created().newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
    ApiClient api = client(fast(3));
    CompletableFuture<ApiResponse> f = api.executeAsync(create(RequestOptions.defaults()));
    RecordedRequest taken = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(taken).isNotNull();
    String key = taken.getHeaders().get("Idempotency-Key");
    assertThat(key).isNotBlank();
    f.cancel(true);

    assertThat(recorder.calls).hasSize(1);
    ClientListener.Call call = recorder.calls.get(0);
    assertThat(call.outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(call.idempotencyKey()).isEqualTo(key);
    assertThat(call.error()).isInstanceOf(ClientException.class).hasMessageContaining("cancelled");
    assertThat(call.error().outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(call.error().idempotencyKey()).contains(key);
    assertThat(call.error().getMessage()).contains(key); // the message tells the caller which key to repeat with
    assertThat(f).isCancelled();
  }

  @Test
  void cancellingADecodedCallCancelsTheCallItself() throws Exception {
    server.enqueue(created().newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
    ApiClient api = client(fast(3));
    CompletableFuture<Map<String, Object>> f = api.callAsync(create(RequestOptions.defaults()),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    String key = server.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key");
    f.cancel(true);
    assertThat(recorder.calls).hasSize(1);
    assertThat(recorder.calls.get(0).outcome()).isEqualTo(Outcome.MAYBE_PROCESSED);
    assertThat(recorder.calls.get(0).idempotencyKey()).isEqualTo(key);
  }

  @Test
  void aCancelledPostThatWasNeverSentIsNotSent() throws Exception {
    // the call waits for an OAuth2 token (on a worker) when the caller cancels: no attempt was written
    CountDownLatch tokenAsked = new CountDownLatch(1);
    CountDownLatch tokenGate = new CountDownLatch(1);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) throws InterruptedException {
        if (r.getUrl().encodedPath().equals("/oauth2/token")) {
          tokenAsked.countDown();
          tokenGate.await(30, TimeUnit.SECONDS);
          return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
              .body("{\"access_token\":\"at_1\",\"token_type\":\"Bearer\",\"expires_in\":600}").build();
        }
        return created();
      }
    });
    ApiClient api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString())
        .credentials(Credentials.oauth2(URI.create(server.url("/oauth2/token").toString()), "client-1", "s3cret"))
        .retryPolicy(fast(3)).addListener(recorder).build(), "test");
    try {
      CompletableFuture<ApiResponse> f = api.executeAsync(create(RequestOptions.defaults()));
      assertThat(tokenAsked.await(30, TimeUnit.SECONDS)).isTrue();
      f.cancel(true);

      assertThat(recorder.calls).hasSize(1);
      ClientListener.Call call = recorder.calls.get(0);
      assertThat(call.outcome()).isEqualTo(Outcome.NOT_SENT);
      assertThat(call.error().outcome()).isEqualTo(Outcome.NOT_SENT);
      assertThat(recorder.started).isEmpty(); // no attempt had started
    } finally {
      tokenGate.countDown();
    }
  }
}
