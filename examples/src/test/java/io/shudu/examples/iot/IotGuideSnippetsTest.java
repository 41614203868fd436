package io.shudu.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.geo.Position;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.core.geo.Geometry;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Location;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.iot.SensorThingsVersion;
import io.shudu.iot.Thing;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Runs every snippet of docs/guide-iot.md against a sandbox with live simulators and checks what it produced. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IotGuideSnippetsTest {
  private Sandbox sandbox;
  private IotClient iot;
  private IotClient legacy;
  private Datastream dox;

  @BeforeAll
  void start() {
    sandbox = Sandbox.builder().simulationRate(20).start();
    IotGuideSnippets.Connected c = IotGuideSnippets.connect(sandbox.baseUrl().toString(),
        sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey());
    iot = c.iot();
    legacy = c.legacy();
    dox = IotGuideSnippets.history(iot, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .dox();
  }

  @AfterAll
  void stop() {
    iot.close();
    legacy.close();
    sandbox.close();
  }

  @Test
  void connectGivesA11AndA10Client() {
    assertThat(iot.version()).isEqualTo(SensorThingsVersion.V1_1);
    assertThat(legacy.version()).isEqualTo(SensorThingsVersion.V1_0);
    assertThat(legacy.feeds().things(ProgrammeFeed.WATER_QUALITY).stream().map(Thing::name).toList())
        .containsExactlyInAnyOrderElementsOf(iot.feeds().things(ProgrammeFeed.WATER_QUALITY).stream().map(Thing::name)
            .toList())
        .hasSize(5);
  }

  @Test
  void historyListsTheQingpuStationsAndAWeekOfDianshanLakeOxygen() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    IotGuideSnippets.History h = IotGuideSnippets.history(iot, new PrintStream(buf, true, StandardCharsets.UTF_8));
    List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.subList(0, 5)).anySatisfy(l -> assertThat(l).startsWith("QP-W01 淀山湖 湖心 水质自动监测站")
        .contains("120.963", "31.117"));
    assertThat(lines.subList(0, 5).stream().map(l -> l.substring(0, 6)).toList())
        .containsExactlyInAnyOrder("QP-W01", "QP-W02", "QP-W03", "QP-W04", "QP-W05");

    assertThat(h.dox().name()).isEqualTo("QP-W01 DO");
    assertThat(h.dox().thing().name()).startsWith("淀山湖");
    assertThat(h.dox().unitOfMeasurement().symbol()).isEqualTo("mg/L");
    assertThat(h.week()).hasSizeGreaterThanOrEqualTo(167);
    Instant weekAgo = Instant.now().minus(Duration.ofDays(7)).minusSeconds(60);
    assertThat(h.week()).allSatisfy(o -> {
      assertThat(o.phenomenonTime().start()).isAfter(weekAgo);
      assertThat(o.resultAsDouble()).isBetween(3.0, 11.0);
    });
    assertThat(h.week()).extracting(o -> o.phenomenonTime().start()).isSorted();
    assertThat(lines).hasSize(5 + h.week().size());
    assertThat(lines.get(5)).endsWith(" mg/L");
  }

  @Test
  void optionsCountWithAViewReadAsyncAndUpdateConditionally() {
    IotGuideSnippets.Options o = IotGuideSnippets.options(iot, dox);
    assertThat(o.stations()).isEqualTo(5);
    assertThat(o.newest()).isPresent();
    assertThat(o.checked().properties()).containsEntry("checked", true).containsEntry("feed", "water-quality");
    assertThat(o.station().value()).isEqualTo(o.checked());
    // run again: it reads a fresh ETag, so the conditional update succeeds again
    assertThat(IotGuideSnippets.options(iot, dox).checked().properties()).containsEntry("checked", true);
  }

  @Test
  void queriesFindLowOxygenClosedRoadsAndNearbyLocations() {
    Observation low = iot.observations().create(dox.id(), Observation.of(Instant.now().minusSeconds(5), 4.37));
    IotGuideSnippets.Queries q = IotGuideSnippets.query(iot);

    assertThat(q.alerts()).extracting(Observation::id).contains(low.id());
    assertThat(q.alerts()).allSatisfy(o -> {
      assertThat(o.resultAsDouble()).isLessThan(5.0);
      assertThat(o.datastream().name()).endsWith("DO");
      assertThat(o.datastream().thing().properties()).containsEntry("feed", "water-quality");
    });
    Observation found = q.alerts().stream().filter(o -> o.id().equals(low.id())).findFirst().orElseThrow();
    assertThat(found.datastream().thing().name()).isEqualTo(dox.thing().name());
    assertThat(found.datastream().unitOfMeasurement().symbol()).isEqualTo("mg/L");
    assertThat(q.alerts()).extracting(o -> o.phenomenonTime().start()).isSortedAccordingTo((a, b) -> b.compareTo(a));

    // 2 road segments with 24 seeded hourly states each, closed half of the time; the simulator adds more
    assertThat(q.closedRoads()).isGreaterThanOrEqualTo(24);
    assertThat(iot.observations().count(Expr.property("Datastream/ObservedProperty/name").eq("Road closure")))
        .isGreaterThan(q.closedRoads());

    assertThat(q.within1km()).extracting(Location::name).contains("嘉定 城北路/博乐路 路口")
        .doesNotContain("淀山湖 湖心");
    assertThat(q.within1km()).allSatisfy(l -> {
      Position p = ((Geometry.Point) l.location()).coordinates();
      assertThat(Math.hypot(p.lon() - 121.2449, p.lat() - 31.3932)).isLessThan(0.01);
    });
  }

  @Test
  void temporalFunctionsSelectOneDayOfHourlyValues() {
    IotGuideSnippets.Temporal t = IotGuideSnippets.temporal(iot, dox);
    // hourly values; during() includes both ends of the interval
    assertThat(t.thatDay()).hasSize(25).allSatisfy(o -> assertThat(o.phenomenonTime().start())
        .isBetween(t.dayStart(), t.dayEnd()));
    assertThat(t.startedBefore()).isPositive()
        .isEqualTo(iot.observations().count(Expr.PHENOMENON_TIME.lt(t.dayStart())));
    // every observation of the programme has an instant as phenomenonTime: none straddles the boundaries
    assertThat(iot.observations().count(t.straddling())).isZero();
    assertThatThrownBy(() -> Expr.during(Expr.PHENOMENON_TIME, t.dayEnd(), t.dayStart()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be after");
  }

  @Test
  void listingPagesResumesAndRunsAsync() {
    IotGuideSnippets.Listing l = IotGuideSnippets.listing(iot, dox);
    assertThat(l.stored()).hasSizeGreaterThanOrEqualTo(168);
    assertThat(l.stored()).extracting(Observation::id).doesNotHaveDuplicates().isSorted();
    assertThat(l.checkpoints()).hasSize((l.stored().size() - 1) / 50);
    List<Long> afterFirst = l.afterFirstPage().stream().map(Observation::id).toList();
    List<Long> storedAfterFirst = l.stored().subList(50, l.stored().size()).stream().map(Observation::id).toList();
    assertThat(afterFirst).startsWith(storedAfterFirst.toArray(Long[]::new));   // the simulator may have added more
    assertThat(l.indexed()).isGreaterThanOrEqualTo(l.stored().size());
  }

  @Test
  void createUpdateDeleteRoundTrip() {
    IotGuideSnippets.Created c = IotGuideSnippets.create(iot, dox);
    assertThat(c.buoy().id()).isPositive();
    assertThat(c.buoy().name()).isEqualTo("淀山湖 浮标 QP-B07");
    Datastream ds = iot.datastreams().get(c.datastreamId(), IotQuery.builder().expand("Sensor").expand("ObservedProperty").expand("Thing").build());
    assertThat(ds.name()).isEqualTo("QP-B07 DO");
    assertThat(ds.sensor().id()).isEqualTo(c.sondeId());
    assertThat(ds.sensor().name()).isEqualTo("Multi-parameter sonde WQ-6");
    assertThat(ds.observedProperty().name()).isEqualTo("Dissolved oxygen (DO)");
    assertThat(ds.thing().id()).isEqualTo(c.buoy().id());

    Observation read = iot.observations().get(c.o().id(), IotQuery.builder().expand("FeatureOfInterest")
        .build());
    assertThat(read.result()).isEqualTo(7.2);
    assertThat(read.featureOfInterest().feature()).isEqualTo(Geometry.point(120.929, 31.100));
    assertThat(c.ids()).hasSize(60).doesNotHaveDuplicates();
    assertThat(iot.observations().get(c.ids().get(59)).resultAsDouble()).isEqualTo(7.01);
    assertThat(iot.observations().ofDatastream(c.datastreamId()).stream().count()).isEqualTo(62);

    IotGuideSnippets.Updated u = IotGuideSnippets.update(iot, c.buoy(), c.sondeId());
    assertThat(u.renamed().name()).isEqualTo("淀山湖 浮标 QP-B07 (moved)");
    assertThat(u.renamed().description()).isEqualTo("Buoy at the Jishui Gang inlet");   // untouched by the patch
    assertThat(u.retired().properties()).containsEntry("status", "retired").containsEntry("code", "QP-B07")
        .containsEntry("feed", "water-quality");
    Thing stored = iot.things().get(c.buoy().id());
    assertThat(stored.name()).isEqualTo("淀山湖 浮标 QP-B07 (moved)");
    assertThat(stored.properties()).containsEntry("status", "retired");
    assertThat(u.recalibrated().description()).isEqualTo("Multi-parameter sonde WQ-6, recalibrated");
    assertThat(u.recalibrated().name()).isEqualTo("Multi-parameter sonde WQ-6");
    // the ETag read before the change is stale now
    assertThatThrownBy(() -> iot.sensors().update(c.sondeId(), io.shudu.iot.Sensor.ref(c.sondeId()).withDescription("again"), u.sonde().etag()))
        .isInstanceOf(PreconditionFailedException.class);

    IotGuideSnippets.delete(iot, c.buoy());
    assertThatThrownBy(() -> iot.things().get(c.buoy().id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> iot.datastreams().get(c.datastreamId())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> iot.observations().get(c.o().id())).isInstanceOf(NotFoundException.class);
    assertThat(iot.sensors().get(c.sondeId()).name()).isEqualTo("Multi-parameter sonde WQ-6");
  }

  @Test
  void subscriptionReceivesTrafficObservations(@TempDir Path state) throws Exception {
    Set<Long> traffic = iot.datastreams().list(IotQuery.builder()
        .filter(Expr.property("Thing/properties/feed").eq("traffic")).build())
        .stream().map(Datastream::id).collect(Collectors.toSet());
    assertThat(traffic).hasSize(20);   // 6 intersections x 3 + 2 road segments
    IotGuideSnippets.Subscribed s = IotGuideSnippets.subscribe(iot, state, traffic.size());
    assertThat(s.state()).isEqualTo(FeedSubscription.State.STREAMING);
    assertThat(s.latestByDatastream().keySet()).isEqualTo(traffic);
    assertThat(s.latestByDatastream().values()).allSatisfy(o -> assertThat(o.result()).isNotNull());
    long first = CheckpointStore.file(state.resolve("traffic.checkpoint")).load("rider-router").orElseThrow();

    // run again in the same folder: it continues after the saved checkpoint
    IotGuideSnippets.Subscribed again = IotGuideSnippets.subscribe(iot, state, traffic.size());
    assertThat(again.state()).isEqualTo(FeedSubscription.State.STREAMING);
    assertThat(again.latestByDatastream().keySet()).isEqualTo(traffic);
    assertThat(CheckpointStore.file(state.resolve("traffic.checkpoint")).load("rider-router").orElseThrow())
        .isGreaterThan(first);
  }

  @Test
  void aCheckpointFromAnEarlierPlatformIsResetWhenTheFeedIsBehindIt(@TempDir Path state) throws Exception {
    CheckpointStore.file(state.resolve("traffic.checkpoint")).save("rider-router", 5_000);
    // a new platform whose traffic feed has no event yet: the saved checkpoint is ahead of it (409)
    try (Sandbox fresh = Sandbox.builder().simulationRate(0).start();
         IotClient client = IotClient.create(fresh.clientConfig())) {
      IotGuideSnippets.Subscribed s = IotGuideSnippets.subscribe(client, state, 0);
      assertThat(s.state()).isEqualTo(FeedSubscription.State.STREAMING);
      assertThat(s.latestByDatastream()).isEmpty();
    }
    assertThat(CheckpointStore.file(state.resolve("traffic.checkpoint")).load("rider-router")).isEmpty();
  }

  @Test
  void otherFailuresAreThrownByTheSubscribeSnippetNotWaitedFor(@TempDir Path state) throws Exception {
    try (Sandbox other = Sandbox.builder().simulationRate(0).start();
         IotClient wrongKey = IotClient.create(io.shudu.core.ClientConfig.builder().endpoint(other.baseUrl())
             .credentials(io.shudu.core.Credentials.apiKey("not-a-valid-key-0000")).build())) {
      assertThatThrownBy(() -> IotGuideSnippets.subscribe(wrongKey, state, 1))
          .isInstanceOf(io.shudu.core.AuthenticationException.class);
    }
  }

  @Test
  void datastreamSubscriptionReceivesANewObservation() throws Exception {
    List<Double> values = IotGuideSnippets.subscribeDatastream(iot, dox, 3.21);
    assertThat(values).contains(3.21);
    assertThat(values).allSatisfy(v -> assertThat(v).isBetween(3.0, 11.0));
  }

  @Test
  void badFiltersAreRejectedAsDocumented() {
    assertThatThrownBy(() -> iot.observations().list(IotQuery.builder()
        .filter(Expr.property("reslt").lt(5.0)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$filter on Observations: Observations has no property or navigation 'reslt'")
        .hasMessageContaining("Properties: [phenomenonTime, resultTime, result");
    assertThatThrownBy(() -> Expr.RESULT.and(Expr.RESULT.lt(5.0))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IotQuery.builder().filter(Expr.RESULT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IotQuery.builder().top(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("top");
    // what only the platform can judge: a temporal function on a text that is not a time
    assertThatThrownBy(() -> iot.observations().count(Expr.temporal("before", Expr.PHENOMENON_TIME, Expr.literal("yesterday"))))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("position");
  }
}
