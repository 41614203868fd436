package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shudu.core.geo.Geometry;
import java.util.List;
import java.util.Map;

/**
 * A series of Observations of one ObservedProperty of a Thing by a Sensor, in one unit. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param unitOfMeasurement unit of the results
 * @param observationType O&amp;M observation type URI, see {@link Datastream#MEASUREMENT}
 * @param observedArea area covered by the observations
 * @param phenomenonTime time span of the observations
 * @param resultTime time span of the results
 * @param properties free-form properties
 * @param thing the observed Thing (when expanded or deep-inserted, else null)
 * @param sensor the Sensor (when expanded or deep-inserted, else null)
 * @param observedProperty the observed property (when expanded or deep-inserted, else null)
 * @param observations its observations (when expanded or deep-inserted, else null)
 */
public record Datastream(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    UnitOfMeasurement unitOfMeasurement,
    String observationType,
    Geometry observedArea,
    TimeValue phenomenonTime,
    TimeValue resultTime,
    Map<String, Object> properties,
    @JsonProperty("Thing") Thing thing,
    @JsonProperty("Sensor") Sensor sensor,
    @JsonProperty("ObservedProperty") ObservedProperty observedProperty,
    @JsonProperty("Observations") List<Observation> observations) {

  /** O&amp;M observation type of numeric measurements. */
  public static final String MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
  /** O&amp;M observation type of category (text) results. */
  public static final String CATEGORY = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CategoryObservation";
  /** O&amp;M observation type of boolean results. */
  public static final String TRUTH = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_TruthObservation";
  /** O&amp;M observation type of count results. */
  public static final String COUNT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation";
  /** O&amp;M observation type of JSON results. */
  public static final String OBSERVATION = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation";

  /**
   * A Datastream to create; link its Thing, Sensor and ObservedProperty with the {@code with...} methods.
   *
   * @param name name
   * @param description description
   * @param unit unit of the results
   * @param observationType such as {@link #MEASUREMENT}
   * @return the datastream
   */
  public static Datastream of(String name, String description, UnitOfMeasurement unit, String observationType) {
    return new Datastream(null, null, name, description, unit, observationType, null, null, null, null, null, null,
        null, null);
  }

  /**
   * A reference to an existing Datastream by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static Datastream ref(long id) {
    return new Datastream(id, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withName(String value) {
    return new Datastream(id, selfLink, value, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withDescription(String value) {
    return new Datastream(id, selfLink, name, value, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another unitOfMeasurement.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withUnitOfMeasurement(UnitOfMeasurement value) {
    return new Datastream(id, selfLink, name, description, value, observationType, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another observationType.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withObservationType(String value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, value, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another observedArea.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withObservedArea(Geometry value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, value, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another phenomenonTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withPhenomenonTime(TimeValue value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, value, resultTime, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another resultTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withResultTime(TimeValue value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, value, properties, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withProperties(Map<String, Object> value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, value, thing, sensor, observedProperty, observations);
  }
  /**
   * A copy with another thing.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withThing(Thing value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, value, sensor, observedProperty, observations);
  }
  /**
   * A copy with another sensor.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withSensor(Sensor value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, thing, value, observedProperty, observations);
  }
  /**
   * A copy with another observedProperty.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withObservedProperty(ObservedProperty value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, thing, sensor, value, observations);
  }
  /**
   * A copy with another observations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Datastream withObservations(List<Observation> value) {
    return new Datastream(id, selfLink, name, description, unitOfMeasurement, observationType, observedArea, phenomenonTime, resultTime, properties, thing, sensor, observedProperty, value);
  }
}
