package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The instrument observing a property. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param encodingType encoding of the metadata, such as {@code application/pdf} or {@code text/html}
 * @param metadata the description of the sensor (often a URL)
 * @param properties free-form properties
 * @param datastreams its datastreams (when expanded or deep-inserted, else null)
 * @param multiDatastreams its multi-datastreams (when expanded or deep-inserted, else null)
 */
public record Sensor(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    String encodingType,
    Object metadata,
    Map<String, Object> properties,
    @JsonProperty("Datastreams") List<Datastream> datastreams,
    @JsonProperty("MultiDatastreams") List<MultiDatastream> multiDatastreams) {

  /**
   * A Sensor to create.
   *
   * @param name name
   * @param description description
   * @param encodingType encoding of the metadata, such as {@code text/html}
   * @param metadata the metadata, such as a URL
   * @return the sensor
   */
  public static Sensor of(String name, String description, String encodingType, Object metadata) {
    return new Sensor(null, null, name, description, encodingType, metadata, null, null, null);
  }

  /**
   * A reference to an existing Sensor by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static Sensor ref(long id) {
    return new Sensor(id, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withName(String value) {
    return new Sensor(id, selfLink, value, description, encodingType, metadata, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withDescription(String value) {
    return new Sensor(id, selfLink, name, value, encodingType, metadata, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another encodingType.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withEncodingType(String value) {
    return new Sensor(id, selfLink, name, description, value, metadata, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another metadata.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withMetadata(Object value) {
    return new Sensor(id, selfLink, name, description, encodingType, value, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withProperties(Map<String, Object> value) {
    return new Sensor(id, selfLink, name, description, encodingType, metadata, value, datastreams, multiDatastreams);
  }
  /**
   * A copy with another datastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withDatastreams(List<Datastream> value) {
    return new Sensor(id, selfLink, name, description, encodingType, metadata, properties, value, multiDatastreams);
  }
  /**
   * A copy with another multiDatastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Sensor withMultiDatastreams(List<MultiDatastream> value) {
    return new Sensor(id, selfLink, name, description, encodingType, metadata, properties, datastreams, value);
  }
}
