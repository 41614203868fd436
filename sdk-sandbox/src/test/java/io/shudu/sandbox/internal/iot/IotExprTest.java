package io.shudu.sandbox.internal.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.internal.iot.IotExpr.Time;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** {@link IotExpr}'s time values: instants, intervals and what is neither. */
class IotExprTest {
  @Test
  void parsesInstantsAndIntervals() {
    Time instant = IotExpr.parseTime("2026-05-01T08:00:00+08:00");
    assertThat(instant.interval()).isFalse();
    assertThat(instant.start()).isEqualTo(OffsetDateTime.parse("2026-05-01T08:00:00+08:00"));
    Time interval = IotExpr.parseTime("2026-05-01T08:00:00Z/2026-05-01T10:00:00Z");
    assertThat(interval.interval()).isTrue();
    assertThat(interval.end()).isEqualTo(OffsetDateTime.parse("2026-05-01T10:00:00Z"));
  }

  @Test
  void whatIsNotATimeIsNull() {
    assertThat(IotExpr.parseTime(null)).isNull();
    assertThat(IotExpr.parseTime("2026-05-01")).isNull();
    assertThat(IotExpr.parseTime("yesterday")).isNull();
    assertThat(IotExpr.parseTime("2026-05-01T08:00:00Z/soon")).isNull();
  }

  @Test
  void theTreeIsClosed() {
    assertThat(IotExpr.class.isSealed()).isTrue();
    assertThat(IotExpr.class.getPermittedSubclasses()).hasSize(6);
  }
}
