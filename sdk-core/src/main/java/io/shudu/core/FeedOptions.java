package io.shudu.core;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link FeedSubscription} buffers, reconnects, checkpoints and treats gaps. Immutable; build one with
 * {@link #builder()} or use {@link #defaults()}.
 *
 * <pre>{@code
 * FeedOptions options = FeedOptions.builder()
 *     .bufferCapacity(10_000)                       // events held between the socket and the handler
 *     .overflowWait(Duration.ofSeconds(2))          // then drop the connection and resume once drained
 *     .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(10))
 *     .gapPolicy(FeedOptions.GapPolicy.FAIL)        // a lost event ends the subscription
 *     .checkpoint(CheckpointStore.file(Path.of("state/traffic.checkpoint")), "rider-router")
 *     .start(FeedOptions.StartPosition.earliest())  // used only when there is no checkpoint yet
 *     .build();
 * }</pre>
 */
public final class FeedOptions {
  private static final FeedOptions DEFAULTS = builder().build();

  /** What the reader does when the buffer stays full for {@link #overflowWait()}. */
  public enum OverflowPolicy {
    /**
     * Drop the connection, wait until the handler has drained the buffer, then reconnect and resume after the last
     * buffered event with {@code Last-Event-ID}. Nothing is lost as long as the platform's replay window still
     * holds the events (otherwise the gap is reported). The default.
     */
    RECONNECT,
    /** End the subscription with a {@link ClientException} explaining that the handler is too slow. */
    FAIL
  }

  /** What happens when the resume point has left the platform's replay window. */
  public enum GapPolicy {
    /** End the subscription with a {@link FeedGapException} (the default). */
    FAIL,
    /**
     * Call {@link FeedHandler#onGap} (whose default rethrows) and, if it returns, continue with the oldest event
     * still available.
     */
    CONTINUE
  }

  /**
   * Where a subscription without a checkpoint starts. A saved checkpoint always wins over the start position.
   *
   * @param kind where to start
   * @param afterId for {@link Kind#AFTER_ID}, the id to resume after; 0 otherwise
   */
  public record StartPosition(Kind kind, long afterId) {
    /** Kinds of start position. */
    public enum Kind {
      /** Only events published after the subscription opened. */
      LATEST,
      /** Every event still in the replay window. */
      EARLIEST,
      /** The events after a given id (a gap is reported if that id has left the window). */
      AFTER_ID
    }

    /** Validates. */
    public StartPosition {
      Preconditions.checkNotNull(kind, "kind");
      Preconditions.checkArgument(kind == Kind.AFTER_ID ? afterId >= 0 : afterId == 0,
          "afterId must be >= 0 for AFTER_ID and 0 otherwise, got %s", afterId);
    }

    /**
     * Only new events (the default).
     *
     * @return the position
     */
    public static StartPosition latest() {
      return new StartPosition(Kind.LATEST, 0);
    }

    /**
     * Everything still in the replay window, without a gap report for what has already left it.
     *
     * @return the position
     */
    public static StartPosition earliest() {
      return new StartPosition(Kind.EARLIEST, 0);
    }

    /**
     * The events after {@code id}; 0 means from the feed's very first event (a gap is reported if events after
     * {@code id} have left the window).
     *
     * @param id an event id, at least 0
     * @return the position
     */
    public static StartPosition after(long id) {
      Preconditions.checkArgument(id >= 0, "id must be >= 0, got %s", id);
      return new StartPosition(Kind.AFTER_ID, id);
    }
  }

  private final int bufferCapacity;
  private final OverflowPolicy overflowPolicy;
  private final Duration overflowWait;
  private final Duration reconnectBackoffMin;
  private final Duration reconnectBackoffMax;
  private final GapPolicy gapPolicy;
  private final CheckpointStore checkpointStore;
  private final String consumer;
  private final int checkpointEvery;
  private final StartPosition start;
  private final Duration heartbeat;

  private FeedOptions(Builder b) {
    this.bufferCapacity = b.bufferCapacity;
    this.overflowPolicy = b.overflowPolicy;
    this.overflowWait = b.overflowWait;
    this.reconnectBackoffMin = b.reconnectBackoffMin;
    this.reconnectBackoffMax = b.reconnectBackoffMax;
    this.gapPolicy = b.gapPolicy;
    this.checkpointStore = b.checkpointStore;
    this.consumer = b.consumer;
    this.checkpointEvery = b.checkpointEvery;
    this.start = b.start;
    this.heartbeat = b.heartbeat;
  }

  /**
   * The defaults: 1,000 events of buffer, reconnect on overflow after 2 s, backoff 200 ms to 10 s, gaps fail, no
   * checkpoints, start at the latest event, heartbeats every 5 s.
   *
   * @return default options
   */
  public static FeedOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A new builder with the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bufferCapacity = bufferCapacity;
    b.overflowPolicy = overflowPolicy;
    b.overflowWait = overflowWait;
    b.reconnectBackoffMin = reconnectBackoffMin;
    b.reconnectBackoffMax = reconnectBackoffMax;
    b.gapPolicy = gapPolicy;
    b.checkpointStore = checkpointStore;
    b.consumer = consumer;
    b.checkpointEvery = checkpointEvery;
    b.start = start;
    b.heartbeat = heartbeat;
    return b;
  }

  /**
   * Most events held between the socket reader and the handler.
   *
   * @return the capacity
   */
  public int bufferCapacity() {
    return bufferCapacity;
  }

  /**
   * What happens when the buffer stays full.
   *
   * @return the policy
   */
  public OverflowPolicy overflowPolicy() {
    return overflowPolicy;
  }

  /**
   * How long the reader waits for room in a full buffer before applying the overflow policy.
   *
   * @return the wait
   */
  public Duration overflowWait() {
    return overflowWait;
  }

  /**
   * Smallest reconnect backoff (the first retry waits a random time up to this).
   *
   * @return the minimum backoff
   */
  public Duration reconnectBackoffMin() {
    return reconnectBackoffMin;
  }

  /**
   * Largest reconnect backoff (the ceiling doubles per consecutive failure up to this).
   *
   * @return the maximum backoff
   */
  public Duration reconnectBackoffMax() {
    return reconnectBackoffMax;
  }

  /**
   * What happens when events were lost to the replay window.
   *
   * @return the policy
   */
  public GapPolicy gapPolicy() {
    return gapPolicy;
  }

  /**
   * Where checkpoints are kept, if anywhere.
   *
   * @return the store or empty
   */
  public Optional<CheckpointStore> checkpointStore() {
    return Optional.ofNullable(checkpointStore);
  }

  /**
   * The consumer name: the name checkpoints are kept under when checkpointing (see {@link Builder#checkpoint}), or a
   * name set with {@link Builder#consumer} for metrics and traces only.
   *
   * @return the consumer name or empty
   */
  public Optional<String> consumer() {
    return Optional.ofNullable(consumer);
  }

  /**
   * A checkpoint is saved after every this many handled events (and always when the stream has been idle for a
   * moment, and on close).
   *
   * @return events per checkpoint, at least 1
   */
  public int checkpointEvery() {
    return checkpointEvery;
  }

  /**
   * Where to start when there is no checkpoint.
   *
   * @return the start position
   */
  public StartPosition start() {
    return start;
  }

  /**
   * The heartbeat interval asked of the platform; a stream silent for three intervals is treated as dead and
   * reopened.
   *
   * @return the heartbeat interval
   */
  public Duration heartbeat() {
    return heartbeat;
  }

  @Override
  public String toString() {
    return "FeedOptions{bufferCapacity=" + bufferCapacity + ", overflowPolicy=" + overflowPolicy + ", overflowWait="
        + overflowWait + ", reconnectBackoff=" + reconnectBackoffMin + ".." + reconnectBackoffMax + ", gapPolicy="
        + gapPolicy + ", consumer=" + consumer + ", checkpointEvery=" + checkpointEvery + ", start=" + start
        + ", heartbeat=" + heartbeat + "}";
  }

  /** Builds {@link FeedOptions}. Not thread-safe. */
  public static final class Builder {
    private int bufferCapacity = 1000;
    private OverflowPolicy overflowPolicy = OverflowPolicy.RECONNECT;
    private Duration overflowWait = Duration.ofSeconds(2);
    private Duration reconnectBackoffMin = Duration.ofMillis(200);
    private Duration reconnectBackoffMax = Duration.ofSeconds(10);
    private GapPolicy gapPolicy = GapPolicy.FAIL;
    private CheckpointStore checkpointStore;
    private String consumer;
    private int checkpointEvery = 1;
    private StartPosition start = StartPosition.latest();
    private Duration heartbeat = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * Most events held between the socket reader and the handler (default 1,000).
     *
     * @param capacity 1 to 1,000,000
     * @return this builder
     */
    public Builder bufferCapacity(int capacity) {
      Preconditions.checkArgument(capacity >= 1 && capacity <= 1_000_000,
          "bufferCapacity must be between 1 and 1000000, got %s", capacity);
      this.bufferCapacity = capacity;
      return this;
    }

    /**
     * What the reader does when the buffer stays full (default {@link OverflowPolicy#RECONNECT}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.overflowPolicy = Preconditions.checkNotNull(policy, "overflowPolicy");
      return this;
    }

    /**
     * How long the reader waits for room in a full buffer (default 2 s).
     *
     * @param wait zero or positive, at most 10 minutes
     * @return this builder
     */
    public Builder overflowWait(Duration wait) {
      Preconditions.checkArgument(wait != null && !wait.isNegative() && wait.compareTo(Duration.ofMinutes(10)) <= 0,
          "overflowWait must be between 0 and 10 minutes, got %s", wait);
      this.overflowWait = wait;
      return this;
    }

    /**
     * Reconnect backoff: full jitter, the ceiling starting at {@code min} and doubling per consecutive failure up to
     * {@code max} (defaults 200 ms and 10 s).
     *
     * @param min positive
     * @param max at least {@code min}, at most 10 minutes
     * @return this builder
     */
    public Builder reconnectBackoff(Duration min, Duration max) {
      Preconditions.checkArgument(min != null && !min.isNegative() && !min.isZero(),
          "reconnectBackoff min must be positive, got %s", min);
      Preconditions.checkArgument(max != null && max.compareTo(min) >= 0 && max.compareTo(Duration.ofMinutes(10)) <= 0,
          "reconnectBackoff max must be between min (%s) and 10 minutes, got %s", min, max);
      this.reconnectBackoffMin = min;
      this.reconnectBackoffMax = max;
      return this;
    }

    /**
     * What happens when events were lost to the replay window (default {@link GapPolicy#FAIL}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder gapPolicy(GapPolicy policy) {
      this.gapPolicy = Preconditions.checkNotNull(policy, "gapPolicy");
      return this;
    }

    /**
     * Keeps checkpoints in {@code store} under {@code consumer}: a new subscription with the same store and consumer
     * continues after the last handled event, whatever its start position.
     *
     * @param store the store
     * @param consumer 1 to 200 characters without control characters, unique per consuming application and feed
     * @return this builder
     */
    public Builder checkpoint(CheckpointStore store, String consumer) {
      Preconditions.checkNotNull(store, "checkpoint store");
      CheckpointStore.checkConsumer(consumer);
      this.checkpointStore = store;
      this.consumer = consumer;
      return this;
    }

    /**
     * Names the consumer without keeping checkpoints in a store (for example when the application saves them itself,
     * in its own transaction): metrics and traces show the name. {@link #checkpoint} sets both store and name.
     *
     * @param consumer 1 to 200 characters without control characters
     * @return this builder
     */
    public Builder consumer(String consumer) {
      CheckpointStore.checkConsumer(consumer);
      this.consumer = consumer;
      return this;
    }

    /**
     * Saves a checkpoint after every {@code n} handled events instead of after each one (default 1); a checkpoint is
     * still saved whenever no event has arrived for a moment (about 20 ms) and on close. A crash may then repeat up
     * to {@code n - 1} events on restart.
     *
     * @param n 1 to 1,000,000
     * @return this builder
     */
    public Builder checkpointEvery(int n) {
      Preconditions.checkArgument(n >= 1 && n <= 1_000_000, "checkpointEvery must be between 1 and 1000000, got %s", n);
      this.checkpointEvery = n;
      return this;
    }

    /**
     * Where to start when there is no checkpoint (default {@link StartPosition#latest()}).
     *
     * @param position the start position
     * @return this builder
     */
    public Builder start(StartPosition position) {
      this.start = Preconditions.checkNotNull(position, "start");
      return this;
    }

    /**
     * Heartbeat interval asked of the platform (default 5 s); a stream silent for three intervals is reopened.
     *
     * @param interval 100 ms to 5 minutes
     * @return this builder
     */
    public Builder heartbeat(Duration interval) {
      Preconditions.checkArgument(interval != null && interval.compareTo(Duration.ofMillis(100)) >= 0
          && interval.compareTo(Duration.ofMinutes(5)) <= 0, "heartbeat must be between 100 ms and 5 minutes, got %s",
          interval);
      this.heartbeat = interval;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return immutable options
     */
    public FeedOptions build() {
      return new FeedOptions(this);
    }
  }
}
