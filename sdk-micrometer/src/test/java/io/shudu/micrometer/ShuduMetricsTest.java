package io.shudu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShuduMetrics} against the in-process sandbox over loopback: meter names and tags of calls (success, 404,
 * retried 503, cancelled asynchronous call) and of feed subscriptions (events, lag, reconnects, gaps, buffer).
 */
class ShuduMetricsTest {
  private static final String ENTITY = "lg-bldg-0001";

  private Sandbox sandbox;
  private SimpleMeterRegistry registry;
  private ClientConfig config;

  @BeforeEach
  void start() {
    sandbox = Sandbox.builder().feedWindow(5).start();
    registry = new SimpleMeterRegistry();
    config = sandbox.clientConfig().toBuilder().addListener(new ShuduMetrics(registry)).build();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  private static ApiRequest patch(int height) {
    byte[] body = ("{\"properties\":{\"height\":{\"value\":" + height + ",\"unit\":\"m\"}}}")
        .getBytes(StandardCharsets.UTF_8);
    return ApiRequest.builder("twin.entities.patch", "PATCH", "/twin/v1/entities/{}", ENTITY)
        .body(body, "application/merge-patch+json").build();
  }

  private static ApiRequest get(String id) {
    return ApiRequest.builder("twin.entities.get", "GET", "/twin/v1/entities/{}", id).build();
  }

  @Test
  void callsAreTimedPerServiceOperationAndOutcome() {
    ApiClient twin = new ApiClient(config, "twin");
    try (ApiResponse r = twin.execute(get(ENTITY))) {
      assertThat(r.status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> twin.execute(get("no-such-entity"))).isInstanceOf(NotFoundException.class);
    sandbox.injectFault(Fault.status(503, null).onPath("/twin/v1/entities/" + ENTITY).times(1));
    try (ApiResponse r = twin.execute(get(ENTITY))) {
      assertThat(r.status()).isEqualTo(200);
    }

    Timer ok = registry.get("shudu.client.calls").tags("service", "twin", "operation", "twin.entities.get",
        "status", "2xx", "exception", "none", "outcome", "SUCCESS").timer();
    assertThat(ok.count()).isEqualTo(2);
    Timer notFound = registry.get("shudu.client.calls").tags("service", "twin", "operation", "twin.entities.get",
        "status", "4xx", "exception", "NotFoundException", "outcome", "CLIENT_ERROR").timer();
    assertThat(notFound.count()).isEqualTo(1);
    assertThat(registry.get("shudu.client.attempts").tags("service", "twin", "operation", "twin.entities.get",
        "status", "5xx", "exception", "none").timer().count()).isEqualTo(1);
    assertThat(registry.get("shudu.client.attempts").tags("status", "2xx").timer().count()).isEqualTo(2);
    assertThat(registry.get("shudu.client.retries").tags("service", "twin", "operation", "twin.entities.get",
        "status", "5xx").counter().count()).isEqualTo(1);
    assertThat(registry.get("shudu.client.inflight").tag("service", "twin").gauge().value()).isZero();
    assertThat(registry.get("shudu.client.retry.budget").tag("service", "twin").gauge().value())
        .isGreaterThan(0).isLessThanOrEqualTo(1);
  }

  @Test
  void inFlightCountsCallsUntilTheyEndAlsoWhenCancelled() throws Exception {
    ApiClient twin = new ApiClient(config, "twin");
    sandbox.injectFault(Fault.latency(Duration.ofSeconds(3)).onPath("/twin/v1/entities/" + ENTITY).times(1));
    CompletableFuture<ApiResponse> slow = twin.executeAsync(get(ENTITY));
    assertThat(registry.get("shudu.client.inflight").tag("service", "twin").gauge().value()).isEqualTo(1);
    slow.cancel(true);
    assertThat(registry.get("shudu.client.inflight").tag("service", "twin").gauge().value()).isZero();
    assertThat(registry.get("shudu.client.calls").tags("service", "twin", "exception", "ClientException",
        "outcome", "UNKNOWN").timer().count()).isEqualTo(1);
    // a call that starts after the cancelled one is counted and uncounted as well
    try (ApiResponse r = twin.executeAsync(get(ENTITY)).get(10, TimeUnit.SECONDS)) {
      assertThat(r.status()).isEqualTo(200);
    }
    assertThat(registry.get("shudu.client.inflight").tag("service", "twin").gauge().value()).isZero();
  }

  @Test
  void feedEventsLagReconnectsAndBufferAreMeteredPerFeedAndConsumer() throws Exception {
    ApiClient twin = new ApiClient(config, "twin");
    CountDownLatch release = new CountDownLatch(1);
    List<Long> handled = new CopyOnWriteArrayList<>();
    // the first connection is reset: the subscription reconnects
    sandbox.injectFault(Fault.connectionReset().onPath("/feeds/v1/twin-changes").times(1));
    FeedOptions options = FeedOptions.builder().checkpoint(CheckpointStore.inMemory(), "metrics-test")
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
    try (FeedSubscription sub = FeedSubscription.open(config, "twin-changes", List.of(), Object.class, options,
        event -> {
          release.await();
          handled.add(event.id());
        })) {
      assertThat(sub.awaitConnected(Duration.ofSeconds(10))).isTrue();
      for (int i = 0; i < 4; i++) {
        twin.execute(patch(50 + i)).close();
      }
      // the handler holds the first event: the others wait in the buffer
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("shudu.feed.buffer.events")
          .tags("feed", "twin-changes", "consumer", "metrics-test").gauge().value() >= 1);
      assertThat(registry.get("shudu.feed.buffer.fill").tags("feed", "twin-changes", "consumer", "metrics-test")
          .gauge().value()).isGreaterThan(0).isLessThanOrEqualTo(1);
      assertThat(registry.get("shudu.feed.subscriptions").tags("feed", "twin-changes", "consumer", "metrics-test")
          .gauge().value()).isEqualTo(1);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 4);
    }
    String[] tags = {"feed", "twin-changes", "consumer", "metrics-test"};
    assertThat(registry.get("shudu.feed.events").tags(tags).tag("outcome", "handled").counter().count())
        .isEqualTo(4);
    assertThat(registry.get("shudu.feed.lag").tags(tags).timer().count()).isEqualTo(4);
    assertThat(registry.get("shudu.feed.lag").tags(tags).timer().max(TimeUnit.SECONDS)).isLessThan(60);
    assertThat(registry.get("shudu.feed.handle").tags(tags).timer().count()).isEqualTo(4);
    assertThat(registry.get("shudu.feed.reconnects").tags(tags).counter().count()).isGreaterThanOrEqualTo(1);
    assertThat(registry.get("shudu.feed.subscriptions").tags(tags).gauge().value()).isZero();
    assertThat(registry.get("shudu.feed.buffer.events").tags(tags).gauge().value()).isZero();
  }

  @Test
  void handlerFailuresAndGapsAreCounted() throws Exception {
    ApiClient twin = new ApiClient(config, "twin");
    // the sandbox keeps 5 events per feed: 8 writes push the first 3 out of the replay window
    for (int i = 0; i < 8; i++) {
      twin.execute(patch(60 + i)).close();
    }
    FeedOptions options = FeedOptions.builder().gapPolicy(FeedOptions.GapPolicy.CONTINUE)
        .start(FeedOptions.StartPosition.after(0)).build();
    List<Long> handled = new CopyOnWriteArrayList<>();
    FeedSubscription sub = FeedSubscription.open(config, "twin-changes", List.of(), Object.class, options,
        new io.shudu.core.FeedHandler<Object>() {
          @Override
          public void onEvent(io.shudu.core.FeedEvent<Object> event) {
            if (handled.size() == 2) {
              throw new IllegalStateException("the test's handler fails on its third event");
            }
            handled.add(event.id());
          }

          @Override
          public void onGap(io.shudu.core.FeedGapException gap) {
            // accepted: continue with the oldest event still available
          }
        });
    assertThat(sub.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.FAILED);
    String[] tags = {"feed", "twin-changes", "consumer", ShuduMetrics.NONE};
    assertThat(registry.get("shudu.feed.gaps").tags(tags).counter().count()).isEqualTo(1);
    assertThat(registry.get("shudu.feed.gap.events").tags(tags).counter().count()).isEqualTo(3);
    assertThat(registry.get("shudu.feed.events").tags(tags).tag("outcome", "handled").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("shudu.feed.events").tags(tags).tag("outcome", "failed").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("shudu.feed.subscriptions").tags(tags).gauge().value()).isZero();
  }

  @Test
  void everyMeterIsNamedShuduAndCarriesItsDocumentedTags() {
    ApiClient twin = new ApiClient(config, "twin");
    twin.execute(get(ENTITY)).close();
    List<String> names = registry.getMeters().stream().map(m -> m.getId().getName()).distinct().sorted()
        .collect(Collectors.toList());
    assertThat(names).containsExactly("shudu.client.attempts", "shudu.client.calls", "shudu.client.inflight",
        "shudu.client.retry.budget");
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getTag("service")).isEqualTo("twin");
    }
  }
}
