package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.AuthenticationException;
import io.shudu.core.BadRequestException;
import io.shudu.core.CheckpointStore;
import io.shudu.core.ConflictException;
import io.shudu.core.Credentials;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.ShuduException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.FeedClient;
import io.shudu.sandbox.internal.feed.Feeds;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live feeds end to end: client, HTTP over loopback, the sandbox's feed log, and back. */
class FeedsEndToEndTest {
  /** A test payload. */
  public record Reading(long seq, String station, double value) {}

  private Sandbox sandbox;
  private Feeds feeds;
  private ApiClient api;
  private final List<FeedSubscription> subs = new CopyOnWriteArrayList<>();

  static final FeedOptions FAST = FeedOptions.builder()
      .reconnectBackoff(Duration.ofMillis(5), Duration.ofMillis(100))
      .heartbeat(Duration.ofMillis(500))
      .start(FeedOptions.StartPosition.earliest())
      .build();

  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    feeds = sandbox.context().feeds();
    api = new ApiClient(sandbox.clientConfig(), "test");
  }

  @AfterEach
  void stop() {
    subs.forEach(FeedSubscription::close);
    sandbox.close();
  }

  /** Records events; checks order as they arrive. */
  static final class Recorder implements FeedHandler<Reading> {
    final List<FeedEvent<Reading>> events = new CopyOnWriteArrayList<>();
    final List<FeedGapException> gaps = new CopyOnWriteArrayList<>();
    final AtomicReference<ShuduException> error = new AtomicReference<>();

    @Override
    public void onEvent(FeedEvent<Reading> event) {
      events.add(event);
    }

    @Override
    public void onGap(FeedGapException gap) {
      gaps.add(gap);
    }

    @Override
    public void onError(ShuduException e) {
      error.set(e);
    }

    List<Long> ids() {
      return events.stream().map(FeedEvent::id).toList();
    }
  }

  private FeedSubscription subscribe(String feed, List<String> keys, FeedOptions options, FeedHandler<Reading> h) {
    FeedSubscription s = FeedClient.subscribe(api, feed, keys, Reading.class, options, h);
    subs.add(s);
    return s;
  }

  private void publish(String feed, long from, long to, String key) {
    for (long i = from; i <= to; i++) {
      feeds.publish(feed, "reading", key, new Reading(i, "qingpu-" + (i % 7), i / 10.0));
    }
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
        .until(condition::getAsBoolean);
  }

  static java.util.Set<Thread> feedThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("shudu-feed-"))
        .collect(java.util.stream.Collectors.toSet());
  }

  static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void everyEventArrivesExactlyOnceAndInOrderWithItsPayloadAndKey() throws Exception {
    feeds.declare("river");
    publish("river", 1, 1000, "station-1");
    Recorder r = new Recorder();
    // the default heartbeat: a reconnect here would only mean a starved machine, not a fault of the feed
    FeedSubscription sub = subscribe("river", List.of(), FAST.toBuilder().heartbeat(Duration.ofSeconds(5)).build(), r);
    assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
    publish("river", 1001, 2000, "station-1");
    await("2000 events", () -> r.events.size() >= 2000);
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.STREAMING);
    sub.close(); // what arrived is counted after the subscription has stopped: a late duplicate would show
    assertThat(r.ids()).isEqualTo(range(1, 2000));
    for (FeedEvent<Reading> e : r.events) {
      assertThat(e.payload().seq()).isEqualTo(e.id());
    }
    FeedEvent<Reading> e = r.events.get(41);
    assertThat(e.feed()).isEqualTo("river");
    assertThat(e.type()).isEqualTo("reading");
    assertThat(e.key()).isEqualTo("station-1");
    assertThat(e.payload()).isEqualTo(new Reading(42, "qingpu-0", 4.2));
    assertThat(sub.reconnects()).isZero();
  }

  @Test
  void aTenantSubscribingBeforeItsFirstIotCallReceivesItsOwnObservations() throws Exception {
    // the programme feeds are each tenant's own from its first use: a subscription opened before any SensorThings
    // call (simulators off) is on the feed the tenant's observations go to, not on an empty sandbox-wide one; the
    // default tenant (seeded at start-up) and a tenant created later alike
    for (ApiClient tenant : List.of(api, new ApiClient(sandbox.tenant("fresh-tenant").clientConfig(), "test"))) {
      List<FeedEvent<JsonNode>> got = new CopyOnWriteArrayList<>();
      FeedSubscription sub = FeedClient.subscribe(tenant, "fire-alarms", List.of(), JsonNode.class,
          FeedOptions.builder().start(FeedOptions.StartPosition.latest()).build(), got::add);
      subs.add(sub);
      assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
      JsonNode streams = tenant.call(ApiRequest.builder("t", "GET", "/iot/v1.1/Datastreams")
          .query("$filter", "Thing/properties/feed eq 'fire-alarms'").query("$top", 1).build(), JsonNode.class);
      long ds = streams.get("value").get(0).get("@iot.id").asLong();
      tenant.call(ApiRequest.builder("t", "POST", "/iot/v1.1/Observations")
          .json(java.util.Map.of("result", true, "phenomenonTime", "2026-01-01T00:00:00Z",
              "Datastream", java.util.Map.of("@iot.id", ds))).build(), JsonNode.class);
      await("the tenant's own observation", () -> !got.isEmpty());
      sub.close();
      assertThat(sub.reconnects()).as("delivered on the stream first opened, not after a reconnect").isZero();
      assertThat(got).hasSize(1);
      assertThat(got.get(0).payload().get("Datastream").get("@iot.id").asLong()).isEqualTo(ds);
      assertThat(got.get(0).payload().get("result").asBoolean()).isTrue();
    }
  }

  @Test
  void latestStartsWithEventsPublishedAfterTheStreamOpened() throws Exception {
    publish("signals", 1, 10, null);
    Recorder r = new Recorder();
    FeedSubscription sub = subscribe("signals", List.of(),
        FAST.toBuilder().start(FeedOptions.StartPosition.latest()).build(), r);
    assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
    publish("signals", 11, 15, null);
    await("5 events", () -> r.events.size() >= 5);
    sub.close();
    assertThat(r.ids()).isEqualTo(range(11, 15));
    assertThat(r.events.get(0).key()).isNull();
  }

  @Test
  void aSandboxRestartLosesAndRepeatsNothing() throws Exception {
    Recorder r = new Recorder();
    feeds.declare("alarms");
    FeedSubscription sub = subscribe("alarms", List.of(), FAST, r);
    assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
    publish("alarms", 1, 500, "alarm");
    await("500 events", () -> r.events.size() >= 500);

    sandbox.stop();
    await("the stream to drop", () -> sub.state() == FeedSubscription.State.RECONNECTING);
    publish("alarms", 501, 1000, "alarm"); // published while the platform is down
    long before = sub.reconnects();
    await("the client to retry against the closed port", () -> sub.reconnects() >= before + 2);
    sandbox.restart();
    publish("alarms", 1001, 1500, "alarm");
    await("1500 events", () -> r.events.size() >= 1500);
    await("the stream to be open again", () -> sub.state() == FeedSubscription.State.STREAMING);
    sub.close();
    assertThat(r.ids()).isEqualTo(range(1, 1500));
    assertThat(sub.reconnects()).isGreaterThanOrEqualTo(before + 2);
  }

  @Test
  void aRestartedConsumerContinuesFromItsFileCheckpoint() throws Exception {
    Path file = dir.resolve("consumer.checkpoints");
    publish("signals", 1, 400, null);
    List<Long> seen = new CopyOnWriteArrayList<>();
    FeedOptions options = FAST.toBuilder().checkpoint(CheckpointStore.file(file), "signal-dashboard").build();
    AtomicReference<FeedSubscription> first = new AtomicReference<>();
    java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    FeedSubscription one = subscribe("signals", List.of(), options, e -> {
      seen.add(e.id());
      if (seen.size() == 137) {
        // stop mid-stream, like a process being shut down: close() from another thread while this event is in hand
        new Thread(() -> {
          closing.countDown();
          first.get().close();
        }).start();
        closing.await();
      }
    });
    first.set(one);
    assertThat(one.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(one.state()).isEqualTo(FeedSubscription.State.CLOSED);
    assertThat(seen).hasSizeGreaterThanOrEqualTo(137);
    long stoppedAt = seen.get(seen.size() - 1);
    assertThat(CheckpointStore.file(file).load("signal-dashboard")).hasValue(stoppedAt);

    // a new process: a new store instance reading the same file
    FeedOptions again = FAST.toBuilder().checkpoint(CheckpointStore.file(file), "signal-dashboard").build();
    FeedSubscription two = subscribe("signals", List.of(), again, e -> seen.add(e.id()));
    await("the rest", () -> seen.size() >= 400);
    two.close();
    assertThat(seen).isEqualTo(range(1, 400));
    assertThat(two.lastDeliveredId()).hasValue(400);
  }

  @Test
  void aCheckpointFromAnEarlierPlatformIsRefusedUntilTheConsumerIsReset() throws Exception {
    Path file = dir.resolve("consumer.checkpoints");
    CheckpointStore.file(file).save("signal-dashboard", 900); // saved against a platform whose feed was longer
    publish("signals", 1, 20, null);
    FeedOptions options = FAST.toBuilder().checkpoint(CheckpointStore.file(file), "signal-dashboard").build();
    Recorder refused = new Recorder();
    FeedSubscription sub = subscribe("signals", List.of(), options, refused);
    assertThatThrownBy(() -> sub.awaitConnected(Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).hasValue("feed_position_ahead");
          assertThat(e.extensions()).containsEntry("lastId", 20);
          assertThat(e.getMessage()).contains("900").contains("CheckpointStore.reset(\"signal-dashboard\")");
        });
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.FAILED);
    assertThat(refused.events).isEmpty();

    CheckpointStore store = CheckpointStore.file(file);
    store.reset("signal-dashboard");
    Recorder r = new Recorder();
    FeedSubscription again = subscribe("signals", List.of(),
        FAST.toBuilder().checkpoint(store, "signal-dashboard").build(), r);
    assertThat(again.awaitConnected(Duration.ofSeconds(30))).isTrue();
    await("20 events", () -> r.events.size() >= 20);
    again.close();
    assertThat(r.ids()).isEqualTo(range(1, 20));
    assertThat(CheckpointStore.file(file).load("signal-dashboard")).hasValue(20);
  }

  @Test
  void aGapFailsTheSubscriptionWithWhatWasLost() throws Exception {
    feeds.declare("small", 100);
    publish("small", 1, 300, null);
    Recorder r = new Recorder();
    FeedSubscription sub = subscribe("small", List.of(),
        FAST.toBuilder().start(FeedOptions.StartPosition.after(10)).build(), r);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.state()).isEqualTo(FeedSubscription.State.FAILED);
    assertThat(sub.failure()).get().isInstanceOfSatisfying(FeedGapException.class, g -> {
      assertThat(g.feed()).isEqualTo("small");
      assertThat(g.requestedAfter()).isEqualTo(10);
      assertThat(g.oldestAvailable()).isEqualTo(201);
      assertThat(g.missed()).isEqualTo(190);
    });
    assertThat(r.error.get()).isInstanceOf(FeedGapException.class);
    assertThat(r.events).isEmpty();
    assertThat(r.gaps).isEmpty();
  }

  @Test
  void aGapUnderContinueIsReportedOnceThenTheWindowIsDelivered() throws Exception {
    feeds.declare("small", 100);
    publish("small", 1, 300, null);
    Recorder r = new Recorder();
    CheckpointStore store = CheckpointStore.inMemory();
    FeedSubscription sub = subscribe("small", List.of(), FAST.toBuilder()
        .start(FeedOptions.StartPosition.after(10))
        .gapPolicy(FeedOptions.GapPolicy.CONTINUE)
        .checkpoint(store, "c")
        .build(), r);
    await("100 events", () -> r.events.size() >= 100);
    assertThat(r.gaps).singleElement().satisfies(g -> {
      assertThat(g.requestedAfter()).isEqualTo(10);
      assertThat(g.oldestAvailable()).isEqualTo(201);
    });
    assertThat(r.ids()).isEqualTo(range(201, 300));
    assertThat(sub.failure()).isEmpty();
    assertThat(store.load("c")).hasValue(300);
  }

  @Test
  void startingAtTheEarliestEventReportsNoGap() throws Exception {
    feeds.declare("small", 100);
    publish("small", 1, 300, null);
    Recorder r = new Recorder();
    subscribe("small", List.of(), FAST, r);
    await("100 events", () -> r.events.size() >= 100);
    assertThat(r.ids()).isEqualTo(range(201, 300));
    assertThat(r.gaps).isEmpty();
  }

  @Test
  void theWindowCanGrowAndShrinkWhileKeepingTheNewestEvents() throws Exception {
    feeds.declare("grow", 3000);
    publish("grow", 1, 5000, null);
    Recorder r = new Recorder();
    subscribe("grow", List.of(), FAST, r);
    await("3000 events", () -> r.events.size() >= 3000);
    assertThat(r.ids()).isEqualTo(range(2001, 5000));

    feeds.declare("grow", 500); // shrink: keeps the newest 500
    Recorder s = new Recorder();
    FeedSubscription shrunk = subscribe("grow", List.of(), FAST, s);
    await("500 events", () -> s.events.size() >= 500);
    shrunk.close();
    assertThat(s.ids()).isEqualTo(range(4501, 5000));
  }

  @Test
  void manySubscribersEachGetEverythingAndCloseWithoutLeakingThreads() throws Exception {
    feeds.declare("emergency");
    List<Recorder> recorders = new ArrayList<>();
    List<FeedSubscription> mine = new ArrayList<>();
    java.util.Set<Thread> before = feedThreads();
    for (int i = 0; i < 12; i++) {
      Recorder r = new Recorder();
      recorders.add(r);
      mine.add(subscribe("emergency", i % 2 == 0 ? List.of() : List.of("unit-1"), FAST, r));
    }
    java.util.Set<Thread> threads = new java.util.HashSet<>(feedThreads());
    threads.removeAll(before);
    assertThat(threads).hasSize(24);
    for (FeedSubscription s : mine) {
      assertThat(s.awaitConnected(Duration.ofSeconds(30))).isTrue();
    }
    for (long i = 1; i <= 600; i++) {
      feeds.publish("emergency", "dispatch", "unit-" + (i % 3), new Reading(i, "120", 0));
    }
    List<Long> unit1 = LongStream.rangeClosed(1, 600).filter(i -> i % 3 == 1).boxed().toList();
    for (int i = 0; i < recorders.size(); i++) {
      Recorder r = recorders.get(i);
      int want = i % 2 == 0 ? 600 : unit1.size();
      await("subscriber " + i, () -> r.events.size() >= want);
      assertThat(r.ids()).isEqualTo(i % 2 == 0 ? range(1, 600) : unit1);
    }
    await("12 open streams", () -> feeds.openStreams() == 12);
    mine.forEach(FeedSubscription::close);
    await("the streams to end", () -> feeds.openStreams() == 0);
    // this test's threads: a subscription another test left open must not make this one fail
    await("the threads to end", () -> threads.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void aKeyFilterDeliversOnlyThoseKeysInOrder() throws Exception {
    for (long i = 1; i <= 300; i++) {
      feeds.publish("water", "reading", "ds-" + (i % 3), new Reading(i, "s", 1));
    }
    Recorder r = new Recorder();
    FeedSubscription sub = subscribe("water", List.of("ds-0", "ds-2"), FAST, r);
    await("200 events", () -> r.events.size() >= 200);
    sub.close();
    assertThat(r.ids()).isEqualTo(LongStream.rangeClosed(1, 300).filter(i -> i % 3 != 1).boxed().toList());
    assertThat(r.events).allSatisfy(e -> assertThat(e.key()).isIn("ds-0", "ds-2"));
  }

  @Test
  void aKeyFilterIsToldOfAGapOnlyWhenItsOwnKeysWereEvicted() throws Exception {
    feeds.declare("bay", 10);
    publish("bay", 1, 20, "ds-b");
    publish("bay", 21, 25, "ds-a");
    Recorder a = new Recorder();
    FeedOptions fromStart = FAST.toBuilder().start(FeedOptions.StartPosition.after(0)).build();
    subscribe("bay", List.of("ds-a"), fromStart, a);
    await("5 events", () -> a.events.size() >= 5);
    assertThat(a.ids()).isEqualTo(range(21, 25));

    FeedSubscription b = subscribe("bay", List.of("ds-b"), fromStart, new Recorder());
    assertThat(b.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(b.failure()).get().isInstanceOfSatisfying(FeedGapException.class,
        g -> assertThat(g.oldestAvailable()).isEqualTo(16));
  }

  @Test
  void aSlowHandlerKeepsTheBufferBoundedAndLosesNothing() throws Exception {
    publish("signals", 1, 3000, null);
    List<Long> seen = new ArrayList<>();
    FeedSubscription sub = subscribe("signals", List.of(), FAST.toBuilder()
        .bufferCapacity(16)
        .overflowWait(Duration.ofMillis(20))
        .build(), e -> {
          seen.add(e.id());
          if (e.id() % 500 == 0) {
            Thread.sleep(120); // a stall much longer than overflowWait with a full buffer
          }
        });
    await("3000 events", () -> sub.delivered() >= 3000);
    assertThat(seen).isEqualTo(range(1, 3000));
    assertThat(sub.maxBuffered()).isLessThanOrEqualTo(16).isGreaterThan(0);
    assertThat(sub.reconnects()).as("the reader dropped the connection on overflow").isGreaterThanOrEqualTo(1);
  }

  @Test
  void anUnknownFeedEndsTheSubscriptionWithNotFound() throws Exception {
    Recorder r = new Recorder();
    FeedSubscription sub = subscribe("no-such-feed", List.of(), FAST, r);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOf(NotFoundException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("no-such-feed"));
    assertThat(r.error.get()).isInstanceOf(NotFoundException.class);
  }

  @Test
  void wrongCredentialsEndTheSubscription() throws Exception {
    feeds.declare("signals");
    ApiClient wrong = new ApiClient(sandbox.clientConfig().toBuilder()
        .credentials(Credentials.apiKey("sk_wrong_0000000000000000")).build(), "test");
    FeedSubscription sub = FeedClient.subscribe(wrong, "signals", List.of(), Reading.class, FAST, e -> { });
    subs.add(sub);
    assertThat(sub.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(sub.failure()).get().isInstanceOf(AuthenticationException.class);
    assertThat(sub.failure().get().getMessage()).doesNotContain("sk_wrong_0000000000000000");
  }

  @Test
  void publicEntryPointSubscribesWithAClientConfig() throws Exception {
    for (long i = 1; i <= 3; i++) { // the demo tenant's own twin change feed
      feeds.publishOwned(Sandbox.DEFAULT_TENANT, "twin-changes", "reading", "entity-1", new Reading(i, "lingang", 1));
    }
    List<Long> seen = new CopyOnWriteArrayList<>();
    try (FeedSubscription sub = FeedSubscription.open(sandbox.clientConfig(), "twin-changes", List.of(),
        Reading.class, FAST, e -> seen.add(e.id()))) {
      await("3 events", () -> seen.size() >= 3);
      assertThat(sub.feed()).isEqualTo("twin-changes");
    }
    assertThat(seen).containsExactly(1L, 2L, 3L);
  }

  @Test
  void listingShowsEachFeedsBounds() {
    feeds.declare("empty");
    feeds.declare("small", 10);
    publish("small", 1, 25, null);
    JsonNode list = api.call(ApiRequest.builder("feeds.list", "GET", "/feeds/v1").build(), JsonNode.class);
    JsonNode small = null;
    JsonNode empty = null;
    for (JsonNode f : list.get("feeds")) {
      if (f.get("name").asText().equals("small")) {
        small = f;
      }
      if (f.get("name").asText().equals("empty")) {
        empty = f;
      }
    }
    assertThat(small).isNotNull();
    assertThat(small.get("firstId").asLong()).isEqualTo(16);
    assertThat(small.get("lastId").asLong()).isEqualTo(25);
    assertThat(small.get("window").asInt()).isEqualTo(10);
    assertThat(empty.has("firstId")).as("firstId is left out while a feed is empty").isFalse();
    assertThat(empty.get("lastId").asLong()).isZero();
  }

  @Test
  void badResumePointsAreRejectedWithProblems() {
    publish("signals", 1, 5, null);
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .header("Last-Event-ID", "abc").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.getMessage()).contains("Last-Event-ID");
          assertThat(e.errors()).extracting(f -> f.field()).containsExactly("Last-Event-ID");
        });
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .query("lastEventId", "-3").build())).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .query("start", "yesterday").build())).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("start");
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .query("heartbeat", "1").build())).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("heartbeat");
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .header("Last-Event-ID", "99").build()))
        .isInstanceOfSatisfying(ConflictException.class,
            e -> assertThat(e.code()).hasValue("feed_position_ahead"));
    assertThatThrownBy(() -> api.execute(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "nope").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theWireFormatIsServerSentEventsWithCloudEventsData() throws Exception {
    feeds.publish("signals", "signal.phase", "jiading-signal-7", new Reading(1, "jiading", 2.5));
    Request request = api.prepare(ApiRequest.builder("t", "GET", "/feeds/v1/{}", "signals")
        .header("Accept", "text/event-stream").header("Last-Event-ID", "0").build());
    try (Response response = api.http().newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).startsWith("text/event-stream");
      assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
      InputStream in = response.body().byteStream();
      StringBuilder text = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!text.toString().contains("\"data\":{")) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
      String s = text.toString();
      assertThat(s).contains("event: open\ndata: {\"feed\":\"signals\",\"position\":0,\"lastId\":1,\"oldestId\":1}");
      assertThat(s).contains("id: 1\nevent: signal.phase\ndata: {\"specversion\":\"1.0\",\"id\":\"1\","
          + "\"source\":\"/feeds/v1/signals\",\"type\":\"signal.phase\",\"subject\":\"jiading-signal-7\",\"time\":\"");
    }
  }

  @Test
  void stoppingTheSandboxEndsOpenStreams() throws Exception {
    feeds.declare("signals");
    FeedSubscription sub = subscribe("signals", List.of(), FAST, new Recorder());
    assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
    await("the stream to be open", () -> feeds.openStreams() == 1);
    sandbox.stop();
    await("the stream to end", () -> feeds.openStreams() == 0);
    await("the client to notice", () -> sub.state() == FeedSubscription.State.RECONNECTING);
    sandbox.restart();
    await("the client to be back", () -> sub.state() == FeedSubscription.State.STREAMING && feeds.openStreams() == 1);
  }

  @Test
  void anOwnedFeedIsInvisibleToOtherTenantsAndItsNameReachesTheirOwnNamespace() throws Exception {
    for (long i = 1; i <= 3; i++) {
      feeds.publishOwned("meituan", "twin-changes.meituan", "reading", "building-1", new Reading(i, "lingang", 1));
    }
    ApiClient meituan = new ApiClient(sandbox.tenant("meituan").clientConfig(), "test");
    List<Long> seen = new CopyOnWriteArrayList<>();
    FeedSubscription own = FeedClient.subscribe(meituan, "twin-changes.meituan", List.of(), Reading.class, FAST,
        e -> seen.add(e.id()));
    subs.add(own);
    await("3 events", () -> seen.size() >= 3);

    FeedSubscription other = subscribe("twin-changes.meituan", List.of(), FAST, new Recorder());
    assertThat(other.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(other.failure()).get().isInstanceOf(NotFoundException.class);
    JsonNode list = api.call(ApiRequest.builder("feeds.list", "GET", "/feeds/v1").build(), JsonNode.class);
    assertThat(list.get("feeds").findValuesAsText("name")).doesNotContain("twin-changes.meituan");
    JsonNode mine = meituan.call(ApiRequest.builder("feeds.list", "GET", "/feeds/v1").build(), JsonNode.class);
    assertThat(mine.get("feeds").findValuesAsText("name")).contains("twin-changes.meituan");

    // the demo tenant publishing under the same name writes to a feed of its own: meituan's is untouched
    feeds.publishOwned(Sandbox.DEFAULT_TENANT, "twin-changes.meituan", "reading", "building-1",
        new Reading(99, "intruder", 0));
    assertThat(feeds.lastIdOwned("meituan", "twin-changes.meituan")).isEqualTo(3);
    assertThat(feeds.lastIdOwned(Sandbox.DEFAULT_TENANT, "twin-changes.meituan")).isEqualTo(1);
    own.close();
    assertThat(seen).containsExactly(1L, 2L, 3L);
  }

  @Test
  void serverSideDisconnectsAreResumedWithoutLossOrRepeat() throws Exception {
    Recorder r = new Recorder();
    feeds.declare("ambulances");
    FeedSubscription sub = subscribe("ambulances", List.of(), FAST, r);
    assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
    for (int round = 0; round < 5; round++) {
      publish("ambulances", round * 100L + 1, round * 100L + 100, "ambulance-" + round);
      feeds.disconnectAll();
    }
    await("500 events", () -> r.events.size() >= 500);
    sub.close();
    assertThat(r.ids()).isEqualTo(range(1, 500));
    assertThat(sub.reconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void publishingValidatesItsArguments() {
    assertThatThrownBy(() -> feeds.publish("bad feed", "x", null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feed must be");
    assertThatThrownBy(() -> feeds.publish("signals", "gap", null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type must be");
    assertThatThrownBy(() -> feeds.publish("signals", "x\ny", null, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type must be");
    assertThatThrownBy(() -> feeds.publish("signals", "x", "a\nb", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key must be");
  }
}
