package io.shudu.twin;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.shudu.twin.internal.GeoJsonCodec;

/**
 * A GeoJSON position: longitude and latitude in degrees (GeoJSON order, longitude first), on WGS-84 unless the
 * entity says CGCS2000. Serialised as {@code [lon, lat]}; an altitude in the input is ignored.
 *
 * @param lon longitude in degrees, -180 to 180
 * @param lat latitude in degrees, -90 to 90
 */
@JsonSerialize(using = GeoJsonCodec.PositionSerializer.class)
@JsonDeserialize(using = GeoJsonCodec.PositionDeserializer.class)
public record Position(double lon, double lat) {
  /** Validates the ranges. */
  public Position {
    if (!(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException("lon must be a longitude in [-180, 180] degrees, got " + lon
          + " (GeoJSON order is longitude first)");
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException("lat must be a latitude in [-90, 90] degrees, got " + lat);
    }
  }

  /**
   * A position.
   *
   * @param lon longitude in degrees
   * @param lat latitude in degrees
   * @return the position
   */
  public static Position of(double lon, double lat) {
    return new Position(lon, lat);
  }
}
