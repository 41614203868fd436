package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared mapper's fast Instant path decodes exactly what the JavaTimeModule decodes, and no less. */
class JsonFastInstantTest {
  /** A record with an instant, as SDK models carry them. */
  record Stamped(Instant at) {}

  private static Instant read(String json) throws Exception {
    return Json.mapper().readValue("{\"at\":" + json + "}", Stamped.class).at();
  }

  @Test
  void randomInstantsInEveryPrecisionDecodeAsInstantParse() throws Exception {
    Random r = new Random(20261201L);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_000_000_000L), r.nextInt(1_000_000_000));
      if (i % 3 == 0) {
        t = Instant.ofEpochSecond(t.getEpochSecond()); // no fraction
      } else if (i % 3 == 1) {
        t = Instant.ofEpochMilli(t.toEpochMilli());
      }
      String text = t.toString();
      assertThat(read("\"" + text + "\"")).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void otherFormsStillGoToTheGeneralParser() throws Exception {
    assertThat(read("\"2026-11-25T16:00:00+08:00\"")).isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
    assertThat(read("\"2026-11-25T08:00:00.5Z\"")).isEqualTo(Instant.parse("2026-11-25T08:00:00.500Z"));
    assertThat(read("1700000000")).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(read("null")).isNull();
    assertThat(Json.mapper().writeValueAsString(new Stamped(Instant.parse("2026-11-25T08:00:00Z"))))
        .isEqualTo("{\"at\":\"2026-11-25T08:00:00Z\"}");
  }

  @Test
  void oddAndInvalidTimestampsGetWhatTheJavaTimeModuleGives() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper plain = com.fasterxml.jackson.databind.json.JsonMapper.builder()
        .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule()).build();
    for (String text : new String[] {"2026-02-30T00:00:00Z", "2026-11-25T24:00:00Z", "2026-12-31T23:59:60Z",
        "2026-13-01T00:00:00Z", "2026-11-25 08:00:00Z", "not a time at all, no", "+12026-11-25T08:00:00Z",
        "2026-11-25T08:00:00.1234567890Z", "2026-11-25t08:00:00z", "0000-01-01T00:00:00Z"}) {
      String json = "{\"at\":\"" + text + "\"}";
      Instant expected;
      try {
        expected = plain.readValue(json, Stamped.class).at();
      } catch (JsonMappingException e) {
        assertThatThrownBy(() -> read("\"" + text + "\"")).as(text).isInstanceOf(JsonMappingException.class);
        continue;
      }
      assertThat(read("\"" + text + "\"")).as(text).isEqualTo(expected);
    }
  }

  @Test
  void calendarArithmeticMatchesJavaTimeForEveryDayOfFourCenturiesAndRandomYears() {
    for (int year = 1600; year <= 2401; year++) {
      for (int month = 1; month <= 12; month++) {
        int length = java.time.YearMonth.of(year, month).lengthOfMonth();
        assertThat(FeedDecoder.lengthOfMonth(year, month)).as("%d-%d", year, month).isEqualTo(length);
        for (int day = 1; day <= length; day++) {
          assertThat(FeedDecoder.epochDay(year, month, day)).as("%d-%d-%d", year, month, day)
              .isEqualTo(java.time.LocalDate.of(year, month, day).toEpochDay());
        }
      }
    }
    Random r = new Random(3L);
    for (int i = 0; i < 100_000; i++) {
      int year = r.nextInt(10_000);
      int month = 1 + r.nextInt(12);
      int length = java.time.YearMonth.of(year, month).lengthOfMonth();
      assertThat(FeedDecoder.lengthOfMonth(year, month)).isEqualTo(length);
      int day = 1 + r.nextInt(length);
      assertThat(FeedDecoder.epochDay(year, month, day)).as("%d-%d-%d", year, month, day)
          .isEqualTo(java.time.LocalDate.of(year, month, day).toEpochDay());
    }
  }
}
