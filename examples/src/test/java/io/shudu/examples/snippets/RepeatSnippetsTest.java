package io.shudu.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
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
  static final IntendedUse USE = IntendedUse.of("research", 30);

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
      Order order = RepeatSnippets.createOnce(exchange, "of-metro-flow", USE);
      assertThat(unsettled).hasSize(3).allSatisfy(u -> assertThat(u).startsWith("exchange.orders.create"));
      assertThat(exchange.orders().list(null).stream().toList()).extracting(Order::id)
          .containsExactly(order.id());
    }
  }

  @Test
  void aReferenceGivesOneOrderHoweverOftenItIsCreated() {
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.tenant("repeat-ref").clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.none()).build())) {
      // the application's first run: the answer to its create is lost, and it stops before learning the outcome
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders").times(1));
      assertThatThrownBy(() -> exchange.orders().create("of-metro-flow", USE, "po-2026-0042")).isInstanceOf(ShuduException.class);
      assertThat(exchange.orders().findByReference("po-2026-0042")).isPresent();
      // the restarted application runs the documented code, twice for good measure
      Order order = RepeatSnippets.createByReference(exchange, "of-metro-flow", USE);
      Order again = RepeatSnippets.createByReference(exchange, "of-metro-flow", USE);
      assertThat(again.id()).isEqualTo(order.id());
      assertThat(order.clientReference()).isEqualTo("po-2026-0042");
      assertThat(exchange.orders().list(null).stream().toList()).hasSize(1);
    }
  }
}
