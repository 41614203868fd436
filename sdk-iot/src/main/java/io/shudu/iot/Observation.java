package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * One observed value: when ({@code phenomenonTime}), what ({@code result}) and its context. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param phenomenonTime when the phenomenon was observed
 * @param resultTime when the result was produced
 * @param result the value: a number, string, boolean, JSON object or (MultiDatastream) array
 * @param resultQuality quality of the result
 * @param validTime validity period
 * @param parameters observation parameters
 * @param datastream its Datastream (when expanded or deep-inserted, else null)
 * @param multiDatastream its MultiDatastream (when expanded or deep-inserted, else null)
 * @param featureOfInterest its feature of interest (when expanded or deep-inserted, else null)
 */
public record Observation(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    TimeValue phenomenonTime,
    Instant resultTime,
    Object result,
    Object resultQuality,
    TimeValue validTime,
    Map<String, Object> parameters,
    @JsonProperty("Datastream") Datastream datastream,
    @JsonProperty("MultiDatastream") MultiDatastream multiDatastream,
    @JsonProperty("FeatureOfInterest") FeatureOfInterest featureOfInterest) {

  /**
   * An observation to create.
   *
   * @param phenomenonTime when the phenomenon was observed
   * @param result the value
   * @return the observation
   */
  public static Observation of(Instant phenomenonTime, Object result) {
    return new Observation(null, null, TimeValue.instant(phenomenonTime), null, result, null, null, null, null, null,
        null);
  }

  /**
   * The result as a number.
   *
   * @return the numeric result
   * @throws IllegalStateException if the result is not a number
   */
  public double resultAsDouble() {
    if (result instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalStateException("the result of Observation " + id + " is not a number: " + result);
  }

  /**
   * A reference to an existing Observation by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static Observation ref(long id) {
    return new Observation(id, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another phenomenonTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withPhenomenonTime(TimeValue value) {
    return new Observation(id, selfLink, value, resultTime, result, resultQuality, validTime, parameters, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another resultTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withResultTime(Instant value) {
    return new Observation(id, selfLink, phenomenonTime, value, result, resultQuality, validTime, parameters, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another result.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withResult(Object value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, value, resultQuality, validTime, parameters, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another resultQuality.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withResultQuality(Object value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, value, validTime, parameters, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another validTime.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withValidTime(TimeValue value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, value, parameters, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another parameters.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withParameters(Map<String, Object> value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, validTime, value, datastream, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another datastream.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withDatastream(Datastream value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, validTime, parameters, value, multiDatastream, featureOfInterest);
  }
  /**
   * A copy with another multiDatastream.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withMultiDatastream(MultiDatastream value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, validTime, parameters, datastream, value, featureOfInterest);
  }
  /**
   * A copy with another featureOfInterest.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public Observation withFeatureOfInterest(FeatureOfInterest value) {
    return new Observation(id, selfLink, phenomenonTime, resultTime, result, resultQuality, validTime, parameters, datastream, multiDatastream, value);
  }
}
