package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.shudu.core.geo.Geometry;
import java.util.List;
import java.util.Map;

/**
 * The feature an Observation is about, such as the water body at a monitoring station; generated from the Thing's Location when an Observation gives none. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param name name
 * @param description description
 * @param encodingType encoding of the feature
 * @param feature the geometry
 * @param properties free-form properties
 * @param observations observations of it (when expanded or deep-inserted, else null)
 */
public record FeatureOfInterest(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    String name,
    String description,
    String encodingType,
    Geometry feature,
    Map<String, Object> properties,
    @JsonProperty("Observations") List<Observation> observations) {

  /**
   * A FeatureOfInterest to create.
   *
   * @param name name
   * @param description description
   * @param feature the geometry
   * @return the feature of interest
   */
  public static FeatureOfInterest of(String name, String description, Geometry feature) {
    return new FeatureOfInterest(null, null, name, description, "application/vnd.geo+json", feature, null, null);
  }

  /**
   * A reference to an existing FeatureOfInterest by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static FeatureOfInterest ref(long id) {
    return new FeatureOfInterest(id, null, null, null, null, null, null, null);
  }

  /**
   * A copy with another name.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withName(String value) {
    return new FeatureOfInterest(id, selfLink, value, description, encodingType, feature, properties, observations);
  }
  /**
   * A copy with another description.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withDescription(String value) {
    return new FeatureOfInterest(id, selfLink, name, value, encodingType, feature, properties, observations);
  }
  /**
   * A copy with another encodingType.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withEncodingType(String value) {
    return new FeatureOfInterest(id, selfLink, name, description, value, feature, properties, observations);
  }
  /**
   * A copy with another feature.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withFeature(Geometry value) {
    return new FeatureOfInterest(id, selfLink, name, description, encodingType, value, properties, observations);
  }
  /**
   * A copy with another properties.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withProperties(Map<String, Object> value) {
    return new FeatureOfInterest(id, selfLink, name, description, encodingType, feature, value, observations);
  }
  /**
   * A copy with another observations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public FeatureOfInterest withObservations(List<Observation> value) {
    return new FeatureOfInterest(id, selfLink, name, description, encodingType, feature, properties, value);
  }
}
