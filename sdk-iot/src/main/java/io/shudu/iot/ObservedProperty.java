package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The phenomenon a Datastream observes, such as dissolved oxygen. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param definition URI defining the property
 * @param description description
 * @param properties free-form properties
 * @param datastreams datastreams observing it (when expanded or deep-inserted, else null)
 * @param multiDatastreams multi-datastreams observing it (when expanded or deep-inserted, else null)
 */
public record ObservedProperty(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String definition,
    String description,
    Map<String, Object> properties,
    @JsonProperty("Datastreams") List<Datastream> datastreams,
    @JsonProperty("MultiDatastreams") List<MultiDatastream> multiDatastreams) {

  /**
   * An ObservedProperty to create.
   *
   * @param name name
   * @param definition URI defining it
   * @param description description
   * @return the observed property
   */
  public static ObservedProperty of(String name, String definition, String description) {
    return new ObservedProperty(null, null, name, definition, description, null, null, null);
  }

  /**
   * A reference to an existing ObservedProperty by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static ObservedProperty ref(long id) {
    return new ObservedProperty(id, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withName(String value) {
    return new ObservedProperty(id, selfLink, value, definition, description, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another definition.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withDefinition(String value) {
    return new ObservedProperty(id, selfLink, name, value, description, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withDescription(String value) {
    return new ObservedProperty(id, selfLink, name, definition, value, properties, datastreams, multiDatastreams);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withProperties(Map<String, Object> value) {
    return new ObservedProperty(id, selfLink, name, definition, description, value, datastreams, multiDatastreams);
  }
  /**
   * A copy with another datastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withDatastreams(List<Datastream> value) {
    return new ObservedProperty(id, selfLink, name, definition, description, properties, value, multiDatastreams);
  }
  /**
   * A copy with another multiDatastreams.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public ObservedProperty withMultiDatastreams(List<MultiDatastream> value) {
    return new ObservedProperty(id, selfLink, name, definition, description, properties, datastreams, value);
  }
}
