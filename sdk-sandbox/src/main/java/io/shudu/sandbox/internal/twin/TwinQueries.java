package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Twin queries of one tenant's twin: the entity listing with type, bounding-box, near and polygon filters, property
 * filters (a linear-time parser with length and count limits), projections and keyset cursors over creation order.
 */
final class TwinQueries {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private final TwinService svc;
  private final SandboxContext context;

  TwinQueries(TwinService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  Response query(Request r) {
    TwinStore.Query q = parseQuery(r);
    int limit = r.queryInt("limit", 100, 1, 1000);
    String hash = queryHash(r);
    long after = decodeCursor(r.query("cursor"), hash);
    TwinStore s = svc.store(r.tenant());
    List<TwinStore.Ent> found = s.read(() -> s.query(q, after, limit));
    return page(found, limit, hash, TwinStore.Ent::toJson, TwinStore.Ent::seq);
  }

  static <T> Response page(List<T> found, int limit, String hash, java.util.function.Function<T, JsonNode> json,
      java.util.function.ToLongFunction<T> seq) {
    ObjectNode out = NF.objectNode();
    ArrayNode items = out.putArray("items");
    int n = Math.min(limit, found.size());
    for (int i = 0; i < n; i++) {
      items.add(json.apply(found.get(i)));
    }
    if (found.size() > limit) {
      out.put("continuationToken", encodeCursor(seq.applyAsLong(found.get(limit - 1)), hash));
    }
    return Response.ok(out);
  }

  static TwinStore.Query parseQuery(Request r) {
    Set<String> types = null;
    List<String> typeParams = r.queryParams().getOrDefault("type", List.of());
    if (!typeParams.isEmpty()) {
      types = new LinkedHashSet<>();
      for (String t : typeParams) {
        for (String x : t.split(",")) {
          String tt = x.trim();
          if (!TwinStore.TYPES.contains(tt)) {
            throw Problem.validation("type", "type '" + tt + "' is unknown; use one of "
                + new java.util.TreeSet<>(TwinStore.TYPES) + ".");
          }
          types.add(tt);
        }
      }
    }
    List<Predicate<TwinStore.Ent>> filters = new ArrayList<>();
    List<String> filterParams = r.queryParams().getOrDefault("filter", List.of());
    if (filterParams.size() > TwinService.MAX_FILTERS) {
      throw Problem.limit("maxFilters", TwinService.MAX_FILTERS, "The query has " + filterParams.size() + " filter parameters, "
          + "more than the limit maxFilters (" + TwinService.MAX_FILTERS + "); combine conditions or narrow by type and area.")
          .with("parameter", "filter");
    }
    for (String f : filterParams) {
      filters.add(filter(f));
    }
    double[] bbox = null;
    String b = r.query("bbox");
    if (b != null) {
      bbox = numbers(b, 4, "bbox", "minLon,minLat,maxLon,maxLat");
      if (bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
        throw Problem.validation("bbox", "bbox must be minLon,minLat,maxLon,maxLat with min <= max, got " + b + ".");
      }
      if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90) {
        throw Problem.validation("bbox", "bbox is out of range: longitudes in [-180, 180], latitudes in [-90, 90].");
      }
    }
    Geo.Shape within = null;
    String w = r.query("within");
    if (w != null) {
      within = Geo.parse(jsonParam(w, "within"), "within");
      if (!within.hasArea()) {
        throw Problem.validation("within", "within must be a Polygon or MultiPolygon (an area to search in), "
            + "or a GeometryCollection holding one.");
      }
    }
    Geo.Shape intersects = null;
    String i = r.query("intersects");
    if (i != null) {
      intersects = Geo.parse(jsonParam(i, "intersects"), "intersects");
    }
    double[] near = null;
    double distance = 0;
    String n = r.query("near");
    if (n != null) {
      near = numbers(n, 2, "near", "lon,lat");
      if (near[0] < -180 || near[0] > 180 || near[1] < -90 || near[1] > 90) {
        throw Problem.validation("near", "near must be lon,lat within [-180, 180] and [-90, 90], got " + n + ".");
      }
      String d = r.query("distance");
      if (d == null) {
        throw Problem.validation("distance", "near needs distance, the search radius in metres (0-50000).");
      }
      distance = numbers(d, 1, "distance", "metres")[0];
      if (distance < 0 || distance > 50_000) {
        throw Problem.validation("distance", "distance must be between 0 and 50000 metres, got " + d + ".");
      }
    } else if (r.query("distance") != null) {
      throw Problem.validation("near", "distance is given without near=lon,lat.");
    }
    Double minDepth = optionalNumber(r, "minDepth");
    Double maxDepth = optionalNumber(r, "maxDepth");
    if (minDepth != null && maxDepth != null && minDepth > maxDepth) {
      throw Problem.validation("minDepth", "minDepth (" + minDepth + ") must not exceed maxDepth (" + maxDepth + ").");
    }
    if ((minDepth != null && minDepth < 0) || (maxDepth != null && maxDepth < 0)) {
      throw Problem.validation("minDepth", "Depths are metres below ground and must be >= 0.");
    }
    for (String k : r.queryParams().keySet()) {
      if (!Set.of("type", "filter", "bbox", "within", "intersects", "near", "distance", "minDepth", "maxDepth",
          "limit", "cursor").contains(k)) {
        throw Problem.validation(k, "Unknown query parameter '" + k + "'. Use type, filter, bbox, within, intersects, "
            + "near + distance, minDepth, maxDepth, limit, cursor.");
      }
    }
    return new TwinStore.Query(types, filters, bbox, within, intersects, near, distance, minDepth, maxDepth);
  }

  static Double optionalNumber(Request r, String name) {
    String v = r.query(name);
    return v == null ? null : numbers(v, 1, name, "metres")[0];
  }

  static JsonNode jsonParam(String v, String name) {
    try {
      return Request.readJson(v.getBytes(StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw Request.jsonLimit(e, "query parameter " + name);
    } catch (Exception e) {
      throw Problem.validation(name, name + " must be a GeoJSON geometry (URL-encoded JSON), such as "
          + "{\"type\":\"Polygon\",\"coordinates\":[[[121.90,30.92],[121.91,30.92],[121.91,30.93],[121.90,30.92]]]}.");
    }
  }

  static double[] numbers(String v, int count, String name, String shape) {
    String[] parts = v.split(",");
    if (parts.length != count) {
      throw Problem.validation(name, name + " must be " + shape + " (" + count + " comma-separated numbers), got '"
          + v + "'.");
    }
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw Problem.validation(name, name + " must be " + shape + " of numbers; '" + parts[i] + "' is not a number.");
      }
      if (!Double.isFinite(out[i])) {
        throw Problem.validation(name, name + " must hold finite numbers.");
      }
    }
    return out;
  }

  static Predicate<TwinStore.Ent> filter(String f) {
    if (f.length() > TwinService.MAX_FILTER_CHARS) {
      throw Problem.limit("maxFilterLength", TwinService.MAX_FILTER_CHARS, "A filter parameter is " + f.length() + " characters "
          + "long, more than the limit maxFilterLength (" + TwinService.MAX_FILTER_CHARS + ").").with("parameter", "filter");
    }
    // <space><property><space><op><space><value><space>, scanned once from left to right: linear in the length
    int n = f.length();
    int i = skipSpace(f, 0);
    int nameStart = i;
    if (i < n && (asciiLetter(f.charAt(i)) || f.charAt(i) == '_')) {
      i++;
      while (i < n && (asciiLetter(f.charAt(i)) || f.charAt(i) == '_' || (f.charAt(i) >= '0' && f.charAt(i) <= '9'))) {
        i++;
      }
    }
    String prop = f.substring(nameStart, i);
    i = skipSpace(f, i);
    String op = operatorAt(f, i);
    int end = n;
    while (end > i && isSpace(f.charAt(end - 1))) {
      end--;
    }
    int valueStart = op == null ? end : Math.min(end, skipSpace(f, i + op.length()));
    String raw = f.substring(valueStart, end);
    if (prop.isEmpty() || op == null || raw.isEmpty() || raw.chars().anyMatch(c -> c == '\n' || c == '\r'
        || c == '\u0085' || c == '\u2028' || c == '\u2029')) {
      throw Problem.validation("filter", "filter '" + f + "' must look like <property><op><value> with op one of "
          + "== != > >= < <=, for example height>=30 or use==office.");
    }
    Object value;
    if ((raw.startsWith("'") && raw.endsWith("'") && raw.length() >= 2)
        || (raw.startsWith("\"") && raw.endsWith("\"") && raw.length() >= 2)) {
      value = raw.substring(1, raw.length() - 1);
    } else if (raw.equals("true") || raw.equals("false")) {
      value = Boolean.parseBoolean(raw);
    } else {
      try {
        value = Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        value = raw;
      }
    }
    if (value instanceof Boolean && !op.equals("==") && !op.equals("!=")) {
      throw Problem.validation("filter", "filter '" + f + "': booleans compare only with == or !=.");
    }
    Object expected = value;
    return e -> {
      JsonNode v = e.properties().path(prop).path("value");
      if (v.isMissingNode() || v.isNull()) {
        return false;
      }
      if (v.isArray()) {
        if (!op.equals("==") && !op.equals("!=")) {
          return false;
        }
        boolean contains = false;
        for (JsonNode x : v) {
          Integer c = compare(x, expected);
          contains |= c != null && c == 0;
        }
        return op.equals("==") == contains;
      }
      Integer c = compare(v, expected);
      if (c == null) {
        return op.equals("!=");
      }
      return switch (op) {
        case "==" -> c == 0;
        case "!=" -> c != 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        default -> c <= 0;
      };
    };
  }

  static String operatorAt(String f, int i) {
    for (String candidate : List.of("==", "!=", ">=", "<=", ">", "<")) {
      if (f.startsWith(candidate, i)) {
        return candidate;
      }
    }
    return null;
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  static boolean asciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static int skipSpace(String s, int from) {
    int i = from;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Compares a property value with a filter value; null when they are of different kinds. */
  static Integer compare(JsonNode v, Object expected) {
    if (expected instanceof Double d) {
      if (v.isNumber()) {
        return Double.compare(v.asDouble(), d);
      }
      return v.isTextual() ? Integer.valueOf(v.asText().compareTo(stripZero(d))) : null;
    }
    if (expected instanceof Boolean bo) {
      return v.isBoolean() ? Boolean.compare(v.asBoolean(), bo) : null;
    }
    return v.isTextual() ? Integer.valueOf(v.asText().compareTo((String) expected)) : v.isNumber()
        ? Integer.valueOf(v.asText().compareTo((String) expected)) : null;
  }

  static String stripZero(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  static String queryHash(Request r) {
    TreeMap<String, List<String>> q = new TreeMap<>(r.queryParams());
    q.remove("cursor");
    q.remove("limit");
    return Integer.toHexString(q.toString().hashCode());
  }

  static String encodeCursor(long seq, String hash) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("c1." + seq + "." + hash)
        .getBytes(StandardCharsets.UTF_8));
  }

  static long decodeCursor(String cursor, String hash) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
      if (parts.length != 3 || !parts[0].equals("c1")) {
        throw new IllegalArgumentException("shape");
      }
      if (!parts[2].equals(hash)) {
        throw Problem.validation("cursor", "This cursor belongs to a different query: resume with exactly the same "
            + "parameters (type, filter, spatial and depth) as the page that returned it.");
      }
      return Long.parseLong(parts[1]);
    } catch (IllegalArgumentException e) {
      throw Problem.validation("cursor", "cursor is not a continuation token of this service; pass the "
          + "continuationToken of the previous page unchanged.");
    }
  }
}
