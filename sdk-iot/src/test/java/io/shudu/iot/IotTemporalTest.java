package io.shudu.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The temporal filter functions of {@link Expr} end to end: IotClient → HTTP → sandbox. A test datastream holds six
 * observations whose result is their label: 1 = instant 08:00, 2 = instant 10:00, 3 = interval 08:00/10:00,
 * 4 = interval 10:00/12:00, 5 = interval 09:00/11:00, 6 = instant 12:00 (2024-05-01, UTC).
 */
class IotTemporalTest {
  static Sandbox sandbox;
  static IotClient iot;
  static long datastream;

  static final Instant H8 = Instant.parse("2024-05-01T08:00:00Z");
  static final Instant H9 = Instant.parse("2024-05-01T09:00:00Z");
  static final Instant H10 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant H11 = Instant.parse("2024-05-01T11:00:00Z");
  static final Instant H12 = Instant.parse("2024-05-01T12:00:00Z");
  static final Expr T = Expr.PHENOMENON_TIME;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    iot = IotClient.create(sandbox.clientConfig());
    Thing thing = iot.things().create(Thing.of("temporal buoy QP-T1", "temporal filter test")
        .withProperties(Map.of("feed", "water-quality", "code", "QP-T1"))
        .withLocations(List.of(Location.of("淀山湖 时间测试点", "test point", Geometry.point(120.95, 31.11))))
        .withDatastreams(List.of(Datastream.of("QP-T1 DO", "Dissolved oxygen", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.of("Temporal sonde", "sonde", "text/plain", "none"))
            .withObservedProperty(ObservedProperty.of("Dissolved oxygen (temporal)", "http://example.org/do", "DO"))
            .withObservations(List.of(
                Observation.of(H8, 1),
                Observation.of(H10, 2),
                Observation.of(H8, 3).withPhenomenonTime(TimeValue.interval(H8, H10)),
                Observation.of(H10, 4).withPhenomenonTime(TimeValue.interval(H10, H12)),
                Observation.of(H9, 5).withPhenomenonTime(TimeValue.interval(H9, H11)),
                Observation.of(H12, 6))))));
    datastream = iot.things().listRelated(thing.id(), EntitySet.DATASTREAMS)
        .iterator().next().id();
  }

  @AfterAll
  static void stop() {
    iot.close();
    sandbox.close();
  }

  /** The labels (results) of the test observations matching a condition, in label order. */
  static List<Integer> labels(Expr condition) {
    return iot.observations().ofDatastream(datastream, IotQuery.builder().filter(condition).orderBy(Expr.RESULT, false).build())
        .stream().map(o -> ((Number) o.result()).intValue()).toList();
  }

  @Test
  void eachFunctionAgainstAnInstant() {
    assertThat(labels(Expr.before(T, H10))).containsExactly(1, 3);
    assertThat(labels(Expr.after(T, H10))).containsExactly(4, 6);
    assertThat(labels(Expr.meets(T, H10))).containsExactly(2, 3, 4);
    assertThat(labels(Expr.during(T, H10))).containsExactly(2);
    assertThat(labels(Expr.overlaps(T, H10))).containsExactly(2, 3, 4, 5);
    assertThat(labels(Expr.starts(T, H10))).containsExactly(2, 4);
    assertThat(labels(Expr.finishes(T, H12))).containsExactly(4, 6);
  }

  @Test
  void eachFunctionAgainstAnInterval() {
    assertThat(labels(Expr.before(T, H8, H10))).containsExactly(1);
    assertThat(labels(Expr.after(T, H8, H10))).containsExactly(2, 4, 6);
    assertThat(labels(Expr.meets(T, H8, H10))).containsExactly(1, 2, 4);
    assertThat(labels(Expr.during(T, H8, H10))).containsExactly(1, 2, 3);
    assertThat(labels(Expr.during(T, H8, H11))).containsExactly(1, 2, 3, 5);
    assertThat(labels(Expr.overlaps(T, H8, H10))).containsExactly(1, 2, 3, 5);
    assertThat(labels(Expr.starts(T, H8, H10))).containsExactly(1, 3);
    assertThat(labels(Expr.finishes(T, H8, H10))).containsExactly(2, 3);
    assertThat(labels(Expr.during(T, H10, H10))).containsExactly(2);
  }

  @Test
  void genericFormCombinesWithOtherConditionsAndAcceptsTimeValuesOffsetsAndExpressions() {
    assertThat(labels(Expr.temporal("during", T, TimeValue.interval(H9, H12)))).containsExactly(2, 4, 5, 6);
    assertThat(labels(Expr.temporal("starts", T, OffsetDateTime.parse("2024-05-01T17:00:00+08:00"))))
        .containsExactly(5);
    // an expression argument: times that start no earlier than an hour before they end (instants, not 2 h intervals)
    assertThat(labels(Expr.temporal("after", T, T.sub(Duration.ofHours(1))))).containsExactly(1, 2, 6);
    assertThat(labels(Expr.overlaps(T, H8, H10).and(Expr.during(T, H8, H10).not()))).containsExactly(5);
    assertThat(labels(Expr.before(T, H9).or(Expr.after(T, H11)))).containsExactly(1, 6);
    assertThat(iot.observations().count(Expr.during(T, H8, H12)
        .and(Expr.property("Datastream/name").eq("QP-T1 DO")))).isEqualTo(6);
  }

  @Test
  void theFilterTextIsTheSensorThingsSyntax() {
    assertThat(Expr.during(T, H8, H10))
        .hasToString("during(phenomenonTime,2024-05-01T08:00:00Z/2024-05-01T10:00:00Z)");
    assertThat(Expr.before(T, H8)).hasToString("before(phenomenonTime,2024-05-01T08:00:00Z)");
    assertThat(Expr.finishes(T, H8, H8)).hasToString("finishes(phenomenonTime,2024-05-01T08:00:00Z)");
    assertThat(Expr.meets(T, H8).isCondition()).isTrue();
  }

  @Test
  void theClientRejectsBadIntervalsAndArgumentsBeforeSending() {
    assertThatThrownBy(() -> Expr.during(T, H10, H8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from (2024-05-01T10:00:00Z) must not be after to (2024-05-01T08:00:00Z)");
    assertThatThrownBy(() -> Expr.overlaps(T, null, H8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from");
    assertThatThrownBy(() -> Expr.overlaps(T, H8, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("to");
    assertThatThrownBy(() -> Expr.before(T, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other of before");
    assertThatThrownBy(() -> Expr.temporal("within", T, H8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown temporal function 'within'");
    assertThatThrownBy(() -> Expr.temporal("during", T, Expr.RESULT.gt(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("condition");
    assertThatThrownBy(() -> Expr.after(null, H8)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time");
    assertThatThrownBy(() -> Expr.temporal("during", T, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Integer");
    assertThatThrownBy(() -> labels(Expr.during(Expr.property("phenomenonTim"), H8, H10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("phenomenonTim");
  }

  @Test
  void theSandboxRejectsNonTimeArgumentsWith400NamingThePosition() {
    assertThatThrownBy(() -> labels(Expr.temporal("before", T, Expr.literal("yesterday"))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("position 22").hasMessageContaining("argument 2 of before")
        .hasMessageContaining("yesterday");
    assertThatThrownBy(() -> labels(Expr.temporal("during", T,
        Expr.literal("2024-05-01T10:00:00Z/2024-05-01T08:00:00Z"))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("position 22").hasMessageContaining("ends before it starts");
    assertThatThrownBy(() -> labels(Expr.meets(Expr.property("Datastream/name"), H8)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("position 6").hasMessageContaining("not a time");
  }
}
