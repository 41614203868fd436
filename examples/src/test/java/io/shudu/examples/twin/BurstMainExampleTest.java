package io.shudu.examples.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shudu.sandbox.Sandbox;
import io.shudu.twin.Network;
import io.shudu.twin.TwinClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BurstMainExampleTest {
  @Test
  void findsTheMainIsolatesItAndDrawsTheMapTwiceInTheSameFolder(@TempDir Path dir) throws Exception {
    for (int run = 1; run <= 2; run++) {
      findsTheMainIsolatesItAndDrawsTheMap(dir);
    }
  }

  private static void findsTheMainIsolatesItAndDrawsTheMap(Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Sandbox sandbox = Sandbox.start()) {
      BurstMainExample.Result r = BurstMainExample.run(sandbox.clientConfig(), dir,
          new PrintStream(buf, true, StandardCharsets.UTF_8));
      TwinClient twin = TwinClient.create(sandbox.clientConfig());
      assertThat(twin.entities().get(r.burstSegment()).text("level")).isEqualTo("main");
      assertThat(twin.networks().isolate(r.burstSegment()).affectedBuildings()).isEqualTo(r.affectedBuildings());
      assertThat(r.valvesToClose()).isNotEmpty();
      assertThat(r.affectedBuildings()).isNotEmpty();
      assertThat(r.undergroundStructures()).isEqualTo(881);
      assertThat(r.kmByNetwork()).containsKeys(Network.values());
      assertThat(r.kmByNetwork().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(225, within(2.25));
      String svg = Files.readString(r.picture());
      assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
      assertThat(svg.split("class=\"valve\"", -1)).hasSize(r.valvesToClose().size() + 1);
      assertThat(svg).contains("#d7191c", r.burstSegment());
      for (String b : r.affectedBuildings()) {
        assertThat(svg).contains(b);
      }
    }
    String report = buf.toString(StandardCharsets.UTF_8);
    assertThat(report).contains("nearest water main", "close ", "881 underground structures", "total");
  }
}
