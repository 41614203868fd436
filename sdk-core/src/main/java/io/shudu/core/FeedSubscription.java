package io.shudu.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A running subscription to a live feed: Server-Sent Events read by a reader thread into a bounded buffer and handed
 * one by one to a {@link FeedHandler} on a single handler thread. Service clients return it from their
 * {@code subscribe...} methods; {@link #open} subscribes to any feed by name.
 *
 * <p>Guarantees, within the platform's replay window:
 * <ul>
 *   <li><b>Nothing lost, nothing repeated.</b> After any disconnect (network failure, platform restart, 5xx) the
 *       subscription reconnects with jittered exponential backoff and resumes with {@code Last-Event-ID}; events seen
 *       twice on the wire are dropped by id, so the handler gets each event exactly once and in order.</li>
 *   <li><b>Gaps are never silent.</b> If the resume point has left the replay window, a {@link FeedGapException}
 *       ends the subscription or, with {@link FeedOptions.GapPolicy#CONTINUE}, goes to {@link FeedHandler#onGap}.</li>
 *   <li><b>Bounded memory.</b> The buffer never holds more than {@link FeedOptions#bufferCapacity()} events. When it
 *       is full the reader waits at most {@link FeedOptions#overflowWait()}, then drops the connection and resumes
 *       from the last buffered event once the handler has drained the buffer (or fails, with
 *       {@link FeedOptions.OverflowPolicy#FAIL}).</li>
 *   <li><b>Checkpoints.</b> With a {@link CheckpointStore}, the id of each handled event is saved (see
 *       {@link FeedOptions.Builder#checkpointEvery}), and a new subscription with the same consumer name continues
 *       after it.</li>
 * </ul>
 * Errors that retrying cannot fix (401, 403, unknown feed 404, a gap under {@code FAIL}, an undecodable payload, a
 * handler exception) end the subscription: {@link #state()} becomes {@link State#FAILED} and {@link #failure()}
 * tells why. Thread-safe; {@link #close()} stops both threads.
 *
 * <pre>{@code
 * FeedOptions options = FeedOptions.builder()
 *     .checkpoint(CheckpointStore.file(Path.of("traffic.checkpoint")), "signal-dashboard")
 *     .build();
 * record SignalPhase(String signal, String phase) {}
 * try (FeedSubscription sub = FeedSubscription.open(config, "traffic", List.of(), SignalPhase.class, options,
 *     event -> System.out.println(event.id() + " " + event.payload()))) {
 *   if (!sub.awaitConnected(Duration.ofSeconds(10))) {   // throws instead if the subscription has ended
 *     throw new IllegalStateException("not connected within 10 s: " + sub);
 *   }
 *   sub.awaitTermination(Duration.ofMinutes(10));
 * }
 * }</pre>
 */
public interface FeedSubscription extends AutoCloseable {

  /** Life cycle of a subscription. */
  enum State {
    /** Connecting for the first time. */
    CONNECTING,
    /** The stream is open and events flow. */
    STREAMING,
    /** Disconnected; waiting to reconnect (backoff, or a full buffer draining). */
    RECONNECTING,
    /** Closed by {@link #close()}. Terminal. */
    CLOSED,
    /** Ended by an error retrying cannot fix; see {@link #failure()}. Terminal. */
    FAILED
  }

  /**
   * Subscribes to a feed by name with the given client configuration (for feeds without a dedicated method on a
   * service client). The stream is {@code GET /feeds/v1/{feed}} on the configured endpoint.
   *
   * @param config client configuration (endpoint, credentials)
   * @param feed the feed's name, such as {@code traffic}
   * @param keys partition keys to receive (empty for all events of the feed)
   * @param payloadType the payload class (a record, {@code Map}, {@code String}...)
   * @param options buffer, backoff, gap policy, checkpoints, start position
   * @param handler receives the events
   * @param <T> the payload type
   * @return the running subscription
   */
  static <T> FeedSubscription open(ClientConfig config, String feed, List<String> keys, Class<T> payloadType,
      FeedOptions options, FeedHandler<T> handler) {
    return io.shudu.core.internal.FeedClient.open(config, feed, keys, payloadType, options, handler);
  }

  /**
   * Reads a feed's bounds ({@code GET /feeds/v1}): its newest event id and the oldest still in the replay window, for
   * example to tell whether a stored position is still valid before subscribing after it.
   *
   * @param config client configuration (endpoint, credentials)
   * @param feed the feed's name
   * @return the bounds
   * @throws NotFoundException if the caller cannot read a feed of that name
   */
  static FeedInfo describe(ClientConfig config, String feed) {
    return io.shudu.core.internal.FeedClient.describe(config, feed);
  }

  /**
   * The feed's name.
   *
   * @return the feed
   */
  String feed();

  /**
   * The current state.
   *
   * @return the state
   */
  State state();

  /**
   * The id of the last event handed to the handler and handled without an exception, or the position a gap was
   * accepted at; before the first event, the checkpoint the subscription resumed from (empty without one).
   *
   * @return the last delivered id
   */
  OptionalLong lastDeliveredId();

  /**
   * How many events the handler has handled.
   *
   * @return the count
   */
  long delivered();

  /**
   * How many times the stream was (re)opened after the first connection: a measure of network trouble.
   *
   * @return the reconnect count
   */
  long reconnects();

  /**
   * Events currently waiting in the buffer.
   *
   * @return the buffered count, at most {@link FeedOptions#bufferCapacity()}
   */
  int buffered();

  /**
   * The most events the buffer has held at once (high-water mark), never above the capacity.
   *
   * @return the high-water mark
   */
  int maxBuffered();

  /**
   * Why the subscription failed, when it did.
   *
   * @return the failure or empty
   */
  Optional<ShuduException> failure();

  /**
   * Waits until the stream is open for the first time (the platform has acknowledged the start position): events
   * published after this returns {@code true} are delivered even with {@link FeedOptions.StartPosition#latest()}.
   * If the subscription fails before it could connect (for example 401, an unknown feed, or a 409
   * {@code feed_position_ahead} because a saved checkpoint is beyond the feed's newest event: see
   * {@link CheckpointStore#reset}), this throws that failure instead of letting the caller wait for events that
   * never come. Always check the result: {@code false} means nothing is streaming yet.
   *
   * <pre>{@code
   * if (!sub.awaitConnected(Duration.ofSeconds(10))) {
   *   throw new IllegalStateException("the traffic feed did not connect within 10 s: " + sub.state());
   * }
   * }</pre>
   *
   * @param timeout how long to wait at most
   * @return true if the stream opened; false on timeout, or if the subscription was closed by {@link #close()}
   *     before it connected
   * @throws ShuduException the subscription's {@link #failure()} when it ended with an error before it connected
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitConnected(Duration timeout) throws InterruptedException;

  /**
   * Waits until the subscription has ended ({@link State#CLOSED} or {@link State#FAILED}).
   *
   * @param timeout how long to wait at most
   * @return true if it ended, false on timeout
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Stops the subscription: disconnects, lets the handler finish the event in hand (events still buffered are not
   * delivered and stay unacknowledged), saves the last checkpoint and ends both threads. Idempotent; may be called
   * from the handler itself.
   */
  @Override
  void close();
}
