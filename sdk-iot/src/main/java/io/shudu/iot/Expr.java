package io.shudu.iot;

import io.shudu.core.geo.Geometry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A SensorThings {@code $filter} / {@code $orderby} expression, built type-safely: property paths, literals,
 * comparison, logical and arithmetic operators, and the string, date, math, geo and temporal functions. The client
 * checks property paths against the queried entity set before sending.
 *
 * <pre>{@code
 * Expr recentLowOxygen = Expr.RESULT.lt(5.0)
 *     .and(Expr.PHENOMENON_TIME.ge(Instant.parse("2024-05-01T00:00:00Z")));
 * Expr nearDianshanLake = Expr.stWithin(Expr.property("Thing/Locations/location"), lakePolygon);
 * Expr named = Expr.startsWith(Expr.NAME, "QP-W");
 * Expr inMay = Expr.during(Expr.PHENOMENON_TIME,
 *     Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z"));
 * }</pre>
 */
public final class Expr {
  /** {@code @iot.id}. */
  public static final Expr ID = property("id");
  /** {@code name}. */
  public static final Expr NAME = property("name");
  /** {@code description}. */
  public static final Expr DESCRIPTION = property("description");
  /** {@code result} (Observations). */
  public static final Expr RESULT = property("result");
  /** {@code phenomenonTime} (Observations, Datastreams). */
  public static final Expr PHENOMENON_TIME = property("phenomenonTime");
  /** {@code resultTime} (Observations, Datastreams). */
  public static final Expr RESULT_TIME = property("resultTime");
  /** {@code time} (HistoricalLocations). */
  public static final Expr TIME = property("time");
  /** {@code location} (Locations). */
  public static final Expr LOCATION = property("location");
  /** {@code feature} (FeaturesOfInterest). */
  public static final Expr FEATURE = property("feature");
  /** {@code observationType} (Datastreams). */
  public static final Expr OBSERVATION_TYPE = property("observationType");

  private final String text;
  private final boolean condition;
  private final List<String> paths;

  private Expr(String text, boolean condition, List<String> paths) {
    this.text = text;
    this.condition = condition;
    this.paths = paths;
  }

  /**
   * A property path, such as {@code result}, {@code Datastream/Thing/name} or {@code properties/feed}.
   *
   * @param path slash-separated names
   * @return the expression
   */
  public static Expr property(String path) {
    if (path == null || !path.matches("[A-Za-z@][A-Za-z0-9_.@]*(/[A-Za-z0-9_@][A-Za-z0-9_.@]*)*")) {
      throw new IllegalArgumentException("property path must be names separated by '/', such as "
          + "Datastream/Thing/name, got '" + path + "'");
    }
    return new Expr(path, false, List.of(path));
  }

  /**
   * A literal: String, Number, Boolean, null, Instant, OffsetDateTime, LocalDate, Duration, TimeValue (its start)
   * or Geometry.
   *
   * @param value the value
   * @return the expression
   */
  public static Expr literal(Object value) {
    return new Expr(format(value), value instanceof Boolean, List.of());
  }

  private static Expr of(Object o) {
    return o instanceof Expr e ? e : literal(o);
  }

  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Expr e) {
      return e.text;
    }
    if (v instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw new IllegalArgumentException("a filter number must be finite, got " + v);
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Instant || v instanceof OffsetDateTime || v instanceof LocalDate) {
      return v.toString();
    }
    if (v instanceof TimeValue t) {
      return t.start().toString();
    }
    if (v instanceof Duration d) {
      return "duration'" + d + "'";
    }
    if (v instanceof Geometry g) {
      return "geography'" + g.toWkt() + "'";
    }
    throw new IllegalArgumentException("cannot use a " + v.getClass().getSimpleName() + " in a filter; use a "
        + "String, Number, Boolean, Instant, OffsetDateTime, LocalDate, Duration, TimeValue or Geometry");
  }

  private Expr bin(String op, Object other, boolean cond) {
    Expr o = of(other);
    return new Expr(text + " " + op + " " + o.text, cond, concat(paths, o.paths));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return Collections.unmodifiableList(out);
  }

  private static Expr fn(String name, boolean cond, Object... args) {
    StringBuilder sb = new StringBuilder(name).append('(');
    List<String> ps = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      Expr a = of(args[i]);
      sb.append(i == 0 ? "" : ",").append(a.text);
      ps.addAll(a.paths);
    }
    return new Expr(sb.append(')').toString(), cond, Collections.unmodifiableList(ps));
  }

  /**
   * {@code this eq value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr eq(Object value) {
    return bin("eq", value, true);
  }

  /**
   * {@code this ne value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr ne(Object value) {
    return bin("ne", value, true);
  }

  /**
   * {@code this gt value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr gt(Object value) {
    return bin("gt", value, true);
  }

  /**
   * {@code this ge value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr ge(Object value) {
    return bin("ge", value, true);
  }

  /**
   * {@code this lt value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr lt(Object value) {
    return bin("lt", value, true);
  }

  /**
   * {@code this le value}.
   *
   * @param value a literal or expression
   * @return the condition
   */
  public Expr le(Object value) {
    return bin("le", value, true);
  }

  /**
   * {@code (this) and (other)}.
   *
   * @param other a condition
   * @return the condition
   */
  public Expr and(Expr other) {
    requireCondition("and");
    other.requireCondition("and");
    return new Expr("(" + text + ") and (" + other.text + ")", true, concat(paths, other.paths));
  }

  /**
   * {@code (this) or (other)}.
   *
   * @param other a condition
   * @return the condition
   */
  public Expr or(Expr other) {
    requireCondition("or");
    other.requireCondition("or");
    return new Expr("(" + text + ") or (" + other.text + ")", true, concat(paths, other.paths));
  }

  /**
   * {@code not (this)}.
   *
   * @return the condition
   */
  public Expr not() {
    requireCondition("not");
    return new Expr("not (" + text + ")", true, paths);
  }

  /**
   * {@code this add value}.
   *
   * @param value a number, duration or expression
   * @return the expression
   */
  public Expr add(Object value) {
    return paren(bin("add", value, false));
  }

  /**
   * {@code this sub value}.
   *
   * @param value a number, duration or expression
   * @return the expression
   */
  public Expr sub(Object value) {
    return paren(bin("sub", value, false));
  }

  /**
   * {@code this mul value}.
   *
   * @param value a number or expression
   * @return the expression
   */
  public Expr mul(Object value) {
    return paren(bin("mul", value, false));
  }

  /**
   * {@code this div value}.
   *
   * @param value a number or expression
   * @return the expression
   */
  public Expr div(Object value) {
    return paren(bin("div", value, false));
  }

  /**
   * {@code this mod value}.
   *
   * @param value a number or expression
   * @return the expression
   */
  public Expr mod(Object value) {
    return paren(bin("mod", value, false));
  }

  private static Expr paren(Expr e) {
    return new Expr("(" + e.text + ")", e.condition, e.paths);
  }

  private void requireCondition(String op) {
    if (!condition) {
      throw new IllegalArgumentException("'" + op + "' combines conditions, but '" + text + "' is a value; compare "
          + "it first, such as " + text + " eq ...");
    }
  }

  // ---- string functions

  /**
   * {@code contains(value, part)} (SensorThings 1.1; use {@link #substringOf} on 1.0).
   *
   * @param value string expression
   * @param part the substring
   * @return the condition
   */
  public static Expr contains(Expr value, String part) {
    return fn("contains", true, value, part);
  }

  /**
   * {@code substringof(part, value)}.
   *
   * @param part the substring
   * @param value string expression
   * @return the condition
   */
  public static Expr substringOf(String part, Expr value) {
    return fn("substringof", true, part, value);
  }

  /**
   * {@code startswith(value, prefix)}.
   *
   * @param value string expression
   * @param prefix the prefix
   * @return the condition
   */
  public static Expr startsWith(Expr value, String prefix) {
    return fn("startswith", true, value, prefix);
  }

  /**
   * {@code endswith(value, suffix)}.
   *
   * @param value string expression
   * @param suffix the suffix
   * @return the condition
   */
  public static Expr endsWith(Expr value, String suffix) {
    return fn("endswith", true, value, suffix);
  }

  /**
   * {@code length(value)}.
   *
   * @param value string expression
   * @return the expression
   */
  public static Expr length(Expr value) {
    return fn("length", false, value);
  }

  /**
   * {@code indexof(value, part)}.
   *
   * @param value string expression
   * @param part the substring
   * @return the expression
   */
  public static Expr indexOf(Expr value, String part) {
    return fn("indexof", false, value, part);
  }

  /**
   * {@code substring(value, from)}.
   *
   * @param value string expression
   * @param from zero-based start
   * @return the expression
   */
  public static Expr substring(Expr value, int from) {
    return fn("substring", false, value, from);
  }

  /**
   * {@code substring(value, from, length)}.
   *
   * @param value string expression
   * @param from zero-based start
   * @param length the length
   * @return the expression
   */
  public static Expr substring(Expr value, int from, int length) {
    return fn("substring", false, value, from, length);
  }

  /**
   * {@code tolower(value)}.
   *
   * @param value string expression
   * @return the expression
   */
  public static Expr toLower(Expr value) {
    return fn("tolower", false, value);
  }

  /**
   * {@code toupper(value)}.
   *
   * @param value string expression
   * @return the expression
   */
  public static Expr toUpper(Expr value) {
    return fn("toupper", false, value);
  }

  /**
   * {@code trim(value)}.
   *
   * @param value string expression
   * @return the expression
   */
  public static Expr trim(Expr value) {
    return fn("trim", false, value);
  }

  /**
   * {@code concat(a, b)}.
   *
   * @param a string expression
   * @param b string literal or expression
   * @return the expression
   */
  public static Expr concat(Expr a, Object b) {
    return fn("concat", false, a, b);
  }

  // ---- date and math functions

  /**
   * A date-part function: {@code year}, {@code month}, {@code day}, {@code hour}, {@code minute}, {@code second},
   * {@code fractionalseconds}, {@code date}, {@code time} or {@code totaloffsetminutes}.
   *
   * @param function the function name
   * @param time a time expression
   * @return the expression
   */
  public static Expr datePart(String function, Expr time) {
    if (!List.of("year", "month", "day", "hour", "minute", "second", "fractionalseconds", "date", "time",
        "totaloffsetminutes").contains(function)) {
      throw new IllegalArgumentException("unknown date function '" + function + "'; use year, month, day, hour, "
          + "minute, second, fractionalseconds, date, time or totaloffsetminutes");
    }
    return fn(function, false, time);
  }

  /**
   * {@code year(time)}.
   *
   * @param time a time expression
   * @return the expression
   */
  public static Expr year(Expr time) {
    return datePart("year", time);
  }

  /**
   * {@code hour(time)}.
   *
   * @param time a time expression
   * @return the expression
   */
  public static Expr hour(Expr time) {
    return datePart("hour", time);
  }

  /**
   * {@code now()}.
   *
   * @return the expression
   */
  public static Expr now() {
    return fn("now", false);
  }

  /**
   * {@code round(value)}.
   *
   * @param value numeric expression
   * @return the expression
   */
  public static Expr round(Expr value) {
    return fn("round", false, value);
  }

  /**
   * {@code floor(value)}.
   *
   * @param value numeric expression
   * @return the expression
   */
  public static Expr floor(Expr value) {
    return fn("floor", false, value);
  }

  /**
   * {@code ceiling(value)}.
   *
   * @param value numeric expression
   * @return the expression
   */
  public static Expr ceiling(Expr value) {
    return fn("ceiling", false, value);
  }

  // ---- geo functions

  /**
   * {@code geo.distance(geometry, other)} in coordinate units (degrees).
   *
   * @param geometry a geometry property
   * @param other the geometry to measure to
   * @return the expression
   */
  public static Expr geoDistance(Expr geometry, Geometry other) {
    return fn("geo.distance", false, geometry, other);
  }

  /**
   * {@code geo.length(line)} in coordinate units.
   *
   * @param line a line geometry property
   * @return the expression
   */
  public static Expr geoLength(Expr line) {
    return fn("geo.length", false, line);
  }

  /**
   * {@code geo.intersects(geometry, other)}.
   *
   * @param geometry a geometry property
   * @param other the geometry
   * @return the condition
   */
  public static Expr geoIntersects(Expr geometry, Geometry other) {
    return fn("geo.intersects", true, geometry, other);
  }

  /**
   * {@code st_within(geometry, area)}: the geometry lies inside {@code area}.
   *
   * @param geometry a geometry property
   * @param area the area
   * @return the condition
   */
  public static Expr stWithin(Expr geometry, Geometry area) {
    return fn("st_within", true, geometry, area);
  }

  /**
   * {@code st_intersects(geometry, other)}.
   *
   * @param geometry a geometry property
   * @param other the geometry
   * @return the condition
   */
  public static Expr stIntersects(Expr geometry, Geometry other) {
    return fn("st_intersects", true, geometry, other);
  }

  /**
   * {@code st_contains(geometry, other)}.
   *
   * @param geometry a geometry property
   * @param other the geometry
   * @return the condition
   */
  public static Expr stContains(Expr geometry, Geometry other) {
    return fn("st_contains", true, geometry, other);
  }

  /**
   * Another spatial predicate: {@code st_equals}, {@code st_disjoint}, {@code st_touches}, {@code st_overlaps} or
   * {@code st_crosses}.
   *
   * @param function the function name
   * @param geometry a geometry property
   * @param other the geometry
   * @return the condition
   */
  public static Expr spatial(String function, Expr geometry, Geometry other) {
    if (!List.of("st_equals", "st_disjoint", "st_touches", "st_overlaps", "st_crosses", "st_within",
        "st_intersects", "st_contains", "geo.intersects").contains(function)) {
      throw new IllegalArgumentException("unknown spatial function '" + function + "'");
    }
    return fn(function, true, geometry, Objects.requireNonNull(other, "other"));
  }

  // ---- temporal functions (SensorThings 1.1: before, after, meets, during, overlaps, starts, finishes)

  private static final List<String> TEMPORAL = List.of("before", "after", "meets", "during", "overlaps", "starts",
      "finishes");

  private static TimeValue interval(Instant from, Instant to) {
    if (from == null) {
      throw new IllegalArgumentException("from (the interval start) must not be null");
    }
    if (to == null) {
      throw new IllegalArgumentException("to (the interval end) must not be null");
    }
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("interval from (" + from + ") must not be after to (" + to + "); swap them");
    }
    return new TimeValue(from, to);
  }

  /**
   * A temporal function by name: {@code before}, {@code after}, {@code meets}, {@code during}, {@code overlaps},
   * {@code starts} or {@code finishes}, relating {@code time} to an instant, an interval or another time expression.
   *
   * @param function the function name
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param other an {@link Instant}, an {@link OffsetDateTime}, a {@link TimeValue} (instant or interval) or a time
   *     expression
   * @return the condition
   */
  public static Expr temporal(String function, Expr time, Object other) {
    if (!TEMPORAL.contains(function)) {
      throw new IllegalArgumentException("unknown temporal function '" + function + "'; use " + String.join(", ",
          TEMPORAL));
    }
    if (time == null) {
      throw new IllegalArgumentException("time must not be null; use a time property such as "
          + "Expr.PHENOMENON_TIME");
    }
    if (time.condition) {
      throw new IllegalArgumentException("time of " + function + " must be a time, but '" + time.text
          + "' is a condition");
    }
    Object arg;
    if (other instanceof TimeValue t) {
      arg = new Expr(t.toString(), false, List.of());
    } else if (other instanceof Instant || other instanceof OffsetDateTime) {
      arg = other;
    } else if (other instanceof Expr e && !e.condition) {
      arg = e;
    } else {
      throw new IllegalArgumentException("other of " + function + " must be an Instant, OffsetDateTime, TimeValue "
          + "or time expression, got " + (other == null ? "null" : other instanceof Expr e ? "the condition '"
          + e.text + "'" : "a " + other.getClass().getSimpleName()));
    }
    return fn(function, true, time, arg);
  }

  /**
   * {@code before(time, other)}: {@code time} ends before {@code other} starts (an interval may end exactly where
   * {@code other} starts; two instants compare strictly).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr before(Expr time, Instant instant) {
    return temporal("before", time, instant);
  }

  /**
   * {@code before(time, other)}: {@code time} ends before {@code other} starts (an interval may end exactly where
   * {@code other} starts; two instants compare strictly).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr before(Expr time, Instant from, Instant to) {
    return temporal("before", time, interval(from, to));
  }

  /**
   * {@code after(time, other)}: {@code time} starts after {@code other} ends (an interval may start exactly where
   * {@code other} ends; two instants compare strictly).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr after(Expr time, Instant instant) {
    return temporal("after", time, instant);
  }

  /**
   * {@code after(time, other)}: {@code time} starts after {@code other} ends (an interval may start exactly where
   * {@code other} ends; two instants compare strictly).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr after(Expr time, Instant from, Instant to) {
    return temporal("after", time, interval(from, to));
  }

  /**
   * {@code meets(time, other)}: one ends exactly where the other starts.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr meets(Expr time, Instant instant) {
    return temporal("meets", time, instant);
  }

  /**
   * {@code meets(time, other)}: one ends exactly where the other starts.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr meets(Expr time, Instant from, Instant to) {
    return temporal("meets", time, interval(from, to));
  }

  /**
   * {@code during(time, other)}: {@code time} lies within {@code other}, bounds included.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr during(Expr time, Instant instant) {
    return temporal("during", time, instant);
  }

  /**
   * {@code during(time, other)}: {@code time} lies within {@code other}, bounds included.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr during(Expr time, Instant from, Instant to) {
    return temporal("during", time, interval(from, to));
  }

  /**
   * {@code overlaps(time, other)}: the two share some time (for two intervals, more than a single point).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr overlaps(Expr time, Instant instant) {
    return temporal("overlaps", time, instant);
  }

  /**
   * {@code overlaps(time, other)}: the two share some time (for two intervals, more than a single point).
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr overlaps(Expr time, Instant from, Instant to) {
    return temporal("overlaps", time, interval(from, to));
  }

  /**
   * {@code starts(time, other)}: both start at the same instant.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr starts(Expr time, Instant instant) {
    return temporal("starts", time, instant);
  }

  /**
   * {@code starts(time, other)}: both start at the same instant.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr starts(Expr time, Instant from, Instant to) {
    return temporal("starts", time, interval(from, to));
  }

  /**
   * {@code finishes(time, other)}: both end at the same instant.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param instant the instant to relate to
   * @return the condition
   */
  public static Expr finishes(Expr time, Instant instant) {
    return temporal("finishes", time, instant);
  }

  /**
   * {@code finishes(time, other)}: both end at the same instant.
   *
   * @param time a time property, such as {@link #PHENOMENON_TIME}
   * @param from start of the interval to relate to
   * @param to end of the interval, not before {@code from}
   * @return the condition
   */
  public static Expr finishes(Expr time, Instant from, Instant to) {
    return temporal("finishes", time, interval(from, to));
  }

  /**
   * Whether this is a condition (usable as {@code $filter}).
   *
   * @return true for comparisons, logical operators and boolean functions
   */
  public boolean isCondition() {
    return condition;
  }

  /**
   * The property paths the expression uses.
   *
   * @return the paths
   */
  public List<String> paths() {
    return paths;
  }

  /**
   * The expression text as sent in the URL (before percent-encoding).
   *
   * @return the text
   */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expr e && e.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
