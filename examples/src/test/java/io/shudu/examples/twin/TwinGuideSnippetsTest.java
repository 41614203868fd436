package io.shudu.examples.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TwinGuideSnippetsTest {
  @Test
  void theGuideCodeRuns() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (Sandbox sandbox = Sandbox.start()) {
      TwinGuideSnippets.run(sandbox.clientConfig(), new PrintStream(buf, true, StandardCharsets.UTF_8));
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("crud: lg-bldg-0002 is now version 3", "batch: 51 operations applied",
        "close w-node-00033", "changes: [entity.updated v2]", "coordinates: GCJ-02 offset",
        "contract: async failed with IllegalArgumentException", "contract: 3 pages, resumable true");
    assertThat(out).containsPattern("graph: \\d+ buildings in Nanhui; lg-bldg-0002 height had 2 values");
  }
}
