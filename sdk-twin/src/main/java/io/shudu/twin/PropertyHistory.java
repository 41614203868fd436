package io.shudu.twin;

import java.time.Instant;
import java.util.List;

/**
 * The values a property had over a time range: one interval per distinct value, oldest first.
 *
 * @param entityId the entity
 * @param property the property name
 * @param from start of the range
 * @param to end of the range
 * @param values the intervals
 */
public record PropertyHistory(String entityId, String property, Instant from, Instant to, List<Value> values) {
  /** Copies. */
  public PropertyHistory {
    values = List.copyOf(values);
  }

  /**
   * A value and when it held.
   *
   * @param version entity version that set it
   * @param validFrom when it started to hold
   * @param validTo when it stopped holding (null: still current)
   * @param value the value (null: the property was absent)
   * @param unit the unit, or null
   */
  public record Value(long version, Instant validFrom, Instant validTo, Object value, String unit) {}
}
