package io.shudu.examples.iot;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.ConflictException;
import io.shudu.core.Credentials;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.geo.Position;
import io.shudu.iot.DataArrayResult;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.core.geo.Geometry;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotEntities;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Location;
import io.shudu.iot.Observation;
import io.shudu.iot.ObservedProperty;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.iot.RejectedObservation;
import io.shudu.iot.Sensor;
import io.shudu.iot.SensorThingsVersion;
import io.shudu.iot.Thing;
import io.shudu.core.Versioned;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The code of docs/guide-iot.md, compiled and run by {@code IotGuideSnippetsTest} against the sandbox so that the
 * guide cannot rot. Each region between {@code snippet:start} and {@code snippet:end} appears verbatim in the guide
 * (checked by {@code DocSnippetsTest}); each method runs one or more regions and returns what they produced.
 */
public final class IotGuideSnippets {
  private IotGuideSnippets() {}

  /** The clients of the {@code connect} snippet. */
  record Connected(IotClient iot, IotClient legacy) {}

  static Connected connect(String endpoint, String apiKey) {
    // snippet:start connect
    ClientConfig config = ClientConfig.builder()
        .endpoint(endpoint)                                                  // such as https://api.shudu.example
        .credentials(Credentials.apiKey(apiKey))                             // such as System.getenv("SHUDU_API_KEY")
        .build();
    IotClient iot = IotClient.create(config);                                // SensorThings 1.1
    IotClient legacy = IotClient.create(config, SensorThingsVersion.V1_0);   // a 1.0 service
    // snippet:end connect
    return new Connected(iot, legacy);
  }

  /** What the {@code history} snippet read. */
  record History(Datastream dox, List<Observation> week) {}

  static History history(IotClient iot, PrintStream out) {
    // snippet:start history
    // every water-quality station with its location
    for (Thing station : iot.feeds().things(ProgrammeFeed.WATER_QUALITY)) {
      Geometry.Point p = (Geometry.Point) station.locations().get(0).location();
      out.println(station.properties().get("code") + " " + station.name() + " " + p.coordinates());
    }

    // dissolved oxygen on Dianshan Lake over the last week, oldest first
    Datastream dox = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").stream()
        .filter(d -> d.thing().name().startsWith("淀山湖"))
        .findFirst().orElseThrow();
    List<Observation> week = iot.observations()
        .history(dox.id(), Instant.now().minus(Duration.ofDays(7)), Instant.now()).stream().toList();
    for (Observation o : week) {
      out.println(o.phenomenonTime() + " " + o.resultAsDouble() + " " + dox.unitOfMeasurement().symbol());
    }
    // snippet:end history
    return new History(dox, week);
  }

  /** What the {@code query} snippet found. */
  record Queries(List<Observation> alerts, long closedRoads, List<Location> within1km) {}

  static Queries query(IotClient iot) {
    // snippet:start query
    Geometry.Polygon qingpu = Geometry.polygon(List.of(
        new Position(120.85, 30.95), new Position(121.20, 30.95),
        new Position(121.20, 31.20), new Position(120.85, 31.20),
        new Position(120.85, 30.95)));

    IotQuery q = IotQuery.builder()
        .filter(Expr.RESULT.lt(5.0)                                               // low oxygen
            .and(Expr.endsWith(Expr.property("Datastream/name"), "DO"))
            .and(Expr.stWithin(Expr.property("FeatureOfInterest/feature"), qingpu))
            .and(Expr.PHENOMENON_TIME.ge(Instant.now().minus(Duration.ofDays(1)))))
        .orderBy(Expr.PHENOMENON_TIME, true)
        .expand("Datastream", IotQuery.builder().select("name", "unitOfMeasurement")
            .expand("Thing", IotQuery.builder().select("name", "properties").build()).build())
        .pageSize(200)                                                          // per request; top(n) would cap the total
        .build();
    List<Observation> alerts = iot.observations().list(q).stream().toList();

    long closedRoads = iot.observations().count(
        Expr.property("Datastream/ObservedProperty/name").eq("Road closure").and(Expr.RESULT.eq(true)));
    List<Location> within1km = iot.locations().list(IotQuery.builder()
        .filter(Expr.geoDistance(Expr.LOCATION, Geometry.point(121.2449, 31.3932)).lt(0.01)).build()).stream().toList();
    // snippet:end query
    return new Queries(alerts, closedRoads, within1km);
  }

  /** What the {@code temporal} snippet built and read. */
  record Temporal(Instant dayStart, Instant dayEnd, List<Observation> thatDay, long startedBefore,
      Expr straddling) {}

  static Temporal temporal(IotClient iot, Datastream dox) {
    // snippet:start temporal
    Instant dayStart = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2));   // a UTC day, both ends in
    Instant dayEnd = dayStart.plus(Duration.ofDays(1));
    List<Observation> thatDay = iot.observations().ofDatastream(dox.id(), IotQuery.builder()
        .filter(Expr.during(Expr.PHENOMENON_TIME, dayStart, dayEnd)).build()).stream().toList();
    long startedBefore = iot.observations().count(Expr.before(Expr.PHENOMENON_TIME, dayStart));
    Expr straddling = Expr.overlaps(Expr.PHENOMENON_TIME, dayStart, dayEnd)
        .and(Expr.during(Expr.PHENOMENON_TIME, dayStart, dayEnd).not());   // straddles a day boundary
    // Expr.during(Expr.PHENOMENON_TIME, dayEnd, dayStart) -> IllegalArgumentException: interval from (...) must not be after to (...)
    // snippet:end temporal
    return new Temporal(dayStart, dayEnd, thatDay, startedBefore, straddling);
  }

  /** What the {@code listing} snippet collected. */
  record Listing(List<Observation> stored, List<String> checkpoints, List<Observation> afterFirstPage,
      long indexed) {}

  static Listing listing(IotClient iot, Datastream dox) {
    // snippet:start listing
    PagedIterable<Observation> all = iot.observations()
        .ofDatastream(dox.id(), IotQuery.builder().pageSize(50).build());   // 50 a page
    List<Observation> stored = new ArrayList<>();
    List<String> checkpoints = new ArrayList<>();
    for (Page<Observation> page : all.withMaxItems(50_000).pages()) {
      stored.addAll(page.items());
      page.nextToken().ifPresent(checkpoints::add);   // store it: resumeFrom(token) continues after this page
    }
    List<Observation> afterFirstPage = all.resumeFrom(checkpoints.get(0)).stream().toList();
    AtomicLong indexed = new AtomicLong();
    all.forEachAsync(o -> indexed.incrementAndGet()).join();   // without blocking a thread between pages
    // snippet:end listing
    return new Listing(stored, checkpoints, afterFirstPage, indexed.get());
  }

  /** What the {@code options} snippet read. */
  record Options(long stations, Optional<Observation> newest, Versioned<Thing> station, Thing checked) {}

  static Options options(IotClient iot, Datastream dox) {
    // snippet:start options
    // one sub-API per entity set; withOptions gives a view whose calls carry the options
    IotEntities<Thing> things = iot.things();
    RequestOptions patient = RequestOptions.builder()
        .timeout(Duration.ofSeconds(30))
        .header("X-Partner-Trace", "wq-audit-0001")
        .build();
    long stations = things.withOptions(patient).count(Expr.property("properties/feed").eq("water-quality"));

    // every operation has an async form; it never throws: bad arguments and failures arrive through the future
    CompletableFuture<Optional<Observation>> newest = iot.observations().latestAsync(dox.id());
    CompletableFuture<Thing> checked = things.getVersionedAsync(dox.thing().id())
        .thenCompose(v -> things.updateAsync(v.value().id(),
            Thing.ref(v.value().id()).withProperties(Map.of("checked", true)), v.etag()));   // If-Match
    // snippet:end options
    Thing updated = checked.join();
    return new Options(stations, newest.join(), things.getVersioned(dox.thing().id()), updated);
  }

  /** What the {@code create} snippet created. */
  record Created(Thing buoy, long sondeId, long datastreamId, Observation o, List<Long> ids) {}

  static Created create(IotClient iot, Datastream dox) {
    // snippet:start create
    // the sonde and the observed property that the Qingpu stations' dissolved-oxygen datastream uses
    Datastream doxLinks = iot.datastreams().get(dox.id(),
        IotQuery.builder().expand("Sensor").expand("ObservedProperty").build());
    long sondeId = doxLinks.sensor().id();

    // deep insert: a buoy with its location, a datastream linked to that sensor and property, a first observation
    Thing buoy = iot.things().create(Thing.of("淀山湖 浮标 QP-B07", "Buoy at the Jishui Gang inlet")
        .withProperties(Map.of("feed", "water-quality", "code", "QP-B07"))
        .withLocations(List.of(Location.of("急水港入湖口", "inlet", Geometry.point(120.929, 31.100))))
        .withDatastreams(List.of(Datastream.of("QP-B07 DO", "Dissolved oxygen", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.ref(sondeId))                                  // link an existing sensor
            .withObservedProperty(ObservedProperty.ref(doxLinks.observedProperty().id()))
            .withObservations(List.of(Observation.of(Instant.now(), 7.4))))));

    long datastreamId = iot.things().listRelated(buoy.id(), EntitySet.DATASTREAMS).iterator().next().id();
    Observation o = iot.observations().create(datastreamId, Observation.of(Instant.now(), 7.2));
    List<Observation> lastHour = new ArrayList<>();
    for (int minute = 60; minute >= 1; minute--) {
      lastHour.add(Observation.of(Instant.now().minus(Duration.ofMinutes(minute)), 7.0 + minute / 100.0));
    }
    DataArrayResult batch = iot.observations().createDataArray(datastreamId, lastHour);   // one request, up to 10,000
    for (RejectedObservation r : batch.rejected()) {          // rows the platform refused; the others are stored
      System.err.println("row " + r.index() + " not stored: " + r.problem());
    }
    List<Long> ids = batch.createdIds();
    // snippet:end create
    return new Created(buoy, sondeId, datastreamId, o, ids);
  }

  /** What the {@code update} snippet changed. */
  record Updated(Thing renamed, Thing retired, Versioned<Sensor> sonde, Sensor recalibrated) {}

  static Updated update(IotClient iot, Thing buoy, long sondeId) {
    // snippet:start update
    // JSON merge patch: only the non-null members are sent
    // (the last argument is the ETag the entity must still have; null: unconditional)
    Thing renamed = iot.things().update(buoy.id(), Thing.ref(buoy.id()).withName("淀山湖 浮标 QP-B07 (moved)"), null);
    Thing retired = iot.things().patch(buoy.id(),   // merged into the stored properties (RFC 7396)
        Map.of("properties", Map.of("status", "retired")), null);
    // conditional: fails with PreconditionFailedException if someone changed it since you read it
    Versioned<Sensor> sonde = iot.sensors().getVersioned(sondeId);
    Sensor recalibrated = iot.sensors().update(sondeId, Sensor.ref(sondeId)
        .withDescription("Multi-parameter sonde WQ-6, recalibrated"), sonde.etag());
    // snippet:end update
    return new Updated(renamed, retired, sonde, recalibrated);
  }

  static void delete(IotClient iot, Thing buoy) {
    // snippet:start delete
    iot.things().delete(buoy.id(), null);   // takes its datastreams and their observations with it
    // snippet:end delete
  }

  /** What the {@code subscribe} snippet received while the subscription was open. */
  record Subscribed(Map<Long, Observation> latestByDatastream, FeedSubscription.State state) {}

  static Subscribed subscribe(IotClient iot, Path stateDir, int datastreams) throws InterruptedException {
    // snippet:start subscribe
    Map<Long, Observation> latestByDatastream = new ConcurrentHashMap<>();   // what a rider router works from
    CheckpointStore checkpoints = CheckpointStore.file(stateDir.resolve("traffic.checkpoint"));
    FeedOptions options = FeedOptions.builder()
        .checkpoint(checkpoints, "rider-router")
        .start(FeedOptions.StartPosition.earliest())        // first run: from the oldest retained event
        .build();
    FeedHandler<Observation> handler = event -> {
      long datastream = Long.parseLong(event.key());
      latestByDatastream.put(datastream, event.payload());
    };
    try (FeedSubscription sub = subscribeTraffic(iot, checkpoints, options, handler)) {
      // ... work on while the handler runs on the subscription's thread; leaving the block closes it
      // snippet:end subscribe
      for (int i = 0; i < 400 && latestByDatastream.size() < datastreams; i++) {
        Thread.sleep(50);
      }
      return new Subscribed(Map.copyOf(latestByDatastream), sub.state());
    }
  }

  // snippet:start subscribe-or-reset
  static FeedSubscription subscribeTraffic(IotClient iot, CheckpointStore checkpoints, FeedOptions options,
      FeedHandler<Observation> handler) throws InterruptedException {
    FeedSubscription sub = iot.feeds().subscribe(ProgrammeFeed.TRAFFIC, options, handler);
    try {
      if (!sub.awaitConnected(Duration.ofSeconds(10))) {     // throws instead if the subscription has ended
        throw new IllegalStateException("the traffic feed did not connect within 10 s: " + sub);
      }
      return sub;
    } catch (ConflictException e) {
      sub.close();
      if (!e.code().orElse("").equals("feed_position_ahead")) {
        throw e;
      }
      // the checkpoint is beyond the feed's newest event: the feed was reset (for example a new sandbox)
      checkpoints.reset("rider-router");                      // start again from the start position
      FeedSubscription again = iot.feeds().subscribe(ProgrammeFeed.TRAFFIC, options, handler);
      if (!again.awaitConnected(Duration.ofSeconds(10))) {
        again.close();
        throw new IllegalStateException("the traffic feed did not connect within 10 s: " + again);
      }
      return again;
    } catch (RuntimeException e) {
      sub.close();
      throw e;
    }
  }
  // snippet:end subscribe-or-reset

  static List<Double> subscribeDatastream(IotClient iot, Datastream dox, double marker)
      throws InterruptedException {
    // snippet:start subscribe-datastream
    // one datastream only (its feed is looked up from its Thing)
    List<Double> oxygen = new CopyOnWriteArrayList<>();
    try (FeedSubscription doxFeed = iot.feeds().subscribeDatastream(dox.id(), FeedOptions.defaults(),
        e -> oxygen.add(e.payload().resultAsDouble()))) {
      if (!doxFeed.awaitConnected(Duration.ofSeconds(10))) {     // throws instead if the subscription has ended
        throw new IllegalStateException("the oxygen feed did not connect within 10 s: " + doxFeed);
      }
      // ... new observations of that datastream arrive in oxygen
      // snippet:end subscribe-datastream
      iot.observations().create(dox.id(), Observation.of(Instant.now(), marker));
      for (int i = 0; i < 200 && !oxygen.contains(marker); i++) {
        Thread.sleep(50);
      }
      return List.copyOf(oxygen);
    }
  }
}
