package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shudu.core.geo.Geometry;
import java.util.List;
import java.util.Map;

/**
 * A Location of Things, as a GeoJSON geometry. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param encodingType encoding type, {@code application/geo+json} or {@code application/vnd.geo+json}
 * @param location the geometry
 * @param properties free-form properties
 * @param things the Things located here (when expanded or deep-inserted, else null)
 * @param historicalLocations history entries (when expanded or deep-inserted, else null)
 */
public record Location(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    String encodingType,
    Geometry location,
    Map<String, Object> properties,
    @JsonProperty("Things") List<Thing> things,
    @JsonProperty("HistoricalLocations") List<HistoricalLocation> historicalLocations) {

  /** The GeoJSON encoding type. */
  public static final String GEO_JSON = "application/geo+json";

  /**
   * A Location to create.
   *
   * @param name name
   * @param description description
   * @param location the geometry
   * @return the location
   */
  public static Location of(String name, String description, Geometry location) {
    return new Location(null, null, name, description, "application/vnd.geo+json", location, null, null, null);
  }

  /**
   * A reference to an existing Location by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static Location ref(long id) {
    return new Location(id, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withName(String value) {
    return new Location(id, selfLink, value, description, encodingType, location, properties, things, historicalLocations);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withDescription(String value) {
    return new Location(id, selfLink, name, value, encodingType, location, properties, things, historicalLocations);
  }
  /**
   * A copy with another encodingType.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withEncodingType(String value) {
    return new Location(id, selfLink, name, description, value, location, properties, things, historicalLocations);
  }
  /**
   * A copy with another location.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withLocation(Geometry value) {
    return new Location(id, selfLink, name, description, encodingType, value, properties, things, historicalLocations);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withProperties(Map<String, Object> value) {
    return new Location(id, selfLink, name, description, encodingType, location, value, things, historicalLocations);
  }
  /**
   * A copy with another things.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withThings(List<Thing> value) {
    return new Location(id, selfLink, name, description, encodingType, location, properties, value, historicalLocations);
  }
  /**
   * A copy with another historicalLocations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Location withHistoricalLocations(List<HistoricalLocation> value) {
    return new Location(id, selfLink, name, description, encodingType, location, properties, things, value);
  }
}
