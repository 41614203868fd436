package io.shudu.examples.iot;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedEvent;
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
 * they survive a platform (sandbox) restart without losing or repeating an event.
 *
 * <p>Run it against an in-process sandbox: {@code mvn -pl examples exec:java
 * -Dexec.mainClass=io.shudu.examples.iot.IotFeedsExample}.
 */
public final class IotFeedsExample {
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
   * @param args unused
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(10).start()) {
      Path out = Files.createTempDirectory("shudu-iot-example");
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
      FeedOptions traffic = options.checkpoint(CheckpointStore.file(outDir.resolve("traffic.checkpoint")),
          "delivery-platform").build();
      FeedOptions fire = options.checkpoint(CheckpointStore.file(outDir.resolve("fire-alarms.checkpoint")),
          "delivery-platform").build();
      boolean restarted = false;
      try (FeedSubscription t = iot.subscribe(ProgrammeFeed.TRAFFIC, traffic, e -> {
            record.accept(e);
          });
          FeedSubscription f = iot.subscribe(ProgrammeFeed.FIRE_ALARMS, fire, e -> {
            record.accept(e);
            if (Boolean.TRUE.equals(e.payload().result())) {
              out.println("FIRE ALARM: detector datastream " + e.key() + " at " + e.payload().phenomenonTime());
            }
          })) {
        firstHalf.await(60, TimeUnit.SECONDS);
        if (sandbox != null) {
          synchronized (last) {
            restartMark.putAll(last);
            restartMark.putIfAbsent("traffic", 0L);
            restartMark.putIfAbsent("fire-alarms", 0L);
          }
          out.println("restarting the platform after events " + restartMark + "...");
          sandbox.stop();
          Thread.sleep(500);
          sandbox.restart();
          restarted = true;
        }
        if (sandbox != null && !secondHalf.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("only " + afterRestart.get() + " events arrived after the platform restart");
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

  private static int waterQualityHistory(IotClient iot, Path outDir, PrintStream out) {
    Datastream dox = null;
    for (Datastream d : iot.datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)")) {
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
    for (Observation o : iot.history(dox.id(), now.minus(Duration.ofDays(7)), now)) {
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
