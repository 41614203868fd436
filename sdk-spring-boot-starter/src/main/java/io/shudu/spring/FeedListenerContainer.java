package io.shudu.spring;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.ShuduException;
import io.shudu.spring.internal.FeedHandlerDecorator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the application's feed consumers ({@link FeedConsumer} beans and {@link ShuduFeedListener} methods) with the
 * application context: subscribes when it starts, closes gracefully when it stops (the event in hand finishes and its
 * checkpoint is saved), and subscribes again from the last checkpoint after {@code shudu.feeds.restart-delay} when a
 * handler fails. Created by the starter's auto-configuration; inject it to look at the subscriptions.
 */
public final class FeedListenerContainer implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.spring.feeds");

  private final ClientConfig config;
  private final List<Map.Entry<String, FeedConsumer<?>>> declared;
  private final CheckpointStore store;
  private final FeedHandlerDecorator transactions;
  private final Duration restartDelay;
  private final boolean autoStartup;
  private final Object lock = new Object();
  private final Map<String, Listener<?>> listeners = new LinkedHashMap<>();
  private ScheduledExecutorService restarts;
  private volatile boolean running;

  /**
   * Creates the container (the auto-configuration does).
   *
   * @param config client configuration of the feeds
   * @param consumers the consumers by default consumer name (bean name, or bean.method)
   * @param store the checkpoint store, or null for none
   * @param transactions runs a handler and its checkpoint in one transaction, or null when not available
   * @param restartDelay wait before a failed consumer is subscribed again
   * @param autoStartup whether to start with the context
   */
  public FeedListenerContainer(ClientConfig config, List<Map.Entry<String, FeedConsumer<?>>> consumers,
      CheckpointStore store, FeedHandlerDecorator transactions, Duration restartDelay, boolean autoStartup) {
    if (restartDelay == null || restartDelay.compareTo(Duration.ofMillis(10)) < 0) {
      throw new org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException(
          "shudu.feeds.restart-delay", restartDelay, "The restart delay must be at least 10ms.");
    }
    this.config = config;
    this.declared = List.copyOf(consumers);
    this.store = store;
    this.transactions = transactions;
    this.restartDelay = restartDelay;
    this.autoStartup = autoStartup;
  }

  /**
   * The consumer names, in start order.
   *
   * @return the names
   */
  public List<String> consumers() {
    synchronized (lock) {
      return List.copyOf(listeners.keySet());
    }
  }

  /**
   * The current subscription of a consumer, while the container runs.
   *
   * @param consumer the consumer name
   * @return the subscription
   */
  public Optional<FeedSubscription> subscription(String consumer) {
    synchronized (lock) {
      Listener<?> l = listeners.get(consumer);
      return l == null ? Optional.empty() : Optional.ofNullable(l.subscription);
    }
  }

  /**
   * Whether a consumer's handler and checkpoint commit in one transaction.
   *
   * @param consumer the consumer name
   * @return true when exactly-once (transactional)
   */
  public boolean transactional(String consumer) {
    synchronized (lock) {
      Listener<?> l = listeners.get(consumer);
      return l != null && l.transactional;
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (running) {
        return;
      }
      listeners.clear();
      for (Map.Entry<String, FeedConsumer<?>> e : declared) {
        FeedConsumer<?> c = e.getValue();
        String name = c.consumer().orElse(e.getKey());
        if (listeners.containsKey(name)) {
          throw new IllegalStateException("Two feed consumers are named '" + name + "'; give each its own consumer "
              + "name (@ShuduFeedListener(consumer = ...) or FeedConsumer.Builder.consumer), since the name keys "
              + "its checkpoint.");
        }
        listeners.put(name, new Listener<>(name, c));
      }
      restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shudu-feed-restarts");
        t.setDaemon(true);
        return t;
      });
      running = true;
      for (Listener<?> l : listeners.values()) {
        l.open();
      }
    }
  }

  @Override
  public void stop() {
    List<FeedSubscription> open = new ArrayList<>();
    synchronized (lock) {
      if (!running) {
        return;
      }
      running = false;
      restarts.shutdownNow();
      for (Listener<?> l : listeners.values()) {
        if (l.subscription != null) {
          open.add(l.subscription);
        }
      }
    }
    // close() waits for the event in hand and saves the checkpoint; outside the lock so restarts cannot block on it
    for (FeedSubscription s : open) {
      s.close();
    }
    LOG.info("feed listeners stopped: {}", listeners.keySet());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return autoStartup;
  }

  /** One consumer and its current subscription. */
  private final class Listener<T> {
    final String name;
    final FeedConsumer<T> spec;
    final boolean checkpointed;
    final boolean transactional;
    volatile FeedSubscription subscription;
    long lastDelivered = -1;

    Listener(String name, FeedConsumer<T> spec) {
      this.name = CheckpointStore.checkConsumer(name);
      this.spec = spec;
      this.checkpointed = store != null;
      this.transactional = checkpointed && spec.transactional() && transactions != null
          && transactions.supports(store);
    }

    /** Subscribes; called with the lock held. */
    void open() {
      FeedOptions.Builder options = spec.options().toBuilder();
      FeedHandler<T> handler = spec.handler();
      OptionalLong resume = OptionalLong.empty();
      if (transactional) {
        resume = store.load(name);
        handler = transactions.decorate(handler, store, name);
        options.consumer(name); // the handler saves the checkpoint itself; the name is for metrics and traces
      } else if (checkpointed) {
        options.checkpoint(store, name);
      } else if (lastDelivered >= 0) {
        resume = OptionalLong.of(lastDelivered);
      }
      options.start(resume.isPresent() ? FeedOptions.StartPosition.after(resume.getAsLong())
          : spec.start() == FeedConsumer.Start.EARLIEST ? FeedOptions.StartPosition.earliest()
          : FeedOptions.StartPosition.latest());
      FeedHandler<T> inner = handler;
      Listener<T> self = this;
      FeedSubscription[] mine = new FeedSubscription[1];
      FeedHandler<T> supervised = new FeedHandler<>() {
        @Override
        public void onEvent(FeedEvent<T> event) throws Exception {
          inner.onEvent(event);
        }

        @Override
        public void onGap(FeedGapException gap) {
          inner.onGap(gap);
        }

        @Override
        public void onError(ShuduException error) {
          try {
            inner.onError(error);
          } finally {
            self.failed(mine[0], error);
          }
        }
      };
      FeedSubscription s = FeedSubscription.open(config, spec.feed(), spec.keys(), spec.payloadType(),
          options.build(), supervised);
      mine[0] = s;
      subscription = s;
      LOG.info("feed listener '{}' subscribed to feed '{}' ({}{})", name, spec.feed(),
          resume.isPresent() ? "after event " + resume.getAsLong() : "from " + spec.start(),
          transactional ? ", checkpoint in the handler's transaction" : checkpointed ? ", checkpointed" : "");
    }

    void failed(FeedSubscription failedSub, ShuduException error) {
      LOG.error("feed listener '{}' stopped on feed '{}': {} It is subscribed again from its last checkpoint in {}.",
          name, spec.feed(), error.getMessage(), restartDelay);
      synchronized (lock) {
        if (failedSub != null) {
          failedSub.lastDeliveredId().ifPresent(id -> lastDelivered = id);
        }
        if (!running) {
          return;
        }
        restarts.schedule(() -> {
          synchronized (lock) {
            if (running && (failedSub == null || subscription == failedSub)) {
              try {
                open();
              } catch (RuntimeException e) {
                failed(null, new io.shudu.core.ClientException("could not subscribe again: " + e, e, false));
              }
            }
          }
        }, restartDelay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }
}
