package io.shudu.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.RetryPolicy;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.Orders;
import io.shudu.exchange.Policies;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the code of docs/api/core.md "Writes whose outcome you can always learn" against a sandbox losing answers. */
class RepeatSnippetsTest {
  static Sandbox sandbox;
  static final Policies.IntendedUse USE = Policies.IntendedUse.of("research", 30);

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void repeatingWithTheKeyCreatesOneOrderAndTheListenerSawTheOpenCall() {
    List<String> unsettled = new CopyOnWriteArrayList<>();
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.tenant("repeat-key").clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.none()).addListener(RepeatSnippets.unsettledCalls(unsettled)).build())) {
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders").times(3));
      Orders.Order order = RepeatSnippets.createOnce(exchange, "of-metro-flow", USE);
      assertThat(unsettled).hasSize(3).allSatisfy(u -> assertThat(u).startsWith("exchange.orders.create"));
      assertThat(exchange.orders().list(null).stream().toList()).extracting(Orders.Order::id)
          .containsExactly(order.id());
    }
  }

  @Test
  void aReferenceGivesOneOrderHoweverOftenItIsCreated() {
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.tenant("repeat-ref").clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.none()).build())) {
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders").times(1));
      try {
        RepeatSnippets.createByReference(exchange, "of-metro-flow", USE);
      } catch (RuntimeException lost) {
        // the answer was lost: the application restarts and runs the same code again
      }
      Orders.Order order = RepeatSnippets.createByReference(exchange, "of-metro-flow", USE);
      Orders.Order again = RepeatSnippets.createByReference(exchange, "of-metro-flow", USE);
      assertThat(again.id()).isEqualTo(order.id());
      assertThat(order.clientReference()).isEqualTo("po-2026-0042");
      assertThat(exchange.orders().list(null).stream().toList()).hasSize(1);
    }
  }
}
