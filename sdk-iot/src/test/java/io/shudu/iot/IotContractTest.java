package io.shudu.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.ClientException;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Sandbox;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The IoT client held to the one client contract, over loopback against the in-process sandbox: every operation has
 * an async form that never throws, per-call options reach the platform, listings page with opaque tokens that resume,
 * ETags guard updates and deletes, and a dataArray with bad rows returns what was created and what was rejected.
 */
class IotContractTest {
  static Sandbox sandbox;
  static IotClient iot;
  static long datastream;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    iot = IotClient.create(sandbox.clientConfig());
    Thing t = iot.things().create(Thing.of("contract buoy " + System.nanoTime(), "contract test")
        .withLocations(List.of(Location.of("contract point", "test point", Geometry.point(120.95, 31.11))))
        .withDatastreams(List.of(Datastream.of("contract DO", "Dissolved oxygen", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.of("Contract sonde", "sonde", "text/plain", "none"))
            .withObservedProperty(ObservedProperty.of("DO (contract)", "http://example.org/do", "DO")))));
    datastream = iot.things().listRelated(t.id(), EntitySet.DATASTREAMS).iterator().next().id();
  }

  @AfterAll
  static void stop() {
    iot.close();
    sandbox.close();
  }

  // ------------------------------------------------------------------ shape

  @Test
  void everyOperationOfEverySubApiHasAnAsyncFormAndEverySubApiHasWithOptions() {
    for (Class<?> api : List.of(IotEntities.class, IotObservations.class, IotFeeds.class)) {
      assertThat(Arrays.stream(api.getMethods()).map(Method::getName)).as(api.getSimpleName()).contains("withOptions");
      for (Method m : api.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getName().endsWith("Async")
            || m.getName().equals("withOptions") || m.getName().equals("entitySet")
            || PagedIterable.class.equals(m.getReturnType())
            // opening a subscription does not block (it connects in the background)
            || (FeedSubscription.class.equals(m.getReturnType()) && m.getName().equals("subscribe"))) {
          continue;
        }
        assertThat(Arrays.stream(api.getMethods()).filter(a -> a.getName().equals(m.getName() + "Async")
            && Arrays.equals(a.getParameterTypes(), m.getParameterTypes())
            && CompletableFuture.class.equals(a.getReturnType())))
            .as(api.getSimpleName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()) + " has an async form")
            .hasSize(1);
      }
    }
    IotClient client = iot;
    assertThat(List.of(client.things(), client.locations(), client.historicalLocations(), client.datastreams(),
        client.multiDatastreams(), client.sensors(), client.observedProperties(), client.observations(),
        client.featuresOfInterest())).extracting(e -> e.entitySet().name()).containsExactly("Things", "Locations",
        "HistoricalLocations", "Datastreams", "MultiDatastreams", "Sensors", "ObservedProperties", "Observations",
        "FeaturesOfInterest");
  }

  // ------------------------------------------------------------------ async never throws

  static <T> Throwable failureOf(Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      throw new AssertionError("an async method threw instead of failing its future", e);
    }
    assertThat(f).isNotNull();
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    if (t == null) {
      throw new AssertionError("the future completed with " + f.join() + " instead of failing");
    }
    return t.getCause();
  }

  @Test
  void asyncMethodsNeverThrowBadArgumentsFailTheFutureWithTheBlockingFormsException() {
    IotEntities<Thing> things = iot.things();
    IotObservations obs = iot.observations();
    List<Supplier<CompletableFuture<?>>> bad = List.of(
        () -> things.getAsync(0),
        () -> things.getAsync(1, null),
        () -> things.getAsync(1, IotQuery.builder().expand("Observations").build()),
        () -> things.getVersionedAsync(-1),
        () -> things.countAsync(Expr.property("nme").eq("x")),
        () -> things.createAsync(null),
        () -> things.createAsync(Thing.of(" ", "no name")),
        () -> things.updateAsync(0, Thing.ref(1).withName("x"), null),
        () -> things.updateAsync(1, Thing.ref(1), null),
        () -> things.updateAsync(1, Thing.ref(1).withName("x"), " "),
        () -> things.patchAsync(1, Map.of(), null),
        () -> things.patchAsync(1, null, null),
        () -> things.deleteAsync(0, null),
        () -> things.deleteAsync(1, "\"1-1\"\r\nX-Injected: yes"),
        () -> obs.createAsync(0, Observation.of(Instant.now(), 1.0)),
        () -> obs.createAsync(datastream, Observation.of(Instant.now(), null)),
        () -> obs.createDataArrayAsync(datastream, List.of()),
        () -> obs.createDataArrayAsync(datastream, null),
        () -> obs.createDataArrayAsync(datastream, List.of(Observation.of(Instant.now(), 1.0)
            .withPhenomenonTime(null))),
        () -> obs.createDataArrayAsync(datastream, List.of(Observation.of(Instant.now(), 1.0)
            .withFeatureOfInterest(FeatureOfInterest.of("new", "d", Geometry.point(121, 31))))),
        () -> obs.latestAsync(0),
        () -> iot.feeds().subscribeDatastreamAsync(0, FeedOptions.defaults(), e -> { }));
    for (int i = 0; i < bad.size(); i++) {
      Supplier<CompletableFuture<?>> call = bad.get(i);
      Throwable cause = failureOf(call::get);
      assertThat(cause).as("bad call " + i).isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
    }
    // and platform failures arrive the same way, typed
    assertThat(failureOf(() -> things.getAsync(999_999_999))).isInstanceOf(NotFoundException.class);
    assertThat(failureOf(() -> iot.feeds().subscribeDatastreamAsync(999_999_999, FeedOptions.defaults(), e -> { })))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> things.get(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  @Test
  void asyncFormsReturnWhatTheBlockingFormsReturn() throws Exception {
    Sensor s = iot.sensors().createAsync(Sensor.of("async sensor", "d", "text/plain", "m")).get(10, TimeUnit.SECONDS);
    Versioned<Sensor> v = iot.sensors().getVersionedAsync(s.id()).get(10, TimeUnit.SECONDS);
    assertThat(v.value()).isEqualTo(iot.sensors().get(s.id()));
    assertThat(v.etag()).isEqualTo(iot.sensors().getVersioned(s.id()).etag());
    Sensor updated = iot.sensors().updateAsync(s.id(), Sensor.ref(s.id()).withDescription("async"), v.etag())
        .get(10, TimeUnit.SECONDS);
    assertThat(updated.description()).isEqualTo("async");
    assertThat(failureOf(() -> iot.sensors().updateAsync(s.id(), Sensor.ref(s.id()).withName("stale"), v.etag())))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(iot.sensors().patchAsync(s.id(), Map.of("name", "patched"), null).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("patched");
    assertThat(iot.sensors().countAsync(Expr.NAME.eq("patched")).get(10, TimeUnit.SECONDS))
        .isEqualTo(iot.sensors().count(Expr.NAME.eq("patched")));
    Observation o = iot.observations().createAsync(datastream, Observation.of(Instant.now().plusSeconds(3600), 9.9))
        .get(10, TimeUnit.SECONDS);
    assertThat(iot.observations().latestAsync(datastream).get(10, TimeUnit.SECONDS)).contains(o);
    assertThat(iot.observations().latest(datastream)).contains(o);
    iot.sensors().deleteAsync(s.id(), iot.sensors().getVersioned(s.id()).etag()).get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> iot.sensors().get(s.id())).isInstanceOf(NotFoundException.class);
  }

  // ------------------------------------------------------------------ optimistic concurrency

  @Test
  void conditionalUpdatesAndDeletesFailWith412OnAStaleEtagAndSucceedWithTheCurrentOne() {
    ObservedProperty p = iot.observedProperties().create(ObservedProperty.of("etag prop", "http://e.org/p", "d"));
    Versioned<ObservedProperty> first = iot.observedProperties().getVersioned(p.id());
    iot.observedProperties().update(p.id(), ObservedProperty.ref(p.id()).withDescription("by someone else"), null);
    assertThatThrownBy(() -> iot.observedProperties().update(p.id(),
        ObservedProperty.ref(p.id()).withDescription("mine"), first.etag()))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("ETag");
    assertThatThrownBy(() -> iot.observedProperties().patch(p.id(), Map.of("description", "mine"), first.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> iot.observedProperties().delete(p.id(), first.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(iot.observedProperties().get(p.id()).description()).isEqualTo("by someone else");

    Versioned<ObservedProperty> now = iot.observedProperties().getVersioned(p.id());
    assertThat(now.etag()).isNotEqualTo(first.etag());
    iot.observedProperties().delete(p.id(), now.etag());
    assertThatThrownBy(() -> iot.observedProperties().get(p.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void ofManyWritersHoldingTheSameEtagExactlyOneWins() throws Exception {
    int writers = 8;
    // large bodies keep each request busy on the platform, so the writers overlap there
    Map<String, Object> bulk = new java.util.HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      bulk.put("k" + i, "value " + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 3; round++) {
        Thing t = iot.things().create(Thing.of("race " + round + " " + System.nanoTime(), "race"));
        String etag = iot.things().getVersioned(t.id()).etag();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          Thing changes = Thing.ref(t.id()).withName("writer " + i).withProperties(bulk);
          done.add(pool.submit(() -> {
            go.await();
            try {
              iot.things().update(t.id(), changes, etag);
              won.incrementAndGet();
            } catch (PreconditionFailedException e) {
              refused.incrementAndGet();
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertThat(won.get()).as("round " + round).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(writers - 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ paging

  @Test
  void continuationTokensAreOpaqueAndResumeTheListingWhereThePageEnded() {
    PagedIterable<Observation> all = iot.observations().list(IotQuery.builder().pageSize(40).build());
    List<Page<Observation>> pages = new ArrayList<>();
    all.withMaxItems(120).pages().forEach(pages::add);
    assertThat(pages).extracting(p -> p.items().size()).containsExactly(40, 40, 40);
    String token = pages.get(0).continuationToken();
    assertThat(token).doesNotContain("http").doesNotContain("/iot/").doesNotContain("$skip");
    assertThat(new String(Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1)))).contains("/iot/");
    List<Long> expected = pages.get(1).items().stream().map(Observation::id).toList();
    // a later process resumes from the stored token, async too
    assertThat(all.resumeFrom(token).withMaxItems(40).stream().map(Observation::id).toList()).isEqualTo(expected);
    assertThat(all.resumeFrom(token).withMaxItems(40).toListAsync().join().stream().map(Observation::id).toList())
        .isEqualTo(expected);
    // another listing's token, a forged one and a raw nextLink are refused with a clear message
    assertThatThrownBy(() -> iot.things().list().resumeFrom(token).iterator().hasNext())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another listing");
    assertThatThrownBy(() -> all.resumeFrom(sandbox.clientConfig().endpoint() + "iot/v1.1/Observations?$skip=40")
        .iterator().hasNext()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("continuation token");
    assertThat(failureOf(() -> all.resumeFrom("st1.%%%").toListAsync()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void topBoundsTheWholeListingWhilePageSizeOnlyShapesThePages() {
    long total = iot.observations().count(null);
    assertThat(total).isGreaterThan(250);
    List<Page<Observation>> pages = new ArrayList<>();
    iot.observations().list(IotQuery.builder().top(250).pageSize(100).build()).pages().forEach(pages::add);
    assertThat(pages).extracting(p -> p.items().size()).containsExactly(100, 100, 50);
    assertThat(pages.get(2).continuationToken()).isNull();
    // resuming within the bound keeps the bound
    PagedIterable<Observation> bounded = iot.observations().list(IotQuery.builder().top(250).pageSize(100).build());
    assertThat(bounded.resumeFrom(pages.get(0).continuationToken()).stream().count()).isEqualTo(150);
    assertThat(iot.observations().list(IotQuery.builder().pageSize(100).build()).stream().count()).isEqualTo(total);
    assertThat(iot.observations().list(IotQuery.builder().top(7).build()).toListAsync().join()).hasSize(7);
  }

  // ------------------------------------------------------------------ typed partial results

  @Test
  void aDataArrayWithRejectedRowsReturnsTheCreatedIdsAndTheRejectedRows() {
    FeatureOfInterest foi = iot.featuresOfInterest().create(FeatureOfInterest.of("contract feature", "d",
        Geometry.point(120.95, 31.11)));
    FeatureOfInterest gone = iot.featuresOfInterest().create(FeatureOfInterest.of("deleted feature", "d",
        Geometry.point(120.96, 31.12)));
    iot.featuresOfInterest().delete(gone.id(), null);
    long before = iot.observations().ofDatastream(datastream).stream().count();
    Instant t0 = Instant.parse("2024-06-01T00:00:00Z");
    List<Observation> rows = List.of(
        Observation.of(t0, 7.0),
        Observation.of(t0.plusSeconds(60), 7.1).withFeatureOfInterest(FeatureOfInterest.ref(foi.id())),
        Observation.of(t0.plusSeconds(120), 7.2).withFeatureOfInterest(FeatureOfInterest.ref(gone.id())),
        Observation.of(t0.plusSeconds(180), 7.3));

    DataArrayResult r = iot.observations().createDataArray(datastream, rows);

    assertThat(r.allCreated()).isFalse();
    assertThat(r.created()).extracting(CreatedObservation::index).containsExactly(0, 1, 3);
    assertThat(r.rejected()).extracting(RejectedObservation::index).containsExactly(2);
    assertThat(r.rejected().get(0).problem()).isNotBlank();
    assertThat(r.createdIds()).hasSize(3).doesNotHaveDuplicates();
    for (CreatedObservation c : r.created()) {
      Observation stored = iot.observations().get(c.id(), IotQuery.builder().expand("FeatureOfInterest").build());
      assertThat(stored.resultAsDouble()).isEqualTo(rows.get(c.index()).resultAsDouble());
      if (c.index() == 1) {
        assertThat(stored.featureOfInterest().id()).isEqualTo(foi.id());
      }
    }
    assertThat(iot.observations().ofDatastream(datastream).stream().count()).isEqualTo(before + 3);

    DataArrayResult async = iot.observations().createDataArrayAsync(datastream, rows.subList(0, 2)).join();
    assertThat(async.allCreated()).isTrue();
    assertThat(async.created()).extracting(CreatedObservation::index).containsExactly(0, 1);
  }

  // ------------------------------------------------------------------ withOptions

  @Test
  void withOptionsViewsSendTheirOptionsAndLeaveTheClientAsItIs() throws Exception {
    RequestOptions traced = RequestOptions.builder()
        .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    IotClient watched = IotClient.create(sandbox.clientConfig().toBuilder().addListener(new io.shudu.core.ClientListener() {
      @Override
      public void attemptEnded(io.shudu.core.ClientListener.Attempt a) {
        seen.add(a.operation() + " " + a.traceparent());
      }
    }).build());
    watched.things().withOptions(traced).count(null);
    watched.observations().withOptions(traced).latest(datastream);
    watched.feeds().withOptions(traced).things(ProgrammeFeed.WATER_QUALITY).firstPage();
    watched.things().count(null);
    assertThat(seen).hasSize(4);
    assertThat(seen.subList(0, 3)).allSatisfy(s -> assertThat(s).contains("0af7651916cd43dd8448eb211c80319c"));
    assertThat(seen.get(3)).doesNotContain("0af7651916cd43dd8448eb211c80319c");
  }

  @Test
  void aClosedClientRefusesEveryLaterCallAndOtherClientsOfTheConfigKeepWorking() {
    IotClient closed = IotClient.create(sandbox.clientConfig());
    assertThat(closed.datastreams().get(datastream).id()).isEqualTo(datastream);
    closed.close();
    closed.close(); // idempotent
    assertThatThrownBy(() -> closed.datastreams().get(datastream)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed iot client").hasMessageContaining("create a new client");
    assertThatThrownBy(() -> closed.observations().withOptions(RequestOptions.defaults()).ofDatastream(datastream)
        .firstPage()).isInstanceOf(IllegalStateException.class);
    assertThat(failureOf(() -> closed.things().getAsync(1))).isInstanceOf(IllegalStateException.class);
    assertThat(iot.datastreams().get(datastream).id()).isEqualTo(datastream);
  }
}
