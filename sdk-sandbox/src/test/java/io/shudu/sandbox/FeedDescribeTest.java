package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.FeedInfo;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.sandbox.internal.feed.Feeds;
import org.junit.jupiter.api.Test;

/** {@code FeedSubscription.describe} (GET /feeds/v1 bounds) and the sandbox's {@code feedWindow} setting. */
class FeedDescribeTest {

  @Test
  void describeGivesTheBoundsOfTheReplayWindow() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).feedWindow(5).start()) {
      Feeds feeds = sandbox.context().feeds();
      feeds.declare("ticks");
      assertThat(FeedSubscription.describe(sandbox.clientConfig(), "ticks"))
          .isEqualTo(new FeedInfo("ticks", 1, 0, 0, 5));
      for (int i = 0; i < 12; i++) {
        feeds.publish("ticks", "tick", "k" + (i % 3), i);
      }
      assertThat(FeedSubscription.describe(sandbox.clientConfig(), "ticks"))
          .isEqualTo(new FeedInfo("ticks", 8, 12, 5, 5));
    }
  }

  @Test
  void anUnknownOrAnotherTenantsFeedIsNotFoundWithTheFeedsThatExist() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      Feeds feeds = sandbox.context().feeds();
      feeds.declare("ticks");
      sandbox.tenant("other");
      feeds.declareOwned("other", "private-ticks");
      assertThatThrownBy(() -> FeedSubscription.describe(sandbox.clientConfig(), "tricks"))
          .isInstanceOf(NotFoundException.class).hasMessageContaining("'tricks'").hasMessageContaining("ticks");
      assertThatThrownBy(() -> FeedSubscription.describe(sandbox.clientConfig(), "private-ticks"))
          .isInstanceOf(NotFoundException.class).hasMessageNotContaining("private-ticks]");
      assertThat(FeedSubscription.describe(sandbox.tenant("other").clientConfig(), "private-ticks").lastId())
          .isZero();
      assertThatThrownBy(() -> FeedSubscription.describe(sandbox.clientConfig(), "bad name"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void feedWindowIsValidated() {
    assertThatThrownBy(() -> Sandbox.builder().feedWindow(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feedWindow");
  }
}
