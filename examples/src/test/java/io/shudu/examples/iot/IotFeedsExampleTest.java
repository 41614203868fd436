package io.shudu.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.IotClient;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IotFeedsExampleTest {
  @Test
  void survivesAPlatformRestartWithoutLosingOrRepeatingEventsAndRunsTwiceInTheSameFolder(@TempDir Path dir)
      throws Exception {
    // the second run finds the first run's checkpoints; its sandbox is new, so they are either ahead of the new
    // feeds (409 feed_position_ahead: the example resets and starts again) or at an unrelated position: both must work
    for (int run = 1; run <= 2; run++) {
      try (Sandbox sandbox = Sandbox.builder().simulationRate(20).start()) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IotFeedsExample.Result r = IotFeedsExample.run(sandbox.clientConfig(), sandbox, dir,
            new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(r.restarted()).as("run %d", run).isTrue();
        assertThat(r.eventsAfterRestart()).as("run %d", run).isGreaterThanOrEqualTo(40);
        assertThat(r.waterQualityHistory()).isGreaterThanOrEqualTo(167);
        assertThat(r.trafficEvents() + r.fireAlarmEvents()).isGreaterThanOrEqualTo(80);
        assertThat(r.duplicates()).as("run %d", run).isZero();
        assertThat(r.outOfOrder()).as("run %d", run).isZero();
        assertThat(r.missing()).as("run %d", run).isZero();
        assertThat(Files.readAllLines(dir.resolve("dianshan-lake-do.csv"))).hasSize(r.waterQualityHistory() + 1);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("restarting the platform");
      }
    }
  }

  @Test
  void aCheckpointAheadOfANewPlatformsFeedIsResetAndTheSubscriptionStartsAgain(@TempDir Path dir) throws Exception {
    CheckpointStore store = CheckpointStore.file(dir.resolve("traffic.checkpoint"));
    store.save(IotFeedsExample.CONSUMER, 1_000_000);
    try (Sandbox sandbox = Sandbox.builder().simulationRate(20).start();
         IotClient iot = IotClient.create(sandbox.clientConfig())) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      AtomicInteger received = new AtomicInteger();
      FeedOptions.Builder options = FeedOptions.builder().start(FeedOptions.StartPosition.earliest());
      try (FeedSubscription sub = IotFeedsExample.subscribe(iot, ProgrammeFeed.TRAFFIC, options, store,
          e -> received.incrementAndGet(), new PrintStream(log, true, StandardCharsets.UTF_8))) {
        assertThat(sub.state()).isIn(FeedSubscription.State.STREAMING, FeedSubscription.State.RECONNECTING);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.get() >= 5);
      }
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("checkpoint 1000000 is beyond the feed's newest event");
      assertThat(store.load(IotFeedsExample.CONSUMER).orElseThrow()).isBetween(5L, 999_999L);
    }
  }

  @Test
  void resetCheckpointsForgetsBothConsumersAndToleratesAnEmptyFolder(@TempDir Path dir) {
    IotFeedsExample.resetCheckpoints(dir.resolve("nothing-yet"));
    CheckpointStore.file(dir.resolve("traffic.checkpoint")).save(IotFeedsExample.CONSUMER, 17);
    CheckpointStore.file(dir.resolve("fire-alarms.checkpoint")).save(IotFeedsExample.CONSUMER, 4);
    IotFeedsExample.resetCheckpoints(dir);
    assertThat(CheckpointStore.file(dir.resolve("traffic.checkpoint")).load(IotFeedsExample.CONSUMER)).isEmpty();
    assertThat(CheckpointStore.file(dir.resolve("fire-alarms.checkpoint")).load(IotFeedsExample.CONSUMER)).isEmpty();
  }
}
