package io.shudu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import io.shudu.exchange.ExchangeClient;
import io.shudu.iot.IotClient;
import io.shudu.iot.Thing;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import io.shudu.twin.TwinClient;
import java.io.File;
import java.time.Duration;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShuduMetrics} on the real clients (TwinClient, IotClient, ExchangeClient) against the sandbox over loopback:
 * the {@code service} and {@code operation} tags they produce, and the retry-budget gauge of each service falling below
 * 1 after the sandbox answered 503 once and the client retried. Also proves which Micrometer ran the tests (the
 * micrometer117-tests module runs this class against Micrometer 1.17).
 */
class ClientsMetricsTest {
  private Sandbox sandbox;
  private SimpleMeterRegistry registry;
  private ClientConfig config;

  @BeforeEach
  void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    registry = new SimpleMeterRegistry();
    // a budget of 10 tokens, 2 per retry, none back per success: one retry leaves 0.8
    RetryPolicy retry = RetryPolicy.builder().baseDelay(Duration.ofMillis(10)).retryBudget(10, 2, 0).build();
    config = sandbox.clientConfig().toBuilder().retryPolicy(retry).addListener(new ShuduMetrics(registry)).build();
  }

  @AfterEach
  void stop() {
    sandbox.close();
  }

  @Test
  void theMicrometerOnTheClassPathIsTheOneThisRunIsFor() throws Exception {
    String expected = System.getProperty("shudu.test.micrometer.version");
    String actual;
    try (JarFile jar = new JarFile(new File(MeterRegistry.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()))) {
      actual = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
    assertThat(actual).as("micrometer-core's version").isNotNull();
    if (expected != null) {
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void eachClientTagsItsServiceAndOperationsAndRetriesDrawOnItsBudget() {
    try (TwinClient twin = TwinClient.create(config); IotClient iot = IotClient.create(config);
        ExchangeClient exchange = ExchangeClient.create(config)) {
      assertThat(twin.entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
      Thing thing = iot.things().list().iterator().next();
      assertThat(iot.things().get(thing.id()).id()).isEqualTo(thing.id());
      assertThat(exchange.catalog().merchant("m-pingce").id()).isEqualTo("m-pingce");
      for (String service : new String[] {"twin", "iot", "exchange"}) {
        assertThat(budget(service)).as("%s budget before any retry", service).isEqualTo(1.0);
      }

      assertThat(calls("twin", "twin.entities.get", "SUCCESS")).isEqualTo(1);
      assertThat(calls("iot", "iot.Things.list", "SUCCESS")).isEqualTo(1);
      assertThat(calls("iot", "iot.Things.get", "SUCCESS")).isEqualTo(1);
      assertThat(calls("exchange", "exchange.catalog.merchant", "SUCCESS")).isEqualTo(1);

      sandbox.injectFault(Fault.status(503, null).onPath("/twin/").times(1));
      twin.entities().get("lg-bldg-0001");
      sandbox.injectFault(Fault.status(503, null).onPath("/iot/").times(1));
      iot.things().get(thing.id());
      sandbox.injectFault(Fault.status(503, null).onPath("/exchange/").times(1));
      exchange.catalog().merchant("m-pingce");
    }
    assertThat(retries("twin", "twin.entities.get")).isEqualTo(1);
    assertThat(retries("iot", "iot.Things.get")).isEqualTo(1);
    assertThat(retries("exchange", "exchange.catalog.merchant")).isEqualTo(1);
    assertThat(calls("twin", "twin.entities.get", "SUCCESS")).isEqualTo(2);
    for (String service : new String[] {"twin", "iot", "exchange"}) {
      assertThat(budget(service)).as("%s budget after one retry", service).isEqualTo(0.8);
      assertThat(registry.get("shudu.client.attempts").tags("service", service, "status", "5xx").timer().count())
          .as("%s 503 attempts", service).isEqualTo(1);
      assertThat(registry.get("shudu.client.inflight").tag("service", service).gauge().value()).isZero();
    }
    // no call is tagged with another client's service
    assertThat(registry.find("shudu.client.calls").timers()).allSatisfy(t ->
        assertThat(t.getId().getTag("operation")).startsWith(t.getId().getTag("service") + "."));
  }

  private double budget(String service) {
    return registry.get("shudu.client.retry.budget").tag("service", service).gauge().value();
  }

  private long calls(String service, String operation, String outcome) {
    return registry.get("shudu.client.calls").tags("service", service, "operation", operation, "outcome", outcome)
        .timer().count();
  }

  private double retries(String service, String operation) {
    return registry.get("shudu.client.retries").tags("service", service, "operation", operation).counter().count();
  }
}
