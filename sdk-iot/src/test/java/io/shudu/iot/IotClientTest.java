package io.shudu.iot;

import io.shudu.core.Versioned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IotClient end to end against a sandbox over loopback. */
class IotClientTest {
  static Sandbox sandbox;
  static IotClient iot;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    iot = IotClient.create(sandbox.clientConfig());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void listsTheProgrammesWaterQualityStationsWithLocations() {
    List<Thing> stations = new ArrayList<>();
    iot.feeds().things(ProgrammeFeed.WATER_QUALITY).forEach(stations::add);
    assertThat(stations).hasSize(5);
    assertThat(stations).allSatisfy(t -> {
      assertThat(t.properties()).containsEntry("feed", "water-quality").containsEntry("district", "青浦区");
      assertThat(t.locations()).hasSize(1);
      assertThat(t.locations().get(0).location()).isInstanceOf(Geometry.Point.class);
    });
  }

  @Test
  void queriesAWeekOfHourlyDissolvedOxygenWithUcumUnits() {
    Datastream dox = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").iterator().next();
    assertThat(dox.unitOfMeasurement().symbol()).isEqualTo("mg/L");
    assertThat(dox.thing().name()).contains("水质自动监测站");
    Instant now = Instant.now();
    List<Observation> week = iot.observations().history(dox.id(), now.minus(Duration.ofDays(8)), now).stream().toList();
    assertThat(week).hasSize(168);
    assertThat(week).isSortedAccordingTo((a, b) -> a.phenomenonTime().start().compareTo(b.phenomenonTime().start()));
    assertThat(week).allSatisfy(o -> assertThat(o.resultAsDouble()).isBetween(3.0, 11.0));
    List<Observation> lastDay = iot.observations().history(dox.id(), now.minus(Duration.ofHours(24)).truncatedTo(ChronoUnit.HOURS), now).stream().toList();
    assertThat(lastDay).hasSizeBetween(23, 24);
  }

  @Test
  void pagingFollowsNextLinksLazilyWithMaxItemsAndResumes() {
    PagedIterable<Observation> all = iot.observations().list(IotQuery.builder().pageSize(250).build());
    List<Page<Observation>> pages = new ArrayList<>();
    all.withMaxItems(600).pages().forEach(pages::add);
    assertThat(pages).extracting(p -> p.items().size()).containsExactly(250, 250, 100);
    List<Long> ids = pages.stream().flatMap(p -> p.items().stream()).map(Observation::id).toList();
    assertThat(ids).doesNotHaveDuplicates().isSorted();
    String token = pages.get(1).continuationToken();
    Observation resumed = all.resumeFrom(token).iterator().next();
    assertThat(resumed.id()).isEqualTo(ids.get(500));
    long total = iot.observations().count(null);
    assertThat(all.stream().count()).isEqualTo(total);
  }

  @Test
  void filtersWithFunctionsArithmeticAndGeo() {
    Geometry.Polygon qingpu = Geometry.polygon(List.of(new Position(120.85, 30.95),
        new Position(121.2, 30.95), new Position(121.2, 31.2), new Position(120.85, 31.2),
        new Position(120.85, 30.95)));
    List<Location> inQingpu = iot.locations().list(IotQuery.builder()
        .filter(Expr.stWithin(Expr.LOCATION, qingpu)).build()).stream().toList();
    assertThat(inQingpu).isNotEmpty().allSatisfy(l -> {
      Geometry.Point p = (Geometry.Point) l.location();
      assertThat(p.coordinates().lon()).isBetween(120.85, 121.2);
    });
    List<Location> nearDianshan = iot.locations().list(IotQuery.builder()
        .filter(Expr.geoDistance(Expr.LOCATION, Geometry.point(120.963, 31.117)).lt(0.01)).build()).stream().toList();
    assertThat(nearDianshan).extracting(Location::name).containsExactly("淀山湖 湖心");
    List<Location> roads = iot.locations().list(IotQuery.builder()
        .filter(Expr.stIntersects(Expr.LOCATION, Geometry.lineString(List.of(new Position(121.249, 31.370),
            new Position(121.249, 31.380))))).build()).stream().toList();
    assertThat(roads).extracting(Location::name).anyMatch(n -> n.contains("叶城路"));
    long highTurbidity = iot.observations().count(Expr.property("Datastream/name").ne(null)
        .and(Expr.endsWith(Expr.property("Datastream/name"), "turbidity"))
        .and(Expr.RESULT.mul(2).sub(1).gt(60)));
    long turbidity = iot.observations().count(Expr.endsWith(Expr.property("Datastream/name"), "turbidity"));
    assertThat(turbidity).isEqualTo(5 * 168);
    assertThat(highTurbidity).isBetween(1L, turbidity - 1);
    List<Thing> jiading = iot.things().list(IotQuery.builder()
        .filter(Expr.startsWith(Expr.toLower(Expr.property("properties/code")), "jd-x")
            .and(Expr.length(Expr.NAME).gt(5))).build()).stream().toList();
    assertThat(jiading).hasSize(6);
  }

  @Test
  void stringDateMathAndGeoFunctionsAreEvaluatedByThePlatform() {
    assertThat(iot.things().count(Expr.contains(Expr.NAME, "淀山湖"))).isEqualTo(2);
    assertThat(iot.things().count(Expr.indexOf(Expr.NAME, "淀山湖").eq(0))).isEqualTo(2);
    assertThat(iot.things().count(Expr.substringOf("淀山湖", Expr.NAME))).isEqualTo(2);
    assertThat(iot.things().count(Expr.substring(Expr.property("properties/code"), 0, 4).eq("QP-W")))
        .isEqualTo(5);
    assertThat(iot.things().count(Expr.concat(Expr.property("properties/feed"), "!").eq("smart-bay!")))
        .isEqualTo(3);
    assertThat(iot.things().count(Expr.trim(Expr.toUpper(Expr.property("properties/code"))).eq("JD-R01")))
        .isEqualTo(1);
    long lines = iot.locations().count(Expr.geoLength(Expr.LOCATION).gt(0.001));
    assertThat(lines).isEqualTo(2);
    long all = iot.locations().count(null);
    assertThat(iot.locations().count(Expr.spatial("st_disjoint", Expr.LOCATION, Geometry.point(0, 0))))
        .isEqualTo(all);
    assertThat(iot.locations().count(Expr.geoIntersects(Expr.LOCATION, Geometry.point(121.2449, 31.3932))))
        .isEqualTo(1);
    int year = java.time.LocalDate.now(java.time.ZoneOffset.UTC).getYear();
    Datastream dox = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").iterator().next();
    long doCount = iot.observations().ofDatastream(dox.id()).stream().count();
    assertThat(iot.observations().ofDatastream(dox.id(), IotQuery.builder().filter(Expr.year(Expr.PHENOMENON_TIME).ge(year - 1)
        .and(Expr.hour(Expr.PHENOMENON_TIME).lt(24)).and(Expr.PHENOMENON_TIME.lt(Expr.now()))).build())
        .stream().count()).isEqualTo(doCount);
    assertThat(iot.observations().ofDatastream(dox.id(), IotQuery.builder().filter(Expr.round(Expr.RESULT).ge(Expr.floor(Expr.RESULT))
        .and(Expr.ceiling(Expr.RESULT).ge(Expr.RESULT))).build()).stream().count()).isEqualTo(doCount);
    assertThat(iot.observations().ofDatastream(dox.id(), IotQuery.builder().filter(Expr.PHENOMENON_TIME
        .add(java.time.Duration.ofDays(30)).lt(Expr.now())).build()).stream().count()).isZero();
  }

  @Test
  void expandsNestedLevelsWithTheirOwnOptionsAndSelects() {
    Thing thing = iot.things().list(IotQuery.builder()
        .filter(Expr.property("properties/code").eq("QP-W01"))
        .select("name", "Datastreams")
        .expand("Datastreams", IotQuery.builder().select("id", "name")
            .filter(Expr.endsWith(Expr.NAME, "pH"))
            .expand("Observations", IotQuery.builder().orderBy(Expr.PHENOMENON_TIME, true).top(3).build())
            .build())
        .build()).iterator().next();
    assertThat(thing.id()).isNull();
    assertThat(thing.description()).isNull();
    assertThat(thing.datastreams()).hasSize(1);
    Datastream ph = thing.datastreams().get(0);
    assertThat(ph.name()).isEqualTo("QP-W01 pH");
    assertThat(ph.unitOfMeasurement()).isNull();
    assertThat(ph.observations()).hasSize(3);
    assertThat(ph.observations().get(0).phenomenonTime().start())
        .isAfter(ph.observations().get(2).phenomenonTime().start());
  }

  @Test
  void createsWithDeepInsertUpdatesAndDeletesWithCascade() {
    Thing created = iot.things().create(Thing.of("测试 浮标 QP-B99", "Test buoy on Dianshan Lake")
        .withProperties(Map.of("feed", "water-quality", "code", "QP-B99"))
        .withLocations(List.of(Location.of("淀山湖 测试点", "test point", Geometry.point(120.95, 31.11))))
        .withDatastreams(List.of(Datastream.of("QP-B99 DO", "Dissolved oxygen", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.of("Test sonde", "sonde", "text/plain", "none"))
            .withObservedProperty(ObservedProperty.of("Dissolved oxygen (test)", "http://example.org/do", "DO"))
            .withObservations(List.of(Observation.of(Instant.parse("2024-05-01T08:00:00Z"), 7.1))))));
    assertThat(created.id()).isPositive();
    Datastream ds = iot.things().listRelated(created.id(), EntitySet.DATASTREAMS)
        .iterator().next();
    List<Observation> obs = iot.observations().ofDatastream(ds.id(), IotQuery.builder().expand("FeatureOfInterest").build())
        .stream().toList();
    assertThat(obs).hasSize(1);
    assertThat(obs.get(0).featureOfInterest().feature()).isEqualTo(Geometry.point(120.95, 31.11));
    assertThat(iot.things().listRelated(created.id(), EntitySet.HISTORICAL_LOCATIONS)
        .stream().count()).isEqualTo(1);

    Observation added = iot.observations().create(ds.id(), Observation.of(Instant.parse("2024-05-01T09:00:00Z"), 6.8));
    assertThat(added.featureOfInterest()).isNull();
    List<Long> batch = iot.observations().createDataArray(ds.id(), List.of(
        Observation.of(Instant.parse("2024-05-01T10:00:00Z"), 6.5),
        Observation.of(Instant.parse("2024-05-01T11:00:00Z"), 6.4))).createdIds();
    assertThat(batch).hasSize(2);
    assertThat(iot.observations().get(batch.get(1)).resultAsDouble()).isEqualTo(6.4);

    Thing renamed = iot.things().update(created.id(), new Thing(null, null, "测试 浮标 QP-B99 (renamed)",
        null, null, null, null, null, null), null);
    assertThat(renamed.name()).endsWith("(renamed)");
    assertThat(renamed.description()).isEqualTo("Test buoy on Dianshan Lake");
    Thing cleared = iot.things().patch(created.id(), Map.of("description", "patched"), null);
    assertThat(cleared.description()).isEqualTo("patched");

    iot.things().delete(created.id(), null);
    assertThatThrownBy(() -> iot.datastreams().get(ds.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> iot.observations().get(batch.get(0))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void multiDatastreamsTakeArrayResultsOfTheRightLength() {
    Thing station = iot.feeds().things(ProgrammeFeed.WATER_QUALITY).iterator().next();
    ObservedProperty a = iot.observedProperties().create(ObservedProperty.of("mds a", "http://e.org/a", "a"));
    ObservedProperty b = iot.observedProperties().create(ObservedProperty.of("mds b", "http://e.org/b", "b"));
    MultiDatastream mds = iot.multiDatastreams().create(new MultiDatastream(null, null, "QP profile",
        "DO and pH together", List.of(ProgrammeFeed.MILLIGRAM_PER_LITRE, ProgrammeFeed.PH),
        "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation",
        List.of(Datastream.MEASUREMENT, Datastream.MEASUREMENT), null, null, null, null, Thing.ref(station.id()),
        Sensor.ref(1), List.of(ObservedProperty.ref(a.id()), ObservedProperty.ref(b.id())), null));
    Observation ok = iot.observations().create(Observation.of(Instant.now(), List.of(7.2, 7.6))
        .withMultiDatastream(MultiDatastream.ref(mds.id())));
    assertThat(ok.result()).isEqualTo(List.of(7.2, 7.6));
    assertThatThrownBy(() -> iot.observations().create(Observation.of(Instant.now(), List.of(7.2))
        .withMultiDatastream(MultiDatastream.ref(mds.id()))))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("2 values");
    assertThat(iot.multiDatastreams().listRelated(mds.id(), EntitySet.OBSERVED_PROPERTIES)
        .stream().map(ObservedProperty::name).toList()).containsExactly("mds a", "mds b");
  }

  @Test
  void latestObservationOfADatastream() {
    Datastream turbidity = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Turbidity").iterator().next();
    Observation newest = iot.observations().latest(turbidity.id()).orElseThrow();
    assertThat(iot.observations().latestAsync(turbidity.id()).join()).contains(newest);
    assertThat(iot.observations().ofDatastream(turbidity.id()).stream())
        .allSatisfy(o -> assertThat(o.phenomenonTime().start()).isBeforeOrEqualTo(newest.phenomenonTime().start()));
  }

  @Test
  void conditionalUpdateWithAStaleEtagFails() {
    Sensor s = iot.sensors().create(Sensor.of("etag sensor", "d", "text/plain", "m"));
    Map<String, Object> patch = new HashMap<>();
    patch.put("name", "changed");
    assertThatThrownBy(() -> iot.sensors().update(s.id(), Sensor.ref(s.id()).withName("changed"),
        "\"" + s.id() + "-99\""))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("ETag");
    Versioned<Sensor> v = iot.sensors().getVersioned(s.id());
    Sensor updated = iot.sensors().update(s.id(), Sensor.ref(s.id()).withDescription("recalibrated"), v.etag());
    assertThat(updated.description()).isEqualTo("recalibrated");
    assertThatThrownBy(() -> iot.sensors().update(s.id(), Sensor.ref(s.id()).withName("again"), v.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(iot.sensors().patch(s.id(), patch, null).name()).isEqualTo("changed");
  }

  @Test
  void asyncVariantsWork() throws Exception {
    ObservedProperty p = iot.observedProperties().createAsync(ObservedProperty.of("async prop", "http://example.org/a", "async")).get(10, TimeUnit.SECONDS);
    assertThat(iot.observedProperties().getAsync(p.id()).get(10, TimeUnit.SECONDS).name())
        .isEqualTo("async prop");
    assertThat(iot.things().countAsync(null).get(10, TimeUnit.SECONDS)).isGreaterThan(20);
    List<Thing> things = iot.things().list(IotQuery.builder().pageSize(7).build()).toListAsync()
        .get(10, TimeUnit.SECONDS);
    assertThat(things).hasSize((int) iot.things().count(null));
    iot.observedProperties().deleteAsync(p.id(), null).get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> iot.observedProperties().getAsync(p.id()).join())
        .hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void invalidQueriesAreRejectedClientSideWithClearMessages() {
    assertThatThrownBy(() -> iot.observations().list(IotQuery.builder().filter(Expr.property("reslt").gt(1))
        .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reslt")
        .hasMessageContaining("result");
    assertThatThrownBy(() -> iot.things().list(IotQuery.builder().expand("Observations").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Datastreams");
    assertThatThrownBy(() -> IotQuery.builder().filter(Expr.RESULT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("condition");
    assertThatThrownBy(() -> Expr.RESULT.and(Expr.NAME.eq("x"))).hasMessageContaining("compare");
    assertThatThrownBy(() -> IotQuery.builder().top(0)).hasMessageContaining("top");
    assertThatThrownBy(() -> iot.datastreams().create(Datastream.of("x", "y", null, Datastream.MEASUREMENT)))
        .hasMessageContaining("unitOfMeasurement");
    assertThat(Expr.NAME.eq("O'Brien").toString()).isEqualTo("name eq 'O''Brien'");
  }

  @Test
  void theSandboxRejectsBadRequestsWith400NamingThePosition() {
    assertThatThrownBy(() -> iot.datastreams().create(Datastream.of("orphan", "no thing",
        ProgrammeFeed.PERCENT, Datastream.MEASUREMENT)))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Thing");
    assertThatThrownBy(() -> iot.things().get(999_999)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void subscribesToAFeedAndReceivesObservationsCreatedThroughTheApi() throws Exception {
    Datastream ph = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "pH").iterator().next();
    BlockingQueue<FeedEvent<Observation>> events = new LinkedBlockingQueue<>();
    try (FeedSubscription sub = iot.feeds().subscribeDatastream(ph.id(), FeedOptions.defaults(), events::add)) {
      assertThat(sub.awaitConnected(Duration.ofSeconds(10))).isTrue();
      Observation created = iot.observations().create(ph.id(), Observation.of(Instant.now(), 7.77));
      FeedEvent<Observation> e = events.poll(20, TimeUnit.SECONDS);
      assertThat(e).as("event for the new observation").isNotNull();
      assertThat(e.key()).isEqualTo(Long.toString(ph.id()));
      assertThat(e.payload().id()).isEqualTo(created.id());
      assertThat(e.payload().resultAsDouble()).isEqualTo(7.77);
      assertThat(sub).isNotNull();
    }
  }

  @Test
  void worksAgainstVersion10Too() {
    IotClient v10 = IotClient.create(sandbox.clientConfig(), SensorThingsVersion.V1_0);
    assertThat(v10.sensors().list().stream().count()).isEqualTo(iot.sensors().count(null));
    assertThatThrownBy(() -> v10.things().create(Thing.of("no description", null)))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("description");
  }
}
