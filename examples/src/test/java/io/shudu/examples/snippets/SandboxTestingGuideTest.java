package io.shudu.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.exchange.CatalogQuery;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import io.shudu.exchange.Product;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxExtension;
import io.shudu.twin.EntityType;
import io.shudu.twin.TwinClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JUnit code of docs/testing-with-sandbox.md, run as written (each {@code @Nested} class is one of the guide's
 * test classes), plus tests that run {@link SandboxSnippets} and check what the guide says about faults.
 */
class SandboxTestingGuideTest {
  private static final String BUILDING = "lg-bldg-0001";

  @Test
  void theFromCodeSnippetReadsABuildingFromAnEmbeddedSandbox() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    SandboxSnippets.fromCode(new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(buf.toString(StandardCharsets.UTF_8)).startsWith(BUILDING + " served by http://127.0.0.1:");
  }

  @Test
  void aSecondTenantSignsItsRequestsAndSeesOnlyItsOwnData() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      ClientConfig signed = SandboxSnippets.signedTenantConfig(sandbox);
      assertThat(signed.credentials().toString()).startsWith("AccessKeyCredentials")
          .doesNotContain(sandbox.tenant("meituan").secretAccessKey());
      try (TwinClient partner = TwinClient.create(signed);
           TwinClient demo = TwinClient.create(sandbox.clientConfig())) {
        assertThat(partner.entities().get(BUILDING).id()).isEqualTo(BUILDING);
        partner.entities().create(io.shudu.twin.Entity.builder("meituan-only-1", EntityType.SENSOR)
            .property("phenomenon", "pressure").build());
        assertThat(partner.entities().get("meituan-only-1").id()).isEqualTo("meituan-only-1");
        assertThrows(io.shudu.core.NotFoundException.class, () -> demo.entities().get("meituan-only-1"));
      }
    }
  }

  @Nested
  // snippet:start extend-with
  @ExtendWith(SandboxExtension.class)
  class DispatchTest {
    @Test
    void findsTheBuilding(Sandbox sandbox, ClientConfig demoConfig) {
      // demoConfig: the tenant "demo"'s API-key configuration, like sandbox.clientConfig()
      try (TwinClient twin = TwinClient.create(demoConfig)) {
        assertEquals(EntityType.BUILDING, twin.entities().get("lg-bldg-0001").type());
      }
    }
  }
  // snippet:end extend-with

  @Nested
  // snippet:start register-extension
  class OutageTest {
    @RegisterExtension
    static SandboxExtension sandbox = SandboxExtension.builder().seed(7).simulationRate(0).build();

    @Test
    void survivesAnOutage() {
      sandbox.sandbox().injectFault(Fault.status(503, Duration.ofSeconds(1)).times(2));
      ClientConfig config = sandbox.clientConfig();
      try (TwinClient twin = TwinClient.create(config)) {     // default policy: 3 attempts
        assertEquals("lg-bldg-0001", twin.entities().get("lg-bldg-0001").id());
      }
    }
  }
  // snippet:end register-extension

  /** Counts attempts and retries. */
  static final class Attempts implements ClientListener {
    final AtomicInteger ended = new AtomicInteger();
    final List<String> retries = new CopyOnWriteArrayList<>();

    @Override
    public void attemptEnded(Attempt attempt) {
      ended.incrementAndGet();
    }

    @Override
    public void retryScheduled(Attempt failed, Duration delay, String reason) {
      retries.add(reason);
    }
  }

  @Nested
  @ExtendWith(SandboxExtension.class)
  class FaultsTest {
    @Test
    void faultsAreInjectedAndCleared(Sandbox sandbox, ClientConfig config) {
      // snippet:start faults
      sandbox.injectFault(Fault.latency(Duration.ofSeconds(2)));                        // slow answer
      sandbox.injectFault(Fault.status(429, Duration.ofSeconds(1)).onPath("/twin/"));   // throttled, Retry-After: 1
      sandbox.injectFault(Fault.status(503, null).times(3));                            // three 503s in a row
      sandbox.injectFault(Fault.connectionReset());                                     // closed without an answer
      sandbox.injectFault(Fault.truncatedBody());                                       // half a body, then closed
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders")); // done, but no answer
      sandbox.clearFaults();
      // snippet:end faults
      Attempts attempts = new Attempts();
      try (TwinClient twin = TwinClient.create(config.toBuilder().retryPolicy(RetryPolicy.none())
          .addListener(attempts).build())) {
        assertEquals(BUILDING, twin.entities().get(BUILDING).id());
      }
      assertThat(attempts.ended).hasValue(1);
    }

    @Test
    void aGetSurvivesEveryFaultWithTheDefaultRetryPolicy(Sandbox sandbox, ClientConfig config) {
      List<Fault> faults = List.of(Fault.latency(Duration.ofMillis(200)),
          Fault.status(429, Duration.ofSeconds(1)).onPath("/twin/"), Fault.status(503, null).times(2),
          Fault.connectionReset(), Fault.truncatedBody(), Fault.dropResponseAfterCommit());
      for (Fault fault : faults) {
        Attempts attempts = new Attempts();
        sandbox.injectFault(fault);
        try (TwinClient twin = TwinClient.create(config.toBuilder().addListener(attempts).build())) {
          assertThat(twin.entities().get(BUILDING).id()).as("%s", fault).isEqualTo(BUILDING);
        }
        assertThat(attempts.retries).as("%s", fault).hasSize(fault.kind() == Fault.Kind.LATENCY ? 0 : fault.times());
      }
    }

    @Test
    void aPostSurvivesADroppedAnswerAndRunsOnce(Sandbox sandbox, ClientConfig config) {
      try (ExchangeClient exchange = ExchangeClient.create(config)) {
        Product product = exchange.catalog().search(CatalogQuery.text("空气质量")).stream().findFirst()
            .orElseThrow();
        long before = exchange.orders().list(null).stream().count();
        sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders"));
        Order order = exchange.orders().create(product.offerIds().get(0), IntendedUse.of("research", 180));
        assertThat(order.id()).isNotBlank();
        assertThat(exchange.orders().list(null).stream().count()).isEqualTo(before + 1);
      }
    }

    // snippet:start reports-outage
    @Test
    void reportsAnOutage(Sandbox sandbox, ClientConfig config) {
      sandbox.injectFault(Fault.status(503, Duration.ofSeconds(30)));
      ClientConfig noRetries = config.toBuilder().retryPolicy(RetryPolicy.none()).build();
      try (TwinClient twin = TwinClient.create(noRetries)) {
        ServiceException e = assertThrows(ServiceException.class, () -> twin.entities().get("lg-bldg-0001"));
        assertEquals(503, e.status());
      }
    }
    // snippet:end reports-outage
  }
}
