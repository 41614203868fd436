package io.shudu.core;

import com.google.common.base.Preconditions;
import io.shudu.core.internal.FeedCheckpoints;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Remembers, per consumer, the id of the last feed event it handled, so that a restarted consumer continues where it
 * stopped (see {@link FeedOptions.Builder#checkpoint}). Implement it to keep checkpoints with your own data (for
 * example in the same database transaction as the event's effects); implementations must be thread-safe.
 *
 * <pre>{@code
 * CheckpointStore store = CheckpointStore.file(Path.of("/var/lib/rider-router/feeds.checkpoints"));
 * FeedOptions options = FeedOptions.builder().checkpoint(store, "rider-router/traffic").build();
 * }</pre>
 */
public interface CheckpointStore {
  /**
   * The last saved event id of a consumer.
   *
   * @param consumer the consumer name
   * @return the id, or empty when the consumer has none yet
   */
  OptionalLong load(String consumer);

  /**
   * Saves the last handled event id of a consumer. Ids only move forward within a subscription.
   *
   * @param consumer the consumer name
   * @param eventId the event id
   */
  void save(String consumer, long eventId);

  /**
   * Forgets a consumer's checkpoint, so that its next subscription starts from the {@link FeedOptions.StartPosition}
   * of its options, as on first use. Use it when a subscription fails with a {@link ConflictException} whose
   * {@link ConflictException#code() code} is {@code feed_position_ahead}: the saved id is beyond the feed's newest
   * event because the feed was reset (for example a new sandbox, or a platform test environment that was rebuilt), so
   * resuming from it is impossible. Also use it to replay a feed from its start position on purpose. Close the
   * consumer's running subscriptions first: a running subscription saves its position again. Other consumers of the
   * same store keep their checkpoints; resetting a consumer without a checkpoint does nothing.
   *
   * <pre>{@code
   * try {
   *   if (!sub.awaitConnected(Duration.ofSeconds(10))) {   // throws the ConflictException if the subscription failed
   *     throw new IllegalStateException("the traffic feed did not connect within 10 s: " + sub.state());
   *   }
   * } catch (ConflictException e) {
   *   if (!e.code().orElse("").equals("feed_position_ahead")) {
   *     throw e;
   *   }
   *   store.reset("rider-router/traffic");   // the feed was reset: start again from the start position
   *   sub = FeedSubscription.open(config, "traffic", List.of(), SignalPhase.class, options, handler);
   * }
   * }</pre>
   *
   * @param consumer the consumer name
   * @throws ClientException if a persistent store cannot record the reset (the checkpoint is then kept)
   */
  void reset(String consumer);

  /**
   * A store in memory: checkpoints survive a reconnect or a new subscription in the same process, not a restart.
   *
   * @return a new, empty store
   */
  static CheckpointStore inMemory() {
    return new FeedCheckpoints.InMemory();
  }

  /**
   * A store in one file (a properties file: consumer = id) that survives a process restart. Each save rewrites the
   * file atomically (a temporary file in the same folder, then an atomic move), so a crash leaves either the old or
   * the new checkpoint, never a torn file. The file is read when the store is created; one process per file.
   * Saving is not synced to the disk (fsync): a power loss may lose the latest checkpoints, which then repeats
   * events.
   *
   * @param file the file; its folder must exist or be creatable
   * @return the store
   * @throws ClientException if the file exists but cannot be read or parsed
   */
  static CheckpointStore file(Path file) {
    Preconditions.checkNotNull(file, "file");
    return new FeedCheckpoints.FileStore(file);
  }

  /**
   * Validates a consumer name: 1 to 200 characters without control characters.
   *
   * @param consumer the name
   * @return the name
   * @throws IllegalArgumentException if it is invalid
   */
  static String checkConsumer(String consumer) {
    Preconditions.checkArgument(consumer != null && !consumer.isBlank() && consumer.length() <= 200
        && consumer.chars().noneMatch(Character::isISOControl),
        "consumer must be 1-200 characters without control characters, got '%s'", consumer);
    return consumer;
  }
}
