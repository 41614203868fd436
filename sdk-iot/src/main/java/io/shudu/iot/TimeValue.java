package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A SensorThings time: an instant ({@code 2024-05-01T08:00:00Z}) or an interval
 * ({@code 2024-05-01T08:00:00Z/2024-05-01T09:00:00Z}), as used by {@code phenomenonTime} and {@code validTime}.
 *
 * @param start the instant, or the start of the interval
 * @param end equal to {@code start} for an instant, else the end of the interval
 */
public record TimeValue(Instant start, Instant end) {
  /** Validates. */
  public TimeValue {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("a time interval must not end (" + end + ") before it starts (" + start
          + ")");
    }
  }

  /**
   * An instant.
   *
   * @param t the instant
   * @return the time value
   */
  public static TimeValue instant(Instant t) {
    return new TimeValue(t, t);
  }

  /**
   * An interval.
   *
   * @param start start
   * @param end end, not before start
   * @return the time value
   */
  public static TimeValue interval(Instant start, Instant end) {
    return new TimeValue(start, end);
  }

  /** The canonical UTC form without a formatter (every listed observation has one or two), else any offset. */
  private static Instant offsetInstant(String text) {
    Instant fast = io.shudu.core.internal.Json.canonicalInstant(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /**
   * Parses ISO 8601 text: an instant with offset, or two separated by {@code /}.
   *
   * @param text such as {@code 2024-05-01T08:00:00+08:00}
   * @return the time value
   */
  @JsonCreator
  public static TimeValue parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      int slash = text.indexOf('/');
      if (slash > 0) {
        return new TimeValue(offsetInstant(text.substring(0, slash)), offsetInstant(text.substring(slash + 1)));
      }
      return instant(offsetInstant(text));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an ISO 8601 instant or interval with offset: '" + text + "'", e);
    }
  }

  /**
   * Whether this is an interval.
   *
   * @return true when start and end differ
   */
  public boolean isInterval() {
    return !start.equals(end);
  }

  /**
   * The ISO 8601 text as sent on the wire.
   *
   * @return instant or {@code start/end}
   */
  @JsonValue
  @Override
  public String toString() {
    return isInterval() ? start + "/" + end : start.toString();
  }
}
