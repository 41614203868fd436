package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.Credentials;
import io.shudu.core.NotFoundException;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ThrottledException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline's retries, backoff, Retry-After, budget, idempotency keys, timeouts, listeners and traceparent. */
class RetryPipelineTest {
  private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String TRACEPARENT_RE = "00-([0-9a-f]{32})-([0-9a-f]{16})-01";

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

  private ClientConfig.Builder config(RetryPolicy policy) {
    return ClientConfig.builder().endpoint(server.url("/").toString()).credentials(Credentials.apiKey("k_test"))
        .retryPolicy(policy).addListener(recorder);
  }

  private static RetryPolicy fast(int attempts) {
    return RetryPolicy.builder().maxAttempts(attempts).baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(20))
        .build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/problem+json")
        .body("{\"title\":\"status " + code + "\",\"status\":" + code + "}").build();
  }

  private static MockResponse ok(String json) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(json).build();
  }

  private static ApiRequest get(String path) {
    return ApiRequest.builder("test.get", "GET", path).build();
  }

  private List<RecordedRequest> recorded() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  // ---------------------------------------------------------------- backoff

  @Test
  void backoffCeilingDoublesFromBaseDelayAndIsCappedAtMaxDelay() {
    RetryPolicy p = RetryPolicy.builder().baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(1000)).build();
    assertThat(p.backoffCeiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoffCeiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(p.backoffCeiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoffCeiling(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(p.backoffCeiling(5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(p.backoffCeiling(64)).isEqualTo(Duration.ofMillis(1000));
    assertThatThrownBy(() -> p.backoffCeiling(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry must be >= 1");
  }

  @Test
  void fullJitterIsUniformBetweenZeroAndTheCeiling() {
    RetryPolicy p = RetryPolicy.builder().baseDelay(Duration.ofMillis(100)).maxDelay(Duration.ofMillis(1000)).build();
    Random random = new Random(42);
    for (int retry = 1; retry <= 6; retry++) {
      long ceiling = p.backoffCeiling(retry).toNanos();
      long min = Long.MAX_VALUE;
      long max = 0;
      double sum = 0;
      int n = 4000;
      for (int i = 0; i < n; i++) {
        long d = ApiClient.backoff(p, retry, random).toNanos();
        assertThat(d).isBetween(0L, ceiling);
        min = Math.min(min, d);
        max = Math.max(max, d);
        sum += d;
      }
      // full jitter: the whole range [0, ceiling] is used, not just [ceiling/2, ceiling] ("equal jitter")
      assertThat(min).isLessThan(ceiling / 20);
      assertThat(max).isGreaterThan(ceiling - ceiling / 20);
      assertThat(sum / n / ceiling).isBetween(0.45, 0.55);
    }
  }

  @Test
  void retriesTransientStatusesWithDelaysWithinTheJitterBounds() throws Exception {
    server.enqueue(status(503));
    server.enqueue(status(502));
    server.enqueue(ok("{\"n\":1}"));
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(30)).build();
    ApiClient api = new ApiClient(config(policy).build(), "test");
    ApiResponse r = api.execute(get("/x"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(recorded()).hasSize(3);
    assertThat(recorder.delays).hasSize(2);
    assertThat(recorder.delays.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(20));
    assertThat(recorder.delays.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(30));
    assertThat(recorder.reasons).containsExactly("HTTP 503", "HTTP 502");
  }

  // ---------------------------------------------------------------- Retry-After

  @Test
  void retryAfterParsesSecondsAndHttpDates() {
    Instant now = Instant.parse("2024-08-24T10:59:13Z");
    assertThat(Errors.retryAfter("7", now)).contains(Duration.ofSeconds(7));
    assertThat(Errors.retryAfter(" 0 ", now)).contains(Duration.ZERO);
    assertThat(Errors.retryAfter("Sat, 24 Aug 2024 10:59:43 GMT", now)).contains(Duration.ofSeconds(30));
    assertThat(Errors.retryAfter("Sat, 24 Aug 2024 10:00:00 GMT", now)).contains(Duration.ZERO); // in the past
    assertThat(Errors.retryAfter("-3", now)).isEmpty();
    assertThat(Errors.retryAfter("soon", now)).isEmpty();
    assertThat(Errors.retryAfter(null, now)).isEmpty();
  }

  @Test
  void honoursRetryAfterInSeconds() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "1").build());
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    assertThat(api.execute(get("/x")).status()).isEqualTo(200);
    assertThat(recorder.delays).containsExactly(Duration.ofSeconds(1));
    assertThat(recorder.reasons).containsExactly("HTTP 503 (Retry-After)");
  }

  @Test
  void honoursRetryAfterAsAnHttpDate() throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3));
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", date).build());
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    assertThat(api.execute(get("/x")).status()).isEqualTo(200);
    assertThat(recorder.delays).hasSize(1);
    // the date has whole seconds: the wait is what is left of the three seconds
    assertThat(recorder.delays.get(0)).isGreaterThan(Duration.ZERO).isLessThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(recorder.reasons).containsExactly("HTTP 429 (Retry-After)");
  }

  @Test
  void aRetryAfterLongerThanThePolicyAllowsEndsTheCallWithTheThrottle() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120")
        .addHeader("Content-Type", "application/problem+json")
        .body("{\"title\":\"Too many requests\",\"code\":\"throttled\"}").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(get("/x")));
    assertThat(t).isInstanceOf(ThrottledException.class);
    assertThat(((ThrottledException) t).retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(((ThrottledException) t).retryable()).isTrue();
    assertThat(recorded()).hasSize(1);
  }

  // ---------------------------------------------------------------- retry budget

  @Test
  void anExhaustedRetryBudgetStopsRetriesWithAClearMessage() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getUrl().encodedPath().equals("/ok") ? ok("{}") : status(503);
      }
    });
    RetryPolicy policy = fast(3).toBuilder().retryBudget(10, 5, 1).build();
    ApiClient api = new ApiClient(config(policy).build(), "test");

    assertThatThrownBy(() -> api.execute(get("/down"))).isInstanceOf(ServiceException.class);
    assertThat(server.getRequestCount()).isEqualTo(3); // two retries took the whole budget
    assertThat(api.budget().available()).isZero();

    Throwable t = catchThrowable(() -> api.execute(get("/down")));
    assertThat(server.getRequestCount()).isEqualTo(4); // no retry this time
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("not retried")
        .hasMessageContaining("retry budget is exhausted")
        .hasMessageContaining("HTTP 503");
    assertThat(t.getCause()).isInstanceOf(ServiceException.class);
    assertThat(((ClientException) t).retryable()).isTrue();

    api.execute(get("/ok")); // a success refills one token: still not enough for a retry (cost 5)
    assertThat(api.budget().available()).isEqualTo(1);
    assertThatThrownBy(() -> api.execute(get("/down"))).hasMessageContaining("retry budget is exhausted");
  }

  // ---------------------------------------------------------------- idempotency keys and safe methods

  @Test
  void aPostGetsOneIdempotencyKeyReusedOnEveryAttempt() throws Exception {
    server.enqueue(status(503));
    server.enqueue(status(500));
    server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
    server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.execute(ApiRequest.builder("test.create", "POST", "/orders").json(java.util.Map.of("a", 1)).build());
    api.execute(ApiRequest.builder("test.create", "POST", "/orders").json(java.util.Map.of("a", 1)).build());
    List<RecordedRequest> reqs = recorded();
    assertThat(reqs).hasSize(4);
    String key = reqs.get(0).getHeaders().get("Idempotency-Key");
    assertThat(key).matches(UUID_RE);
    assertThat(reqs.subList(0, 3)).allSatisfy(r -> assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo(key));
    assertThat(reqs.get(3).getHeaders().get("Idempotency-Key")).matches(UUID_RE).isNotEqualTo(key);
  }

  @Test
  void aCallersIdempotencyKeyIsSentVerbatimOnEveryAttempt() throws Exception {
    server.enqueue(status(503));
    server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.execute(ApiRequest.builder("test.patch", "PATCH", "/orders/1").body("{}".getBytes(),
        "application/merge-patch+json").options(RequestOptions.builder().idempotencyKey("order-2024-0001").build())
        .build());
    assertThat(recorded()).extracting(r -> r.getHeaders().get("Idempotency-Key"))
        .containsExactly("order-2024-0001", "order-2024-0001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "POST", "PATCH"})
  void safeAndKeyedMethodsAreRetried(String method) throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build()); // no body: HEAD answers have none
    server.enqueue(new MockResponse.Builder().code(200).build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    ApiRequest.Builder b = ApiRequest.builder("test." + method, method, "/r");
    if (method.equals("PUT")) {
      b.json(java.util.Map.of());
    }
    assertThat(api.execute(b.build()).status()).isEqualTo(200);
    List<RecordedRequest> reqs = recorded();
    assertThat(reqs).hasSize(2);
    boolean keyed = method.equals("POST") || method.equals("PATCH");
    assertThat(reqs.get(0).getHeaders().get("Idempotency-Key") != null).isEqualTo(keyed);
  }

  @Test
  void anUnsafeMethodWithoutIdempotencyKeyIsNotRetried() throws Exception {
    server.enqueue(status(503));
    server.enqueue(new MockResponse.Builder().code(200).build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("test.copy", "COPY", "/r").build()))
        .isInstanceOf(ServiceException.class).satisfies(e -> assertThat(((ServiceException) e).status()).isEqualTo(503));
    assertThat(recorded()).hasSize(1).allSatisfy(r -> assertThat(r.getHeaders().get("Idempotency-Key")).isNull());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 412, 422})
  void permanentErrorsAreNotRetried(int code) throws Exception {
    server.enqueue(status(code));
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    assertThatThrownBy(() -> api.execute(get("/x"))).isInstanceOf(ServiceException.class);
    assertThat(recorded()).hasSize(1);
    assertThat(recorder.delays).isEmpty();
  }

  // ---------------------------------------------------------------- timeouts

  @Test
  void aSlowAttemptTimesOutAndIsRetried() throws Exception {
    // the first attempt never gets an answer; every later one is answered at once. On a stalled machine a later
    // attempt may time out too: it is retried the same way, so the call still ends with the fast answer.
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return seen.getAndIncrement() == 0
            ? new MockResponse.Builder().code(200).body("{\"slow\":true}")
                .onResponseStart(mockwebserver3.SocketEffect.Stall.INSTANCE).build()
            : ok("{\"slow\":false}");
      }
    });
    ApiClient api = new ApiClient(config(fast(5)).attemptTimeout(Duration.ofSeconds(1))
        .callTimeout(Duration.ofSeconds(60)).build(), "test");
    ApiResponse r = api.execute(get("/x"));
    assertThat(new String(r.body())).contains("\"slow\":false");
    assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(2);
    assertThat(recorder.ended.get(0).error()).isInstanceOf(InterruptedIOException.class);
    assertThat(recorder.reasons).isNotEmpty().allMatch("attempt timed out"::equals);
  }

  @Test
  void attemptTimeoutsOnEveryAttemptEndWithAMessageNamingTheSetting() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build();
      }
    });
    ApiClient api = new ApiClient(config(fast(2)).attemptTimeout(Duration.ofMillis(200))
        .callTimeout(Duration.ofSeconds(20)).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(get("/x")));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("attempt 2 timed out after 200 ms")
        .hasMessageContaining("attemptTimeout");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(recorder.calls).singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(2));
  }

  @Test
  void theWholeCallTimeoutCutsALongAttemptAndIsNotRetried() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build();
      }
    });
    ApiClient api = new ApiClient(config(fast(5)).attemptTimeout(Duration.ofSeconds(10))
        .callTimeout(Duration.ofMillis(300)).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(get("/x")));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("timed out after 300 ms in total over 1 attempt(s)")
        .hasMessageContaining("callTimeout");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void perCallOptionsOverrideTheClientTimeouts() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build();
      }
    });
    ApiClient api = new ApiClient(config(fast(5)).build(), "test");
    ApiRequest req = ApiRequest.builder("test.get", "GET", "/x")
        .options(RequestOptions.builder().timeout(Duration.ofMillis(250)).build()).build();
    assertThatThrownBy(() -> api.execute(req)).isInstanceOf(ClientException.class)
        .hasMessageContaining("250 ms in total");
  }

  @Test
  void asyncCallsTimeOutWithTheSameException() {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body("{}").headersDelay(2, TimeUnit.SECONDS).build();
      }
    });
    ApiClient api = new ApiClient(config(fast(2)).attemptTimeout(Duration.ofMillis(200))
        .callTimeout(Duration.ofSeconds(20)).build(), "test");
    Throwable t = catchThrowable(() -> api.executeAsync(get("/x")).get());
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(ClientException.class).hasMessageContaining("attempt 2 timed out");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- listeners and traceparent

  @Test
  void listenersSeeEveryAttemptTheRetryAndTheCallEnd() throws Exception {
    server.enqueue(status(503));
    server.enqueue(new MockResponse.Builder().code(200).addHeader("X-Request-Id", "req-2").body("{}").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.execute(get("/x"));
    assertThat(recorder.events).containsExactly("start 1", "end 1 503", "retry 1", "start 2", "end 2 200",
        "call 2 200 ok");
    assertThat(recorder.ended.get(1).requestId()).isEqualTo("req-2");
    assertThat(recorder.ended.get(1).operation()).isEqualTo("test.get");
    assertThat(recorder.ended.get(1).latency()).isPositive();
    assertThat(recorder.calls.get(0).latency()).isGreaterThanOrEqualTo(recorder.ended.get(1).latency());

    server.enqueue(status(404));
    assertThatThrownBy(() -> api.execute(get("/missing"))).isInstanceOf(NotFoundException.class);
    assertThat(recorder.events.subList(6, recorder.events.size()))
        .containsExactly("start 1", "end 1 404", "call 1 404 NotFoundException");
  }

  @Test
  void aThrowingListenerDoesNotBreakTheCall() {
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(1)).addListener(new io.shudu.core.ClientListener() {
      @Override
      public void attemptStarted(Attempt attempt) {
        throw new IllegalStateException("listener bug");
      }
    }).build(), "test");
    assertThat(api.execute(get("/x")).status()).isEqualTo(200);
  }

  @Test
  void everyAttemptCarriesTheSameTraceIdAndANewSpanId() throws Exception {
    server.enqueue(status(503));
    server.enqueue(status(503));
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.execute(get("/x"));
    List<RecordedRequest> reqs = recorded();
    Set<String> traceIds = new HashSet<>();
    Set<String> spans = new HashSet<>();
    for (int i = 0; i < reqs.size(); i++) {
      String tp = reqs.get(i).getHeaders().get("traceparent");
      assertThat(tp).matches(TRACEPARENT_RE);
      assertThat(tp).isEqualTo(recorder.started.get(i).traceparent());
      traceIds.add(tp.substring(3, 35));
      spans.add(tp.substring(36, 52));
    }
    assertThat(traceIds).hasSize(1).noneMatch(id -> id.equals("0".repeat(32)));
    assertThat(spans).hasSize(3);

    server.enqueue(ok("{}"));
    api.execute(get("/y"));
    String other = server.takeRequest().getHeaders().get("traceparent");
    assertThat(other.substring(3, 35)).isNotIn(traceIds); // a new logical call starts a new trace
  }

  @Test
  void aCallersTraceparentIsContinued() throws Exception {
    server.enqueue(ok("{}"));
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    ApiClient api = new ApiClient(config(fast(1)).build(), "test");
    api.execute(ApiRequest.builder("t", "GET", "/x").options(RequestOptions.builder().traceparent(parent).build())
        .build());
    String sent = server.takeRequest().getHeaders().get("traceparent");
    assertThat(sent).matches(TRACEPARENT_RE).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .isNotEqualTo(parent);
  }

  // ---------------------------------------------------------------- async

  @Test
  void asyncCallsRetryAndDecode() throws Exception {
    server.enqueue(status(503));
    server.enqueue(ok("{\"tenant\":\"demo\"}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    com.fasterxml.jackson.databind.JsonNode me = api.callAsync(get("/x"), com.fasterxml.jackson.databind.JsonNode.class)
        .get(10, TimeUnit.SECONDS);
    assertThat(me.get("tenant").asText()).isEqualTo("demo");
    assertThat(recorder.events).containsExactly("start 1", "end 1 503", "retry 1", "start 2", "end 2 200",
        "call 2 200 ok");
  }

  @Test
  void asyncFailuresCarryTheSameExceptionTypes() {
    server.enqueue(status(404));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    CompletableFuture<ApiResponse> f = api.executeAsync(get("/missing"));
    Throwable t = catchThrowable(f::join);
    assertThat(ApiClient.unwrap(t)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void cancellingAnAsyncCallDuringBackoffStopsFurtherAttempts() throws Exception {
    // a 50 s Retry-After: the cancel lands inside the backoff however slow the machine is
    server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "50").build());
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(RetryPolicy.builder().maxAttempts(3).maxRetryAfter(Duration.ofSeconds(60))
        .build()).callTimeout(Duration.ofSeconds(120)).build(), "test");
    CompletableFuture<ApiResponse> f = api.executeAsync(get("/x"));
    server.takeRequest(5, TimeUnit.SECONDS);
    java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
        (java.util.concurrent.ScheduledThreadPoolExecutor) Transports.scheduler();
    java.util.function.BooleanSupplier retryQueued = () -> scheduler.getQueue().stream()
        .anyMatch(t -> ((java.util.concurrent.Delayed) t).getDelay(TimeUnit.SECONDS) > 20);
    await().atMost(Duration.ofSeconds(30)).until(retryQueued::getAsBoolean); // the retry waits out the Retry-After
    assertThat(recorder.delays).hasSize(1);
    assertThat(recorder.delays.get(0)).isGreaterThan(Duration.ofSeconds(40));
    f.cancel(true);
    // the retry is removed from the scheduler (long before it would have run): no second attempt can be sent, ever
    await().atMost(Duration.ofSeconds(15)).until(() -> !retryQueued.getAsBoolean());
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(recorder.calls).hasSize(1);
    assertThat(recorder.calls.get(0).error()).hasMessageContaining("cancelled");
  }

  @Test
  void asyncAPostKeepsItsKeyAcrossRetries() throws Exception {
    server.enqueue(status(503));
    server.enqueue(new MockResponse.Builder().code(201).body("{}").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.executeAsync(ApiRequest.builder("t", "POST", "/orders").json(java.util.Map.of("a", 1)).build())
        .get(10, TimeUnit.SECONDS);
    List<RecordedRequest> reqs = recorded();
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(1).getHeaders().get("Idempotency-Key")).isEqualTo(reqs.get(0).getHeaders().get("Idempotency-Key"));
  }

  // ---------------------------------------------------------------- redirects

  @Test
  void credentialsAreNotForwardedToAnotherOrigin() throws Exception {
    try (MockWebServer other = new MockWebServer()) {
      other.start();
      other.enqueue(ok("{}"));
      server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", other.url("/elsewhere")).build());
      ApiClient api = new ApiClient(config(fast(1)).build(), "test");
      api.execute(get("/x"));
      assertThat(server.takeRequest().getHeaders().get("X-Api-Key")).isEqualTo("k_test");
      RecordedRequest followed = other.takeRequest();
      assertThat(followed.getUrl().encodedPath()).isEqualTo("/elsewhere");
      assertThat(followed.getHeaders().get("X-Api-Key")).isNull();
      assertThat(followed.getHeaders().get("Authorization")).isNull();
    }
  }

  @Test
  void aRedirectToHttpsIsAnErrorThatSaysWhatToConfigureAndLeaksNothing() throws Exception {
    server.enqueue(new MockResponse.Builder().code(301)
        .addHeader("Location", "https://user:pw@platform.invalid:8443/v1/x?token=s3cr3t").build());
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    Throwable t = catchThrowable(() -> api.execute(get("/x")));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("redirected (HTTP 301) to https://platform.invalid:8443/v1/x")
        .hasMessageContaining("Configure the endpoint with the scheme the platform redirects to "
            + "(https://platform.invalid:8443)");
    assertThat(t.getMessage()).doesNotContain("s3cr3t").doesNotContain("pw");
    assertThat(server.getRequestCount()).as("not retried, not followed").isEqualTo(1);
    assertThat(recorder.calls).singleElement().satisfies(c -> {
      assertThat(c.attempts()).isEqualTo(1);
      assertThat(c.error()).isSameAs(t);
      assertThat(c.outcome()).isEqualTo(io.shudu.core.ShuduException.Outcome.ANSWERED);
    });
  }

  @Test
  void aRedirectWithinTheOriginIsFollowedWithTheCredentials() throws Exception {
    server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/moved").build());
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(1)).build(), "test");
    assertThat(api.execute(get("/x")).status()).isEqualTo(200);
    server.takeRequest();
    RecordedRequest followed = server.takeRequest();
    assertThat(followed.getUrl().encodedPath()).isEqualTo("/moved");
    assertThat(followed.getHeaders().get("X-Api-Key")).isEqualTo("k_test");
  }

  @Test
  void anHttpEndpointNeverSetsUpTlsAndAnHttpsEndpointDoes() {
    ApiClient plain = new ApiClient(config(fast(1)).build(), "test");
    assertThat(plain.http().connectionSpecs()).containsExactly(okhttp3.ConnectionSpec.CLEARTEXT);
    assertThatThrownBy(() -> plain.http().sslSocketFactory()).isInstanceOf(IllegalStateException.class);
    ApiClient tls = new ApiClient(ClientConfig.builder().endpoint("https://platform.invalid/")
        .credentials(Credentials.apiKey("k_test")).build(), "test");
    assertThat(tls.http().connectionSpecs()).contains(okhttp3.ConnectionSpec.MODERN_TLS);
    assertThat(tls.http().sslSocketFactory()).isNotNull();
    assertThat(tls.http().followSslRedirects()).isTrue();
    // both run on the one shared connection pool and dispatcher
    assertThat(tls.http().connectionPool()).isSameAs(plain.http().connectionPool());
    assertThat(tls.http().dispatcher()).isSameAs(plain.http().dispatcher());
  }

  @Test
  void aCallThatSucceedsAtOnceReportsOneAttempt() {
    // Guard for the timeout arithmetic: a call that succeeds at once reports one attempt and no retries.
    server.enqueue(ok("{}"));
    ApiClient api = new ApiClient(config(fast(3)).build(), "test");
    api.execute(get("/x"));
    assertThat(recorder.calls).singleElement().satisfies(c -> {
      assertThat(c.attempts()).isEqualTo(1);
      assertThat(c.error()).isNull();
      assertThat(c.status()).isEqualTo(200);
    });
  }
}
