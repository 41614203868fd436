package io.shudu.iot;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * When a Thing was at its Locations. Navigation members hold expanded or deep-inserted related entities.
 *
 * @param id the {@code @iot.id}, null before creation
 * @param selfLink the {@code @iot.selfLink}, null before creation
 * @param time when the Thing arrived
 * @param thing the Thing (when expanded or deep-inserted, else null)
 * @param locations where it was (when expanded or deep-inserted, else null)
 */
public record HistoricalLocation(
    @JsonProperty("@iot.id") Long id,
    @JsonProperty("@iot.selfLink") String selfLink,
    Instant time,
    @JsonProperty("Thing") Thing thing,
    @JsonProperty("Locations") List<Location> locations) {

  /**
   * A reference to an existing HistoricalLocation by id, for linking in a create or update ({@code {"@iot.id": 5}}).
   *
   * @param id the id
   * @return the reference
   */
  public static HistoricalLocation ref(long id) {
    return new HistoricalLocation(id, null, null, null, null);
  }

  /**
   * A copy with another time.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public HistoricalLocation withTime(Instant value) {
    return new HistoricalLocation(id, selfLink, value, thing, locations);
  }
  /**
   * A copy with another thing.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public HistoricalLocation withThing(Thing value) {
    return new HistoricalLocation(id, selfLink, time, value, locations);
  }
  /**
   * A copy with another locations.
   *
   * @param value the new value (null to leave it out)
   * @return the copy
   */
  public HistoricalLocation withLocations(List<Location> value) {
    return new HistoricalLocation(id, selfLink, time, thing, value);
  }
}
