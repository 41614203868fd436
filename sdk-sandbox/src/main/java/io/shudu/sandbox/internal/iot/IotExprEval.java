package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Bin;
import io.shudu.sandbox.internal.iot.IotExpr.Call;
import io.shudu.sandbox.internal.iot.IotExpr.Lit;
import io.shudu.sandbox.internal.iot.IotExpr.Many;
import io.shudu.sandbox.internal.iot.IotExpr.Neg;
import io.shudu.sandbox.internal.iot.IotExpr.Not;
import io.shudu.sandbox.internal.iot.IotExpr.Path;
import io.shudu.sandbox.internal.iot.IotExpr.Time;
import io.shudu.sandbox.internal.iot.IotGeo.Geom;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evaluation of parsed expressions on entities: operators with OData's typing (integers, doubles, times, durations,
 * geometries, multi-valued paths), the function library, property paths through relations, and the {@code $orderby}
 * comparator. A value that cannot be computed is an {@link EvalError}, answered 400 before any byte of the answer.
 */
final class IotExprEval {
  private IotExprEval() {}

  /** Evaluates a boolean expression for an entity; an expression that cannot be evaluated is a 400. */
  static boolean matches(IotExpr e, Ent ent, IotStore store) {
    try {
      return truthy(eval(e, ent, store));
    } catch (Problem p) {
      throw p;
    } catch (RuntimeException ex) {
      throw evaluationProblem("$filter", ex, ent);
    }
  }

  /**
   * An expression that cannot be evaluated on an entity (integer overflow, a time out of range, a string too long):
   * the request is answered 400 before any byte of the answer is sent.
   */
  static final class EvalError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int pos;

    EvalError(String message, int pos) {
      super(message, null, false, false);
      this.pos = pos;
    }
  }

  private static Problem evaluationProblem(String option, RuntimeException ex, Ent ent) {
    String what = ex instanceof EvalError ? ex.getMessage() : "evaluating it failed (" + ex.getClass().getSimpleName()
        + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")";
    int pos = ex instanceof EvalError ee ? ee.pos : -1;
    Problem p = Problem.validation(option, option + " cannot be evaluated on " + ent.kind.singular + "(" + ent.id
        + ")" + (pos >= 0 ? " at position " + pos : "") + ": " + what + ". Change the expression; nothing was "
        + "answered before this error.").with("parameter", option);
    return pos >= 0 ? p.with("position", pos) : p;
  }

  private static boolean truthy(Object v) {
    if (v instanceof Many m) {
      return m.values().stream().anyMatch(IotExprEval::truthy);
    }
    return Boolean.TRUE.equals(v);
  }

  static Object eval(IotExpr e, Ent ent, IotStore store) {
    if (e instanceof Lit l) {
      return l.value();
    }
    if (e instanceof Path p) {
      return path(p.segs(), 0, ent, store);
    }
    if (e instanceof Not n) {
      return !truthy(eval(n.e(), ent, store));
    }
    if (e instanceof Neg n) {
      return arith("sub", 0L, eval(n.e(), ent, store), -1);
    }
    if (e instanceof Bin b) {
      return binary(b, ent, store);
    }
    return call((Call) e, ent, store);
  }

  private static Object binary(Bin b, Ent ent, IotStore store) {
    if (b.op().equals("and")) {
      return truthy(eval(b.left(), ent, store)) && truthy(eval(b.right(), ent, store));
    }
    if (b.op().equals("or")) {
      return truthy(eval(b.left(), ent, store)) || truthy(eval(b.right(), ent, store));
    }
    Object l = eval(b.left(), ent, store);
    Object r = eval(b.right(), ent, store);
    if ((l == null || r == null) && b.op().equals("ne")) {
      // a missing value is not "unequal" to a value; only "ne null" asks for presence
      boolean nullLiteral = (b.left() instanceof Lit x && x.value() == null)
          || (b.right() instanceof Lit y && y.value() == null);
      return nullLiteral && !(l == null && r == null);
    }
    return switch (b.op()) {
      case "eq", "ne", "gt", "ge", "lt", "le" -> compareOp(b.op(), l, r);
      default -> arith(b.op(), l, r, b.pos());
    };
  }

  private static Object compareOp(String op, Object l, Object r) {
    if (l instanceof Many m) {
      return m.values().stream().anyMatch(v -> Boolean.TRUE.equals(compareOp(op, v, r)));
    }
    if (r instanceof Many m) {
      return m.values().stream().anyMatch(v -> Boolean.TRUE.equals(compareOp(op, l, v)));
    }
    if (l == null || r == null) {
      return switch (op) {
        case "eq" -> l == null && r == null;
        case "ne" -> !(l == null && r == null);
        default -> false;
      };
    }
    if (l instanceof Time tl && r instanceof Time tr && (tl.interval() || tr.interval())) {
      return intervalCompare(op, tl, tr);
    }
    Integer c = compare(l, r);
    if (c == null) {
      return op.equals("ne");
    }
    return switch (op) {
      case "eq" -> c == 0;
      case "ne" -> c != 0;
      case "gt" -> c > 0;
      case "ge" -> c >= 0;
      case "lt" -> c < 0;
      default -> c <= 0;
    };
  }

  private static boolean intervalCompare(String op, Time l, Time r) {
    return switch (op) {
      case "eq" -> l.start().isEqual(r.start()) && l.end().isEqual(r.end());
      case "ne" -> !(l.start().isEqual(r.start()) && l.end().isEqual(r.end()));
      case "gt" -> l.start().isAfter(r.end());
      case "ge" -> !l.start().isBefore(r.end());
      case "lt" -> l.end().isBefore(r.start());
      default -> !l.end().isAfter(r.start());
    };
  }

  /** Orders two values; null when they cannot be compared. */
  static Integer compare(Object l, Object r) {
    if (l instanceof Number a && r instanceof Number b) {
      if (a instanceof Long x && b instanceof Long y) {
        return Long.compare(x, y);
      }
      if (!Double.isFinite(a.doubleValue()) || !Double.isFinite(b.doubleValue())) {
        return Double.compare(a.doubleValue(), b.doubleValue());
      }
      return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString()));
    }
    if (l instanceof Time a && r instanceof Time b) {
      return a.start().toInstant().compareTo(b.start().toInstant());
    }
    if (l instanceof Time a && r instanceof String s) {
      Time b = IotExpr.parseTime(s);
      return b == null ? null : a.start().toInstant().compareTo(b.start().toInstant());
    }
    if (l instanceof String s && r instanceof Time b) {
      Time a = IotExpr.parseTime(s);
      return a == null ? null : a.start().toInstant().compareTo(b.start().toInstant());
    }
    if (l instanceof LocalDate a && r instanceof LocalDate b) {
      return a.compareTo(b);
    }
    if (l instanceof Boolean a && r instanceof Boolean b) {
      return a.compareTo(b);
    }
    if (l instanceof Geom a && r instanceof Geom b) {
      return a.equals(b) ? 0 : null;
    }
    if (l instanceof String || r instanceof String) {
      return text(l).compareTo(text(r));
    }
    if (l instanceof JsonNode || r instanceof JsonNode) {
      return text(l).compareTo(text(r));
    }
    return null;
  }

  /** The text form of a value, as a string comparison sees it. */
  static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    if (v instanceof JsonNode n) {
      return n.isTextual() ? n.asText() : n.toString();
    }
    if (v instanceof Time t) {
      return t.start().toString();
    }
    return String.valueOf(v);
  }

  private static Object arith(String op, Object l, Object r, int pos) {
    if (l instanceof Many || r instanceof Many || l == null || r == null) {
      return null;
    }
    if (l instanceof Time t && r instanceof Duration d) {
      try {
        return op.equals("add") ? new Time(t.start().plus(d), t.end().plus(d))
            : op.equals("sub") ? new Time(t.start().minus(d), t.end().minus(d)) : null;
      } catch (java.time.DateTimeException | ArithmeticException e) {
        throw new EvalError("the time " + t.start() + " " + op + " " + d + " is out of range", pos);
      }
    }
    if (!(l instanceof Number a) || !(r instanceof Number b)) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y && !op.equals("div")) {
      try {
        return switch (op) {
          case "add" -> Math.addExact(x, y);
          case "sub" -> Math.subtractExact(x, y);
          case "mul" -> Math.multiplyExact(x, y);
          default -> y == 0 ? null : x % y;
        };
      } catch (ArithmeticException e) {
        throw new EvalError("integer overflow in " + x + " " + op + " " + y + " (integers are 64-bit; write a "
            + "decimal such as 1.0 to compute with doubles)", pos);
      }
    }
    double x = a.doubleValue();
    double y = b.doubleValue();
    if (a instanceof Long && b instanceof Long && op.equals("div")) {
      return y == 0 ? null : (Object) (a.longValue() / b.longValue());
    }
    return switch (op) {
      case "add" -> x + y;
      case "sub" -> x - y;
      case "mul" -> x * y;
      case "div" -> y == 0 ? null : x / y;
      default -> y == 0 ? null : x % y;
    };
  }

  private static Object call(Call c, Ent ent, IotStore store) {
    List<Object> a = new ArrayList<>(c.args().size());
    for (IotExpr arg : c.args()) {
      a.add(eval(arg, ent, store));
    }
    for (Object v : a) {
      if (v instanceof Many m) {
        List<Object> results = new ArrayList<>();
        for (Object one : m.values()) {
          List<Object> args2 = new ArrayList<>(a);
          args2.set(a.indexOf(v), one);
          results.add(apply(c.fn(), args2));
        }
        return new Many(results);
      }
    }
    return apply(c.fn(), a);
  }

  private static Object apply(String fn, List<Object> a) {
    switch (fn) {
      case "now" -> {
        OffsetDateTime n = OffsetDateTime.now(ZoneOffset.UTC);
        return new Time(n, n);
      }
      case "mindatetime", "maxdatetime" -> {
        return null;
      }
      default -> { }
    }
    Object x = a.get(0);
    if (x == null) {
      return null;
    }
    switch (fn) {
      case "substringof" -> {
        return str(a.get(1)) != null && str(x) != null ? str(a.get(1)).contains(str(x)) : null;
      }
      case "contains" -> {
        return str(a.get(1)) != null ? str(x).contains(str(a.get(1))) : null;
      }
      case "startswith" -> {
        return str(a.get(1)) != null ? str(x).startsWith(str(a.get(1))) : null;
      }
      case "endswith" -> {
        return str(a.get(1)) != null ? str(x).endsWith(str(a.get(1))) : null;
      }
      case "length" -> {
        return (long) str(x).length();
      }
      case "indexof" -> {
        return str(a.get(1)) != null ? (long) str(x).indexOf(str(a.get(1))) : null;
      }
      case "substring" -> {
        String s = str(x);
        Number start = num(a.get(1));
        Number count = a.size() == 3 ? num(a.get(2)) : null;
        if (start == null || (a.size() == 3 && count == null)) {
          return null;
        }
        int from = (int) Math.max(0, Math.min(s.length(), start.longValue()));
        if (a.size() == 3) {
          long end = Math.min(s.length(), from + Math.max(0, Math.min(s.length(), count.longValue())));
          return s.substring(from, (int) end);
        }
        return s.substring(from);
      }
      case "tolower" -> {
        return str(x).toLowerCase(Locale.ROOT);
      }
      case "toupper" -> {
        return str(x).toUpperCase(Locale.ROOT);
      }
      case "trim" -> {
        return str(x).trim();
      }
      case "concat" -> {
        String left = str(x);
        String right = a.get(1) == null ? "" : str(a.get(1));
        if ((long) left.length() + right.length() > IotQuery.MAX_COMPUTED_STRING) {
          throw new EvalError("concat would compute a string longer than " + IotQuery.MAX_COMPUTED_STRING + " characters", -1);
        }
        return left + right;
      }
      case "year", "month", "day", "hour", "minute", "second", "fractionalseconds", "date", "time",
          "totaloffsetminutes" -> {
        Time t = x instanceof Time tt ? tt : x instanceof String s ? IotExpr.parseTime(s) : null;
        if (t == null) {
          return x instanceof LocalDate d && fn.equals("year") ? (Object) (long) d.getYear() : null;
        }
        OffsetDateTime d = t.start();
        return switch (fn) {
          case "year" -> (long) d.getYear();
          case "month" -> (long) d.getMonthValue();
          case "day" -> (long) d.getDayOfMonth();
          case "hour" -> (long) d.getHour();
          case "minute" -> (long) d.getMinute();
          case "second" -> (long) d.getSecond();
          case "fractionalseconds" -> d.getNano() / 1e9;
          case "date" -> d.toLocalDate();
          case "time" -> d.toLocalTime().toString();
          default -> (long) (d.getOffset().getTotalSeconds() / 60);
        };
      }
      case "before", "after", "meets", "during", "overlaps", "starts", "finishes" -> {
        Time t1 = time(x);
        Time t2 = time(a.get(1));
        return t1 == null || t2 == null ? null : temporal(fn, t1, t2);
      }
      case "round", "floor", "ceiling" -> {
        Number n = num(x);
        if (n == null) {
          return null;
        }
        if (n instanceof Long) {
          return n;
        }
        double d = n.doubleValue();
        return fn.equals("round") ? (double) Math.round(d) : fn.equals("floor") ? Math.floor(d) : Math.ceil(d);
      }
      case "geo.length" -> {
        Geom g = geom(x);
        return g == null ? null : IotGeo.length(g);
      }
      default -> {
        Geom g1 = geom(x);
        Geom g2 = geom(a.get(1));
        if (g1 == null || g2 == null) {
          return null;
        }
        return switch (fn) {
          case "geo.distance" -> IotGeo.distance(g1, g2);
          case "geo.intersects", "st_intersects" -> IotGeo.intersects(g1, g2);
          case "st_equals" -> g1.equals(g2);
          case "st_disjoint" -> !IotGeo.intersects(g1, g2);
          case "st_touches" -> IotGeo.touches(g1, g2);
          case "st_within" -> IotGeo.within(g1, g2);
          case "st_contains" -> IotGeo.within(g2, g1);
          case "st_overlaps" -> IotGeo.overlaps(g1, g2);
          case "st_crosses" -> IotGeo.crosses(g1, g2);
          default -> null;
        };
      }
    }
  }

  private static Time time(Object v) {
    return v instanceof Time t ? t : v instanceof String s ? IotExpr.parseTime(s) : v instanceof JsonNode n && n.isTextual()
        ? IotExpr.parseTime(n.asText()) : null;
  }

  /**
   * Allen-style relation of two times (an instant is an interval whose start equals its end), as FROST-Server
   * evaluates them. Two instants are compared strictly for before/after; an instant and an interval overlap when
   * they share a point.
   */
  static boolean temporal(String fn, Time a, Time b) {
    java.time.Instant as = a.start().toInstant();
    java.time.Instant ae = a.end().toInstant();
    java.time.Instant bs = b.start().toInstant();
    java.time.Instant be = b.end().toInstant();
    boolean instants = !a.interval() && !b.interval();
    return switch (fn) {
      case "before" -> instants ? ae.isBefore(bs) : !ae.isAfter(bs);
      case "after" -> instants ? as.isAfter(be) : !as.isBefore(be);
      case "meets" -> ae.equals(bs) || be.equals(as);
      case "during" -> !bs.isAfter(as) && !ae.isAfter(be);
      case "overlaps" -> a.interval() && b.interval() ? as.isBefore(be) && bs.isBefore(ae)
          : !as.isAfter(be) && !bs.isAfter(ae);
      case "starts" -> as.equals(bs);
      case "finishes" -> ae.equals(be);
      default -> throw new IllegalArgumentException("not a temporal function: " + fn);
    };
  }

  private static String str(Object v) {
    return v == null ? null : text(v);
  }

  private static Number num(Object v) {
    if (v instanceof Number n) {
      return n;
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Geom geom(Object v) {
    if (v instanceof Geom g) {
      return g;
    }
    if (v instanceof JsonNode n) {
      return IotGeo.fromGeoJson(n);
    }
    return null;
  }

  static final Set<String> TIME_PROPS = Set.of("phenomenonTime", "resultTime", "time", "validTime");

  /** The value of a path on an entity, as the evaluator sees it. */
  static Object path(List<String> segs, int from, Ent ent, IotStore store) {
    String s = segs.get(from);
    if (s.equals("id") || s.equals("@iot.id")) {
      return ent.id;
    }
    if (ent.kind.prop(s) != null) {
      JsonNode v = ent.get(s);
      for (int k = from + 1; k < segs.size() && v != null; k++) {
        String key = segs.get(k);
        v = v.isArray() && key.matches("\\d{1,9}") ? v.get(Integer.parseInt(key)) : v.get(key);
      }
      if (v == null || v.isNull()) {
        return null;
      }
      if (from + 1 == segs.size() && TIME_PROPS.contains(s) && v.isTextual()) {
        Time t = IotExpr.parseTime(v.asText());
        return t == null ? v.asText() : t;
      }
      return jsonValue(v);
    }
    Nav n = ent.kind.nav(s);
    if (n == null || from + 1 >= segs.size()) {
      return null;
    }
    if (!n.plural) {
      long id = ent.one[n.slot];
      Ent next = id == 0 ? null : store.get(n.target, id);
      return next == null ? null : path(segs, from + 1, next, store);
    }
    List<Object> values = new ArrayList<>();
    for (Long id : ent.many[n.slot].set) {
      Ent next = store.get(n.target, id);
      if (next != null) {
        Object v = path(segs, from + 1, next, store);
        if (v instanceof Many m) {
          values.addAll(m.values());
        } else {
          values.add(v);
        }
      }
    }
    return new Many(values);
  }

  static Object jsonValue(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v;
  }

  private static Object orderValue(IotQuery.Order o, Ent e, IotStore store) {
    try {
      return eval(o.expr(), e, store);
    } catch (Problem p) {
      throw p;
    } catch (RuntimeException ex) {
      throw evaluationProblem("$orderby", ex, e);
    }
  }

  /** A comparator for {@code $orderby} (nulls first ascending), ending with the id for a stable order. */
  static Comparator<Ent> comparator(List<IotQuery.Order> orders, IotStore store) {
    return (x, y) -> {
      for (IotQuery.Order o : orders) {
        Object a = orderValue(o, x, store);
        Object b = orderValue(o, y, store);
        int c;
        if (a == null || b == null) {
          c = a == null ? (b == null ? 0 : -1) : 1;
        } else {
          Integer r = compare(a, b);
          c = r == null ? text(a).compareTo(text(b)) : r;
        }
        if (c != 0) {
          return o.desc() ? -c : c;
        }
      }
      return Long.compare(x.id, y.id);
    };
  }
}
