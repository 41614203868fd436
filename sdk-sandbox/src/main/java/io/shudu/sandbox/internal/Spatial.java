package io.shudu.sandbox.internal;

import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * The bridge from sdk-core's geometry model to JTS, on which the sandbox evaluates every spatial predicate (the twin's
 * {@code within}/{@code intersects}/{@code near} filters and the SensorThings {@code geo.*} and {@code st_*}
 * functions). Planar, in degrees; metric distances use sdk-core's geodesic.
 */
public final class Spatial {
  /** The one geometry factory (floating precision, no SRID). */
  public static final GeometryFactory FACTORY = new GeometryFactory();

  private Spatial() {}

  /**
   * Converts a geometry to JTS.
   *
   * @param g the geometry
   * @return the JTS geometry
   */
  public static org.locationtech.jts.geom.Geometry toJts(Geometry g) {
    if (g instanceof Geometry.Point p) {
      return point(p.coordinates());
    } else if (g instanceof Geometry.MultiPoint m) {
      return FACTORY.createMultiPoint(m.coordinates().stream().map(Spatial::point).toArray(Point[]::new));
    } else if (g instanceof Geometry.LineString l) {
      return line(l.coordinates());
    } else if (g instanceof Geometry.MultiLineString m) {
      return FACTORY.createMultiLineString(m.coordinates().stream().map(Spatial::line).toArray(LineString[]::new));
    } else if (g instanceof Geometry.Polygon p) {
      return polygon(p.coordinates());
    } else if (g instanceof Geometry.MultiPolygon m) {
      return FACTORY.createMultiPolygon(m.coordinates().stream().map(Spatial::polygon).toArray(Polygon[]::new));
    }
    return FACTORY.createGeometryCollection(((Geometry.GeometryCollection) g).geometries().stream()
        .map(Spatial::toJts).toArray(org.locationtech.jts.geom.Geometry[]::new));
  }

  /**
   * A JTS point.
   *
   * @param lon longitude
   * @param lat latitude
   * @return the point
   */
  public static Point point(double lon, double lat) {
    return FACTORY.createPoint(new Coordinate(lon, lat));
  }

  private static Point point(Position p) {
    return point(p.lon(), p.lat());
  }

  private static Coordinate[] coords(List<Position> ps) {
    return ps.stream().map(p -> new Coordinate(p.lon(), p.lat())).toArray(Coordinate[]::new);
  }

  private static LineString line(List<Position> ps) {
    return FACTORY.createLineString(coords(ps));
  }

  private static Polygon polygon(List<List<Position>> rings) {
    LinearRing shell = FACTORY.createLinearRing(coords(rings.get(0)));
    LinearRing[] holes = rings.subList(1, rings.size()).stream().map(r -> FACTORY.createLinearRing(coords(r)))
        .toArray(LinearRing[]::new);
    return FACTORY.createPolygon(shell, holes);
  }
}
