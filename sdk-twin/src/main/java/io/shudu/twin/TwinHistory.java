package io.shudu.twin;

import java.time.Instant;
import io.shudu.core.RequestOptions;
import java.util.concurrent.CompletableFuture;

/**
 * History: a property's values over a time range, and an entity with its relationships as of a past time.
 *
 * <pre>{@code
 * PropertyHistory h = twin.history().property("lg-bldg-0001", "height", Instant.parse("2026-01-01T00:00:00Z"),
 *     Instant.now());
 * EntitySnapshot then = twin.history().asOf("lg-bldg-0001", Instant.parse("2026-01-01T00:00:00Z"));
 * }</pre>
 */
public interface TwinHistory {
  /**
   * The values a property held during [from, to].
   *
   * @param entityId the entity (it may since have been deleted)
   * @param property property name
   * @param from start of the range
   * @param to end of the range (not before from)
   * @return one interval per distinct value
   */
  PropertyHistory property(String entityId, String property, Instant from, Instant to);

  /**
   * Async {@link #property}.
   *
   * @param entityId the entity
   * @param property property name
   * @param from start
   * @param to end
   * @return the history
   */
  CompletableFuture<PropertyHistory> propertyAsync(String entityId, String property, Instant from, Instant to);

  /**
   * The entity and its relationships as they were at a time.
   *
   * @param entityId the entity
   * @param at the time
   * @return the snapshot
   * @throws io.shudu.core.NotFoundException if it did not exist then
   */
  EntitySnapshot asOf(String entityId, Instant at);

  /**
   * Async {@link #asOf}.
   *
   * @param entityId the entity
   * @param at the time
   * @return the snapshot
   */
  CompletableFuture<EntitySnapshot> asOfAsync(String entityId, Instant at);

  /**
   * The same operations with per-call options (timeouts, headers).
   *
   * @param options the options
   * @return a view using them
   */
  TwinHistory withOptions(RequestOptions options);
}
