package io.shudu.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event of a live feed, as delivered to a {@link FeedHandler}: exactly once and in order per subscription.
 *
 * @param feed the feed's name, such as {@code traffic} or {@code twin-changes}
 * @param id the event id: strictly increasing within the feed (ids of other partition keys are skipped when the
 *     subscription is filtered by key)
 * @param type the event type, such as {@code observation} or {@code entity.updated}
 * @param key the partition key (for example a datastream id or an entity id), or null when the event has none
 * @param payload the decoded payload
 * @param publishedAt when the platform published the event
 * @param receivedAt when this client read the event from the network
 * @param <T> the payload type
 */
public record FeedEvent<T>(String feed, long id, String type, String key, T payload, Instant publishedAt,
    Instant receivedAt) {

  /** Validates. */
  public FeedEvent {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (id < 1) {
      throw new IllegalArgumentException("id must be >= 1, got " + id);
    }
  }

  /**
   * The partition key, when the event has one.
   *
   * @return the key or empty
   */
  public Optional<String> keyOptional() {
    return Optional.ofNullable(key);
  }
}
