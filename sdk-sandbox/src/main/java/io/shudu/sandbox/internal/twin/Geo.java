package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.geo.Coordinates;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.core.internal.GeoJsonCodec;
import io.shudu.sandbox.internal.Spatial;
import io.shudu.sandbox.internal.http.Problem;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LinearRing;

/**
 * Geometry for the twin service: GeoJSON parsing and validation with field-precise 400 answers, bounding boxes, and
 * the spatial predicates (bbox, within, intersects, near) evaluated on JTS; metric distances use sdk-core's geodesic
 * ({@link Coordinates#distanceMeters}). Coordinates are longitude, latitude in degrees; CGCS2000 (EPSG:4490)
 * coordinates are used as they are (the two frames differ by centimetres).
 */
final class Geo {
  static final String WGS84 = "EPSG:4326";
  static final String CGCS2000 = "EPSG:4490";

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

    private org.locationtech.jts.geom.Geometry jts;
    private org.locationtech.jts.geom.Geometry areas;

    /** The shape as a JTS geometry (built once). */
    synchronized org.locationtech.jts.geom.Geometry jts() {
      if (jts == null) {
        List<org.locationtech.jts.geom.Geometry> parts = new ArrayList<>();
        points.forEach(p -> parts.add(Spatial.point(p[0], p[1])));
        lines.forEach(l -> parts.add(Spatial.FACTORY.createLineString(coords(l))));
        parts.add(areas());
        jts = Spatial.FACTORY.buildGeometry(parts.stream().filter(g -> !g.isEmpty()).toList());
      }
      return jts;
    }

    /** Only the polygons, as a JTS (multi)polygon; empty when there are none. */
    synchronized org.locationtech.jts.geom.Geometry areas() {
      if (areas == null) {
        areas = Spatial.FACTORY.createMultiPolygon(polygons.stream().map(p -> Spatial.FACTORY.createPolygon(
            ring(p[0]), java.util.Arrays.stream(p, 1, p.length).map(Geo::ring).toArray(LinearRing[]::new)))
            .toArray(org.locationtech.jts.geom.Polygon[]::new));
      }
      return areas;
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
    return a.jts().intersects(b.jts());
  }

  /** Whether every point of {@code inner} lies in the polygons of {@code outer} (their boundary included). */
  static boolean within(Shape inner, Shape outer) {
    if (inner.minLon < outer.minLon || inner.maxLon > outer.maxLon || inner.minLat < outer.minLat
        || inner.maxLat > outer.maxLat) {
      return false;
    }
    return outer.areas().covers(inner.jts());
  }

  private static Coordinate[] coords(double[][] line) {
    Coordinate[] c = new Coordinate[line.length];
    for (int i = 0; i < line.length; i++) {
      c[i] = new Coordinate(line[i][0], line[i][1]);
    }
    return c;
  }

  private static LinearRing ring(double[][] ring) {
    return Spatial.FACTORY.createLinearRing(coords(ring));
  }

  /** Shortest distance in metres from the point to the geometry (0 inside a polygon). */
  static double distanceMeters(Shape s, double lon, double lat) {
    double[] p = {lon, lat};
    if (!s.polygons.isEmpty() && s.areas().covers(Spatial.point(lon, lat))) {
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

  /** Geodesic distance in metres on the WGS-84 ellipsoid: sdk-core's one implementation. */
  static double geodesic(double lon1, double lat1, double lon2, double lat2) {
    return Coordinates.distanceMeters(Position.of(lon1, lat1), Position.of(lon2, lat2));
  }

  /** Length in metres of a polyline of [lon, lat] positions. */
  static double length(double[][] line) {
    double sum = 0;
    for (int i = 1; i < line.length; i++) {
      sum += geodesic(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
    }
    return sum;
  }

  // ---- GeoJSON of the datasets, written by sdk-core's one codec ----

  static ObjectNode point(double lon, double lat) {
    return GeoJsonCodec.toTree(Geometry.point(round(lon), round(lat)));
  }

  static ObjectNode lineString(double[][] pts) {
    return GeoJsonCodec.toTree(new Geometry.LineString(positions(pts)));
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
    return GeoJsonCodec.toTree(Geometry.polygon(positions(ring)));
  }

  private static List<Position> positions(double[][] pts) {
    List<Position> out = new ArrayList<>(pts.length);
    for (double[] p : pts) {
      out.add(Position.of(round(p[0]), round(p[1])));
    }
    return out;
  }

  /** Rounds to 1e-7 degrees (about 1 cm), as stored. */
  static double round(double deg) {
    return Math.round(deg * 1e7) / 1e7;
  }
}
