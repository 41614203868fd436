package io.shudu.examples.iot;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.ConflictException;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner app on the programme's AIoT feeds: a delivery platform watching Jiading traffic and 5G fire alarms live,
 * and a water vendor reading a week of dissolved oxygen on Dianshan Lake. The subscriptions checkpoint to files, so
 * they survive a platform (sandbox) restart without losing or repeating an event, and a second run in the same folder
 * continues after the first. If the platform's feeds were reset since the checkpoints were saved (a new sandbox: the
 * platform answers 409 {@code feed_position_ahead}), the example resets its consumers and starts again from the
 * oldest retained event instead of waiting for events that never come.
 *
 * <p>Run it against an in-process sandbox: {@code mvn -pl examples exec:java
 * -Dexec.mainClass=io.shudu.examples.iot.IotFeedsExample}.
 */
public final class IotFeedsExample {
  /** The consumer name of both subscriptions (each feed has its own checkpoint file). */
  public static final String CONSUMER = "delivery-platform";

  private IotFeedsExample() {}

  /**
   * What the run saw.
   *
   * @param trafficEvents traffic observations received
   * @param fireAlarmEvents fire-alarm observations received
   * @param duplicates events received twice (must be 0)
   * @param outOfOrder events older than their predecessor of the same feed (must be 0)
   * @param missing event ids skipped within the received range of a feed (must be 0: feed ids are consecutive)
   * @param waterQualityHistory dissolved-oxygen observations of the last week read from the history
   * @param restarted whether the platform was restarted during the subscription
   * @param eventsAfterRestart events newer than the last one seen before the restart
   */
  public record Result(int trafficEvents, int fireAlarmEvents, int duplicates, int outOfOrder, long missing,
      int waterQualityHistory, boolean restarted, int eventsAfterRestart) {}

  /**
   * Starts a sandbox and runs the example against it.
   *
   * @param args optional folder for the checkpoints and the CSV export (default: a new temporary folder)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(10).start()) {
      Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("shudu-iot-example");
      resetCheckpoints(out); // a new sandbox: checkpoints of an earlier run point into feeds that no longer exist
      Result r = run(sandbox.clientConfig(), sandbox, out, System.out);
      System.out.println(r);
    }
  }

  /**
   * Runs the example.
   *
   * @param config client configuration of the platform or sandbox
   * @param sandbox the sandbox to restart mid-way, or null against a real platform
   * @param outDir where checkpoints and the CSV export go
   * @param out progress messages
   * @return what was seen
   * @throws InterruptedException if interrupted while waiting for events
   */
  public static Result run(ClientConfig config, Sandbox sandbox, Path outDir, PrintStream out)
      throws InterruptedException {
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (IotClient iot = IotClient.create(config)) {
      int history = waterQualityHistory(iot, outDir, out);

      Map<String, List<Long>> seen = new ConcurrentHashMap<>();
      AtomicInteger duplicates = new AtomicInteger();
      AtomicInteger outOfOrder = new AtomicInteger();
      CountDownLatch firstHalf = new CountDownLatch(40);
      // after the restart: events of both feeds newer than anything seen before the platform went down
      CountDownLatch secondHalf = new CountDownLatch(40);
      Map<String, Long> restartMark = new ConcurrentHashMap<>();
      AtomicInteger afterRestart = new AtomicInteger();
      Map<String, Long> last = new HashMap<>();
      java.util.function.Consumer<FeedEvent<Observation>> record = e -> {
        synchronized (last) {
          List<Long> ids = seen.computeIfAbsent(e.feed(), f -> new ArrayList<>());
          if (ids.contains(e.id())) {
            duplicates.incrementAndGet();
          }
          Long prev = last.put(e.feed(), e.id());
          if (prev != null && prev >= e.id()) {
            outOfOrder.incrementAndGet();
          }
          ids.add(e.id());
        }
        firstHalf.countDown();
        Long mark = restartMark.get(e.feed());
        if (mark != null && e.id() > mark) {
          afterRestart.incrementAndGet();
          secondHalf.countDown();
        }
      };
      FeedOptions.Builder options = FeedOptions.builder()
          .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
          .start(FeedOptions.StartPosition.earliest());
      CheckpointStore trafficCheckpoints = CheckpointStore.file(outDir.resolve("traffic.checkpoint"));
      CheckpointStore fireCheckpoints = CheckpointStore.file(outDir.resolve("fire-alarms.checkpoint"));
      boolean restarted = false;
      try (FeedSubscription t = subscribe(iot, ProgrammeFeed.TRAFFIC, options, trafficCheckpoints, record::accept,
              out);
          FeedSubscription f = subscribe(iot, ProgrammeFeed.FIRE_ALARMS, options, fireCheckpoints, e -> {
            record.accept(e);
            if (Boolean.TRUE.equals(e.payload().result())) {
              out.println("FIRE ALARM: detector datastream " + e.key() + " at " + e.payload().phenomenonTime());
            }
          }, out)) {
        if (!firstHalf.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + (40 - firstHalf.getCount()) + " of 40 events arrived within 60 s; "
              + t + "; " + f, t.failure().or(f::failure).orElse(null));
        }
        if (sandbox != null) {
          synchronized (last) {
            restartMark.putAll(last);
            restartMark.putIfAbsent("traffic", 0L);
            restartMark.putIfAbsent("fire-alarms", 0L);
          }
          out.println("restarting the platform after events " + restartMark + "...");
          sandbox.stop();
          awaitState(FeedSubscription.State.RECONNECTING, Duration.ofSeconds(10), t, f);
          sandbox.restart();
          restarted = true;
        }
        if (sandbox != null && !secondHalf.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + afterRestart.get() + " events arrived after the platform restart; "
              + t + "; " + f, t.failure().or(f::failure).orElse(null));
        }
        out.println("traffic subscription: " + t.state() + ", fire-alarm subscription: " + f.state());
      }
      int trafficEvents = seen.getOrDefault("traffic", List.of()).size();
      int fireEvents = seen.getOrDefault("fire-alarms", List.of()).size();
      long missing = 0;
      for (List<Long> ids : seen.values()) {
        long distinct = ids.stream().distinct().count();
        long span = ids.stream().mapToLong(Long::longValue).max().orElse(0)
            - ids.stream().mapToLong(Long::longValue).min().orElse(1) + 1;
        missing += span - distinct;
      }
      out.printf("received %d traffic and %d fire-alarm observations (%d after the restart), %d duplicates, %d out of "
          + "order, %d missing%n", trafficEvents, fireEvents, afterRestart.get(), duplicates.get(), outOfOrder.get(),
          missing);
      return new Result(trafficEvents, fireEvents, duplicates.get(), outOfOrder.get(), missing, history, restarted,
          afterRestart.get());
    }
  }

  /**
   * Forgets the checkpoints that {@link #run} keeps in a folder, so that the next run starts from the oldest retained
   * event. Call it when the platform is new (a sandbox started for this run): checkpoints saved against an earlier
   * platform would otherwise resume at an unrelated position of the new feeds, or be refused with 409
   * {@code feed_position_ahead}.
   *
   * @param outDir the folder given to {@link #run}
   */
  public static void resetCheckpoints(Path outDir) {
    for (String file : List.of("traffic.checkpoint", "fire-alarms.checkpoint")) {
      if (Files.exists(outDir.resolve(file))) {
        CheckpointStore.file(outDir.resolve(file)).reset(CONSUMER);
      }
    }
  }

  /**
   * Subscribes with a checkpoint and waits until the stream is open. When the platform says that the saved checkpoint
   * is beyond the feed's newest event (409 {@code feed_position_ahead}: the feed was reset, for example a new
   * sandbox), resets the consumer's checkpoint and subscribes again from the options' start position.
   */
  static FeedSubscription subscribe(IotClient iot, ProgrammeFeed feed, FeedOptions.Builder options,
      CheckpointStore checkpoints, FeedHandler<Observation> handler, PrintStream out) throws InterruptedException {
    FeedOptions withCheckpoint = options.checkpoint(checkpoints, CONSUMER).build();
    FeedSubscription sub = iot.feeds().subscribe(feed, withCheckpoint, handler);
    try {
      connected(sub);
      return sub;
    } catch (ConflictException e) {
      sub.close();
      if (!e.code().orElse("").equals("feed_position_ahead")) {
        throw e;
      }
      out.println(feed.feedName() + ": the saved checkpoint " + checkpoints.load(CONSUMER).orElse(-1)
          + " is beyond the feed's newest event (the feed was reset); starting again from the oldest event");
      checkpoints.reset(CONSUMER);
      FeedSubscription again = iot.feeds().subscribe(feed, withCheckpoint, handler);
      connected(again);
      return again;
    }
  }

  private static void connected(FeedSubscription sub) throws InterruptedException {
    if (!sub.awaitConnected(Duration.ofSeconds(30))) {
      sub.close();
      throw new IllegalStateException("the " + sub.feed() + " feed did not connect within 30 s: " + sub);
    }
  }

  /** Waits until every subscription is in the state (or has ended, which the caller's checks then report). */
  private static void awaitState(FeedSubscription.State state, Duration timeout, FeedSubscription... subs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (FeedSubscription s : subs) {
      while (s.state() != state && s.state() != FeedSubscription.State.FAILED
          && s.state() != FeedSubscription.State.CLOSED) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(s.feed() + " did not notice the platform going down within " + timeout
              + ": " + s);
        }
        Thread.sleep(10);
      }
    }
  }

  private static int waterQualityHistory(IotClient iot, Path outDir, PrintStream out) {
    Datastream dox = null;
    for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)")) {
      if (d.thing() != null && d.thing().name().startsWith("淀山湖")) {
        dox = d;
        break;
      }
    }
    if (dox == null) {
      out.println("no dissolved-oxygen datastream on Dianshan Lake");
      return 0;
    }
    Instant now = Instant.now();
    StringBuilder csv = new StringBuilder("phenomenonTime,result_mg_per_L\n");
    DoubleSummaryStatistics stats = new DoubleSummaryStatistics();
    for (Observation o : iot.observations().history(dox.id(), now.minus(Duration.ofDays(7)), now)) {
      stats.accept(o.resultAsDouble());
      csv.append(o.phenomenonTime()).append(',').append(o.result()).append('\n');
    }
    try {
      Files.writeString(outDir.resolve("dianshan-lake-do.csv"), csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.printf("%s, last 7 days: %d hourly values, min %.2f, mean %.2f, max %.2f %s%n", dox.thing().name(),
        stats.getCount(), stats.getMin(), stats.getAverage(), stats.getMax(), dox.unitOfMeasurement().symbol());
    return (int) stats.getCount();
  }
}
