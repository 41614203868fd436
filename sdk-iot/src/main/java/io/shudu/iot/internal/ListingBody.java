package io.shudu.iot.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A SensorThings collection answer, bound in one pass.
 *
 * @param value the entities of the page
 * @param nextLink the {@code @iot.nextLink}, or null on the last page
 * @param count the {@code @iot.count}, when asked for
 * @param <T> the entity type
 */
public record ListingBody<T>(List<T> value, @JsonProperty("@iot.nextLink") String nextLink,
    @JsonProperty("@iot.count") Long count) {}
