package io.shudu.core.geo;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.shudu.core.internal.GeoJsonCodec;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A GeoJSON geometry (RFC 7946), the one geometry type of the twin and IoT clients. Immutable records; the lists they
 * hold are unmodifiable copies.
 *
 * <pre>{@code
 * Geometry.Point hydrant = Geometry.point(121.9310, 30.9010);
 * Geometry.Polygon block = Geometry.box(121.90, 30.88, 121.95, 30.92);
 * Geometry parsed = Geometry.fromGeoJson("{\"type\":\"Point\",\"coordinates\":[121.93,30.90]}");
 * String wkt = block.toWkt(); // POLYGON((121.9 30.88, ...)) for OData geography literals
 * }</pre>
 */
@JsonSerialize(using = GeoJsonCodec.Serializer.class)
@JsonDeserialize(using = GeoJsonCodec.Deserializer.class)
public sealed interface Geometry {
  /**
   * The GeoJSON type name ({@code Point}, {@code Polygon} ...).
   *
   * @return the type name
   */
  String geoJsonType();

  /**
   * This geometry as GeoJSON text.
   *
   * @return compact GeoJSON
   */
  default String toGeoJson() {
    return GeoJsonCodec.write(this);
  }

  /**
   * This geometry as WKT (OGC Simple Features), e.g. for OData {@code geography'...'} literals.
   *
   * @return the WKT text
   */
  default String toWkt() {
    return Wkt.write(this);
  }

  /**
   * Reads a GeoJSON geometry.
   *
   * @param geoJson GeoJSON text of a geometry (not a Feature)
   * @return the geometry
   * @throws IllegalArgumentException when the text is not a valid GeoJSON geometry, saying what is wrong
   */
  static Geometry fromGeoJson(String geoJson) {
    return GeoJsonCodec.read(geoJson);
  }

  /**
   * A point.
   *
   * @param lon longitude in degrees
   * @param lat latitude in degrees
   * @return the point
   */
  static Point point(double lon, double lat) {
    return new Point(new Position(lon, lat));
  }

  /**
   * A line string.
   *
   * @param positions at least 2 positions
   * @return the line
   */
  static LineString lineString(List<Position> positions) {
    return new LineString(positions);
  }

  /**
   * A polygon without holes.
   *
   * @param exteriorRing closed ring of at least 4 positions
   * @return the polygon
   */
  static Polygon polygon(List<Position> exteriorRing) {
    return new Polygon(List.of(exteriorRing));
  }

  /**
   * An axis-aligned rectangle as a polygon (counter-clockwise, closed).
   *
   * @param minLon west edge
   * @param minLat south edge
   * @param maxLon east edge
   * @param maxLat north edge
   * @return the polygon
   * @throws IllegalArgumentException when min is not below max
   */
  static Polygon box(double minLon, double minLat, double maxLon, double maxLat) {
    if (!(minLon < maxLon && minLat < maxLat)) {
      throw new IllegalArgumentException("box needs minLon < maxLon and minLat < maxLat, got " + minLon + "," + minLat
          + "," + maxLon + "," + maxLat);
    }
    return new Polygon(List.of(List.of(Position.of(minLon, minLat), Position.of(maxLon, minLat),
        Position.of(maxLon, maxLat), Position.of(minLon, maxLat), Position.of(minLon, minLat))));
  }

  /**
   * A single position.
   *
   * @param coordinates the position
   */
  record Point(Position coordinates) implements Geometry {
    /** Validates. */
    public Point {
      if (coordinates == null) {
        throw new NullPointerException("Point.coordinates must not be null");
      }
    }

    @Override
    public String geoJsonType() {
      return "Point";
    }
  }

  /**
   * Several positions.
   *
   * @param coordinates at least one position
   */
  record MultiPoint(List<Position> coordinates) implements Geometry {
    /** Validates and copies. */
    public MultiPoint {
      coordinates = List.copyOf(coordinates);
      if (coordinates.isEmpty()) {
        throw new IllegalArgumentException("MultiPoint.coordinates must hold at least one position");
      }
    }

    @Override
    public String geoJsonType() {
      return "MultiPoint";
    }
  }

  /**
   * A line through positions.
   *
   * @param coordinates at least 2 positions
   */
  record LineString(List<Position> coordinates) implements Geometry {
    /** Validates and copies. */
    public LineString {
      coordinates = List.copyOf(coordinates);
      if (coordinates.size() < 2) {
        throw new IllegalArgumentException("LineString.coordinates must hold at least 2 positions, got "
            + coordinates.size());
      }
    }

    @Override
    public String geoJsonType() {
      return "LineString";
    }
  }

  /**
   * Several lines.
   *
   * @param coordinates lines of at least 2 positions each
   */
  record MultiLineString(List<List<Position>> coordinates) implements Geometry {
    /** Validates and copies. */
    public MultiLineString {
      coordinates = coordinates.stream().map(l -> new LineString(l).coordinates()).toList();
    }

    @Override
    public String geoJsonType() {
      return "MultiLineString";
    }
  }

  /**
   * A polygon: the exterior ring, then holes.
   *
   * @param coordinates closed rings of at least 4 positions (first = last)
   */
  record Polygon(List<List<Position>> coordinates) implements Geometry {
    /** Validates and copies. */
    public Polygon {
      if (coordinates == null || coordinates.isEmpty()) {
        throw new IllegalArgumentException("Polygon.coordinates must hold at least the outer ring");
      }
      coordinates = coordinates.stream().map(Polygon::ring).toList();
    }

    private static List<Position> ring(List<Position> r) {
      List<Position> c = List.copyOf(r);
      if (c.size() < 4) {
        throw new IllegalArgumentException("each Polygon ring must be a closed linear ring of at least 4 positions "
            + "(first = last), got " + c.size() + " positions");
      }
      if (!c.get(0).equals(c.get(c.size() - 1))) {
        throw new IllegalArgumentException("each Polygon ring must be closed: its last position must equal its first, "
            + "got first " + c.get(0) + " and last " + c.get(c.size() - 1));
      }
      return c;
    }

    @Override
    public String geoJsonType() {
      return "Polygon";
    }
  }

  /**
   * Several polygons.
   *
   * @param coordinates polygons, each a list of closed rings
   */
  record MultiPolygon(List<List<List<Position>>> coordinates) implements Geometry {
    /** Validates and copies. */
    public MultiPolygon {
      coordinates = coordinates.stream().map(p -> new Polygon(p).coordinates()).toList();
    }

    @Override
    public String geoJsonType() {
      return "MultiPolygon";
    }
  }

  /**
   * A collection of geometries.
   *
   * @param geometries the members (may be empty)
   */
  record GeometryCollection(List<Geometry> geometries) implements Geometry {
    /** Copies. */
    public GeometryCollection {
      geometries = List.copyOf(geometries);
    }

    @Override
    public String geoJsonType() {
      return "GeometryCollection";
    }
  }
}

/** WKT writing (OGC Simple Features text), package-private. */
final class Wkt {
  private Wkt() {}

  static String write(Geometry g) {
    if (g instanceof Geometry.Point p) {
      return "POINT(" + pos(p.coordinates()) + ")";
    } else if (g instanceof Geometry.MultiPoint m) {
      return "MULTIPOINT(" + m.coordinates().stream().map(p -> "(" + pos(p) + ")")
          .collect(Collectors.joining(", ")) + ")";
    } else if (g instanceof Geometry.LineString l) {
      return "LINESTRING" + line(l.coordinates());
    } else if (g instanceof Geometry.MultiLineString m) {
      return "MULTILINESTRING(" + m.coordinates().stream().map(Wkt::line).collect(Collectors.joining(", ")) + ")";
    } else if (g instanceof Geometry.Polygon p) {
      return "POLYGON" + rings(p.coordinates());
    } else if (g instanceof Geometry.MultiPolygon m) {
      return "MULTIPOLYGON(" + m.coordinates().stream().map(Wkt::rings).collect(Collectors.joining(", ")) + ")";
    }
    Geometry.GeometryCollection c = (Geometry.GeometryCollection) g;
    return "GEOMETRYCOLLECTION(" + c.geometries().stream().map(Wkt::write).collect(Collectors.joining(", ")) + ")";
  }

  private static String rings(List<List<Position>> rings) {
    return "(" + rings.stream().map(Wkt::line).collect(Collectors.joining(", ")) + ")";
  }

  private static String line(List<Position> ps) {
    return "(" + ps.stream().map(Wkt::pos).collect(Collectors.joining(", ")) + ")";
  }

  private static String pos(Position p) {
    return num(p.lon()) + " " + num(p.lat());
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
  }
}
