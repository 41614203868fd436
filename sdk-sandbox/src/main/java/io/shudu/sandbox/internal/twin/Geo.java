package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Geometry for the twin service: GeoJSON parsing and validation, bounding boxes, the spatial predicates (bbox,
 * within, intersects, near) and geodesic distance on the WGS-84 ellipsoid (Vincenty). Coordinates are longitude,
 * latitude in degrees; CGCS2000 (EPSG:4490) coordinates are used as they are (the two frames differ by centimetres).
 */
final class Geo {
  static final String WGS84 = "EPSG:4326";
  static final String CGCS2000 = "EPSG:4490";

  private static final double A = 6378137.0;
  private static final double F = 1 / 298.257223563;
  private static final double B = A * (1 - F);

  private Geo() {}

  /** A parsed geometry: its points, lines and polygon rings, and its bounding box. */
  static final class Shape {
    final String type;
    final List<double[]> points = new ArrayList<>();
    final List<double[][]> lines = new ArrayList<>();
    final List<double[][][]> polygons = new ArrayList<>();
    double minLon = Double.POSITIVE_INFINITY;
    double minLat = Double.POSITIVE_INFINITY;
    double maxLon = Double.NEGATIVE_INFINITY;
    double maxLat = Double.NEGATIVE_INFINITY;

    Shape(String type) {
      this.type = type;
    }

    void extend(double[] p) {
      minLon = Math.min(minLon, p[0]);
      maxLon = Math.max(maxLon, p[0]);
      minLat = Math.min(minLat, p[1]);
      maxLat = Math.max(maxLat, p[1]);
    }

    boolean bboxIntersects(double[] box) {
      return minLon <= box[2] && maxLon >= box[0] && minLat <= box[3] && maxLat >= box[1];
    }

    /** Every vertex, in order. */
    List<double[]> vertices() {
      List<double[]> out = new ArrayList<>(points);
      lines.forEach(l -> out.addAll(List.of(l)));
      polygons.forEach(p -> out.addAll(List.of(p[0])));
      return out;
    }

    /** Every edge as {a, b}. */
    List<double[][]> edges() {
      List<double[][]> out = new ArrayList<>();
      for (double[][] l : lines) {
        for (int i = 1; i < l.length; i++) {
          out.add(new double[][] {l[i - 1], l[i]});
        }
      }
      for (double[][][] p : polygons) {
        for (double[][] ring : p) {
          for (int i = 1; i < ring.length; i++) {
            out.add(new double[][] {ring[i - 1], ring[i]});
          }
        }
      }
      return out;
    }
  }

  /** Parses and validates a GeoJSON geometry; {@code field} names it in the 400 answer. */
  static Shape parse(JsonNode g, String field) {
    if (g == null || !g.isObject()) {
      throw Problem.validation(field, field + " must be a GeoJSON geometry object such as "
          + "{\"type\":\"Point\",\"coordinates\":[121.92,30.91]}.");
    }
    String type = g.path("type").asText("");
    JsonNode c = g.get("coordinates");
    if (c == null || !c.isArray()) {
      throw Problem.validation(field, field + ".coordinates must be an array (GeoJSON " + type + ").");
    }
    Shape s = new Shape(type);
    switch (type) {
      case "Point" -> s.points.add(position(c, field + ".coordinates", s));
      case "MultiPoint" -> {
        for (int i = 0; i < c.size(); i++) {
          s.points.add(position(c.get(i), field + ".coordinates[" + i + "]", s));
        }
      }
      case "LineString" -> s.lines.add(line(c, field + ".coordinates", s));
      case "MultiLineString" -> {
        for (int i = 0; i < c.size(); i++) {
          s.lines.add(line(c.get(i), field + ".coordinates[" + i + "]", s));
        }
      }
      case "Polygon" -> s.polygons.add(polygon(c, field + ".coordinates", s));
      case "MultiPolygon" -> {
        for (int i = 0; i < c.size(); i++) {
          s.polygons.add(polygon(c.get(i), field + ".coordinates[" + i + "]", s));
        }
      }
      default -> throw Problem.validation(field, field + ".type must be one of Point, MultiPoint, LineString, "
          + "MultiLineString, Polygon, MultiPolygon; got '" + type + "'.");
    }
    if (s.points.isEmpty() && s.lines.isEmpty() && s.polygons.isEmpty()) {
      throw Problem.validation(field, field + " has no coordinates.");
    }
    return s;
  }

  private static double[] position(JsonNode p, String field, Shape s) {
    if (p == null || !p.isArray() || p.size() < 2 || p.size() > 3 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
      throw Problem.validation(field, field + " must be a position [longitude, latitude] or [longitude, latitude, "
          + "altitude] of numbers.");
    }
    double lon = p.get(0).asDouble();
    double lat = p.get(1).asDouble();
    if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
      throw Problem.validation(field, field + " is out of range: longitude must be in [-180, 180] and latitude in "
          + "[-90, 90] (GeoJSON order is longitude first), got [" + lon + ", " + lat + "].");
    }
    double[] pos = {lon, lat};
    s.extend(pos);
    return pos;
  }

  private static double[][] line(JsonNode c, String field, Shape s) {
    if (c == null || !c.isArray() || c.size() < 2) {
      throw Problem.validation(field, field + " must hold at least 2 positions (LineString).");
    }
    double[][] out = new double[c.size()][];
    for (int i = 0; i < c.size(); i++) {
      out[i] = position(c.get(i), field + "[" + i + "]", s);
    }
    return out;
  }

  private static double[][][] polygon(JsonNode c, String field, Shape s) {
    if (c == null || !c.isArray() || c.isEmpty()) {
      throw Problem.validation(field, field + " must hold at least one linear ring.");
    }
    double[][][] rings = new double[c.size()][][];
    for (int r = 0; r < c.size(); r++) {
      JsonNode ring = c.get(r);
      String f = field + "[" + r + "]";
      if (ring == null || !ring.isArray() || ring.size() < 4) {
        throw Problem.validation(f, f + " must be a closed linear ring of at least 4 positions (first = last).");
      }
      double[][] pts = new double[ring.size()][];
      for (int i = 0; i < ring.size(); i++) {
        pts[i] = position(ring.get(i), f + "[" + i + "]", s);
      }
      if (pts[0][0] != pts[pts.length - 1][0] || pts[0][1] != pts[pts.length - 1][1]) {
        throw Problem.validation(f, f + " is not closed: its last position must equal its first.");
      }
      rings[r] = pts;
    }
    return rings;
  }

  // ---- predicates ----

  /** Whether the geometry intersects the box {minLon, minLat, maxLon, maxLat}. */
  static boolean intersectsBox(Shape s, double[] box) {
    if (!s.bboxIntersects(box)) {
      return false;
    }
    if (s.minLon >= box[0] && s.maxLon <= box[2] && s.minLat >= box[1] && s.maxLat <= box[3]) {
      return true; // entirely inside the box
    }
    return intersects(s, boxShape(box));
  }

  static Shape boxShape(double[] b) {
    Shape s = new Shape("Polygon");
    double[][] ring = {{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}, {b[0], b[1]}};
    for (double[] p : ring) {
      s.extend(p);
    }
    s.polygons.add(new double[][][] {ring});
    return s;
  }

  /** Whether a and b share at least one point. */
  static boolean intersects(Shape a, Shape b) {
    if (a.maxLon < b.minLon || b.maxLon < a.minLon || a.maxLat < b.minLat || b.maxLat < a.minLat) {
      return false;
    }
    for (double[] v : a.vertices()) {
      if (covers(b, v)) {
        return true;
      }
    }
    for (double[] v : b.vertices()) {
      if (covers(a, v)) {
        return true;
      }
    }
    List<double[][]> eb = b.edges();
    for (double[][] e1 : a.edges()) {
      for (double[][] e2 : eb) {
        if (segmentsIntersect(e1[0], e1[1], e2[0], e2[1])) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether every point of {@code inner} lies inside the polygons of {@code outer}. */
  static boolean within(Shape inner, Shape outer) {
    if (inner.minLon < outer.minLon || inner.maxLon > outer.maxLon || inner.minLat < outer.minLat
        || inner.maxLat > outer.maxLat) {
      return false;
    }
    for (double[] v : inner.vertices()) {
      if (!inPolygons(outer, v)) {
        return false;
      }
    }
    List<double[][]> eo = outer.edges();
    for (double[][] e1 : inner.edges()) {
      for (double[][] e2 : eo) {
        if (segmentsCross(e1[0], e1[1], e2[0], e2[1])) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether the point lies on the shape (inside a polygon, on a line, or equal to a point). */
  private static boolean covers(Shape s, double[] p) {
    if (inPolygons(s, p)) {
      return true;
    }
    for (double[][] l : s.lines) {
      for (int i = 1; i < l.length; i++) {
        if (onSegment(l[i - 1], l[i], p)) {
          return true;
        }
      }
    }
    for (double[] q : s.points) {
      if (q[0] == p[0] && q[1] == p[1]) {
        return true;
      }
    }
    return false;
  }

  private static boolean inPolygons(Shape s, double[] p) {
    for (double[][][] poly : s.polygons) {
      if (inRing(poly[0], p)) {
        boolean inHole = false;
        for (int h = 1; h < poly.length; h++) {
          if (inRing(poly[h], p)) {
            inHole = true;
            break;
          }
        }
        if (!inHole) {
          return true;
        }
      }
    }
    return false;
  }

  /** Even-odd ray casting; points on the boundary count as inside. */
  static boolean inRing(double[][] ring, double[] p) {
    boolean in = false;
    for (int i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      if (onSegment(ring[j], ring[i], p)) {
        return true;
      }
      if ((ring[i][1] > p[1]) != (ring[j][1] > p[1])
          && p[0] < (ring[j][0] - ring[i][0]) * (p[1] - ring[i][1]) / (ring[j][1] - ring[i][1]) + ring[i][0]) {
        in = !in;
      }
    }
    return in;
  }

  private static double cross(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  private static boolean onSegment(double[] a, double[] b, double[] p) {
    double eps = 1e-12;
    return Math.abs(cross(a, b, p)) <= eps && p[0] >= Math.min(a[0], b[0]) - eps && p[0] <= Math.max(a[0], b[0]) + eps
        && p[1] >= Math.min(a[1], b[1]) - eps && p[1] <= Math.max(a[1], b[1]) + eps;
  }

  static boolean segmentsIntersect(double[] p1, double[] p2, double[] p3, double[] p4) {
    double d1 = cross(p3, p4, p1);
    double d2 = cross(p3, p4, p2);
    double d3 = cross(p1, p2, p3);
    double d4 = cross(p1, p2, p4);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
      return true;
    }
    return onSegment(p3, p4, p1) || onSegment(p3, p4, p2) || onSegment(p1, p2, p3) || onSegment(p1, p2, p4);
  }

  /** Proper crossing (interiors cross), touching excluded. */
  private static boolean segmentsCross(double[] p1, double[] p2, double[] p3, double[] p4) {
    double d1 = cross(p3, p4, p1);
    double d2 = cross(p3, p4, p2);
    double d3 = cross(p1, p2, p3);
    double d4 = cross(p1, p2, p4);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
  }

  /** Shortest distance in metres from the point to the geometry (0 inside a polygon). */
  static double distanceMeters(Shape s, double lon, double lat) {
    double[] p = {lon, lat};
    if (inPolygons(s, p)) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (double[] q : s.points) {
      best = Math.min(best, geodesic(lon, lat, q[0], q[1]));
    }
    for (double[][] e : s.edges()) {
      best = Math.min(best, pointSegment(p, e[0], e[1]));
    }
    return best;
  }

  /** Point-to-segment distance: nearest point found in a local tangent plane, distance measured geodesically. */
  private static double pointSegment(double[] p, double[] a, double[] b) {
    double k = Math.cos(Math.toRadians(p[1]));
    double ax = (a[0] - p[0]) * k;
    double ay = a[1] - p[1];
    double bx = (b[0] - p[0]) * k;
    double by = b[1] - p[1];
    double dx = bx - ax;
    double dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    double lon = a[0] + t * (b[0] - a[0]);
    double lat = a[1] + t * (b[1] - a[1]);
    return geodesic(p[0], p[1], lon, lat);
  }

  /** Degrees of latitude and longitude that cover {@code meters} around a latitude (for index lookups). */
  static double[] expand(double lon, double lat, double meters) {
    double dLat = meters / 110_574.0 * 1.01 + 1e-9;
    double dLon = meters / (111_320.0 * Math.max(0.01, Math.cos(Math.toRadians(Math.min(89, Math.abs(lat) + dLat)))))
        * 1.01 + 1e-9;
    return new double[] {lon - dLon, lat - dLat, lon + dLon, lat + dLat};
  }

  /** Geodesic distance in metres on the WGS-84 ellipsoid (Vincenty's inverse formula; haversine if it diverges). */
  static double geodesic(double lon1, double lat1, double lon2, double lat2) {
    if (lon1 == lon2 && lat1 == lat2) {
      return 0;
    }
    double l = Math.toRadians(lon2 - lon1);
    double u1 = Math.atan((1 - F) * Math.tan(Math.toRadians(lat1)));
    double u2 = Math.atan((1 - F) * Math.tan(Math.toRadians(lat2)));
    double sinU1 = Math.sin(u1);
    double cosU1 = Math.cos(u1);
    double sinU2 = Math.sin(u2);
    double cosU2 = Math.cos(u2);
    double lambda = l;
    for (int iter = 0; iter < 200; iter++) {
      double sinL = Math.sin(lambda);
      double cosL = Math.cos(lambda);
      double sinSigma = Math.sqrt(Math.pow(cosU2 * sinL, 2) + Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
      if (sinSigma == 0) {
        return 0;
      }
      double cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      double sigma = Math.atan2(sinSigma, cosSigma);
      double sinAlpha = cosU1 * cosU2 * sinL / sinSigma;
      double cos2Alpha = 1 - sinAlpha * sinAlpha;
      double cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha;
      double c = F / 16 * cos2Alpha * (4 + F * (4 - 3 * cos2Alpha));
      double prev = lambda;
      lambda = l + (1 - c) * F * sinAlpha
          * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
      if (Math.abs(lambda - prev) < 1e-12) {
        double uSq = cos2Alpha * (A * A - B * B) / (B * B);
        double bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
        double bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
        double deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
            - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
        return B * bigA * (sigma - deltaSigma);
      }
    }
    double dLat = Math.toRadians(lat2 - lat1);
    double h = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(l / 2), 2);
    return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
  }

  /** Length in metres of a polyline of [lon, lat] positions. */
  static double length(double[][] line) {
    double sum = 0;
    for (int i = 1; i < line.length; i++) {
      sum += geodesic(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
    }
    return sum;
  }

  // ---- GeoJSON writers used by the dataset ----

  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  static ObjectNode point(double lon, double lat) {
    ObjectNode g = NF.objectNode().put("type", "Point");
    g.set("coordinates", pos(lon, lat));
    return g;
  }

  static ObjectNode lineString(double[][] pts) {
    ObjectNode g = NF.objectNode().put("type", "LineString");
    ArrayNode c = g.putArray("coordinates");
    for (double[] p : pts) {
      c.add(pos(p[0], p[1]));
    }
    return g;
  }

  /** A rectangle (closed ring) centred on lon/lat with half-sizes in metres. */
  static ObjectNode rectangle(double lon, double lat, double halfWidthM, double halfHeightM) {
    double dLon = halfWidthM / (111_320.0 * Math.cos(Math.toRadians(lat)));
    double dLat = halfHeightM / 110_574.0;
    double[][] ring = {{lon - dLon, lat - dLat}, {lon + dLon, lat - dLat}, {lon + dLon, lat + dLat},
        {lon - dLon, lat + dLat}, {lon - dLon, lat - dLat}};
    return polygon(ring);
  }

  static ObjectNode polygon(double[][] ring) {
    ObjectNode g = NF.objectNode().put("type", "Polygon");
    ArrayNode r = g.putArray("coordinates").addArray();
    for (double[] p : ring) {
      r.add(pos(p[0], p[1]));
    }
    return g;
  }

  private static ArrayNode pos(double lon, double lat) {
    return NF.arrayNode().add(round(lon)).add(round(lat));
  }

  /** Rounds to 1e-7 degrees (about 1 cm), as stored. */
  static double round(double deg) {
    return Math.round(deg * 1e7) / 1e7;
  }
}
