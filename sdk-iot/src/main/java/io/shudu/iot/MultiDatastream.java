package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shudu.core.geo.Geometry;
import java.util.List;
import java.util.Map;

/**
 * A series of Observations with array results, one value per ObservedProperty (SensorThings MultiDatastream extension). Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param unitOfMeasurements units, one per result element
 * @param observationType always OM_ComplexObservation
 * @param multiObservationDataTypes observation type per result element
 * @param observedArea area covered
 * @param phenomenonTime time span of the observations
 * @param resultTime time span of the results
 * @param properties free-form properties
 * @param thing the observed Thing (when expanded or deep-inserted, else null)
 * @param sensor the Sensor (when expanded or deep-inserted, else null)
 * @param observedProperties the observed properties, in result order (when expanded or deep-inserted, else null)
 * @param observations its observations (when expanded or deep-inserted, else null)
 */
public record MultiDatastream(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    List<UnitOfMeasurement> unitOfMeasurements,
    String observationType,
    List<String> multiObservationDataTypes,
    Geometry observedArea,
    TimeValue phenomenonTime,
    TimeValue resultTime,
    Map<String, Object> properties,
    @JsonProperty("Thing") Thing thing,
    @JsonProperty("Sensor") Sensor sensor,
    @JsonProperty("ObservedProperties") List<ObservedProperty> observedProperties,
    @JsonProperty("Observations") List<Observation> observations) {

  /**
   * A reference to an existing MultiDatastream by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static MultiDatastream ref(long id) {
    return new MultiDatastream(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withName(String value) {
    return new MultiDatastream(id, selfLink, value, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withDescription(String value) {
    return new MultiDatastream(id, selfLink, name, value, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another unitOfMeasurements.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withUnitOfMeasurements(List<UnitOfMeasurement> value) {
    return new MultiDatastream(id, selfLink, name, description, value, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another observationType.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withObservationType(String value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, value, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another multiObservationDataTypes.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withMultiObservationDataTypes(List<String> value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, value, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another observedArea.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withObservedArea(Geometry value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, value, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another phenomenonTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withPhenomenonTime(TimeValue value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, value, resultTime, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another resultTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withResultTime(TimeValue value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, value, properties, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withProperties(Map<String, Object> value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, value, thing, sensor, observedProperties, observations);
  }
  /**
   * A copy with another thing.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withThing(Thing value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, value, sensor, observedProperties, observations);
  }
  /**
   * A copy with another sensor.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withSensor(Sensor value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, value, observedProperties, observations);
  }
  /**
   * A copy with another observedProperties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withObservedProperties(List<ObservedProperty> value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, value, observations);
  }
  /**
   * A copy with another observations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public MultiDatastream withObservations(List<Observation> value) {
    return new MultiDatastream(id, selfLink, name, description, unitOfMeasurements, observationType, multiObservationDataTypes, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperties, value);
  }
}
