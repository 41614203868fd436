package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A Thing: an object of the physical or information world that is observed, such as an intersection, a smoke detector or a water-quality station. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param properties free-form properties (the programme sets {@code feed}, {@code code}, {@code type}, {@code district})
 * @param locations its current locations (when expanded or deep-inserted, else null)
 * @param historicalLocations its past locations (when expanded or deep-inserted, else null)
 * @param datastreams its datastreams (when expanded or deep-inserted, else null)
 * @param multiDatastreams its multi-datastreams (when expanded or deep-inserted, else null)
 */
public record Thing(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    Map<String, Object> properties,
    @JsonProperty("Locations") List<Location> locations,
    @JsonProperty("HistoricalLocations") List<HistoricalLocation> historicalLocations,
    @JsonProperty("Datastreams") List<Datastream> datastreams,
    @JsonProperty("MultiDatastreams") List<MultiDatastream> multiDatastreams) {

  /**
   * A Thing to create.
   *
   * @param name name
   * @param description description
   * @return the thing
   */
  public static Thing of(String name, String description) {
    return new Thing(null, null, name, description, null, null, null, null, null);
  }

  /**
   * A reference to an existing Thing by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static Thing ref(long id) {
    return new Thing(id, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withName(String value) {
    return new Thing(id, selfLink, value, description, properties, locations, historicalLocations, datastreams, multiDatastreams);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withDescription(String value) {
    return new Thing(id, selfLink, name, value, properties, locations, historicalLocations, datastreams, multiDatastreams);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withProperties(Map<String, Object> value) {
    return new Thing(id, selfLink, name, description, value, locations, historicalLocations, datastreams, multiDatastreams);
  }
  /**
   * A copy with another locations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withLocations(List<Location> value) {
    return new Thing(id, selfLink, name, description, properties, value, historicalLocations, datastreams, multiDatastreams);
  }
  /**
   * A copy with another historicalLocations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withHistoricalLocations(List<HistoricalLocation> value) {
    return new Thing(id, selfLink, name, description, properties, locations, value, datastreams, multiDatastreams);
  }
  /**
   * A copy with another datastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withDatastreams(List<Datastream> value) {
    return new Thing(id, selfLink, name, description, properties, locations, historicalLocations, value, multiDatastreams);
  }
  /**
   * A copy with another multiDatastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Thing withMultiDatastreams(List<MultiDatastream> value) {
    return new Thing(id, selfLink, name, description, properties, locations, historicalLocations, datastreams, value);
  }
}
