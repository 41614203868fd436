package io.shudu.sandbox.internal.iot;

import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotExpr.Bin;
import io.shudu.sandbox.internal.iot.IotExpr.Call;
import io.shudu.sandbox.internal.iot.IotExpr.Lit;
import io.shudu.sandbox.internal.iot.IotExpr.Neg;
import io.shudu.sandbox.internal.iot.IotExpr.Path;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;


/**
 * SensorThings query options of one collection or expansion level ({@code $filter}, {@code $expand} with nested
 * options, {@code $select}, {@code $orderby}, {@code $top}, {@code $skip}, {@code $count}) and the OData expression
 * language: the options are parsed here; the expressions' syntax tree is {@link IotExpr}, their parser
 * {@link IotExprParser}, their checker {@link IotExprChecker} and their evaluator {@link IotExprEval}.
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

  IotExpr filter;
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
  record Order(IotExpr expr, boolean desc, String text) {}

  /** Whether results are in plain id order (allowing id-based continuation). */
  boolean idOrder() {
    return orderBy.isEmpty() || (orderBy.size() == 1 && isId(orderBy.get(0).expr) && !orderBy.get(0).desc);
  }

  private static boolean isId(IotExpr e) {
    return e instanceof Path p && p.segs().size() == 1 && (p.segs().get(0).equals("id") || p.segs().get(0).equals("@iot.id"));
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
        filter = new IotExprParser(value, "$filter", budget).parseAll();
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


  /** Whether an expression can be a filter: a comparison, logical operator, boolean function, literal or path. */
  private static boolean condition(IotExpr e) {
    if (e instanceof Bin b) {
      return !Set.of("add", "sub", "mul", "div", "mod").contains(b.op());
    }
    if (e instanceof Call c) {
      return IotExprParser.BOOLEAN_FUNCTIONS.contains(c.fn());
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
      IotExpr e = new IotExprParser(t, "$orderby", budget).parseAll();
      IotExprChecker.check(e, kind, "$orderby", t);
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
      IotExprChecker.check(filter, kind, "$filter", null);
    }
    for (IotQuery sub : expand.values()) {
      sub.validate();
    }
  }
}
