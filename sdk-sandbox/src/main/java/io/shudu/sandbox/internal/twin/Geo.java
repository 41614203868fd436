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
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.util.LinearComponentExtracter;
import org.locationtech.jts.geom.util.PointExtracter;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.relateng.RelateNG;
import org.locationtech.jts.operation.relateng.RelatePredicate;

/**
 * Geometry for the twin service on the one model: GeoJSON is read by sdk-core's {@link GeoJsonCodec} into
 * {@link Geometry} (its messages name the faulty member, answered as field-precise 400s), converted to JTS by
 * {@link Spatial#toJts}, and the spatial predicates (bbox, within, intersects, near) are evaluated on JTS; metric
 * distances use sdk-core's geodesic ({@link Coordinates#distanceMeters}). Coordinates are longitude, latitude in
 * degrees; CGCS2000 (EPSG:4490) coordinates are used as they are (the two frames differ by centimetres).
 */
final class Geo {
  static final String WGS84 = "EPSG:4326";
  static final String CGCS2000 = "EPSG:4490";

  private Geo() {}

  /**
   * A parsed geometry: sdk-core's {@link Geometry}, its JTS form (via {@link Spatial#toJts}) on which the predicates
   * are evaluated, and its bounding box (the JTS envelope).
   */
  static final class Shape {
    final Geometry geometry;
    final org.locationtech.jts.geom.Geometry jts;
    final double minLon;
    final double minLat;
    final double maxLon;
    final double maxLat;
    private org.locationtech.jts.geom.Geometry areas;
    private RelateNG prepared;
    private RelateNG preparedAreas;

    Shape(Geometry geometry) {
      this.geometry = geometry;
      this.jts = Spatial.toJts(geometry);
      Envelope e = jts.getEnvelopeInternal();
      this.minLon = e.getMinX();
      this.minLat = e.getMinY();
      this.maxLon = e.getMaxX();
      this.maxLat = e.getMaxY();
    }

    boolean bboxIntersects(double[] box) {
      return minLon <= box[2] && maxLon >= box[0] && minLat <= box[3] && maxLat >= box[1];
    }

    /** Whether the geometry has an area (a polygon, possibly inside a collection). */
    boolean hasArea() {
      return jts.getDimension() == 2;
    }

    /** Only the polygons (a collection of them when several); empty when there are none. */
    synchronized org.locationtech.jts.geom.Geometry areas() {
      if (areas == null) {
        List<?> polys = PolygonExtracter.getPolygons(jts);
        areas = polys.size() == 1 ? (Polygon) polys.get(0)
            : Spatial.FACTORY.createGeometryCollection(polys.toArray(org.locationtech.jts.geom.Geometry[]::new));
      }
      return areas;
    }

    /** The geometry prepared for many predicates against it (a query's shape, evaluated on every candidate). */
    synchronized RelateNG prepared() {
      if (prepared == null) {
        prepared = RelateNG.prepare(jts);
      }
      return prepared;
    }

    /** {@link #areas()} prepared. */
    synchronized RelateNG preparedAreas() {
      if (preparedAreas == null) {
        preparedAreas = RelateNG.prepare(areas());
      }
      return preparedAreas;
    }
  }

  /** Parses and validates a GeoJSON geometry with sdk-core's codec; {@code field} names it in the 400 answer. */
  static Shape parse(JsonNode g, String field) {
    Shape s;
    try {
      s = new Shape(GeoJsonCodec.fromTree(g, field));
    } catch (IllegalArgumentException e) {
      throw Problem.validation(field, e.getMessage() + ".");
    }
    if (s.jts.isEmpty()) {
      throw Problem.validation(field, field + " has no coordinates (an empty GeometryCollection has no place).");
    }
    return s;
  }

  // ---- predicates, on JTS (RelateNG: collections, overlapping members and boundaries handled) ----

  /** Whether the geometry intersects the box {minLon, minLat, maxLon, maxLat}. */
  static boolean intersectsBox(Shape s, double[] box) {
    if (!s.bboxIntersects(box)) {
      return false;
    }
    if (s.minLon >= box[0] && s.maxLon <= box[2] && s.minLat >= box[1] && s.maxLat <= box[3]) {
      return true; // entirely inside the box
    }
    return RelateNG.relate(s.jts, Spatial.FACTORY.toGeometry(new Envelope(box[0], box[2], box[1], box[3])),
        RelatePredicate.intersects());
  }

  /** Whether a and b share at least one point ({@code b} is prepared: pass the query's shape there). */
  static boolean intersects(Shape a, Shape b) {
    if (a.maxLon < b.minLon || b.maxLon < a.minLon || a.maxLat < b.minLat || b.maxLat < a.minLat) {
      return false;
    }
    return b.prepared().evaluate(a.jts, RelatePredicate.intersects());
  }

  /** Whether every point of {@code inner} lies in the polygons of {@code outer} (their boundary included). */
  static boolean within(Shape inner, Shape outer) {
    if (!outer.hasArea() || inner.minLon < outer.minLon || inner.maxLon > outer.maxLon
        || inner.minLat < outer.minLat || inner.maxLat > outer.maxLat) {
      return false;
    }
    return outer.preparedAreas().evaluate(inner.jts, RelatePredicate.covers());
  }

  /** Shortest distance in metres from the point to the geometry (0 inside a polygon). */
  static double distanceMeters(Shape s, double lon, double lat) {
    if (s.hasArea() && RelateNG.relate(s.areas(), Spatial.point(lon, lat), RelatePredicate.covers())) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (Object o : PointExtracter.getPoints(s.jts)) {
      Point q = (Point) o;
      best = Math.min(best, geodesic(lon, lat, q.getX(), q.getY()));
    }
    for (Object l : LinearComponentExtracter.getLines(s.jts)) { // lines and polygon rings
      Coordinate[] c = ((LineString) l).getCoordinates();
      for (int i = 1; i < c.length; i++) {
        best = Math.min(best, pointSegment(lon, lat, c[i - 1], c[i]));
      }
    }
    return best;
  }

  /** Point-to-segment distance: nearest point found in a local tangent plane, distance measured geodesically. */
  private static double pointSegment(double plon, double plat, Coordinate a, Coordinate b) {
    double k = Math.cos(Math.toRadians(plat));
    double ax = (a.x - plon) * k;
    double ay = a.y - plat;
    double bx = (b.x - plon) * k;
    double by = b.y - plat;
    double dx = bx - ax;
    double dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    return geodesic(plon, plat, a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
  }

  /** The first point of a Point or MultiPoint geometry as {lon, lat}; null when it has none. */
  static double[] firstPoint(Shape s) {
    List<?> points = PointExtracter.getPoints(s.jts);
    return points.isEmpty() ? null : new double[] {((Point) points.get(0)).getX(), ((Point) points.get(0)).getY()};
  }

  /** Length in metres of the first line (LineString, or first of a MultiLineString) of the geometry; 0 without. */
  static double firstLineLength(Shape s) {
    for (Object l : LinearComponentExtracter.getLines(s.jts)) {
      if (!(l instanceof LinearRing)) {
        return length(((LineString) l).getCoordinates());
      }
    }
    return 0;
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
    return length(java.util.Arrays.stream(line).map(p -> new Coordinate(p[0], p[1])).toArray(Coordinate[]::new));
  }

  private static double length(Coordinate[] line) {
    double sum = 0;
    for (int i = 1; i < line.length; i++) {
      sum += geodesic(line[i - 1].x, line[i - 1].y, line[i].x, line[i].y);
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
