package io.shudu.twin;

import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import java.util.List;

/**
 * The change feed: every create, update and delete of entities and relationships, in commit order, as Server-Sent
 * Events with ids. Subscriptions reconnect and resume from the last event id on their own, deliver each change once
 * and in order, and can checkpoint (see {@link FeedOptions}).
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
   * Subscribes to the changes of some entities (or all).
   *
   * @param entityIds entity ids to follow (relationship events are keyed by their source); empty for every change
   * @param options start position, buffering, reconnects, checkpoints
   * @param handler receives the changes on the subscription's handler thread
   * @return the running subscription; close it to stop
   */
  FeedSubscription subscribe(List<String> entityIds, FeedOptions options, FeedHandler<TwinChange> handler);
}
