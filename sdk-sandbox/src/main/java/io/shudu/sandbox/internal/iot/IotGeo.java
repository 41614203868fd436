package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.GeoJsonCodec;
import io.shudu.sandbox.internal.Spatial;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * Planar geometry for the SensorThings geo functions over GeoJSON values and WKT literals, on JTS (DE-9IM
 * predicates as OGC Simple Features define them). GeoJSON is read by sdk-core's one codec. Coordinates are used as
 * given (longitude, latitude); distances and lengths are in coordinate units (degrees), as in the reference
 * implementations.
 */
final class IotGeo {
  private IotGeo() {}

  /** A geometry value of a filter expression. */
  record Geom(Geometry jts) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Geom g && g.jts.equalsExact(jts);
    }

    @Override
    public int hashCode() {
      return jts.getGeometryType().hashCode();
    }
  }

  /** A GeoJSON geometry (or Feature), or null when the node is not one. */
  static Geom fromGeoJson(JsonNode n) {
    if (n == null || !n.isObject() || !n.path("type").isTextual()) {
      return null;
    }
    if (n.get("type").asText().equals("Feature")) {
      return fromGeoJson(n.get("geometry"));
    }
    try {
      return new Geom(Spatial.toJts(GeoJsonCodec.fromTree(n)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether a JSON value is a GeoJSON geometry this sandbox understands. */
  static boolean isGeoJson(JsonNode n) {
    return fromGeoJson(n) != null;
  }

  /**
   * Parses a WKT literal such as {@code POINT(121.2 31.4)} or {@code POLYGON((...))}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Geom fromWkt(String wkt) {
    try {
      Geometry g = new WKTReader(Spatial.FACTORY).read(wkt);
      if (g.isEmpty()) {
        throw new IllegalArgumentException("WKT must not be EMPTY, got '" + wkt + "'");
      }
      return new Geom(g);
    } catch (ParseException e) {
      throw new IllegalArgumentException("WKT must look like POINT(lon lat) or POLYGON((lon lat, ...)), got '" + wkt
          + "': " + e.getMessage(), e);
    }
  }

  static boolean intersects(Geom a, Geom b) {
    return a.jts.intersects(b.jts);
  }

  static boolean within(Geom a, Geom b) {
    return a.jts.within(b.jts);
  }

  static boolean touches(Geom a, Geom b) {
    return a.jts.touches(b.jts);
  }

  static boolean overlaps(Geom a, Geom b) {
    return a.jts.overlaps(b.jts);
  }

  static boolean crosses(Geom a, Geom b) {
    return a.jts.crosses(b.jts);
  }

  static double distance(Geom a, Geom b) {
    return a.jts.distance(b.jts);
  }

  static double length(Geom g) {
    return g.jts.getLength();
  }
}
