package io.shudu.core.geo;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.shudu.core.internal.GeoJsonCodec;

/**
 * A GeoJSON position: longitude then latitude, in degrees (WGS-84 unless a resource says otherwise). Written as the
 * JSON array {@code [lon, lat]}; an altitude in input is read and ignored.
 *
 * <pre>{@code
 * Position peoplesSquare = Position.of(121.4737, 31.2304);
 * }</pre>
 *
 * @param lon longitude in [-180, 180]
 * @param lat latitude in [-90, 90]
 */
@JsonSerialize(using = GeoJsonCodec.PositionSerializer.class)
@JsonDeserialize(using = GeoJsonCodec.PositionDeserializer.class)
public record Position(double lon, double lat) {
  /**
   * Validates the ranges.
   *
   * @throws IllegalArgumentException when a coordinate is out of range or not a number
   */
  public Position {
    if (!(lon >= -180 && lon <= 180)) {
      throw new IllegalArgumentException("lon must be a longitude in [-180, 180] degrees, got " + lon
          + " (GeoJSON order is longitude first)");
    }
    if (!(lat >= -90 && lat <= 90)) {
      throw new IllegalArgumentException("lat must be a latitude in [-90, 90] degrees, got " + lat
          + " (GeoJSON order is longitude first)");
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
