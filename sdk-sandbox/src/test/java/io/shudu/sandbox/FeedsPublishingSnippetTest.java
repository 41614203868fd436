package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.internal.SandboxContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The sandbox section of docs/api/feeds.md: how a sandbox service declares and publishes feed events. */
class FeedsPublishingSnippetTest {
  /** A signal phase, as a sandbox service might publish it. */
  public record Phase(String signal, String phase) {}

  @Test
  void aServiceDeclaresAndPublishesAsThePageShows() throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      SandboxContext context = sandbox.context();
      Phase phase = new Phase("jiading-signal-7", "NS_GREEN");
      // snippet:start sandbox-publish
      context.feeds().declare("replay-test", 50_000);     // a sandbox-wide feed with its own replay window (tests)
      long id = context.feeds().publish("replay-test", "signal.phase", "jiading-signal-7", phase);   // any JSON-able payload
      // snippet:end sandbox-publish
      List<FeedEvent<Phase>> seen = new CopyOnWriteArrayList<>();
      try (FeedSubscription sub = FeedSubscription.open(sandbox.clientConfig(), "replay-test",
          List.of("jiading-signal-7"), Phase.class, FeedOptions.builder()
              .start(FeedOptions.StartPosition.earliest()).build(), seen::add)) {
        assertThat(sub.awaitConnected(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      }
      assertThat(seen).singleElement().satisfies(e -> {
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.type()).isEqualTo("signal.phase");
        assertThat(e.key()).isEqualTo("jiading-signal-7");
        assertThat(e.payload()).isEqualTo(phase);
      });
      JsonNode list = new ApiClient(sandbox.clientConfig(), "test")
          .call(ApiRequest.builder("feeds.list", "GET", "/feeds/v1").build(), JsonNode.class);
      assertThat(list.get("feeds").findValues("name").stream().map(JsonNode::asText)).contains("replay-test");
      for (JsonNode f : list.get("feeds")) {
        if (f.get("name").asText().equals("replay-test")) {
          assertThat(f.get("window").asInt()).isEqualTo(50_000);
        }
      }
    }
  }
}
