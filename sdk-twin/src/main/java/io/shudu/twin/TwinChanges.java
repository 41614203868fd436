package io.shudu.twin;

import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.RequestOptions;
import java.util.List;

/**
 * The change feed: every create, update and delete of entities and relationships, in commit order, as Server-Sent
 * Events with ids. Subscriptions reconnect and resume from the last event id on their own, deliver each change once
 * and in order, and can checkpoint (see {@link FeedOptions}). {@link #subscribe} returns a running subscription that
 * delivers on its own thread until closed.
 *
 * <pre>{@code
 * FeedOptions options = FeedOptions.builder()
 *     .checkpoint(CheckpointStore.file(Path.of("twin-sync.checkpoint")), "bim-sync")
 *     .build();
 * try (FeedSubscription sub = twin.changes().subscribe(List.of(), options,
 *     e -> System.out.println(e.id() + " " + e.payload().kind() + " " + e.payload().entityId()))) {
 *   sub.awaitTermination(Duration.ofHours(1));
 * }
 * }</pre>
 */
public interface TwinChanges {
  /**
   * The name of this tenant's change feed (as served under {@code /feeds/v1/}).
   *
   * @return the feed name
   */
  String feedName();

  /**
   * Async {@link #feedName}.
   *
   * @return the feed name
   */
  java.util.concurrent.CompletableFuture<String> feedNameAsync();

  /**
   * Subscribes to the changes of some entities (or all).
   *
   * @param entityIds entity ids to follow (relationship events are keyed by their source); empty for every change
   * @param options start position, buffering, reconnects, checkpoints
   * @param handler receives the changes on the subscription's handler thread
   * @return the running subscription; close it to stop
   */
  FeedSubscription subscribe(List<String> entityIds, FeedOptions options, FeedHandler<TwinChange> handler);

  /**
   * The same operations with per-call options (timeouts, headers) for the requests they send, such as
   * {@link #feedName}'s. A subscription's own connection, reconnects and timeouts are set by its {@link FeedOptions}.
   *
   * @param options the options
   * @return a view using them
   */
  TwinChanges withOptions(RequestOptions options);
}
