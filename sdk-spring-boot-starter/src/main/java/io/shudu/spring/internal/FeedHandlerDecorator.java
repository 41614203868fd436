package io.shudu.spring.internal;

import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedHandler;

/** Runs a feed handler and its checkpoint in one transaction. Not an API: used by the starter's auto-configuration. */
public interface FeedHandlerDecorator {
  /**
   * Whether checkpoints of this store can join the handler's transaction.
   *
   * @param store the store
   * @return true when they can
   */
  boolean supports(CheckpointStore store);

  /**
   * A handler that runs the given one and saves its checkpoint in one transaction.
   *
   * @param handler the application's handler
   * @param store the store
   * @param consumer the consumer name
   * @param <T> the payload type
   * @return the transactional handler
   */
  <T> FeedHandler<T> decorate(FeedHandler<T> handler, CheckpointStore store, String consumer);
}
