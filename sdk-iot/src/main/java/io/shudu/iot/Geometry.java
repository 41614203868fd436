package io.shudu.iot;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.shudu.iot.internal.GeoJsonCodec;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A GeoJSON geometry (RFC 7946) as SensorThings uses it for {@code Location.location},
 * {@code FeatureOfInterest.feature} and {@code Datastream.observedArea}: {@link Point}, {@link LineString} or
 * {@link Polygon}. Coordinates are WGS 84 longitude, latitude.
 *
 * <pre>{@code
 * Geometry dianshanLake = Geometry.polygon(List.of(
 *     new Geometry.Position(120.90, 31.08), new Geometry.Position(121.00, 31.08),
 *     new Geometry.Position(121.00, 31.16), new Geometry.Position(120.90, 31.16),
 *     new Geometry.Position(120.90, 31.08)));
 * }</pre>
 */
@JsonSerialize(using = GeoJsonCodec.Serializer.class)
@JsonDeserialize(using = GeoJsonCodec.Deserializer.class)
public sealed interface Geometry permits Geometry.Point, Geometry.LineString, Geometry.Polygon {

  /**
   * The geometry as a WKT literal for query filters, such as {@code POINT(121.25 31.38)}.
   *
   * @return the WKT text
   */
  String toWkt();

  /**
   * A point.
   *
   * @param longitude degrees east, -180 to 180
   * @param latitude degrees north, -90 to 90
   * @return the point
   */
  static Point point(double longitude, double latitude) {
    return new Point(new Position(longitude, latitude));
  }

  /**
   * A line through two or more positions.
   *
   * @param positions the positions
   * @return the line
   */
  static LineString lineString(List<Position> positions) {
    return new LineString(positions);
  }

  /**
   * A polygon without holes.
   *
   * @param exteriorRing closed ring (first position equals the last), at least four positions
   * @return the polygon
   */
  static Polygon polygon(List<Position> exteriorRing) {
    return new Polygon(List.of(exteriorRing));
  }

  /**
   * A longitude, latitude pair.
   *
   * @param longitude degrees east, -180 to 180
   * @param latitude degrees north, -90 to 90
   */
  record Position(double longitude, double latitude) {
    /** Validates the ranges. */
    public Position {
      if (!(longitude >= -180 && longitude <= 180)) {
        throw new IllegalArgumentException("longitude must be between -180 and 180, got " + longitude);
      }
      if (!(latitude >= -90 && latitude <= 90)) {
        throw new IllegalArgumentException("latitude must be between -90 and 90, got " + latitude
            + " (GeoJSON order is longitude, latitude)");
      }
    }

    String wkt() {
      return num(longitude) + " " + num(latitude);
    }

    private static String num(double d) {
      return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
    }
  }

  /**
   * A GeoJSON Point.
   *
   * @param coordinates the position
   */
  record Point(Position coordinates) implements Geometry {
    /** Validates. */
    public Point {
      if (coordinates == null) {
        throw new NullPointerException("coordinates of a Point must not be null");
      }
    }

    @Override
    public String toWkt() {
      return "POINT(" + coordinates.wkt() + ")";
    }
  }

  /**
   * A GeoJSON LineString.
   *
   * @param coordinates two or more positions
   */
  record LineString(List<Position> coordinates) implements Geometry {
    /** Validates and copies. */
    public LineString {
      if (coordinates == null || coordinates.size() < 2) {
        throw new IllegalArgumentException("a LineString needs at least 2 positions");
      }
      coordinates = List.copyOf(coordinates);
    }

    @Override
    public String toWkt() {
      return "LINESTRING(" + coordinates.stream().map(Position::wkt).collect(Collectors.joining(", ")) + ")";
    }
  }

  /**
   * A GeoJSON Polygon: an exterior ring followed by optional holes, each closed.
   *
   * @param coordinates the rings
   */
  record Polygon(List<List<Position>> coordinates) implements Geometry {
    /** Validates and copies. */
    public Polygon {
      if (coordinates == null || coordinates.isEmpty()) {
        throw new IllegalArgumentException("a Polygon needs an exterior ring");
      }
      for (List<Position> ring : coordinates) {
        if (ring.size() < 4 || !ring.get(0).equals(ring.get(ring.size() - 1))) {
          throw new IllegalArgumentException("each Polygon ring needs at least 4 positions and must be closed "
              + "(first position equal to the last)");
        }
      }
      coordinates = coordinates.stream().map(List::copyOf).toList();
    }

    @Override
    public String toWkt() {
      return "POLYGON(" + coordinates.stream()
          .map(r -> "(" + r.stream().map(Position::wkt).collect(Collectors.joining(", ")) + ")")
          .collect(Collectors.joining(", ")) + ")";
    }
  }
}
