package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A GeoJSON geometry (RFC 7946): {@link Point}, {@link MultiPoint}, {@link LineString}, {@link MultiLineString},
 * {@link Polygon} or {@link MultiPolygon}. Polygons' rings are closed (first position = last).
 *
 * <pre>{@code
 * Geometry site = Geometry.point(121.9050, 30.9230);
 * Geometry.Polygon area = Geometry.box(121.90, 30.92, 121.91, 30.93);
 * }</pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Geometry.Point.class, name = "Point"),
    @JsonSubTypes.Type(value = Geometry.MultiPoint.class, name = "MultiPoint"),
    @JsonSubTypes.Type(value = Geometry.LineString.class, name = "LineString"),
    @JsonSubTypes.Type(value = Geometry.MultiLineString.class, name = "MultiLineString"),
    @JsonSubTypes.Type(value = Geometry.Polygon.class, name = "Polygon"),
    @JsonSubTypes.Type(value = Geometry.MultiPolygon.class, name = "MultiPolygon")})
public sealed interface Geometry {
  /**
   * The GeoJSON type name, such as {@code Point}.
   *
   * @return the type
   */
  @JsonIgnore
  String geoJsonType();

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
   * A rectangle as a polygon.
   *
   * @param minLon west
   * @param minLat south
   * @param maxLon east
   * @param maxLat north
   * @return the polygon
   */
  static Polygon box(double minLon, double minLat, double maxLon, double maxLat) {
    if (minLon >= maxLon || minLat >= maxLat) {
      throw new IllegalArgumentException("box needs minLon < maxLon and minLat < maxLat, got " + minLon + "," + minLat
          + "," + maxLon + "," + maxLat);
    }
    return new Polygon(List.of(List.of(Position.of(minLon, minLat), Position.of(maxLon, minLat),
        Position.of(maxLon, maxLat), Position.of(minLon, maxLat), Position.of(minLon, minLat))));
  }

  /**
   * A point.
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
   * Several points.
   *
   * @param coordinates the positions (at least one)
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
   * A polyline.
   *
   * @param coordinates at least two positions
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
   * Several polylines.
   *
   * @param coordinates the lines
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
   * A polygon: an outer ring and optional holes, each closed with at least 4 positions.
   *
   * @param coordinates the rings, outer first
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
      if (c.size() < 4 || !c.get(0).equals(c.get(c.size() - 1))) {
        throw new IllegalArgumentException("each Polygon ring must be closed (first position = last) with at least "
            + "4 positions, got " + c.size() + " positions");
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
   * @param coordinates the polygons' rings
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
}
