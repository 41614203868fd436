package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent claims and 1,000 concurrent orders while the sandbox drops responses after committing: retries
 * with the same Idempotency-Key and the exchange's own per-account guarantee give exactly one work per account and
 * one order per key.
 */
class ConcurrencyFaultTest {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static ClientConfig config(String tenant, AtomicInteger retries) {
    return sandbox.tenant(tenant).clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.builder().maxAttempts(10).baseDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(200)).retryBudget(1_000_000, 1, 1).build())
        .addListener(new ClientListener() {
          @Override
          public void retryScheduled(Attempt failed, Duration delay, String reason) {
            retries.incrementAndGet();
          }
        })
        .build();
  }

  @Test
  void thousandConcurrentClaimsWithDroppedResponsesGiveOneWorkPerAccount() {
    AtomicInteger retries = new AtomicInteger();
    try (ExchangeClient exchange = ExchangeClient.create(config("claims", retries))) {
      int issuedBefore = exchange.assets().collection(ExchangeAssets.SERIES).issued();
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/board/collections/").times(300));
      List<String> accounts = new ArrayList<>();
      List<CompletableFuture<Claim>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String account = "citizen-" + (i % 500); // every account claims twice, concurrently, with different keys
        accounts.add(account);
        futures.add(exchange.assets().claimAsync(ExchangeAssets.SERIES, account));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      sandbox.clearFaults();

      Map<String, Set<String>> worksByAccount = new HashMap<>();
      int fresh = 0;
      for (int i = 0; i < futures.size(); i++) {
        Claim c = futures.get(i).join();
        worksByAccount.computeIfAbsent(accounts.get(i), k -> new HashSet<>()).add(c.asset().id());
        assertThat(c.asset().owner()).isEqualTo(accounts.get(i));
        fresh += c.newlyClaimed() ? 1 : 0;
      }
      assertThat(retries.get()).isGreaterThanOrEqualTo(300);
      assertThat(worksByAccount).hasSize(500).allSatisfy((a, works) -> assertThat(works).hasSize(1));
      Set<String> all = new HashSet<>();
      worksByAccount.values().forEach(all::addAll);
      assertThat(all).hasSize(500);
      assertThat(fresh).isEqualTo(500);
      assertThat(exchange.assets().collection(ExchangeAssets.SERIES).issued()).isEqualTo(issuedBefore + 500);
      for (int i = 0; i < 500; i += 97) {
        assertThat(exchange.assets().accountAssets("citizen-" + i)).hasSize(1);
      }
    }
  }

  @Test
  void thousandConcurrentOrdersWithDroppedResponsesGiveOneOrderPerKey() {
    AtomicInteger retries = new AtomicInteger();
    try (ExchangeClient exchange = ExchangeClient.create(config("orders", retries))) {
      new SandboxControl(sandbox.tenant("orders").clientConfig()).settings(false, 0, 0);
      sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders").times(300));
      IntendedUse use = IntendedUse.of("research", 30);
      List<String> keys = new ArrayList<>();
      List<CompletableFuture<Order>> futures = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String key = "order-key-" + (i < 900 ? i : i - 900); // the last 100 reuse keys of the first 100
        keys.add(key);
        futures.add(exchange.orders().withOptions(RequestOptions.builder().idempotencyKey(key).build()).createAsync("of-metro-flow", use));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      sandbox.clearFaults();

      Map<String, Set<String>> ordersByKey = new HashMap<>();
      for (int i = 0; i < futures.size(); i++) {
        ordersByKey.computeIfAbsent(keys.get(i), k -> new HashSet<>()).add(futures.get(i).join().id());
      }
      assertThat(retries.get()).isGreaterThanOrEqualTo(300);
      assertThat(ordersByKey).hasSize(900).allSatisfy((k, ids) -> assertThat(ids).hasSize(1));
      List<Order> stored = exchange.orders().list(null).stream().toList();
      assertThat(stored).hasSize(900);
      Set<String> ids = new HashSet<>();
      ordersByKey.values().forEach(ids::addAll);
      assertThat(stored).extracting(Order::id).containsExactlyInAnyOrderElementsOf(ids);
    }
  }
}
