package io.shudu.core;

/**
 * Receives the events of a {@link FeedSubscription}. All methods run on the subscription's single handler thread,
 * one at a time and in feed order, so an implementation needs no locking of its own.
 *
 * <ul>
 *   <li>{@link #onEvent} gets each event exactly once, in order. If it throws, the subscription ends
 *       ({@link FeedSubscription.State#FAILED}) with a {@link ClientException} wrapping the failure; that event is not
 *       checkpointed, so a new subscription with the same {@link CheckpointStore} receives it again.</li>
 *   <li>{@link #onGap} is called (only with {@link FeedOptions.GapPolicy#CONTINUE}) when events were lost to the
 *       replay window. The default rethrows, which ends the subscription: to continue after a gap, override it.</li>
 *   <li>{@link #onError} is called once when the subscription ends with a failure.</li>
 * </ul>
 *
 * <pre>{@code
 * FeedHandler<Observation> handler = event -> store.save(event.key(), event.payload());
 * }</pre>
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface FeedHandler<T> {
  /**
   * Handles one event.
   *
   * @param event the event
   * @throws Exception to end the subscription (the event stays unacknowledged)
   */
  void onEvent(FeedEvent<T> event) throws Exception;

  /**
   * Called with {@link FeedOptions.GapPolicy#CONTINUE} when the replay window was exceeded, before the first event
   * after the gap. Return normally to accept the loss and continue; throw (the default) to end the subscription.
   *
   * @param gap what was lost
   */
  default void onGap(FeedGapException gap) {
    throw gap;
  }

  /**
   * Called once when the subscription ends with a failure (authentication, permission, unknown feed, a gap under
   * {@link FeedOptions.GapPolicy#FAIL}, a payload that cannot be decoded, or an exception from this handler).
   * Transient network failures are not reported here: the subscription reconnects by itself.
   *
   * @param error why the subscription ended
   */
  default void onError(ShuduException error) {}
}
