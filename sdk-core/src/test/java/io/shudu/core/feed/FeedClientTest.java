package io.shudu.core.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.ConflictException;
import io.shudu.core.Credentials;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.ShuduException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.FeedClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The feed client against scripted SSE answers: resume, de-duplication, errors, gaps, checkpoints, close. */
class FeedClientTest {
  /** A test payload. */
  public record Reading(String sensor, double value) {}

  private MockWebServer server;
  private ApiClient api;
  private final List<FeedSubscription> subs = new CopyOnWriteArrayList<>();

  private static final FeedOptions FAST = FeedOptions.builder()
      .reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
      .start(FeedOptions.StartPosition.earliest())
      .build();

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").uri())
        .credentials(Credentials.apiKey("test-key-0123456789")).build(), "test");
  }

  @AfterEach
  void stop() {
    subs.forEach(FeedSubscription::close);
    server.close();
  }

  static String open(long position, long lastId, long oldestId) {
    return "event: open\ndata: {\"feed\":\"river\",\"position\":" + position + ",\"lastId\":" + lastId
        + ",\"oldestId\":" + oldestId + "}\n\n";
  }

  static String event(long id, String key, String payloadJson) {
    return "id: " + id + "\nevent: observation\ndata: {\"specversion\":\"1.0\",\"id\":\"" + id
        + "\",\"source\":\"/feeds/v1/river\",\"type\":\"observation\",\"subject\":\"" + key
        + "\",\"time\":\"2026-11-25T08:00:00Z\",\"datacontenttype\":\"application/json\",\"data\":" + payloadJson
        + "}\n\n";
  }

  static String reading(long id) {
    return event(id, "ds-" + (id % 3), "{\"sensor\":\"qingpu-" + id + "\",\"value\":" + id + ".5}");
  }

  static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
  }

  static MockResponse problem(int status, String code) {
    return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/problem+json")
        .body("{\"type\":\"https://docs.shudu.io/problems/" + code + "\",\"title\":\"t\",\"status\":" + status
            + ",\"detail\":\"scripted\",\"code\":\"" + code + "\"}").build();
  }

  /** Records what the handler sees. */
  static final class Recorder implements FeedHandler<Reading> {
    final List<FeedEvent<Reading>> events = new CopyOnWriteArrayList<>();
    final List<FeedGapException> gaps = new CopyOnWriteArrayList<>();
    final AtomicReference<ShuduException> error = new AtomicReference<>();
    final boolean acceptGaps;

    Recorder(boolean acceptGaps) {
      this.acceptGaps = acceptGaps;
    }

    @Override
    public void onEvent(FeedEvent<Reading> event) {
      events.add(event);
    }

    @Override
    public void onGap(FeedGapException gap) {
      gaps.add(gap);
      if (!acceptGaps) {
        throw gap;
      }
    }

    @Override
    public void onError(ShuduException e) {
      error.set(e);
    }

    List<Long> ids() {
      return events.stream().map(FeedEvent::id).toList();
    }
  }

  private FeedSubscription subscribe(FeedOptions options, FeedHandler<Reading> handler) {
    FeedSubscription s = FeedClient.subscribe(api, "river", List.of(), Reading.class, options, handler);
    subs.add(s);
    return s;
  }

  /** Deadlines are generous (a cold JVM on a loaded 2-core machine is slow); a passing test never waits for them. */
  private static void awaitCount(Recorder r, int n) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(r.events).hasSizeGreaterThanOrEqualTo(n));
  }

  /** The requests the server received, in order; call it after the subscription is closed. */
  private List<RecordedRequest> recorded() throws InterruptedException {
    List<RecordedRequest> all = new java.util.ArrayList<>();
    RecordedRequest next;
    while ((next = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      all.add(next);
    }
    return all;
  }

  @Test
  void resumesWithLastEventIdAndDeliversDuplicatesOnlyOnce() throws Exception {
    server.enqueue(sse(open(0, 3, 1) + reading(1) + reading(2) + reading(3)));
    server.enqueue(sse(open(3, 5, 1) + reading(2) + reading(3) + reading(4) + reading(5)));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST, r);
    awaitCount(r, 5);

    assertThat(r.ids()).containsExactly(1L, 2L, 3L, 4L, 5L);
    FeedEvent<Reading> first = r.events.get(0);
    assertThat(first.feed()).isEqualTo("river");
    assertThat(first.type()).isEqualTo("observation");
    assertThat(first.key()).isEqualTo("ds-1");
    assertThat(first.payload()).isEqualTo(new Reading("qingpu-1", 1.5));
    assertThat(first.publishedAt()).hasToString("2026-11-25T08:00:00Z");
    RecordedRequest a = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest b = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(a.getUrl().encodedPath()).isEqualTo("/feeds/v1/river");
    assertThat(a.getUrl().queryParameter("start")).isEqualTo("earliest");
    assertThat(a.getHeaders().get("Last-Event-ID")).isNull();
    assertThat(a.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(a.getHeaders().get("X-Api-Key")).isEqualTo("test-key-0123456789");
    assertThat(b.getHeaders().get("Last-Event-ID")).isEqualTo("3");
    assertThat(b.getUrl().queryParameter("start")).isNull();
    // the counters are read once the subscription has stopped: the handler may still be returning from event 5
    sub.close();
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.lastDeliveredId()).hasValue(5);
    assertThat(sub.delivered()).isEqualTo(5);
    assertThat(sub.reconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void latestStartResumesFromThePositionTheServerAnnounced() throws Exception {
    server.enqueue(sse(open(41, 41, 1)));
    server.enqueue(sse(open(41, 42, 1) + reading(42)));
    Recorder r = new Recorder(false);
    subscribe(FAST.toBuilder().start(FeedOptions.StartPosition.latest()).build(), r);
    awaitCount(r, 1);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("start")).isEqualTo("latest");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Last-Event-ID")).isEqualTo("41");
    assertThat(r.ids()).containsExactly(42L);
  }

  @Test
  void keysAndHeartbeatAreSentAsQueryParameters() throws Exception {
    server.enqueue(sse(open(0, 0, 1)));
    FeedSubscription s = FeedClient.subscribe(api, "river", List.of("ds-1", "ds 2"), Reading.class,
        FAST.toBuilder().heartbeat(Duration.ofMillis(1500)).build(), new Recorder(false));
    subs.add(s);
    RecordedRequest req = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(req.getUrl().queryParameterValues("key")).containsExactly("ds-1", "ds 2");
    assertThat(req.getUrl().queryParameter("heartbeat")).isEqualTo("1500");
  }

  @Test
  void aSilentStreamIsTreatedAsDeadAfterThreeHeartbeats() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
        .body(open(0, 1, 1) + reading(1)).throttleBody(1, 20, TimeUnit.SECONDS).build()); // a half-open connection
    server.enqueue(sse(open(0, 2, 1) + reading(1) + reading(2)));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST.toBuilder().heartbeat(Duration.ofMillis(100)).build(), r);
    awaitCount(r, 2);
    assertThat(r.ids()).containsExactly(1L, 2L);
    assertThat(sub.reconnects()).isGreaterThanOrEqualTo(1);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("heartbeat")).isEqualTo("100");
  }

  @Test
  void unknownFeedEndsTheSubscriptionWithoutRetrying() throws Exception {
    server.enqueue(problem(404, "not_found"));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST, r);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.FAILED);
    assertThat(sub.failure()).get().isInstanceOf(NotFoundException.class);
    assertThat(r.error.get()).isSameAs(sub.failure().get());
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThatThrownBy(() -> sub.awaitConnected(Duration.ofMillis(10)))
        .as("awaitConnected cannot be ignored: it throws the failure").isSameAs(sub.failure().get());
  }

  @Test
  void awaitConnectedThrowsTheFailureWhileWaitingAndReturnsFalseOnTimeoutOrClose() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
        .body(": no open event yet\n\n" + open(0, 0, 1)).throttleBody(1, 20, TimeUnit.SECONDS).build());
    FeedSubscription slow = subscribe(FAST, new Recorder(false));
    assertThat(slow.awaitConnected(Duration.ofMillis(50))).as("timeout").isFalse();
    // its request has taken the silent answer before it is closed, so the next subscription gets the 401s
    assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
    slow.close();
    assertThat(slow.awaitConnected(Duration.ofSeconds(1))).as("closed before it connected").isFalse();

    server.enqueue(problem(401, "unauthorized"));
    server.enqueue(problem(401, "unauthorized"));
    FeedSubscription denied = subscribe(FAST, new Recorder(false));
    assertThatThrownBy(() -> denied.awaitConnected(Duration.ofSeconds(30)))
        .isInstanceOf(io.shudu.core.AuthenticationException.class);
    assertThat(denied.state()).isEqualTo(FeedSubscription.State.FAILED);
  }

  @Test
  void aCheckpointAheadOfTheFeedFailsWithWhatToDoAndResetStartsAgain() throws Exception {
    CheckpointStore store = CheckpointStore.inMemory();
    store.save("tour/traffic", 310);
    server.enqueue(new MockResponse.Builder().code(409).setHeader("Content-Type", "application/problem+json")
        .body("{\"type\":\"https://docs.shudu.io/problems/feed_position_ahead\",\"title\":\"Conflict\","
            + "\"status\":409,\"detail\":\"Last-Event-ID 310 is beyond the newest event 12 of feed 'river'.\","
            + "\"code\":\"feed_position_ahead\",\"lastId\":12}").build());
    FeedOptions options = FAST.toBuilder().checkpoint(store, "tour/traffic").build();
    Recorder first = new Recorder(false);
    FeedSubscription sub = subscribe(options, first);
    assertThatThrownBy(() -> sub.awaitConnected(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).hasValue("feed_position_ahead");
          assertThat(e.extensions()).containsEntry("lastId", 12);
          assertThat(e.getMessage()).contains("beyond the newest event 12")
              .contains("checkpoint of consumer 'tour/traffic'").contains("CheckpointStore.reset(\"tour/traffic\")")
              .contains("StartPosition.earliest()");
        });
    assertThat(first.error.get()).isSameAs(sub.failure().get());
    assertThat(store.load("tour/traffic")).as("a failed subscription keeps the checkpoint").hasValue(310);

    store.reset("tour/traffic");
    server.enqueue(sse(open(0, 2, 1) + reading(1) + reading(2)));
    Recorder again = new Recorder(false);
    FeedSubscription fresh = subscribe(options, again);
    assertThat(fresh.awaitConnected(Duration.ofSeconds(30))).isTrue();
    awaitCount(again, 2);
    fresh.close();
    assertThat(again.ids()).containsExactly(1L, 2L);
    assertThat(store.load("tour/traffic")).hasValue(2);
    List<RecordedRequest> requests = recorded();
    assertThat(requests.get(0).getHeaders().get("Last-Event-ID")).isEqualTo("310");
    assertThat(requests.get(1).getHeaders().get("Last-Event-ID")).isNull();
    assertThat(requests.get(1).getUrl().queryParameter("start")).isEqualTo("earliest");
  }

  @Test
  void forbiddenEndsTheSubscription() throws Exception {
    server.enqueue(problem(403, "forbidden"));
    FeedSubscription sub = subscribe(FAST, new Recorder(false));
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void transientStatusesAreRetried() throws Exception {
    server.enqueue(problem(503, "unavailable"));
    server.enqueue(problem(500, "internal_error"));
    server.enqueue(problem(429, "throttled"));
    server.enqueue(sse(open(0, 1, 1) + reading(1)));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST, r);
    awaitCount(r, 1);
    assertThat(sub.state()).as("retrying, never failed")
        .isIn(FeedSubscription.State.STREAMING, FeedSubscription.State.RECONNECTING);
    sub.close();
    // the stream ends after its event, so the reader may reconnect any number of times before close(): count the
    // first connection attempts from the recorded sequence, not the total
    List<RecordedRequest> requests = recorded();
    assertThat(requests).hasSizeGreaterThanOrEqualTo(4);
    assertThat(requests.subList(0, 4)).allSatisfy(req -> {
      assertThat(req.getHeaders().get("Last-Event-ID")).isNull();
      assertThat(req.getUrl().queryParameter("start")).isEqualTo("earliest");
    });
    assertThat(requests.subList(4, requests.size()))
        .allSatisfy(req -> assertThat(req.getHeaders().get("Last-Event-ID")).isEqualTo("1"));
    assertThat(r.ids()).containsExactly(1L);
    assertThat(sub.failure()).isEmpty();
  }

  @Test
  void aGapFailsTheSubscriptionByDefault() throws Exception {
    server.enqueue(sse(open(5, 20, 10) + "id: 9\nevent: gap\ndata: {\"requestedAfter\":5,\"oldestAvailable\":10,"
        + "\"missed\":4}\n\n" + reading(10)));
    Recorder r = new Recorder(true);
    FeedSubscription sub = subscribe(FAST.toBuilder().start(FeedOptions.StartPosition.after(5)).build(), r);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOfSatisfying(FeedGapException.class, g -> {
      assertThat(g.requestedAfter()).isEqualTo(5);
      assertThat(g.oldestAvailable()).isEqualTo(10);
      assertThat(g.missed()).isEqualTo(4);
      assertThat(g.getMessage()).contains("river").contains("after id 5");
    });
    assertThat(r.gaps).isEmpty();
    assertThat(r.events).isEmpty();
  }

  @Test
  void aGapUnderContinueGoesToOnGapThenDeliveryContinues() throws Exception {
    server.enqueue(sse(open(5, 11, 10) + "id: 9\nevent: gap\ndata: {\"requestedAfter\":5,\"oldestAvailable\":10,"
        + "\"missed\":4}\n\n" + reading(10) + reading(11)));
    Recorder r = new Recorder(true);
    CheckpointStore store = CheckpointStore.inMemory();
    FeedSubscription sub = subscribe(FAST.toBuilder().start(FeedOptions.StartPosition.after(5))
        .gapPolicy(FeedOptions.GapPolicy.CONTINUE).checkpoint(store, "c").build(), r);
    awaitCount(r, 2);
    assertThat(r.gaps).singleElement().satisfies(g -> assertThat(g.missed()).isEqualTo(4));
    assertThat(r.ids()).containsExactly(10L, 11L);
    sub.close();
    assertThat(store.load("c")).hasValue(11);
  }

  @Test
  void aGapUnderContinueStillFailsWhenTheHandlerDoesNotOverrideOnGap() throws Exception {
    server.enqueue(sse(open(5, 11, 10) + "id: 9\nevent: gap\ndata: {\"requestedAfter\":5,\"oldestAvailable\":10,"
        + "\"missed\":4}\n\n" + reading(10)));
    List<Long> seen = new CopyOnWriteArrayList<>();
    FeedHandler<Reading> plain = e -> seen.add(e.id());
    FeedSubscription sub = subscribe(FAST.toBuilder().start(FeedOptions.StartPosition.after(5))
        .gapPolicy(FeedOptions.GapPolicy.CONTINUE).build(), plain);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOf(FeedGapException.class);
    assertThat(seen).isEmpty();
  }

  @Test
  void anUndecodablePayloadStopsAfterTheEventsBeforeIt() throws Exception {
    server.enqueue(sse(open(0, 3, 1) + reading(1) + event(2, "ds-2", "\"not a reading\"") + reading(3)));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST, r);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(r.ids()).containsExactly(1L);
    assertThat(sub.failure()).get().isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("event 2").contains("could not be decoded"));
  }

  @Test
  void aResponseThatIsNotAnEventStreamFails() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body("{}")
        .build());
    FeedSubscription sub = subscribe(FAST, new Recorder(false));
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().satisfies(e -> assertThat(e.getMessage()).contains("text/event-stream"));
  }

  @Test
  void aHandlerExceptionEndsTheSubscriptionAndLeavesTheEventUnacknowledged() throws Exception {
    server.enqueue(sse(open(0, 3, 1) + reading(1) + reading(2) + reading(3)));
    CheckpointStore store = CheckpointStore.inMemory();
    IllegalStateException boom = new IllegalStateException("database down");
    FeedSubscription sub = subscribe(FAST.toBuilder().checkpoint(store, "router").build(), e -> {
      if (e.id() == 2) {
        throw boom;
      }
    });
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().satisfies(e -> assertThat(e).hasCause(boom));
    assertThat(store.load("router")).hasValue(1);
    assertThat(sub.lastDeliveredId()).hasValue(1);
  }

  @Test
  void anErrorThrownByTheHandlerAlsoFailsTheSubscription() throws Exception {
    server.enqueue(sse(open(0, 1, 1) + reading(1)));
    AssertionError wrong = new AssertionError("unexpected reading");
    FeedSubscription sub = subscribe(FAST, e -> {
      throw wrong;
    });
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.FAILED);
    assertThat(sub.failure()).get().satisfies(e -> assertThat(e).hasCause(wrong));
  }

  @Test
  void aSavedCheckpointWinsOverTheStartPosition() throws Exception {
    CheckpointStore store = CheckpointStore.inMemory();
    store.save("router", 7);
    server.enqueue(sse(open(7, 8, 1) + reading(7) + reading(8)));
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST.toBuilder().checkpoint(store, "router").build(), r);
    awaitCount(r, 1);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Last-Event-ID")).isEqualTo("7");
    assertThat(r.ids()).containsExactly(8L);
    sub.close();
    assertThat(store.load("router")).hasValue(8);
  }

  @Test
  void closeEndsBothThreadsAndIsIdempotent() throws Exception {
    server.enqueue(sse(open(0, 1, 1) + reading(1)));
    Recorder r = new Recorder(false);
    Set<Thread> before = feedThreads("shudu-feed-");
    FeedSubscription sub = subscribe(FAST, r);
    Set<Thread> mine = new HashSet<>(feedThreads("shudu-feed-"));
    mine.removeAll(before);
    assertThat(mine).hasSize(2);
    awaitCount(r, 1);
    sub.close();
    sub.close();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.CLOSED);
    assertThat(sub.failure()).isEmpty();
    assertThat(sub.awaitTermination(Duration.ZERO)).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> mine.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void closeFromTheHandlerItselfWorks() throws Exception {
    server.enqueue(sse(open(0, 3, 1) + reading(1) + reading(2) + reading(3)));
    AtomicReference<FeedSubscription> self = new AtomicReference<>();
    List<Long> seen = new CopyOnWriteArrayList<>();
    FeedSubscription sub = subscribe(FAST, e -> {
      seen.add(e.id());
      while (self.get() == null) {
        Thread.onSpinWait();
      }
      self.get().close();
    });
    self.set(sub);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.CLOSED);
    assertThat(seen).containsExactly(1L);
  }

  @Test
  void overflowPolicyFailEndsTheSubscriptionWhenTheHandlerStalls() throws Exception {
    StringBuilder body = new StringBuilder(open(0, 20, 1));
    for (int i = 1; i <= 20; i++) {
      body.append(reading(i));
    }
    server.enqueue(sse(body.toString()));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Set<Thread> before = feedThreads("shudu-feed-reader-");
    FeedSubscription sub = subscribe(FAST.toBuilder().bufferCapacity(2).overflowWait(Duration.ofMillis(10))
        .overflowPolicy(FeedOptions.OverflowPolicy.FAIL).build(), e -> release.await());
    Set<Thread> reader = new HashSet<>(feedThreads("shudu-feed-reader-"));
    reader.removeAll(before);
    try {
      // the handler holds an event; the reader fills the buffer, waits 10 ms for room, gives up and ends
      await().atMost(Duration.ofSeconds(30)).until(() -> reader.stream().noneMatch(Thread::isAlive));
    } finally {
      release.countDown(); // never leave the handler thread blocked, even when the wait above fails
    }
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("too slow").contains("bufferCapacity"));
    assertThat(sub.maxBuffered()).isEqualTo(2);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void checkpointsCanBeBatchedAndTheLastOneIsAlwaysSaved() throws Exception {
    StringBuilder body = new StringBuilder(open(0, 1000, 1));
    for (int i = 1; i <= 1000; i++) {
      body.append(reading(i));
    }
    server.enqueue(sse(body.toString()));
    java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();
    CheckpointStore memory = CheckpointStore.inMemory();
    CheckpointStore counting = new CheckpointStore() {
      @Override
      public java.util.OptionalLong load(String consumer) {
        return memory.load(consumer);
      }

      @Override
      public void save(String consumer, long eventId) {
        saves.incrementAndGet();
        memory.save(consumer, eventId);
      }

      @Override
      public void reset(String consumer) {
        memory.reset(consumer);
      }
    };
    Recorder r = new Recorder(false);
    FeedSubscription sub = subscribe(FAST.toBuilder().checkpoint(counting, "batch").checkpointEvery(100).build(), r);
    awaitCount(r, 1000);
    await().atMost(Duration.ofSeconds(30)).until(() -> memory.load("batch").orElse(0) == 1000);
    sub.close();
    assertThat(memory.load("batch")).hasValue(1000);
    assertThat(saves.get()).as("counted after close").isBetween(10, 500);
  }

  /** The live feed threads (of every subscription in this JVM: compare with a set taken before). */
  private static Set<Thread> feedThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).collect(Collectors.toSet());
  }

  @Test
  void invalidArgumentsAreRejectedWithPreciseMessages() {
    assertThatThrownBy(() -> FeedClient.subscribe(api, "bad feed", List.of(), Reading.class, FAST, e -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feed must be");
    assertThatThrownBy(() -> FeedClient.subscribe(api, "river", List.of(" "), Reading.class, FAST, e -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys must be");
    assertThatThrownBy(() -> FeedOptions.builder().bufferCapacity(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bufferCapacity");
    assertThatThrownBy(() -> FeedOptions.builder().reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconnectBackoff max");
    assertThatThrownBy(() -> FeedOptions.builder().heartbeat(Duration.ofMillis(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> FeedOptions.builder().checkpoint(CheckpointStore.inMemory(), "a\nb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumer");
    assertThatThrownBy(() -> FeedOptions.StartPosition.after(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id must be >= 0");
  }
}
