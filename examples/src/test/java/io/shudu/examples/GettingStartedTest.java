package io.shudu.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.examples.snippets.GettingStarted;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GettingStartedTest {
  @Test
  void theGuideRunsAsWritten() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int nearby = GettingStarted.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("lg-bldg-0001 is a ").contains("absent: ").contains("https://api.shudu.example");
    assertThat(nearby).isPositive();
  }
}
