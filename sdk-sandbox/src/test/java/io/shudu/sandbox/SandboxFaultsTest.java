package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.ClientListener;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ThrottledException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every fault kind of the sandbox, end to end through the SDK pipeline over real sockets. */
@ExtendWith(SandboxExtension.class)
class SandboxFaultsTest {
  private final List<String> retries = new CopyOnWriteArrayList<>();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  private ApiClient api(ClientConfig config, RetryPolicy policy) {
    return new ApiClient(config.toBuilder().retryPolicy(policy).addListener(new ClientListener() {
      @Override
      public void retryScheduled(Attempt failed, Duration delay, String reason) {
        retries.add(reason);
        delays.add(delay);
      }
    }).build(), "test");
  }

  private static RetryPolicy retrying() {
    return RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(5)).maxDelay(Duration.ofMillis(10)).build();
  }

  private static ApiRequest whoami() {
    return ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build();
  }

  private static ApiRequest echo(Object body) {
    return ApiRequest.builder("core.echo", "POST", "/v1/echo").json(body).build();
  }

  @Test
  void latencyBeyondTheAttemptTimeoutIsRetried(Sandbox sandbox, ClientConfig config) {
    // one answer held back 10 s, attempts of 2 s: the first attempt times out whatever the machine's speed, and if a
    // stall makes a later (undelayed) attempt time out too, it is retried the same way
    sandbox.injectFault(Fault.latency(Duration.ofSeconds(10)).onPath("/v1/whoami"));
    ApiClient api = api(config.toBuilder().attemptTimeout(Duration.ofSeconds(2)).callTimeout(Duration.ofSeconds(60))
        .build(), RetryPolicy.builder().maxAttempts(5).baseDelay(Duration.ofMillis(5))
        .maxDelay(Duration.ofMillis(10)).build());
    assertThat(api.call(whoami(), JsonNode.class).get("tenant").asText()).isEqualTo("demo");
    assertThat(retries).isNotEmpty().allMatch("attempt timed out"::equals);
  }

  @Test
  void latencyWithinTheTimeoutIsJustSlow(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.latency(Duration.ofMillis(200)).times(2));
    ApiClient api = api(config, RetryPolicy.none());
    api.call(whoami(), JsonNode.class);
    api.call(whoami(), JsonNode.class);
    assertThat(retries).isEmpty();
  }

  @Test
  void a503WithRetryAfterIsRetriedAfterThatDelay(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.status(503, Duration.ofSeconds(1)).onPath("/v1/"));
    ApiClient api = api(config, retrying());
    assertThat(api.call(whoami(), JsonNode.class).get("tenant").asText()).isEqualTo("demo");
    assertThat(delays).containsExactly(Duration.ofSeconds(1));
    assertThat(retries).containsExactly("HTTP 503 (Retry-After)");
  }

  @Test
  void a429WithRetryAfterSurfacesAsThrottledWhenNotRetried(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.status(429, Duration.ofSeconds(7)));
    Throwable t = catchThrowable(() -> api(config, RetryPolicy.none()).execute(whoami()));
    assertThat(t).isInstanceOf(ThrottledException.class);
    ThrottledException e = (ThrottledException) t;
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.code()).contains("throttled");
    assertThat(e.requestId()).isPresent();
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void aConnectionResetIsRetriedForAGet(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.connectionReset().onPath("/v1/whoami"));
    assertThat(api(config, retrying()).call(whoami(), JsonNode.class).get("tenant").asText()).isEqualTo("demo");
    assertThat(retries).hasSize(1);
  }

  @Test
  void aConnectionResetSurfacesAsAClientExceptionWhenNotRetried(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.connectionReset());
    Throwable t = catchThrowable(() -> api(config, RetryPolicy.none()).execute(whoami()));
    assertThat(t).isInstanceOf(ClientException.class)
        .hasMessageContaining("core.whoami (GET " + sandbox.baseUrl() + "/v1/whoami) failed on attempt 1")
        .hasMessageContaining("The connection was lost or the answer was cut short");
    assertThat(((ClientException) t).retryable()).isTrue();
  }

  @Test
  void aConnectionResetReallyCutsTheConnectionWithoutAByte(Sandbox sandbox) throws Exception {
    sandbox.injectFault(Fault.connectionReset());
    RawHttp.Answer a = RawHttp.send(sandbox.baseUrl(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(a.raw()).isEmpty(); // closed without a status line (no keep-alive wait: the read returned)
    assertThat(RawHttp.send(sandbox.baseUrl(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .status()).isEqualTo(200);
  }

  @Test
  void aDroppedResponseReallyCutsTheConnectionAfterTheHandlerRan(Sandbox sandbox) throws Exception {
    String key = sandbox.tenant("demo").apiKey();
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/v1/echo"));
    RawHttp.Answer dropped = RawHttp.send(sandbox.baseUrl(), "POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + key
        + "\r\nIdempotency-Key: raw-drop-1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    assertThat(dropped.raw()).isEmpty();
    RawHttp.Answer replay = RawHttp.send(sandbox.baseUrl(), "POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + key
        + "\r\nIdempotency-Key: raw-drop-1\r\nContent-Type: application/json\r\nContent-Length: 7\r\n"
        + "Connection: close\r\n\r\n{\"a\":1}");
    assertThat(replay.status()).isEqualTo(201);
    assertThat(replay.head()).containsIgnoringCase("Idempotent-Replayed: true");
  }

  @Test
  void aTruncatedBodyIsRetriedForAGet(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.truncatedBody().onPath("/v1/whoami"));
    assertThat(api(config, retrying()).call(whoami(), JsonNode.class).get("tenant").asText()).isEqualTo("demo");
    assertThat(retries).hasSize(1);
  }

  @Test
  void aTruncatedBodySurfacesAsAClientExceptionWhenNotRetried(Sandbox sandbox, ClientConfig config) throws Exception {
    sandbox.injectFault(Fault.truncatedBody());
    Throwable t = catchThrowable(() -> api(config, RetryPolicy.none()).execute(whoami()));
    assertThat(t).isInstanceOf(ClientException.class).hasMessageContaining("cut short");
    sandbox.injectFault(Fault.truncatedBody());
    RawHttp.Answer raw = RawHttp.send(sandbox.baseUrl(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(raw.status()).isEqualTo(200);
    int declared = Integer.parseInt(raw.head().replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
    assertThat(raw.body().length()).isPositive().isLessThan(declared);
  }

  @Test
  void aDroppedResponseToAPostIsRetriedWithTheSameKeyAndGetsTheFirstAnswer(Sandbox sandbox, ClientConfig config) {
    ApiClient api = api(config, retrying());
    long before = api.call(echo(Map.of("probe", 0)), JsonNode.class).get("sequence").asLong();
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/v1/echo"));
    ApiResponse r = api.execute(echo(Map.of("order", "o-1")));
    JsonNode body = r.json(JsonNode.class);
    assertThat(retries).hasSize(1);
    assertThat(r.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(body.get("sequence").asLong()).isEqualTo(before + 1); // the handler ran once, on the dropped attempt
    assertThat(body.get("requestId").asText()).isNotEqualTo(r.requestId()); // the first attempt's answer
    assertThat(api.call(echo(Map.of("probe", 1)), JsonNode.class).get("sequence").asLong()).isEqualTo(before + 2);
  }

  @Test
  void aDroppedResponseSurfacesAsAClientExceptionWhenNotRetried(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/v1/echo"));
    ApiClient api = api(config, RetryPolicy.none());
    RequestOptions key = RequestOptions.builder().idempotencyKey("drop-1").build();
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("core.echo", "POST", "/v1/echo")
        .json(Map.of("x", 1)).options(key).build()));
    assertThat(t).isInstanceOf(ClientException.class).hasMessageContaining("failed on attempt 1");
    // the platform did commit it: repeating with the same key returns that result instead of running it again
    ApiResponse again = api.execute(ApiRequest.builder("core.echo", "POST", "/v1/echo").json(Map.of("x", 1))
        .options(key).build());
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  void faultsApplyOnlyToMatchingPathsAndTheirCount(Sandbox sandbox, ClientConfig config) {
    sandbox.injectFault(Fault.status(503, null).onPath("/twin/").times(2));
    ApiClient api = api(config, RetryPolicy.none());
    assertThat(api.execute(whoami()).status()).isEqualTo(200); // another path: untouched
    for (int i = 0; i < 2; i++) {
      Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("t", "GET", "/twin/v1/anything").build()));
      assertThat(((ServiceException) t).status()).isEqualTo(503);
    }
    Throwable third = catchThrowable(() -> api.execute(ApiRequest.builder("t", "GET", "/twin/v1/anything").build()));
    assertThat(((ServiceException) third).status()).isEqualTo(404); // the fault is used up: the route answers itself
  }

  @Test
  void asyncCallsRecoverFromFaultsToo(Sandbox sandbox, ClientConfig config) throws Exception {
    sandbox.injectFault(Fault.connectionReset().onPath("/v1/whoami"));
    sandbox.injectFault(Fault.truncatedBody().onPath("/v1/whoami"));
    JsonNode me = api(config, retrying()).callAsync(whoami(), JsonNode.class).get(10, TimeUnit.SECONDS);
    assertThat(me.get("tenant").asText()).isEqualTo("demo");
    assertThat(retries).hasSize(2);
  }

  @Test
  void faultsAreValidated() {
    assertThat(catchThrowable(() -> Fault.status(200, null))).hasMessageContaining("4xx or 5xx");
    assertThat(catchThrowable(() -> Fault.connectionReset().times(0))).hasMessageContaining("times must be >= 1");
    assertThat(catchThrowable(() -> Fault.latency(Duration.ofSeconds(-1)))).hasMessageContaining("delay");
    assertThat(catchThrowable(() -> Fault.truncatedBody().onPath("twin"))).hasMessageContaining("start with /");
  }
}
