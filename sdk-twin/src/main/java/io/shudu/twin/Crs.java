package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.shudu.core.geo.Coordinates;

/**
 * Coordinate reference systems the twin accepts. WGS-84 is the default; CGCS2000 (China's national frame) is accepted
 * as is: the two differ by a few centimetres, below the precision of the city model. GCJ-02 and BD-09 (used by
 * Chinese web maps) are not accepted: convert with {@link Coordinates} first.
 */
public enum Crs {
  /** WGS-84 longitude/latitude, EPSG:4326 (the default). */
  WGS84("EPSG:4326"),
  /** China Geodetic Coordinate System 2000, EPSG:4490. */
  CGCS2000("EPSG:4490");

  private final String code;

  Crs(String code) {
    this.code = code;
  }

  /**
   * The EPSG code, such as {@code EPSG:4326}.
   *
   * @return the code
   */
  @JsonValue
  public String code() {
    return code;
  }

  /**
   * Parses an EPSG code.
   *
   * @param code {@code EPSG:4326} or {@code EPSG:4490}
   * @return the CRS
   */
  @JsonCreator
  public static Crs fromCode(String code) {
    for (Crs c : values()) {
      if (c.code.equals(code)) {
        return c;
      }
    }
    throw new IllegalArgumentException("crs must be EPSG:4326 (WGS-84) or EPSG:4490 (CGCS2000), got '" + code + "'");
  }
}
