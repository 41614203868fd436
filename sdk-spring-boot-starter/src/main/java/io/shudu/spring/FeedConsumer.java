package io.shudu.spring;

import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A feed consumer declared as a bean: the starter subscribes when the application context starts and closes the
 * subscription gracefully when it stops (the event in hand finishes and its checkpoint is saved). It is the
 * programmatic twin of {@link ShuduFeedListener}: use it when the keys or the handler are computed at start-up.
 *
 * <pre>{@code
 * @Bean
 * FeedConsumer<Observation> waterQuality(WaterQualityRecorder recorder) {
 *   return FeedConsumer.builder("water-quality", Observation.class, recorder::record)
 *       .consumer("river-watch/water-quality")
 *       .start(FeedConsumer.Start.EARLIEST)
 *       .build();
 * }
 * }</pre>
 *
 * @param <T> the payload type
 */
public final class FeedConsumer<T> {
  /** Where a consumer without a checkpoint starts. */
  public enum Start {
    /** At the events published after the subscription opens. */
    LATEST,
    /** At the oldest event the platform still keeps. */
    EARLIEST
  }

  private final String feed;
  private final Class<T> payloadType;
  private final FeedHandler<T> handler;
  private final List<String> keys;
  private final String consumer;
  private final Start start;
  private final FeedOptions options;
  private final boolean transactional;

  private FeedConsumer(Builder<T> b) {
    this.feed = b.feed;
    this.payloadType = b.payloadType;
    this.handler = b.handler;
    this.keys = b.keys;
    this.consumer = b.consumer;
    this.start = b.start;
    this.options = b.options;
    this.transactional = b.transactional;
  }

  /**
   * A builder.
   *
   * @param feed the feed name
   * @param payloadType the class events' data decode to, such as {@code Observation.class}
   * @param handler receives the events, one at a time
   * @param <T> the payload type
   * @return the builder
   */
  public static <T> Builder<T> builder(String feed, Class<T> payloadType, FeedHandler<T> handler) {
    return new Builder<>(feed, payloadType, handler);
  }

  /**
   * The feed.
   *
   * @return the feed name
   */
  public String feed() {
    return feed;
  }

  /**
   * The payload type.
   *
   * @return the class
   */
  public Class<T> payloadType() {
    return payloadType;
  }

  /**
   * The handler.
   *
   * @return the handler
   */
  public FeedHandler<T> handler() {
    return handler;
  }

  /**
   * The keys received, empty for all.
   *
   * @return the keys
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * The consumer name under which checkpoints are kept, if checkpointed.
   *
   * @return the name
   */
  public Optional<String> consumer() {
    return Optional.ofNullable(consumer);
  }

  /**
   * The start position without a checkpoint.
   *
   * @return the position
   */
  public Start start() {
    return start;
  }

  /**
   * Buffer, reconnect and gap options (checkpoint store and start are set by the starter).
   *
   * @return the options
   */
  public FeedOptions options() {
    return options;
  }

  /**
   * Whether handler and checkpoint share a transaction when possible.
   *
   * @return true by default
   */
  public boolean transactional() {
    return transactional;
  }

  @Override
  public String toString() {
    return "FeedConsumer{feed=" + feed + ", consumer=" + consumer + ", keys=" + keys + ", start=" + start
        + ", payloadType=" + payloadType.getName() + ", transactional=" + transactional + "}";
  }

  /**
   * Builds a {@link FeedConsumer}.
   *
   * @param <T> the payload type
   */
  public static final class Builder<T> {
    private final String feed;
    private final Class<T> payloadType;
    private final FeedHandler<T> handler;
    private List<String> keys = List.of();
    private String consumer;
    private Start start = Start.LATEST;
    private FeedOptions options = FeedOptions.defaults();
    private boolean transactional = true;

    private Builder(String feed, Class<T> payloadType, FeedHandler<T> handler) {
      if (feed == null || feed.isBlank()) {
        throw new IllegalArgumentException("feed must not be blank");
      }
      this.feed = feed;
      this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Receives only these keys (for IoT feeds: Datastream ids).
     *
     * @param keys the keys; empty for the whole feed
     * @return this builder
     */
    public Builder<T> keys(List<String> keys) {
      this.keys = List.copyOf(keys);
      return this;
    }

    /**
     * Keeps checkpoints under this consumer name in the application's {@link CheckpointStore} bean.
     *
     * @param name 1 to 200 characters, stable across releases
     * @return this builder
     */
    public Builder<T> consumer(String name) {
      this.consumer = CheckpointStore.checkConsumer(name);
      return this;
    }

    /**
     * Where to start without a checkpoint (default {@link Start#LATEST}).
     *
     * @param start the position
     * @return this builder
     */
    public Builder<T> start(Start start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /**
     * Buffer, reconnect, gap and heartbeat options; their checkpoint store and start position are replaced by the
     * starter's.
     *
     * @param options the options
     * @return this builder
     */
    public Builder<T> options(FeedOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Whether the handler and its checkpoint share one transaction when the store is a {@link JdbcCheckpointStore}
     * and the context has a transaction manager (default true).
     *
     * @param transactional false for the store's own commits
     * @return this builder
     */
    public Builder<T> transactional(boolean transactional) {
      this.transactional = transactional;
      return this;
    }

    /**
     * Builds the consumer.
     *
     * @return the consumer
     */
    public FeedConsumer<T> build() {
      return new FeedConsumer<>(this);
    }
  }
}
