package io.shudu.examples.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.exchange.ExchangeAssets;
import io.shudu.exchange.ExchangeAudit;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataExchangeExampleTest {
  @Test
  void runsTheWholeBuyerFlowAgainstTheSandboxTwiceInTheSameFolder(@TempDir Path dir) throws Exception {
    for (int run = 1; run <= 2; run++) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      String summary;
      try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
        // each run has a new sandbox with new keys: the pinned key file is replaced too
        Path keys = Files.writeString(dir.resolve("exchange-keys.json"), sandbox.exchangeKeys());
        summary = DataExchangeExample.run(sandbox.clientConfig(), keys, dir,
            new PrintStream(log, true, StandardCharsets.UTF_8));
      }
      String printed = log.toString(StandardCharsets.UTF_8);
      assertThat(summary).as("run %d", run).contains("dp-air-quality").contains("receipt verified")
          .contains("申生不息");
      assertThat(printed).contains("not allowed").contains("purpose_not_permitted").contains("FINALIZED")
          .contains("verified offline");
      assertThat(Files.size(dir.resolve("dp-air-quality.ndjson"))).isEqualTo(8L * 1024 * 1024);
      List<Path> svgs;
      List<Path> audits;
      try (Stream<Path> s = Files.list(dir)) {
        List<Path> all = s.toList();
        svgs = all.stream().filter(p -> p.toString().endsWith(".svg")).toList();
        audits = all.stream().filter(p -> p.getFileName().toString().startsWith("audit-")).toList();
      }
      assertThat(svgs).as("run %d", run).hasSize(1);
      assertThat(Files.readString(svgs.get(0))).startsWith("<svg");
      assertThat(audits).as("run %d: this run's audit chain only", run).hasSize(1);
      assertThat(ExchangeAudit.read(audits.get(0)).events()).hasSizeGreaterThanOrEqualTo(9);
    }
    assertThat(ExchangeAssets.SERIES).isEqualTo("shen-sheng-bu-xi");
  }
}
