package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observability hooks of {@link ClientListener}: per-call listeners from {@code callStarted}, the traceparent a
 * listener chooses (invalid ones ignored, exceptions ignored), and exactly one {@code callEnded} per call, also for a
 * cancelled asynchronous call.
 */
class ListenerHooksTest {
  private static final String CHOSEN = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ClientConfig config(ClientListener... listeners) {
    ClientConfig.Builder b = ClientConfig.builder().endpoint(server.url("/").toString())
        .credentials(Credentials.apiKey("k_test"))
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(5))
            .maxDelay(Duration.ofMillis(20)).build());
    for (ClientListener l : listeners) {
      b.addListener(l);
    }
    return b.build();
  }

  private static ApiRequest get() {
    return ApiRequest.builder("test.get", "GET", "/x").build();
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{}").build();
  }

  /** Records the events of each call on its own listener. */
  static final class PerCall implements ClientListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<CallStart> starts = new CopyOnWriteArrayList<>();

    @Override
    public ClientListener callStarted(CallStart call) {
      starts.add(call);
      return new ClientListener() {
        @Override
        public void attemptStarted(Attempt a) {
          events.add("attempt " + a.attempt() + " " + a.traceparent());
        }

        @Override
        public void callEnded(Call c) {
          events.add("ended " + c.attempts() + " " + (c.error() == null ? "ok" : c.error().getClass().getSimpleName()));
        }
      };
    }

    @Override
    public void callEnded(Call c) {
      events.add("root listener got callEnded");
    }
  }

  @Test
  void aListenerChoosesTheTraceparentAndItsCallListenerGetsTheEvents() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(ok());
    PerCall perCall = new PerCall();
    ClientListener chooser = new ClientListener() {
      @Override
      public String traceparent(Attempt a) {
        return a.attempt() == 1 ? CHOSEN : null;
      }
    };
    new ApiClient(config(perCall, chooser), "twin").execute(get()).close();
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getHeaders().get("traceparent")).isEqualTo(CHOSEN);
    assertThat(second.getHeaders().get("traceparent")).isNotEqualTo(CHOSEN).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(perCall.events).containsExactly("attempt 1 " + CHOSEN,
        "attempt 2 " + second.getHeaders().get("traceparent"), "ended 2 ok");
    assertThat(perCall.starts).singleElement().satisfies(s -> {
      assertThat(s.service()).isEqualTo("twin");
      assertThat(s.operation()).isEqualTo("test.get");
      assertThat(s.method()).isEqualTo("GET");
      assertThat(s.url()).endsWith("/x");
      assertThat(s.traceparent()).isNull();
      assertThat(s.retryBudget().getAsDouble()).isBetween(0.0, 1.0);
    });
  }

  @Test
  void invalidOrThrowingTraceparentChoicesAreIgnored() throws Exception {
    server.enqueue(ok());
    server.enqueue(ok());
    ClientListener invalid = new ClientListener() {
      @Override
      public String traceparent(Attempt a) {
        return "00-" + "0".repeat(32) + "-b7ad6b7169203331-01\r\nX-Injected: 1";
      }
    };
    ClientListener throwing = new ClientListener() {
      @Override
      public String traceparent(Attempt a) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public ClientListener callStarted(CallStart call) {
        throw new IllegalStateException("listener bug");
      }
    };
    new ApiClient(config(invalid), "twin").execute(get()).close();
    new ApiClient(config(throwing), "twin").execute(get()).close();
    for (int i = 0; i < 2; i++) {
      RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(r.getHeaders().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
          .doesNotContain("0".repeat(32));
      assertThat(r.getHeaders().get("X-Injected")).isNull();
    }
  }

  @Test
  void aCancelledAsyncCallEndsExactlyOnce() throws Exception {
    server.enqueue(ok().newBuilder().headersDelay(2, TimeUnit.SECONDS).build());
    PerCall perCall = new PerCall();
    ApiClient api = new ApiClient(config(perCall), "twin");
    CompletableFuture<ApiResponse> f = api.executeAsync(get());
    server.takeRequest(5, TimeUnit.SECONDS);
    f.cancel(true);
    assertThat(perCall.events).last().isEqualTo("ended 1 ClientException");
    // the late answer (after 2 s) must not end the call a second time
    await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(6))
        .until(() -> perCall.events.stream().filter(e -> e.startsWith("ended")).count() == 1);
    assertThat(perCall.events).doesNotContain("root listener got callEnded");
  }
}
