package io.shudu.examples.iot;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IotFeedsExampleTest {
  @Test
  void survivesAPlatformRestartWithoutLosingOrRepeatingEvents(@TempDir Path dir) throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(20).start()) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      IotFeedsExample.Result r = IotFeedsExample.run(sandbox.clientConfig(), sandbox, dir,
          new PrintStream(log, true, StandardCharsets.UTF_8));
      assertThat(r.restarted()).isTrue();
      assertThat(r.eventsAfterRestart()).isGreaterThanOrEqualTo(40);
      assertThat(r.waterQualityHistory()).isGreaterThanOrEqualTo(167);
      assertThat(r.trafficEvents()).isGreaterThan(10);
      assertThat(r.fireAlarmEvents()).isGreaterThan(10);
      assertThat(r.trafficEvents() + r.fireAlarmEvents()).isGreaterThanOrEqualTo(80);
      assertThat(r.duplicates()).isZero();
      assertThat(r.outOfOrder()).isZero();
      assertThat(r.missing()).isZero();
      assertThat(Files.readAllLines(dir.resolve("dianshan-lake-do.csv"))).hasSize(r.waterQualityHistory() + 1);
      assertThat(log.toString(StandardCharsets.UTF_8)).contains("restarting the platform");
    }
  }
}
