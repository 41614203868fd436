package io.shudu.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IoT creates whose answer is lost after the platform committed: the exception says MAYBE_PROCESSED with the key,
 * and a repeat with {@link RequestOptions#repeatOf} returns the first result without a second entity.
 */
class IotRepeatTest {
  static Sandbox sandbox;
  static IotClient iot;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    iot = IotClient.create(sandbox.clientConfig().toBuilder().retryPolicy(RetryPolicy.none()).build());
  }

  @AfterAll
  static void stop() {
    iot.close();
    sandbox.close();
  }

  @Test
  void aThingCreateWhoseAnswerWasLostIsRepeatedExactlyOnce() {
    String name = "repeat buoy " + System.nanoTime();
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/iot/").times(1));
    ShuduException e = catchThrowableOfType(ShuduException.class,
        () -> iot.things().create(Thing.of(name, "lost answer")));
    assertThat(e.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).isPresent();

    Thing repeated = iot.things().withOptions(RequestOptions.repeatOf(e)).create(Thing.of(name, "lost answer"));
    Thing again = iot.things().withOptions(RequestOptions.repeatOf(e)).create(Thing.of(name, "lost answer"));
    assertThat(again.id()).isEqualTo(repeated.id());
    assertThat(iot.things().count(Expr.NAME.eq(name))).isEqualTo(1);
  }

  @Test
  void observationCreatesWhoseAnswerWasLostAreRepeatedExactlyOnce() {
    Thing t = iot.things().create(Thing.of("repeat obs " + System.nanoTime(), "observations")
        .withLocations(List.of(Location.of("repeat point", "test point", Geometry.point(120.95, 31.11))))
        .withDatastreams(List.of(Datastream.of("repeat DO", "Dissolved oxygen", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.of("Test sonde", "sonde", "text/plain", "none"))
            .withObservedProperty(ObservedProperty.of("DO (repeat)", "http://example.org/do", "DO")))));
    long ds = iot.things().listRelated(t.id(), EntitySet.DATASTREAMS).iterator().next().id();

    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/iot/").times(1));
    Observation o = Observation.of(Instant.parse("2024-05-01T08:00:00Z"), 7.1);
    ShuduException one = catchThrowableOfType(ShuduException.class, () -> iot.observations().create(ds, o));
    assertThat(one.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    iot.observations().withOptions(RequestOptions.repeatOf(one)).createAsync(ds, o).join();

    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/iot/").times(1));
    List<Observation> rows = List.of(Observation.of(Instant.parse("2024-05-01T09:00:00Z"), 6.8),
        Observation.of(Instant.parse("2024-05-01T10:00:00Z"), 6.5));
    ShuduException batch = catchThrowableOfType(ShuduException.class, () -> iot.observations().createDataArray(ds, rows));
    assertThat(batch.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    assertThat(iot.observations().withOptions(RequestOptions.repeatOf(batch)).createDataArray(ds, rows)
        .createdIds()).hasSize(2);

    assertThat(iot.observations().ofDatastream(ds).stream().toList()).hasSize(3);
  }
}
