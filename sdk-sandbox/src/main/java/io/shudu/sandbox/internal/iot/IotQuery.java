package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotGeo.Geom;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SensorThings query options of one collection or expansion level ({@code $filter}, {@code $expand} with nested
 * options, {@code $select}, {@code $orderby}, {@code $top}, {@code $skip}, {@code $count}) and the OData expression
 * language: parsing with positions for error messages, static checking against the entity type, and evaluation.
 */
final class IotQuery {
  static final int DEFAULT_TOP = 100;
  static final int MAX_TOP = 10_000;
  /** Longest expression ({@code $filter} or one {@code $orderby} item), in characters. */
  static final int MAX_EXPRESSION_CHARS = 16_384;
  /** Deepest nesting of parentheses, function calls, {@code not} and negation in one expression. */
  static final int MAX_EXPRESSION_DEPTH = 64;
  /** Most operators, operands and function calls in all expressions of one request (all expansion levels). */
  static final int MAX_EXPRESSION_TERMS = 1_000;
  /** Deepest {@code $expand} (Things/Datastreams/Observations is 3 levels). */
  static final int MAX_EXPAND_DEPTH = 5;
  /** Longest string an expression may compute (concat), in characters. */
  static final int MAX_COMPUTED_STRING = 1 << 20;
  /** Most entities one request may examine (filter, count, order, expand at every level). */
  static final long MAX_ENTITIES_EXAMINED = 5_000_000;

  /** The cost one request has used so far, shared by all its expansion levels. */
  static final class Budget {
    int terms;
    long examined;
  }

  Expr filter;
  List<Order> orderBy = List.of();
  List<String> select;
  final Map<String, IotQuery> expand = new LinkedHashMap<>();
  Integer top;
  int skip;
  boolean count;
  /** Resume after this id (server-driven paging in id order). */
  Long after;
  String resultFormat;
  final Kind kind;
  /** Expansion level: 0 for the request's own entity set. */
  final int depth;
  /** The request's cost so far, shared by all expansion levels. */
  private final Budget budget;

  IotQuery(Kind kind) {
    this.kind = kind;
    this.depth = 0;
    this.budget = new Budget();
  }

  private IotQuery(Kind kind, IotQuery parent) {
    this.kind = kind;
    this.depth = parent.depth + 1;
    this.budget = parent.budget;
  }

  /** Counts one entity examined by this request; beyond {@link #MAX_ENTITIES_EXAMINED} the request is a 400. */
  void examined() {
    if (++budget.examined > MAX_ENTITIES_EXAMINED) {
      throw Problem.limit("maxEntitiesExamined", MAX_ENTITIES_EXAMINED, "The query examines more than "
          + MAX_ENTITIES_EXAMINED + " entities (limit maxEntitiesExamined, counting every level of $expand and "
          + "$count); narrow it: filter by time or id range, expand fewer levels, or lower $top.");
    }
  }

  /** One {@code $orderby} item. */
  record Order(Expr expr, boolean desc, String text) {}

  /** Whether results are in plain id order (allowing id-based continuation). */
  boolean idOrder() {
    return orderBy.isEmpty() || (orderBy.size() == 1 && isId(orderBy.get(0).expr) && !orderBy.get(0).desc);
  }

  private static boolean isId(Expr e) {
    return e instanceof Path p && p.segs.size() == 1 && (p.segs.get(0).equals("id") || p.segs.get(0).equals("@iot.id"));
  }

  // ------------------------------------------------------------------ parsing of options

  /** Parses top-level options (already percent-decoded). */
  static IotQuery parse(Map<String, String> options, Kind kind) {
    IotQuery q = new IotQuery(kind);
    for (Map.Entry<String, String> o : options.entrySet()) {
      q.option(o.getKey(), o.getValue());
    }
    return q;
  }

  private void option(String name, String value) {
    switch (name) {
      case "$filter" -> {
        filter = new Parser(value, "$filter", budget).parseAll();
        if (!condition(filter)) {
          throw optionError(name, "Invalid $filter at position 0: '" + value + "' is a value, not a condition; "
              + "compare it, such as result gt 5.").with("position", 0);
        }
      }
      case "$orderby" -> orderBy = parseOrderBy(value);
      case "$select" -> select = parseSelect(value);
      case "$expand" -> parseExpand(value);
      case "$top" -> {
        top = integer(name, value);
        if (top > MAX_TOP) {
          throw optionError(name, "$top must be at most " + MAX_TOP + ", got " + top + "; page with @iot.nextLink.");
        }
      }
      case "$skip" -> skip = integer(name, value);
      case "$count" -> {
        String v = value.trim();
        if (!v.equals("true") && !v.equals("false")) {
          throw optionError(name, "$count must be true or false, got '" + value + "'.");
        }
        count = v.equals("true");
      }
      case "$skiptoken" -> {
        try {
          after = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          throw optionError(name, "$skiptoken is not valid; follow @iot.nextLink as given.");
        }
      }
      case "$resultFormat" -> {
        if (!value.equals("dataArray") && !value.equals("default")) {
          throw optionError(name, "$resultFormat must be dataArray, got '" + value + "'.");
        }
        resultFormat = value;
      }
      default -> {
        if (name.startsWith("$")) {
          throw optionError(name, "Unknown query option '" + name + "'. Supported: $filter, $expand, $select, "
              + "$orderby, $top, $skip, $count, $resultFormat.");
        }
      }
    }
  }

  private static final Set<String> BOOLEAN_FUNCTIONS = Set.of("substringof", "contains", "startswith", "endswith",
      "geo.intersects", "st_equals", "st_disjoint", "st_touches", "st_within", "st_overlaps", "st_crosses",
      "st_intersects", "st_contains", "before", "after", "meets", "during", "overlaps", "starts", "finishes");

  /** The SensorThings temporal functions on instants and intervals (Allen-style relations). */
  static final Set<String> TEMPORAL_FUNCTIONS = Set.of("before", "after", "meets", "during", "overlaps", "starts",
      "finishes");

  /** Whether an expression can be a filter: a comparison, logical operator, boolean function, literal or path. */
  private static boolean condition(Expr e) {
    if (e instanceof Bin b) {
      return !Set.of("add", "sub", "mul", "div", "mod").contains(b.op());
    }
    if (e instanceof Call c) {
      return BOOLEAN_FUNCTIONS.contains(c.fn());
    }
    if (e instanceof Lit l) {
      return l.value() instanceof Boolean;
    }
    return !(e instanceof Neg);
  }

  private static int integer(String name, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 0) {
        throw optionError(name, name + " must not be negative, got " + n + ".");
      }
      return n;
    } catch (NumberFormatException e) {
      throw optionError(name, name + " must be a non-negative integer, got '" + value + "'.");
    }
  }

  static Problem optionError(String option, String detail) {
    return Problem.validation(option, detail).with("parameter", option);
  }

  private List<Order> parseOrderBy(String value) {
    List<Order> out = new ArrayList<>();
    for (String part : splitTop(value, ',')) {
      String t = part.trim();
      boolean desc = false;
      String lower = t.toLowerCase(Locale.ROOT);
      if (lower.endsWith(" desc")) {
        desc = true;
        t = t.substring(0, t.length() - 5).trim();
      } else if (lower.endsWith(" asc")) {
        t = t.substring(0, t.length() - 4).trim();
      }
      if (t.isEmpty()) {
        throw optionError("$orderby", "$orderby has an empty item in '" + value + "'.");
      }
      Expr e = new Parser(t, "$orderby", budget).parseAll();
      check(e, kind, "$orderby", t);
      out.add(new Order(e, desc, part.trim()));
    }
    return out;
  }

  private List<String> parseSelect(String value) {
    List<String> out = new ArrayList<>();
    for (String part : splitTop(value, ',')) {
      String name = part.trim();
      if (name.equals("id")) {
        name = "@iot.id";
      }
      if (!name.equals("@iot.id") && !name.equals("@iot.selfLink") && kind.prop(name) == null
          && kind.nav(name) == null) {
        throw optionError("$select", "$select names '" + name + "', which " + kind.singular + " does not have. "
            + "Properties: " + propNames(kind) + "; navigation: " + kind.navs.keySet() + ".");
      }
      out.add(name);
    }
    return out;
  }

  private void parseExpand(String value) {
    for (String item : splitTop(value, ',')) {
      String t = item.trim();
      String opts = null;
      int paren = t.indexOf('(');
      if (paren >= 0) {
        if (!t.endsWith(")")) {
          throw optionError("$expand", "$expand item '" + t + "' has unbalanced parentheses.");
        }
        opts = t.substring(paren + 1, t.length() - 1);
        t = t.substring(0, paren).trim();
      }
      String[] path = t.split("/");
      IotQuery level = this;
      for (int i = 0; i < path.length; i++) {
        Nav nav = level.kind.nav(path[i]);
        if (nav == null) {
          throw optionError("$expand", "$expand names '" + path[i] + "', which is not a navigation property of "
              + level.kind.singular + " (" + level.kind.navs.keySet() + ").");
        }
        IotQuery sub = level.expand.get(nav.name);
        if (sub == null) {
          if (level.depth + 1 > MAX_EXPAND_DEPTH) {
            throw Problem.limit("maxExpandDepth", MAX_EXPAND_DEPTH, "$expand goes deeper than the limit "
                + "maxExpandDepth (" + MAX_EXPAND_DEPTH + " levels) at '" + path[i] + "'; expand fewer levels and "
                + "follow the @iot.navigationLink of the deepest ones.").with("parameter", "$expand");
          }
          sub = new IotQuery(nav.target, level);
          level.expand.put(nav.name, sub);
        }
        level = sub;
      }
      if (opts != null) {
        for (String o : splitTop(opts, ';')) {
          int eq = o.indexOf('=');
          if (eq < 0) {
            throw optionError("$expand", "$expand option '" + o + "' must look like $name=value.");
          }
          level.option(o.substring(0, eq).trim(), o.substring(eq + 1));
        }
      }
    }
  }

  /** Splits at a separator outside parentheses and quotes. */
  static List<String> splitTop(String s, char sep) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean quote = false;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        quote = !quote;
      } else if (!quote && c == '(') {
        depth++;
      } else if (!quote && c == ')') {
        depth--;
      } else if (!quote && depth == 0 && c == sep) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  static List<String> propNames(Kind k) {
    List<String> names = new ArrayList<>();
    names.add("id");
    k.props.forEach(p -> names.add(p.name()));
    return names;
  }

  /** Checks paths of the filter (and nested levels) against the entity types. */
  void validate() {
    if (filter != null) {
      check(filter, kind, "$filter", null);
    }
    for (IotQuery sub : expand.values()) {
      sub.validate();
    }
  }

  // ------------------------------------------------------------------ expressions

  /** A parsed expression. */
  sealed interface Expr permits Lit, Path, Bin, Not, Neg, Call {}

  /** A literal value. */
  record Lit(Object value) implements Expr {}

  /** A property path such as {@code Datastream/Thing/name} or {@code properties/reference}. */
  record Path(List<String> segs, int pos) implements Expr {}

  /** A binary operator. */
  record Bin(String op, Expr left, Expr right, int pos) implements Expr {}

  /** Logical negation. */
  record Not(Expr e) implements Expr {}

  /** Arithmetic negation. */
  record Neg(Expr e) implements Expr {}

  /** A function call. */
  record Call(String fn, List<Expr> args, int pos) implements Expr {}

  /** A time value: an instant (start == end) or an interval. */
  record Time(OffsetDateTime start, OffsetDateTime end) {
    boolean interval() {
      return !start.equals(end);
    }
  }

  /** A multi-valued result (a path through a to-many relation): comparisons hold if any value matches. */
  record Many(List<Object> values) {}

  private static final Set<String> FUNCTIONS = Set.of("substringof", "contains", "startswith", "endswith", "length",
      "indexof", "substring", "tolower", "toupper", "trim", "concat", "year", "month", "day", "hour", "minute",
      "second", "fractionalseconds", "date", "time", "totaloffsetminutes", "now", "mindatetime", "maxdatetime",
      "round", "floor", "ceiling", "geo.distance", "geo.length", "geo.intersects", "st_equals", "st_disjoint",
      "st_touches", "st_within", "st_overlaps", "st_crosses", "st_intersects", "st_contains", "before", "after",
      "meets", "during", "overlaps", "starts", "finishes");

  private static final Map<String, Integer> ARITY = Map.ofEntries(Map.entry("substringof", 2),
      Map.entry("contains", 2), Map.entry("startswith", 2), Map.entry("endswith", 2), Map.entry("length", 1),
      Map.entry("indexof", 2), Map.entry("tolower", 1), Map.entry("toupper", 1), Map.entry("trim", 1),
      Map.entry("concat", 2), Map.entry("year", 1), Map.entry("month", 1), Map.entry("day", 1),
      Map.entry("hour", 1), Map.entry("minute", 1), Map.entry("second", 1), Map.entry("fractionalseconds", 1),
      Map.entry("date", 1), Map.entry("time", 1), Map.entry("totaloffsetminutes", 1), Map.entry("now", 0),
      Map.entry("mindatetime", 0), Map.entry("maxdatetime", 0), Map.entry("round", 1), Map.entry("floor", 1),
      Map.entry("ceiling", 1), Map.entry("geo.distance", 2), Map.entry("geo.length", 1),
      Map.entry("geo.intersects", 2), Map.entry("st_equals", 2), Map.entry("st_disjoint", 2),
      Map.entry("st_touches", 2), Map.entry("st_within", 2), Map.entry("st_overlaps", 2), Map.entry("st_crosses", 2),
      Map.entry("st_intersects", 2), Map.entry("st_contains", 2), Map.entry("before", 2), Map.entry("after", 2),
      Map.entry("meets", 2), Map.entry("during", 2), Map.entry("overlaps", 2), Map.entry("starts", 2),
      Map.entry("finishes", 2));

  /** Recursive-descent parser of the OData expression subset used by SensorThings. */
  static final class Parser {
    private final String src;
    private final String option;
    private final Budget budget;
    private int i;
    private int depth;

    Parser(String src, String option, Budget budget) {
      this.src = src;
      this.option = option;
      this.budget = budget;
    }

    Expr parseAll() {
      if (src.length() > MAX_EXPRESSION_CHARS) {
        throw Problem.limit("maxExpressionLength", MAX_EXPRESSION_CHARS, option + " is " + src.length()
            + " characters long, more than the limit maxExpressionLength (" + MAX_EXPRESSION_CHARS + "); split the "
            + "query, or select by id ranges.").with("parameter", option);
      }
      skip();
      if (i >= src.length()) {
        throw error("the expression is empty");
      }
      Expr e = or();
      skip();
      if (i < src.length()) {
        throw error("unexpected '" + src.substring(i, Math.min(src.length(), i + 12)) + "'");
      }
      return e;
    }

    private Problem error(String what) {
      return error(what, i);
    }

    /** Counts one operator, operand or call against the request's budget. */
    private void term() {
      if (++budget.terms > MAX_EXPRESSION_TERMS) {
        throw Problem.limit("maxExpressionTerms", MAX_EXPRESSION_TERMS, "The query's expressions have more than "
            + MAX_EXPRESSION_TERMS + " operators, operands and function calls (limit maxExpressionTerms), reached "
            + "at position " + i + " of " + option + "; use fewer conditions (for example a range such as "
            + "id ge 10 and id le 99 instead of a long 'or' chain).").with("parameter", option).with("position", i);
      }
    }

    /** Enters one nesting level (parenthesis, call, not, negation). */
    private void deeper() {
      if (++depth > MAX_EXPRESSION_DEPTH) {
        throw Problem.limit("maxExpressionDepth", MAX_EXPRESSION_DEPTH, option + " nests parentheses, function "
            + "calls, 'not' or negation more than " + MAX_EXPRESSION_DEPTH + " deep (limit maxExpressionDepth), at "
            + "position " + i + "; remove redundant parentheses.").with("parameter", option).with("position", i);
      }
    }

    private Problem error(String what, int pos) {
      String pointer = src + "\n" + " ".repeat(Math.max(0, pos)) + "^";
      return Problem.validation(option, "Invalid " + option + " at position " + pos + ": " + what + ". Expression: "
          + src).with("parameter", option).with("position", pos).with("expression", pointer);
    }

    private Expr or() {
      Expr l = and();
      while (keyword("or")) {
        term();
        int p = i - 2;
        l = new Bin("or", l, and(), p);
      }
      return l;
    }

    private Expr and() {
      Expr l = not();
      while (keyword("and")) {
        term();
        int p = i - 3;
        l = new Bin("and", l, not(), p);
      }
      return l;
    }

    private Expr not() {
      if (keyword("not")) {
        term();
        deeper();
        Expr e = new Not(not());
        depth--;
        return e;
      }
      return comparison();
    }

    private Expr comparison() {
      Expr l = additive();
      for (String op : List.of("eq", "ne", "gt", "ge", "lt", "le")) {
        int p = position();
        if (keyword(op)) {
          term();
          return new Bin(op, l, additive(), p);
        }
      }
      return l;
    }

    private Expr additive() {
      Expr l = multiplicative();
      while (true) {
        int p = position();
        if (keyword("add")) {
          term();
          l = new Bin("add", l, multiplicative(), p);
        } else if (keyword("sub")) {
          term();
          l = new Bin("sub", l, multiplicative(), p);
        } else {
          return l;
        }
      }
    }

    private Expr multiplicative() {
      Expr l = unary();
      while (true) {
        int p = position();
        if (keyword("mul")) {
          term();
          l = new Bin("mul", l, unary(), p);
        } else if (keyword("div")) {
          term();
          l = new Bin("div", l, unary(), p);
        } else if (keyword("mod")) {
          term();
          l = new Bin("mod", l, unary(), p);
        } else {
          return l;
        }
      }
    }

    private Expr unary() {
      skip();
      if (peek() == '-' && i + 1 < src.length() && !Character.isDigit(src.charAt(i + 1))) {
        i++;
        term();
        deeper();
        Expr e = new Neg(unary());
        depth--;
        return e;
      }
      return primary();
    }

    private int position() {
      skip();
      return i;
    }

    private Expr primary() {
      skip();
      int start = i;
      if (i >= src.length()) {
        throw error("the expression ends too early; expected a value, property or function");
      }
      term();
      char c = src.charAt(i);
      if (c == '(') {
        deeper();
        i++;
        Expr e = or();
        skip();
        if (peek() != ')') {
          throw error("expected ')' to close the '(' at position " + start);
        }
        i++;
        depth--;
        return e;
      }
      if (c == '\'') {
        return new Lit(string());
      }
      if (Character.isDigit(c) || c == '-') {
        return numberOrTime();
      }
      if (Character.isLetter(c) || c == '@' || c == '_') {
        int s = i;
        while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || "_.@/".indexOf(src.charAt(i)) >= 0)) {
          i++;
        }
        String word = src.substring(s, i);
        if (peek() == '\'' && (word.equals("geography") || word.equals("geometry"))) {
          String wkt = string();
          try {
            return new Lit(IotGeo.fromWkt(wkt));
          } catch (IllegalArgumentException e) {
            throw error("invalid " + word + " literal: " + e.getMessage(), s);
          }
        }
        if (peek() == '\'' && word.equals("duration")) {
          String d = string();
          try {
            return new Lit(Duration.parse(d));
          } catch (DateTimeParseException e) {
            throw error("invalid duration '" + d + "', use ISO 8601 such as P1DT2H", s);
          }
        }
        switch (word) {
          case "true" -> {
            return new Lit(Boolean.TRUE);
          }
          case "false" -> {
            return new Lit(Boolean.FALSE);
          }
          case "null" -> {
            return new Lit(null);
          }
          default -> { }
        }
        skip();
        if (peek() == '(') {
          String fn = word.toLowerCase(Locale.ROOT);
          if (!FUNCTIONS.contains(fn)) {
            throw error("unknown function '" + word + "'", s);
          }
          i++;
          deeper();
          List<Expr> args = new ArrayList<>();
          List<Integer> argPos = new ArrayList<>();
          skip();
          if (peek() != ')') {
            while (true) {
              argPos.add(position());
              args.add(or());
              skip();
              if (peek() == ',') {
                i++;
                continue;
              }
              break;
            }
          }
          skip();
          if (peek() != ')') {
            throw error("expected ',' or ')' in the arguments of " + fn);
          }
          i++;
          depth--;
          Integer arity = ARITY.get(fn);
          if (fn.equals("substring")) {
            if (args.size() < 2 || args.size() > 3) {
              throw error("substring takes 2 or 3 arguments, got " + args.size(), s);
            }
          } else if (arity != null && arity != args.size()) {
            throw error(fn + " takes " + arity + " argument(s), got " + args.size(), s);
          }
          if (TEMPORAL_FUNCTIONS.contains(fn)) {
            for (int k = 0; k < args.size(); k++) {
              args.set(k, temporalArgument(fn, k, args.get(k), argPos.get(k)));
            }
          }
          return new Call(fn, args, s);
        }
        if (word.endsWith("/")) {
          throw error("a property path must not end with '/'", i - 1);
        }
        return new Path(List.of(word.split("/")), s);
      }
      throw error("unexpected character '" + c + "'");
    }

    /**
     * Checks one argument of a temporal function: a literal must be a time instant or interval (a quoted ISO 8601
     * string is accepted and parsed here); a property must be a time property or lie inside an open JSON property.
     */
    private Expr temporalArgument(String fn, int k, Expr arg, int pos) {
      String which = "argument " + (k + 1) + " of " + fn;
      String hint = "; use a time property (phenomenonTime, resultTime, validTime, time), an instant such as "
          + "2024-05-01T00:00:00Z or an interval such as 2024-05-01T00:00:00Z/2024-05-02T00:00:00Z";
      if (arg instanceof Lit l) {
        if (l.value() instanceof Time) {
          return arg;
        }
        if (l.value() instanceof String str) {
          Time t = parseTime(str);
          if (t == null) {
            throw error(which + " is '" + str + "', which is not an ISO 8601 instant or interval with offset" + hint,
                pos);
          }
          if (t.end().isBefore(t.start())) {
            throw error(which + ": the interval '" + str + "' ends before it starts", pos);
          }
          return new Lit(t);
        }
        if (l.value() instanceof LocalDate d) {
          throw error(which + " is the date " + d + "; temporal functions need a date-time with offset, such as "
              + d + "T00:00:00Z, or an interval such as " + d + "T00:00:00Z/" + d.plusDays(1) + "T00:00:00Z", pos);
        }
        throw error(which + " is " + (l.value() == null ? "null" : "'" + text(l.value()) + "'")
            + ", which is not a time" + hint, pos);
      }
      if (arg instanceof Path p) {
        boolean open = p.segs().stream().anyMatch(OPEN_PROPS::contains);
        String last = p.segs().get(p.segs().size() - 1);
        if (!open && !TIME_PROPS.contains(last)) {
          throw error(which + " is the property '" + String.join("/", p.segs()) + "', which is not a time" + hint,
              pos);
        }
        return arg;
      }
      if (arg instanceof Bin b && Set.of("eq", "ne", "gt", "ge", "lt", "le", "and", "or").contains(b.op())
          || arg instanceof Not) {
        throw error(which + " is a condition, not a time" + hint, pos);
      }
      return arg;
    }

    private String string() {
      int start = i;
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= src.length()) {
          throw error("the string starting at position " + start + " is not closed with '", start);
        }
        char c = src.charAt(i++);
        if (c == '\'') {
          if (peek() == '\'') {
            sb.append('\'');
            i++;
            continue;
          }
          return sb.toString();
        }
        sb.append(c);
      }
    }

    private static final java.util.regex.Pattern TIME = java.util.regex.Pattern.compile(
        "\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:?\\d{2})?)?");
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(
        "-?P[0-9DTHMS.,]*");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
        "-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    private Expr numberOrTime() {
      int s = i;
      java.util.regex.Matcher m = TIME.matcher(src).region(i, src.length());
      if (m.lookingAt()) {
        String t = m.group();
        i = m.end();
        if (m.group(1) == null) {
          if (peek() == '/') {
            throw error("invalid interval starting with the date " + t + ": interval bounds must be date-times with "
                + "offset, such as " + t + "T00:00:00Z/" + t + "T12:00:00Z", s);
          }
          try {
            return new Lit(LocalDate.parse(t));
          } catch (DateTimeParseException e) {
            throw error("invalid date '" + t + "'", s);
          }
        }
        OffsetDateTime odt = dateTime(t, s);
        if (peek() != '/') {
          return new Lit(new Time(odt, odt));
        }
        i++;
        int endPos = i;
        java.util.regex.Matcher e = TIME.matcher(src).region(i, src.length());
        if (e.lookingAt() && e.group(1) != null) {
          i = e.end();
          OffsetDateTime end = dateTime(e.group(), endPos);
          if (end.isBefore(odt)) {
            throw error("invalid interval '" + src.substring(s, i) + "': it ends (" + e.group() + ") before it "
                + "starts (" + t + "); write start/end with start not after end", s);
          }
          return new Lit(new Time(odt, end));
        }
        java.util.regex.Matcher d = DURATION.matcher(src).region(i, src.length());
        if (d.lookingAt()) {
          i = d.end();
          try {
            Duration length = Duration.parse(d.group());
            if (length.isNegative()) {
              throw error("invalid interval duration '" + d.group() + "': it must not be negative", endPos);
            }
            return new Lit(new Time(odt, odt.plus(length)));
          } catch (DateTimeParseException ex) {
            throw error("invalid interval duration '" + d.group() + "'; use ISO 8601 such as PT1H or P1DT12H",
                endPos);
          }
        }
        String found = src.substring(endPos, Math.min(src.length(), endPos + 12)).trim();
        throw error("invalid interval: after '" + t + "/' expected an end date-time with offset or a duration, "
            + "such as " + t + "/" + odt.plusDays(1) + " or " + t + "/PT1H, got '" + found + "'", endPos);
      }
      m = NUMBER.matcher(src).region(i, src.length());
      if (!m.lookingAt()) {
        throw error("expected a number", s);
      }
      String t = m.group();
      i = m.end();
      try {
        if (t.contains(".") || t.contains("e") || t.contains("E")) {
          double d = Double.parseDouble(t);
          if (Double.isInfinite(d)) {
            throw error("the number '" + t + "' is out of range (the largest is about 1.8e308)", s);
          }
          return new Lit(d);
        }
        return new Lit(Long.parseLong(t));
      } catch (NumberFormatException e) {
        throw error("invalid number '" + t + "'", s);
      }
    }

    private OffsetDateTime dateTime(String t, int pos) {
      try {
        return OffsetDateTime.parse(t);
      } catch (DateTimeParseException e) {
        throw error("invalid date-time '" + t + "'; use ISO 8601 with an offset, such as 2024-05-01T08:00:00Z "
            + "(percent-encode '+' as %2B)", pos);
      }
    }

    private boolean keyword(String kw) {
      skip();
      int end = i + kw.length();
      if (end <= src.length() && src.regionMatches(true, i, kw, 0, kw.length())
          && (end == src.length() || !Character.isLetterOrDigit(src.charAt(end)))
          && (end == src.length() || src.charAt(end) == ' ' || src.charAt(end) == '(' || src.charAt(end) == '\'')) {
        i = end;
        return true;
      }
      return false;
    }

    private char peek() {
      return i < src.length() ? src.charAt(i) : '\0';
    }

    private void skip() {
      while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
        i++;
      }
    }
  }

  /** Checks every path of an expression against the entity type, with positions. */
  static void check(Expr e, Kind kind, String option, String src) {
    if (e instanceof Path p) {
      checkPath(p, kind, option);
    } else if (e instanceof Bin b) {
      check(b.left(), kind, option, src);
      check(b.right(), kind, option, src);
    } else if (e instanceof Not n) {
      check(n.e(), kind, option, src);
    } else if (e instanceof Neg n) {
      check(n.e(), kind, option, src);
    } else if (e instanceof Call c) {
      c.args().forEach(a -> check(a, kind, option, src));
    }
  }

  private static final Set<String> OPEN_PROPS = Set.of("properties", "parameters", "result", "unitOfMeasurement",
      "unitOfMeasurements", "location", "feature", "resultQuality", "metadata", "observedArea",
      "multiObservationDataTypes");

  private static void checkPath(Path p, Kind kind, String option) {
    Kind k = kind;
    for (int idx = 0; idx < p.segs().size(); idx++) {
      String s = p.segs().get(idx);
      if ((s.equals("id") || s.equals("@iot.id")) && idx == p.segs().size() - 1) {
        return;
      }
      if (k.prop(s) != null) {
        if (idx < p.segs().size() - 1 && !OPEN_PROPS.contains(s)) {
          throw pathError(p, option, "'" + s + "' of " + k.singular + " has no sub-properties");
        }
        return;
      }
      Nav n = k.nav(s);
      if (n == null) {
        throw pathError(p, option, k.singular + " has no property or navigation '" + s + "' (properties: "
            + propNames(k) + "; navigation: " + k.navs.keySet() + ")");
      }
      k = n.target;
      if (idx == p.segs().size() - 1) {
        throw pathError(p, option, "'" + s + "' is a navigation property; name one of its properties, such as "
            + s + "/id");
      }
    }
  }

  private static Problem pathError(Path p, String option, String what) {
    return Problem.validation(option, "Invalid " + option + " at position " + p.pos() + ": " + what + ".")
        .with("parameter", option).with("position", p.pos());
  }

  // ------------------------------------------------------------------ evaluation

  /** Evaluates a boolean expression for an entity; an expression that cannot be evaluated is a 400. */
  static boolean matches(Expr e, Ent ent, IotStore store) {
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
      return m.values().stream().anyMatch(IotQuery::truthy);
    }
    return Boolean.TRUE.equals(v);
  }

  static Object eval(Expr e, Ent ent, IotStore store) {
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
      Time b = parseTime(s);
      return b == null ? null : a.start().toInstant().compareTo(b.start().toInstant());
    }
    if (l instanceof String s && r instanceof Time b) {
      Time a = parseTime(s);
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
    for (Expr arg : c.args()) {
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
        if ((long) left.length() + right.length() > MAX_COMPUTED_STRING) {
          throw new EvalError("concat would compute a string longer than " + MAX_COMPUTED_STRING + " characters", -1);
        }
        return left + right;
      }
      case "year", "month", "day", "hour", "minute", "second", "fractionalseconds", "date", "time",
          "totaloffsetminutes" -> {
        Time t = x instanceof Time tt ? tt : x instanceof String s ? parseTime(s) : null;
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
    return v instanceof Time t ? t : v instanceof String s ? parseTime(s) : v instanceof JsonNode n && n.isTextual()
        ? parseTime(n.asText()) : null;
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

  private static final Set<String> TIME_PROPS = Set.of("phenomenonTime", "resultTime", "time", "validTime");

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
        Time t = parseTime(v.asText());
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

  private static Object orderValue(Order o, Ent e, IotStore store) {
    try {
      return eval(o.expr(), e, store);
    } catch (Problem p) {
      throw p;
    } catch (RuntimeException ex) {
      throw evaluationProblem("$orderby", ex, e);
    }
  }

  /** A comparator for {@code $orderby} (nulls first ascending), ending with the id for a stable order. */
  static Comparator<Ent> comparator(List<Order> orders, IotStore store) {
    return (x, y) -> {
      for (Order o : orders) {
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
