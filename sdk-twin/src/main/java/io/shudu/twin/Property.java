package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A typed property value with an optional unit, such as {@code height = 45.2 m} or {@code use = "office"}. Values are
 * numbers, strings, booleans or lists of them. On the wire: {@code {"value": 45.2, "unit": "m"}}.
 *
 * @param value the value: a Number, String, Boolean or a List of them
 * @param unit unit symbol (UCUM style: m, mm, m2, kPa, kWh), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Property(Object value, String unit) {
  /** Validates the value's kind. */
  public Property {
    if (value == null) {
      throw new NullPointerException("Property.value must not be null; remove the property instead");
    }
    if (value instanceof List<?> l) {
      value = List.copyOf(l);
      for (Object o : (List<?>) value) {
        checkScalar(o);
      }
    } else {
      checkScalar(value);
    }
    if (unit != null && (unit.isBlank() || unit.length() > 32)) {
      throw new IllegalArgumentException("Property.unit must be a short unit symbol (1-32 characters), got '" + unit
          + "'");
    }
  }

  private static void checkScalar(Object o) {
    if (!(o instanceof Number || o instanceof String || o instanceof Boolean)) {
      throw new IllegalArgumentException("Property.value must be a Number, String, Boolean or a List of them, got "
          + (o == null ? "null" : o.getClass().getSimpleName()));
    }
    if (o instanceof Double d && !Double.isFinite(d)) {
      throw new IllegalArgumentException("Property.value must be finite, got " + d);
    }
  }

  /**
   * A value without unit.
   *
   * @param value number, string, boolean or list
   * @return the property
   */
  public static Property of(Object value) {
    return new Property(value, null);
  }

  /**
   * A number with a unit.
   *
   * @param value the number
   * @param unit the unit symbol, such as {@code m}
   * @return the property
   */
  public static Property of(double value, String unit) {
    return new Property(value, unit);
  }

  /**
   * The value as a double.
   *
   * @return the number @throws IllegalStateException if it is not a number
   */
  public double asDouble() {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalStateException("property value " + value + " is not a number");
  }

  /**
   * The value as a long.
   *
   * @return the number @throws IllegalStateException if it is not a number
   */
  public long asLong() {
    if (value instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalStateException("property value " + value + " is not a number");
  }

  /**
   * The value as text.
   *
   * @return the string form
   */
  public String asString() {
    return String.valueOf(value);
  }

  /**
   * The value as a boolean.
   *
   * @return the boolean @throws IllegalStateException if it is not one
   */
  public boolean asBoolean() {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalStateException("property value " + value + " is not a boolean");
  }

  /**
   * The value as a list of strings (a list value, or a single value wrapped).
   *
   * @return the list
   */
  public List<String> asStringList() {
    if (value instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }
}
