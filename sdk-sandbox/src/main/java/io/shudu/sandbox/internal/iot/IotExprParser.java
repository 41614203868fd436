package io.shudu.sandbox.internal.iot;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Bin;
import io.shudu.sandbox.internal.iot.IotExpr.Call;
import io.shudu.sandbox.internal.iot.IotExpr.Lit;
import io.shudu.sandbox.internal.iot.IotExpr.Neg;
import io.shudu.sandbox.internal.iot.IotExpr.Not;
import io.shudu.sandbox.internal.iot.IotExpr.Path;
import io.shudu.sandbox.internal.iot.IotExpr.Time;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser of the OData expression subset used by SensorThings, with the request's limits on length,
 * nesting and terms (each a 400 problem naming the limit) and the catalogue of functions with their arities.
 */
final class IotExprParser {
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

  /** Functions whose value is a boolean (a filter may be one of them alone). */
  static final Set<String> BOOLEAN_FUNCTIONS = Set.of("substringof", "contains", "startswith", "endswith",
      "geo.intersects", "st_equals", "st_disjoint", "st_touches", "st_within", "st_overlaps", "st_crosses",
      "st_intersects", "st_contains", "before", "after", "meets", "during", "overlaps", "starts", "finishes");

  /** The SensorThings temporal functions on instants and intervals (Allen-style relations). */
  static final Set<String> TEMPORAL_FUNCTIONS = Set.of("before", "after", "meets", "during", "overlaps", "starts",
      "finishes");

  private final String src;
  private final String option;
  private final IotQuery.Budget budget;
  private int i;
  private int depth;

  IotExprParser(String src, String option, IotQuery.Budget budget) {
    this.src = src;
    this.option = option;
    this.budget = budget;
  }

  IotExpr parseAll() {
    if (src.length() > IotQuery.MAX_EXPRESSION_CHARS) {
      throw Problem.limit("maxExpressionLength", IotQuery.MAX_EXPRESSION_CHARS, option + " is " + src.length()
          + " characters long, more than the limit maxExpressionLength (" + IotQuery.MAX_EXPRESSION_CHARS + "); split the "
          + "query, or select by id ranges.").with("parameter", option);
    }
    skip();
    if (i >= src.length()) {
      throw error("the expression is empty");
    }
    IotExpr e = or();
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
    if (++budget.terms > IotQuery.MAX_EXPRESSION_TERMS) {
      throw Problem.limit("maxExpressionTerms", IotQuery.MAX_EXPRESSION_TERMS, "The query's expressions have more than "
          + IotQuery.MAX_EXPRESSION_TERMS + " operators, operands and function calls (limit maxExpressionTerms), reached "
          + "at position " + i + " of " + option + "; use fewer conditions (for example a range such as "
          + "id ge 10 and id le 99 instead of a long 'or' chain).").with("parameter", option).with("position", i);
    }
  }

  /** Enters one nesting level (parenthesis, call, not, negation). */
  private void deeper() {
    if (++depth > IotQuery.MAX_EXPRESSION_DEPTH) {
      throw Problem.limit("maxExpressionDepth", IotQuery.MAX_EXPRESSION_DEPTH, option + " nests parentheses, function "
          + "calls, 'not' or negation more than " + IotQuery.MAX_EXPRESSION_DEPTH + " deep (limit maxExpressionDepth), at "
          + "position " + i + "; remove redundant parentheses.").with("parameter", option).with("position", i);
    }
  }

  private Problem error(String what, int pos) {
    String pointer = src + "\n" + " ".repeat(Math.max(0, pos)) + "^";
    return Problem.validation(option, "Invalid " + option + " at position " + pos + ": " + what + ". Expression: "
        + src).with("parameter", option).with("position", pos).with("expression", pointer);
  }

  private IotExpr or() {
    IotExpr l = and();
    while (keyword("or")) {
      term();
      int p = i - 2;
      l = new Bin("or", l, and(), p);
    }
    return l;
  }

  private IotExpr and() {
    IotExpr l = not();
    while (keyword("and")) {
      term();
      int p = i - 3;
      l = new Bin("and", l, not(), p);
    }
    return l;
  }

  private IotExpr not() {
    if (keyword("not")) {
      term();
      deeper();
      IotExpr e = new Not(not());
      depth--;
      return e;
    }
    return comparison();
  }

  private IotExpr comparison() {
    IotExpr l = additive();
    for (String op : List.of("eq", "ne", "gt", "ge", "lt", "le")) {
      int p = position();
      if (keyword(op)) {
        term();
        return new Bin(op, l, additive(), p);
      }
    }
    return l;
  }

  private IotExpr additive() {
    IotExpr l = multiplicative();
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

  private IotExpr multiplicative() {
    IotExpr l = unary();
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

  private IotExpr unary() {
    skip();
    if (peek() == '-' && i + 1 < src.length() && !Character.isDigit(src.charAt(i + 1))) {
      i++;
      term();
      deeper();
      IotExpr e = new Neg(unary());
      depth--;
      return e;
    }
    return primary();
  }

  private int position() {
    skip();
    return i;
  }

  private IotExpr primary() {
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
      IotExpr e = or();
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
        List<IotExpr> args = new ArrayList<>();
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
  private IotExpr temporalArgument(String fn, int k, IotExpr arg, int pos) {
    String which = "argument " + (k + 1) + " of " + fn;
    String hint = "; use a time property (phenomenonTime, resultTime, validTime, time), an instant such as "
        + "2024-05-01T00:00:00Z or an interval such as 2024-05-01T00:00:00Z/2024-05-02T00:00:00Z";
    if (arg instanceof Lit l) {
      if (l.value() instanceof Time) {
        return arg;
      }
      if (l.value() instanceof String str) {
        Time t = IotExpr.parseTime(str);
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
      throw error(which + " is " + (l.value() == null ? "null" : "'" + IotExprEval.text(l.value()) + "'")
          + ", which is not a time" + hint, pos);
    }
    if (arg instanceof Path p) {
      boolean open = p.segs().stream().anyMatch(IotExprChecker.OPEN_PROPS::contains);
      String last = p.segs().get(p.segs().size() - 1);
      if (!open && !IotExprEval.TIME_PROPS.contains(last)) {
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

  private IotExpr numberOrTime() {
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
