package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Planar geometry for the SensorThings geo functions over GeoJSON values and WKT literals: Point, LineString,
 * Polygon (with holes) and their Multi forms. Coordinates are used as given (longitude, latitude), distances and
 * lengths are in coordinate units (degrees), as in the reference implementations.
 */
final class IotGeo {
  private IotGeo() {}

  /** One simple part: a point (one coordinate), a line, or an area (exterior ring plus holes). */
  record Part(char dim, List<double[]> coords, List<List<double[]>> holes) {}

  /** A geometry: one or more simple parts. */
  record Geom(String type, List<Part> parts) {
    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Geom g) || !g.type.equals(type) || g.parts.size() != parts.size()) {
        return false;
      }
      for (int i = 0; i < parts.size(); i++) {
        List<double[]> a = parts.get(i).coords();
        List<double[]> b = g.parts.get(i).coords();
        if (a.size() != b.size()) {
          return false;
        }
        for (int j = 0; j < a.size(); j++) {
          if (a.get(j)[0] != b.get(j)[0] || a.get(j)[1] != b.get(j)[1]) {
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      return type.hashCode();
    }
  }

  /** A GeoJSON geometry (or Feature), or null when the node is not one. */
  static Geom fromGeoJson(JsonNode n) {
    if (n == null || !n.isObject() || !n.path("type").isTextual()) {
      return null;
    }
    String type = n.get("type").asText();
    if (type.equals("Feature")) {
      return fromGeoJson(n.get("geometry"));
    }
    JsonNode c = n.get("coordinates");
    if (c == null || !c.isArray()) {
      return null;
    }
    try {
      List<Part> parts = new ArrayList<>();
      switch (type) {
        case "Point" -> parts.add(new Part('P', List.of(coord(c)), List.of()));
        case "MultiPoint" -> c.forEach(p -> parts.add(new Part('P', List.of(coord(p)), List.of())));
        case "LineString" -> parts.add(new Part('L', coords(c), List.of()));
        case "MultiLineString" -> c.forEach(l -> parts.add(new Part('L', coords(l), List.of())));
        case "Polygon" -> parts.add(polygon(c));
        case "MultiPolygon" -> c.forEach(p -> parts.add(polygon(p)));
        default -> {
          return null;
        }
      }
      return new Geom(type, parts);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether a JSON value is a GeoJSON geometry this sandbox understands. */
  static boolean isGeoJson(JsonNode n) {
    return fromGeoJson(n) != null;
  }

  private static double[] coord(JsonNode c) {
    if (!c.isArray() || c.size() < 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
      throw new IllegalArgumentException("bad coordinate");
    }
    return new double[] {c.get(0).asDouble(), c.get(1).asDouble()};
  }

  private static List<double[]> coords(JsonNode c) {
    List<double[]> out = new ArrayList<>();
    c.forEach(p -> out.add(coord(p)));
    return out;
  }

  private static Part polygon(JsonNode rings) {
    List<double[]> outer = coords(rings.get(0));
    List<List<double[]>> holes = new ArrayList<>();
    for (int i = 1; i < rings.size(); i++) {
      holes.add(coords(rings.get(i)));
    }
    return new Part('A', outer, holes);
  }

  /**
   * Parses a WKT literal such as {@code POINT(121.2 31.4)} or {@code POLYGON((...))}.
   *
   * @throws IllegalArgumentException with the offending position (relative to the WKT text)
   */
  static Geom fromWkt(String wkt) {
    String s = wkt.trim();
    int open = s.indexOf('(');
    if (open < 0) {
      throw new IllegalArgumentException("WKT must look like POINT(lon lat), got '" + wkt + "'");
    }
    String type = s.substring(0, open).trim().toUpperCase(Locale.ROOT);
    String body = s.substring(open);
    Object tree = new WktReader(body).read();
    List<Part> parts = new ArrayList<>();
    switch (type) {
      case "POINT" -> {
        parts.add(new Part('P', List.of(pointOf(tree)), List.of()));
        return new Geom("Point", parts);
      }
      case "LINESTRING" -> {
        parts.add(new Part('L', pointsOf(tree), List.of()));
        return new Geom("LineString", parts);
      }
      case "POLYGON" -> {
        parts.add(polygonOf(tree));
        return new Geom("Polygon", parts);
      }
      case "MULTIPOINT" -> {
        for (Object p : listOf(tree)) {
          parts.add(new Part('P', List.of(p instanceof double[] d ? d : pointOf(p)), List.of()));
        }
        return new Geom("MultiPoint", parts);
      }
      case "MULTILINESTRING" -> {
        for (Object l : listOf(tree)) {
          parts.add(new Part('L', pointsOf(l), List.of()));
        }
        return new Geom("MultiLineString", parts);
      }
      case "MULTIPOLYGON" -> {
        for (Object p : listOf(tree)) {
          parts.add(polygonOf(p));
        }
        return new Geom("MultiPolygon", parts);
      }
      default -> throw new IllegalArgumentException("unsupported WKT type '" + type
          + "'; use POINT, LINESTRING, POLYGON or their MULTI forms");
    }
  }

  private static List<?> listOf(Object tree) {
    if (tree instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("WKT: expected a parenthesised list");
  }

  private static double[] pointOf(Object tree) {
    List<?> l = listOf(tree);
    if (l.size() != 1 || !(l.get(0) instanceof double[] d)) {
      throw new IllegalArgumentException("WKT: a point needs exactly one coordinate pair");
    }
    return d;
  }

  private static List<double[]> pointsOf(Object tree) {
    List<double[]> out = new ArrayList<>();
    for (Object o : listOf(tree)) {
      if (!(o instanceof double[] d)) {
        throw new IllegalArgumentException("WKT: expected coordinate pairs");
      }
      out.add(d);
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException("WKT: a line or ring needs at least two coordinates");
    }
    return out;
  }

  private static Part polygonOf(Object tree) {
    List<?> rings = listOf(tree);
    if (rings.isEmpty()) {
      throw new IllegalArgumentException("WKT: a polygon needs a ring");
    }
    List<List<double[]>> holes = new ArrayList<>();
    for (int i = 1; i < rings.size(); i++) {
      holes.add(pointsOf(rings.get(i)));
    }
    return new Part('A', pointsOf(rings.get(0)), holes);
  }

  /** Reads nested parenthesised lists of coordinate pairs. */
  private static final class WktReader {
    private final String s;
    private int i;

    WktReader(String s) {
      this.s = s;
    }

    Object read() {
      Object o = list();
      skip();
      if (i != s.length()) {
        throw new IllegalArgumentException("WKT: unexpected text at offset " + i);
      }
      return o;
    }

    private List<Object> list() {
      skip();
      expect('(');
      List<Object> out = new ArrayList<>();
      while (true) {
        skip();
        if (peek() == '(') {
          out.add(list());
        } else {
          out.add(pair());
        }
        skip();
        if (peek() == ',') {
          i++;
          continue;
        }
        expect(')');
        return out;
      }
    }

    private double[] pair() {
      double x = number();
      skip();
      double y = number();
      skip();
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '.')) {
        number(); // ignore Z/M values
        skip();
      }
      return new double[] {x, y};
    }

    private double number() {
      int start = i;
      while (i < s.length() && "+-.0123456789eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      try {
        return Double.parseDouble(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("WKT: expected a number at offset " + start);
      }
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("WKT: expected '" + c + "' at offset " + i);
      }
      i++;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }

  // ---- predicates ----

  static boolean intersects(Geom a, Geom b) {
    for (Part p : a.parts) {
      for (Part q : b.parts) {
        if (intersects(p, q)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean within(Geom a, Geom b) {
    for (Part p : a.parts) {
      boolean inSome = false;
      for (Part q : b.parts) {
        if (within(p, q)) {
          inSome = true;
          break;
        }
      }
      if (!inSome) {
        return false;
      }
    }
    return true;
  }

  static boolean touches(Geom a, Geom b) {
    if (!intersects(a, b)) {
      return false;
    }
    for (Part p : a.parts) {
      for (Part q : b.parts) {
        if (interiorsMeet(p, q)) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean overlaps(Geom a, Geom b) {
    return intersects(a, b) && !within(a, b) && !within(b, a) && dim(a) == dim(b) && !touches(a, b);
  }

  static boolean crosses(Geom a, Geom b) {
    return intersects(a, b) && !within(a, b) && !within(b, a) && !touches(a, b)
        && (dim(a) != dim(b) || dim(a) == 1);
  }

  private static int dim(Geom g) {
    char d = g.parts.get(0).dim();
    return d == 'P' ? 0 : d == 'L' ? 1 : 2;
  }

  static double distance(Geom a, Geom b) {
    double best = Double.POSITIVE_INFINITY;
    for (Part p : a.parts) {
      for (Part q : b.parts) {
        best = Math.min(best, distance(p, q));
      }
    }
    return best;
  }

  static double length(Geom g) {
    double sum = 0;
    for (Part p : g.parts) {
      List<double[]> c = p.coords();
      for (int i = 1; i < c.size(); i++) {
        sum += Math.hypot(c.get(i)[0] - c.get(i - 1)[0], c.get(i)[1] - c.get(i - 1)[1]);
      }
    }
    return sum;
  }

  private static boolean intersects(Part p, Part q) {
    if (p.dim() == 'A' && anyInside(q.coords(), p)) {
      return true;
    }
    if (q.dim() == 'A' && anyInside(p.coords(), q)) {
      return true;
    }
    return distance(p, q) == 0;
  }

  private static boolean anyInside(List<double[]> pts, Part area) {
    for (double[] x : pts) {
      if (inArea(x, area)) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(Part p, Part q) {
    switch (q.dim()) {
      case 'P' -> {
        double[] o = q.coords().get(0);
        return p.coords().stream().allMatch(x -> x[0] == o[0] && x[1] == o[1]);
      }
      case 'L' -> {
        if (p.dim() == 'A') {
          return false;
        }
        return p.coords().stream().allMatch(x -> distToPolyline(x, q.coords()) == 0);
      }
      default -> {
        for (double[] x : p.coords()) {
          if (!inArea(x, q)) {
            return false;
          }
        }
        if (p.dim() == 'P') {
          return true;
        }
        // no edge of p may cross the boundary of q
        return !properCross(p.coords(), q.coords());
      }
    }
  }

  private static boolean interiorsMeet(Part p, Part q) {
    if (p.dim() == 'A' && q.dim() == 'A') {
      for (double[] x : p.coords()) {
        if (strictlyInside(x, q)) {
          return true;
        }
      }
      for (double[] x : q.coords()) {
        if (strictlyInside(x, p)) {
          return true;
        }
      }
      return properCross(p.coords(), q.coords());
    }
    if (q.dim() == 'A') {
      return p.coords().stream().anyMatch(x -> strictlyInside(x, q));
    }
    if (p.dim() == 'A') {
      return q.coords().stream().anyMatch(x -> strictlyInside(x, p));
    }
    if (p.dim() == 'L' && q.dim() == 'L') {
      return properCross(p.coords(), q.coords());
    }
    return distance(p, q) == 0 && (p.dim() == 'P' && q.dim() == 'P');
  }

  private static boolean strictlyInside(double[] x, Part area) {
    return inArea(x, area) && distToPolyline(x, area.coords()) > 0;
  }

  private static boolean inArea(double[] x, Part area) {
    if (area.dim() != 'A') {
      return false;
    }
    if (distToPolyline(x, area.coords()) == 0) {
      return true;
    }
    if (!inRing(x, area.coords())) {
      return false;
    }
    for (List<double[]> hole : area.holes()) {
      if (inRing(x, hole) && distToPolyline(x, hole) > 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean inRing(double[] p, List<double[]> ring) {
    boolean in = false;
    for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      double[] a = ring.get(i);
      double[] b = ring.get(j);
      if ((a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]) {
        in = !in;
      }
    }
    return in;
  }

  private static double distance(Part p, Part q) {
    if ((p.dim() == 'A' && anyInside(q.coords(), p)) || (q.dim() == 'A' && anyInside(p.coords(), q))) {
      return 0;
    }
    List<double[]> a = p.coords();
    List<double[]> b = q.coords();
    if (a.size() == 1 && b.size() == 1) {
      return Math.hypot(a.get(0)[0] - b.get(0)[0], a.get(0)[1] - b.get(0)[1]);
    }
    if (a.size() == 1) {
      return distToPolyline(a.get(0), b);
    }
    if (b.size() == 1) {
      return distToPolyline(b.get(0), a);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i = 1; i < a.size(); i++) {
      for (int j = 1; j < b.size(); j++) {
        if (segmentsIntersect(a.get(i - 1), a.get(i), b.get(j - 1), b.get(j))) {
          return 0;
        }
        best = Math.min(best, Math.min(Math.min(distToSegment(a.get(i - 1), b.get(j - 1), b.get(j)),
            distToSegment(a.get(i), b.get(j - 1), b.get(j))), Math.min(distToSegment(b.get(j - 1), a.get(i - 1),
            a.get(i)), distToSegment(b.get(j), a.get(i - 1), a.get(i)))));
      }
    }
    return best;
  }

  private static double distToPolyline(double[] x, List<double[]> line) {
    if (line.size() == 1) {
      return Math.hypot(x[0] - line.get(0)[0], x[1] - line.get(0)[1]);
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i = 1; i < line.size(); i++) {
      best = Math.min(best, distToSegment(x, line.get(i - 1), line.get(i)));
    }
    return best;
  }

  private static double distToSegment(double[] p, double[] a, double[] b) {
    double dx = b[0] - a[0];
    double dy = b[1] - a[1];
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
    double d = Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
    return d < 1e-12 ? 0 : d;
  }

  private static double cross(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  private static boolean segmentsIntersect(double[] p1, double[] p2, double[] q1, double[] q2) {
    double d1 = cross(q1, q2, p1);
    double d2 = cross(q1, q2, p2);
    double d3 = cross(p1, p2, q1);
    double d4 = cross(p1, p2, q2);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
      return true;
    }
    return distToSegment(p1, q1, q2) == 0 || distToSegment(p2, q1, q2) == 0 || distToSegment(q1, p1, p2) == 0
        || distToSegment(q2, p1, p2) == 0;
  }

  private static boolean properCross(List<double[]> a, List<double[]> b) {
    for (int i = 1; i < a.size(); i++) {
      for (int j = 1; j < b.size(); j++) {
        double[] p1 = a.get(i - 1);
        double[] p2 = a.get(i);
        double[] q1 = b.get(j - 1);
        double[] q2 = b.get(j);
        double d1 = cross(q1, q2, p1);
        double d2 = cross(q1, q2, p2);
        double d3 = cross(p1, p2, q1);
        double d4 = cross(p1, p2, q2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
          return true;
        }
      }
    }
    return false;
  }
}
