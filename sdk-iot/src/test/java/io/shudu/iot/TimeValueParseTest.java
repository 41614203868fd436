package io.shudu.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TimeValue's fast path for canonical UTC text gives what the general ISO 8601 parser gives, and no more. */
class TimeValueParseTest {
  @Test
  void randomCanonicalInstantsAndIntervalsParseAsOffsetDateTime() {
    Random r = new Random(20261201L);
    for (int i = 0; i < 20_000; i++) {
      Instant a = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_000_000_000L), r.nextInt(1_000_000_000));
      if (i % 3 == 0) {
        a = Instant.ofEpochSecond(a.getEpochSecond());
      } else if (i % 3 == 1) {
        a = Instant.ofEpochMilli(a.toEpochMilli());
      }
      Instant b = a.plusSeconds(r.nextInt(100_000));
      assertThat(TimeValue.parse(a.toString()).start()).isEqualTo(OffsetDateTime.parse(a.toString()).toInstant());
      TimeValue interval = TimeValue.parse(a + "/" + b);
      assertThat(interval.start()).isEqualTo(a);
      assertThat(interval.end()).isEqualTo(b);
    }
  }

  @Test
  void otherFormsGoToTheGeneralParserAndBadTextIsStillRefused() {
    assertThat(TimeValue.parse("2024-05-01T08:00:00+08:00").start()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(TimeValue.parse("2024-05-01T08:00Z").start()).isEqualTo(Instant.parse("2024-05-01T08:00:00Z"));
    for (String bad : new String[] {"2024-02-30T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T08:00:60Z",
        "2024-05-01 08:00:00Z", "2024-05-01T08:00:00", "tomorrow at dawn, please"}) {
      assertThatThrownBy(() -> TimeValue.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
