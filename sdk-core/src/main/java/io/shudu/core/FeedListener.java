package io.shudu.core;

import java.util.Optional;

/**
 * Observes one {@link FeedSubscription} for metrics and tracing; returned by
 * {@link ClientListener#feedStarted}. Methods must return quickly; exceptions they throw are logged and ignored.
 * {@link #eventStarted} and {@link #eventEnded} run on the subscription's handler thread, around
 * {@link FeedHandler#onEvent}, so state kept between them (a tracing scope) is seen by the handler.
 *
 * <pre>{@code
 * ClientListener lagMeter = new ClientListener() {
 *   public FeedListener feedStarted(FeedSubscription sub, FeedOptions options) {
 *     return new FeedListener() {
 *       public void eventStarted(FeedEvent<?> event, Optional<String> producerTraceparent) {
 *         lag.record(Duration.between(event.publishedAt(), Instant.now()));
 *       }
 *     };
 *   }
 * };
 * }</pre>
 */
public interface FeedListener {

  /**
   * The stream opened: the platform acknowledged the resume point (reader thread).
   *
   * @param reconnect false for the first connection, true after a disconnect
   */
  default void connected(boolean reconnect) {}

  /**
   * The stream is being reopened after a disconnect, a failed attempt or a full buffer (reader thread); counted by
   * {@link FeedSubscription#reconnects()}.
   */
  default void reconnecting() {}

  /**
   * Events were lost to the platform's replay window (reader thread), whatever the gap policy does about it.
   *
   * @param gap what was lost
   */
  default void gap(FeedGapException gap) {}

  /**
   * The handler is about to get an event (handler thread).
   *
   * @param event the event
   * @param producerTraceparent the W3C traceparent of the request that published the event, when the event carries
   *     one (the CloudEvents {@code traceparent} extension attribute)
   */
  default void eventStarted(FeedEvent<?> event, Optional<String> producerTraceparent) {}

  /**
   * The handler returned or threw (handler thread).
   *
   * @param event the event
   * @param error what the handler threw, or null when it handled the event
   */
  default void eventEnded(FeedEvent<?> event, Throwable error) {}

  /**
   * The subscription ended ({@link FeedSubscription.State#CLOSED} or {@link FeedSubscription.State#FAILED}).
   *
   * @param failure why it failed, empty when it was closed
   */
  default void ended(Optional<ShuduException> failure) {}
}
