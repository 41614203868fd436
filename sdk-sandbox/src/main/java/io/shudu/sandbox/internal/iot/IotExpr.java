package io.shudu.sandbox.internal.iot;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The syntax tree of the OData expressions of SensorThings ({@code $filter}, {@code $orderby}): literals, property
 * paths, operators and function calls, each with its position in the source for error messages; and the time values
 * expressions compute with. {@link IotExprParser} builds it, {@link IotExprChecker} checks it against an entity type,
 * {@link IotExprEval} evaluates it.
 */
sealed interface IotExpr permits IotExpr.Lit, IotExpr.Path, IotExpr.Bin, IotExpr.Not, IotExpr.Neg, IotExpr.Call {
  /** A literal value. */
  record Lit(Object value) implements IotExpr {}

  /** A property path such as {@code Datastream/Thing/name} or {@code properties/reference}. */
  record Path(List<String> segs, int pos) implements IotExpr {}

  /** A binary operator. */
  record Bin(String op, IotExpr left, IotExpr right, int pos) implements IotExpr {}

  /** Logical negation. */
  record Not(IotExpr e) implements IotExpr {}

  /** Arithmetic negation. */
  record Neg(IotExpr e) implements IotExpr {}

  /** A function call. */
  record Call(String fn, List<IotExpr> args, int pos) implements IotExpr {}

  /** A time value: an instant (start == end) or an interval. */
  record Time(OffsetDateTime start, OffsetDateTime end) {
    boolean interval() {
      return !start.equals(end);
    }
  }

  /** A multi-valued result (a path through a to-many relation): comparisons hold if any value matches. */
  record Many(List<Object> values) {}

  /** Parses an ISO instant or interval ({@code start/end}); null if it is not one. */
  static Time parseTime(String s) {
    if (s == null) {
      return null;
    }
    try {
      int slash = s.indexOf('/');
      if (slash > 0) {
        return new Time(OffsetDateTime.parse(s.substring(0, slash)), OffsetDateTime.parse(s.substring(slash + 1)));
      }
      OffsetDateTime t = OffsetDateTime.parse(s);
      return new Time(t, t);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
