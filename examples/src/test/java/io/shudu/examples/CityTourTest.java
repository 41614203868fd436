package io.shudu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CityTourTest {
  @Test
  void everyStepSucceedsAndWritesItsPictureTwiceInTheSameFolder(@TempDir Path out) throws Exception {
    // the README's main job must work again in the same checkout: the second run finds the first run's pictures and
    // feed checkpoints in the folder
    for (int run = 1; run <= 2; run++) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      List<CityTour.Result> results = CityTour.run(out, new PrintStream(buf, true, StandardCharsets.UTF_8));
      String report = buf.toString(StandardCharsets.UTF_8);
      int n = run;
      assertThat(results).as("run %d", run).hasSize(6)
          .allSatisfy(r -> assertThat(r.ok()).as("run " + n + ": " + r.name() + ": " + r.summary()).isTrue());
      assertThat(out.resolve("burst-main-lingang.svg")).exists();
      assertThat(out.resolve("jiading-rider-route.svg")).exists();
      assertThat(out.resolve("jiading-fire-alarm.svg")).exists();
      assertThat(out.resolve("qingpu-dissolved-oxygen.svg")).exists();
      assertThat(Files.readString(out.resolve("index.html"))).contains("<img src=\"jiading-rider-route.svg\">");
      assertThat(report).as("run %d", run).contains("881 underground structures").contains("nearest ambulance station")
          .contains("closed road(s) avoided").contains("none lost, none repeated");
    }
  }
}
