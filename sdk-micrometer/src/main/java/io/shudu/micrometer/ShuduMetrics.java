package io.shudu.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.shudu.core.ClientException;
import io.shudu.core.ClientListener;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedListener;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.ShuduException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * Micrometer meters for the SDK's calls and feed subscriptions: a {@link ClientListener} to register on the
 * {@link io.shudu.core.ClientConfig} that clients and subscriptions are built with. Every meter and tag is listed in
 * docs/observability.md. Thread-safe; one instance may serve any number of clients and subscriptions.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();          // or the application's registry
 * ClientConfig config = ClientConfig.builder()
 *     .endpoint(URI.create("https://api.shudu.example"))
 *     .credentials(Credentials.apiKey(System.getenv("SHUDU_API_KEY")))
 *     .addListener(new ShuduMetrics(registry))
 *     .build();
 * }</pre>
 *
 * <p>Calls: {@code shudu.client.calls} and {@code shudu.client.attempts} (timers), {@code shudu.client.retries}
 * (counter), {@code shudu.client.inflight} and {@code shudu.client.retry.budget} (gauges). Feeds:
 * {@code shudu.feed.events}, {@code shudu.feed.reconnects}, {@code shudu.feed.gaps}, {@code shudu.feed.gap.events}
 * (counters), {@code shudu.feed.lag} and {@code shudu.feed.handle} (timers), {@code shudu.feed.buffer.events},
 * {@code shudu.feed.buffer.fill} and {@code shudu.feed.subscriptions} (gauges).
 */
public final class ShuduMetrics implements ClientListener {
  /** Tag value for a missing status or exception. */
  static final String NONE = "none";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicReference<DoubleSupplier>> budgets = new ConcurrentHashMap<>();
  private final Map<List<String>, FeedGroup> feeds = new ConcurrentHashMap<>();

  /**
   * Meters in {@code registry}; the feed lag is measured with the registry's clock.
   *
   * @param registry where the meters are registered
   */
  public ShuduMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Counts the call as in flight and returns the listener that times it.
   *
   * @param call the call about to start
   * @return the call's listener
   */
  @Override
  public ClientListener callStarted(CallStart call) {
    String service = call.service();
    inFlight(service).incrementAndGet();
    budget(service).set(call.retryBudget());
    return new CallMetrics(service);
  }

  /**
   * Returns the listener that meters the subscription.
   *
   * @param subscription the subscription
   * @param options its options
   * @return the subscription's listener
   */
  @Override
  public FeedListener feedStarted(FeedSubscription subscription, FeedOptions options) {
    String consumer = options.consumer().orElse(NONE);
    FeedGroup group = feeds.computeIfAbsent(List.of(subscription.feed(), consumer),
        k -> new FeedGroup(k.get(0), k.get(1)));
    group.live.put(subscription, options.bufferCapacity());
    return new FeedMetrics(group, subscription);
  }

  private AtomicInteger inFlight(String service) {
    return inFlight.computeIfAbsent(service, s -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("shudu.client.inflight", n, AtomicInteger::get)
          .description("Calls started and not yet ended (retries and backoff included)")
          .tag("service", s).register(registry);
      return n;
    });
  }

  private AtomicReference<DoubleSupplier> budget(String service) {
    return budgets.computeIfAbsent(service, s -> {
      AtomicReference<DoubleSupplier> ref = new AtomicReference<>(() -> 1.0);
      Gauge.builder("shudu.client.retry.budget", ref, r -> r.get().getAsDouble())
          .description("Share of the client's retry budget left: 1 full, 0 exhausted (retries stop)")
          .tag("service", s).register(registry);
      return ref;
    });
  }

  /** The status-class tag: {@code 2xx} ... {@code 5xx}, or {@code none} when no answer came. */
  static String statusClass(int status) {
    return status <= 0 ? NONE : (status / 100) + "xx";
  }

  /** Spring's outcome vocabulary: SUCCESS, REDIRECTION, CLIENT_ERROR, SERVER_ERROR or UNKNOWN. */
  static String outcome(int status, boolean failed) {
    if (status >= 500) {
      return "SERVER_ERROR";
    }
    if (status >= 400) {
      return "CLIENT_ERROR";
    }
    if (status >= 300) {
      return failed ? "UNKNOWN" : "REDIRECTION";
    }
    if (status >= 200 && !failed) {
      return "SUCCESS";
    }
    return "UNKNOWN";
  }

  /** The exception tag of a call: the SDK exception's class, or for a transport failure the I/O exception's. */
  static String exceptionTag(ShuduException e) {
    if (e == null) {
      return NONE;
    }
    Throwable cause = e.getCause();
    if (e instanceof ClientException && cause != null && !(cause instanceof ShuduException)) {
      return cause.getClass().getSimpleName();
    }
    return e.getClass().getSimpleName();
  }

  /** Meters one call. */
  private final class CallMetrics implements ClientListener {
    private final String service;

    CallMetrics(String service) {
      this.service = service;
    }

    @Override
    public void attemptEnded(Attempt a) {
      Timer.builder("shudu.client.attempts")
          .description("HTTP attempts, each retry counted")
          .tags("service", service, "operation", a.operation(), "status", statusClass(a.status()), "exception",
              a.failure().map(t -> t.getClass().getSimpleName()).orElse(NONE))
          .register(registry).record(a.latency());
    }

    @Override
    public void retryScheduled(Attempt failed, Duration delay, String reason) {
      Counter.builder("shudu.client.retries")
          .description("Retries scheduled after a failed attempt")
          .tags("service", service, "operation", failed.operation(), "status", statusClass(failed.status()))
          .register(registry).increment();
    }

    @Override
    public void callEnded(Call c) {
      inFlight(service).decrementAndGet();
      Timer.builder("shudu.client.calls")
          .description("Logical calls, from start to the last attempt's end, backoff included")
          .tags(Tags.of("service", service, "operation", c.operation(), "status", statusClass(c.status()),
              "exception", exceptionTag(c.error()), "outcome", outcome(c.status(), c.error() != null)))
          .register(registry).record(c.latency());
    }
  }

  /** The meters shared by the live subscriptions of one feed and consumer. */
  private final class FeedGroup {
    final Map<FeedSubscription, Integer> live = new ConcurrentHashMap<>();
    final Counter handled;
    final Counter failed;
    final Counter reconnects;
    final Counter gaps;
    final Counter gapEvents;
    final Timer lag;
    final Timer handle;

    FeedGroup(String feed, String consumer) {
      Tags tags = Tags.of("feed", feed, "consumer", consumer);
      handled = Counter.builder("shudu.feed.events").description("Events handed to the handler")
          .tags(tags).tag("outcome", "handled").register(registry);
      failed = Counter.builder("shudu.feed.events").description("Events handed to the handler")
          .tags(tags).tag("outcome", "failed").register(registry);
      reconnects = Counter.builder("shudu.feed.reconnects").description("Streams reopened after a disconnect")
          .tags(tags).register(registry);
      gaps = Counter.builder("shudu.feed.gaps").description("Gaps: events lost to the replay window")
          .tags(tags).register(registry);
      gapEvents = Counter.builder("shudu.feed.gap.events").description("Events lost to the replay window")
          .tags(tags).register(registry);
      lag = Timer.builder("shudu.feed.lag").description("Now minus the event's publishedAt, when the handler gets it")
          .tags(tags).register(registry);
      handle = Timer.builder("shudu.feed.handle").description("Time the handler took per event")
          .tags(tags).register(registry);
      Gauge.builder("shudu.feed.buffer.events", live, ShuduMetrics::buffered)
          .description("Events waiting in the buffers of the live subscriptions").tags(tags).register(registry);
      Gauge.builder("shudu.feed.buffer.fill", live, ShuduMetrics::fill)
          .description("Buffered events over buffer capacity, 0 to 1").tags(tags).register(registry);
      Gauge.builder("shudu.feed.subscriptions", live, Map::size)
          .description("Live subscriptions").tags(tags).register(registry);
    }
  }

  private static double buffered(Map<FeedSubscription, Integer> live) {
    long n = 0;
    for (FeedSubscription s : live.keySet()) {
      n += s.buffered();
    }
    return n;
  }

  private static double fill(Map<FeedSubscription, Integer> live) {
    long n = 0;
    long capacity = 0;
    for (Map.Entry<FeedSubscription, Integer> e : live.entrySet()) {
      n += e.getKey().buffered();
      capacity += e.getValue();
    }
    return capacity == 0 ? 0 : (double) n / capacity;
  }

  /** Meters one subscription; event methods run on its single handler thread. */
  private final class FeedMetrics implements FeedListener {
    private final FeedGroup group;
    private final FeedSubscription subscription;
    private long handleStart;

    FeedMetrics(FeedGroup group, FeedSubscription subscription) {
      this.group = group;
      this.subscription = subscription;
    }

    @Override
    public void reconnecting() {
      group.reconnects.increment();
    }

    @Override
    public void gap(FeedGapException gap) {
      group.gaps.increment();
      group.gapEvents.increment(gap.missed());
    }

    @Override
    public void eventStarted(FeedEvent<?> event, Optional<String> producerTraceparent) {
      long lagMillis = registry.config().clock().wallTime() - event.publishedAt().toEpochMilli();
      group.lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
      handleStart = registry.config().clock().monotonicTime();
    }

    @Override
    public void eventEnded(FeedEvent<?> event, Throwable error) {
      group.handle.record(registry.config().clock().monotonicTime() - handleStart, TimeUnit.NANOSECONDS);
      (error == null ? group.handled : group.failed).increment();
    }

    @Override
    public void ended(Optional<ShuduException> failure) {
      group.live.remove(subscription);
    }
  }
}
