package io.shudu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.FeedInfo;
import io.shudu.core.FeedSubscription;
import io.shudu.sandbox.Sandbox;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The code of docs/observability.md's Micrometer section, run against the sandbox. */
class MetricsSnippetsTest {

  @Test
  void registerTheMetersAndSeeACall() {
    try (Sandbox sandbox = Sandbox.start()) {
      URI endpoint = sandbox.baseUrl();
      String apiKey = sandbox.tenant("demo").apiKey();
      // snippet:start register
      MeterRegistry registry = new SimpleMeterRegistry();   // your application's registry
      ClientConfig config = ClientConfig.builder()
          .endpoint(endpoint)
          .credentials(Credentials.apiKey(apiKey))
          .addListener(new ShuduMetrics(registry))          // clients and feed subscriptions built with it are metered
          .build();
      // snippet:end register
      FeedInfo info = FeedSubscription.describe(config, "twin-changes");
      assertThat(info.name()).isEqualTo("twin-changes");
      // snippet:start read
      double calls = registry.get("shudu.client.calls")
          .tags("service", "feeds", "operation", "feeds.list", "outcome", "SUCCESS")
          .timer().count();
      // snippet:end read
      assertThat(calls).isEqualTo(1);
    }
  }
}
