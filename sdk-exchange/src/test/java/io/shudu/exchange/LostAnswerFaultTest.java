package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.ConflictException;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import io.shudu.core.internal.ApiClient;
import io.shudu.sandbox.Sandbox;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The promise of docs/api/core.md, "Writes whose outcome you can always learn", under fire: a TCP fault proxy between
 * the SDK and the sandbox drops a quarter of the answers to POSTs after the platform committed them, the client's
 * retry budget is small enough to run dry, and the application repeats every failed call the documented way
 * ({@link RequestOptions#repeatOf}). Every call's outcome is learnt (no exception without its key), and every intended
 * order, claim and transfer exists exactly once.
 */
class LostAnswerFaultTest {
  static final int N = 1000;
  static final double DROP_RATE = 0.25;
  /** The least share of POST answers a test must have lost for its result to mean anything. */
  static final double MIN_DROPPED_SHARE = 0.20;
  static Sandbox sandbox;
  static LostAnswerProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.builder().simulationRate(0).start();
    URI direct = URI.create(sandbox.tenant("probe").clientConfig().endpoint().toString());
    // -Dshudu.faultSeed=<seed> replays a run's drop decisions (their order still follows the answers' arrival)
    long seed = Long.getLong("shudu.faultSeed", new java.security.SecureRandom().nextLong());
    System.out.println("LostAnswerFaultTest: drop seed " + seed + " (rerun with -Dshudu.faultSeed=" + seed + ")");
    proxy = new LostAnswerProxy(direct.getHost(), direct.getPort(), DROP_RATE, seed);
  }

  /** The proxy's counts when a test starts, to measure the faults that test met. */
  record Faults(int posts, int dropped) {
    static Faults now() {
      return new Faults(proxy.posts.get(), proxy.dropped.get());
    }

    /** Asserts that at least {@link #MIN_DROPPED_SHARE} of the POST answers since {@code this} were lost. */
    void assertEnoughLost() {
      int p = proxy.posts.get() - posts;
      int d = proxy.dropped.get() - dropped;
      System.out.println("LostAnswerFaultTest: " + d + " of " + p + " POST answers lost");
      assertThat(p).as("POSTs through the proxy").isGreaterThanOrEqualTo(N);
      assertThat((double) d / p).as(d + " of " + p + " POST answers lost after commit")
          .isGreaterThanOrEqualTo(MIN_DROPPED_SHARE);
    }
  }

  @AfterAll
  static void stop() {
    proxy.close();
    sandbox.close();
  }

  /** What the application saw across all its calls and repeats. */
  static final class Ledger implements ClientListener {
    final AtomicInteger reservedRetries = new AtomicInteger();
    final AtomicInteger repeats = new AtomicInteger();
    final List<Throwable> unknowable = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<ShuduException> answeredFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void retryScheduled(Attempt failed, Duration delay, String reason) {
      if (reason.contains("reserved retry")) {
        reservedRetries.incrementAndGet();
      }
    }
  }

  /** A client through the proxy, with a retry budget that runs dry under this fault level. */
  static ExchangeClient throughProxy(String tenant, Ledger ledger) {
    return ExchangeClient.create(sandbox.tenant(tenant).clientConfig().toBuilder().endpoint(proxy.endpoint())
        .retryPolicy(RetryPolicy.builder().maxAttempts(2).baseDelay(Duration.ofMillis(5))
            .maxDelay(Duration.ofMillis(50)).retryBudget(100, 10, 1).build())
        .addListener(ledger).build());
  }

  static ExchangeClient direct(String tenant) {
    return ExchangeClient.create(sandbox.tenant(tenant).clientConfig());
  }

  /**
   * The application: starts every call at once, then repeats each failed one with {@link RequestOptions#repeatOf}
   * until it succeeds (bounded rounds), recording any failure whose outcome it could not learn.
   */
  static <T> List<T> settleAll(int n, Function<Integer, CompletableFuture<T>> first,
      java.util.function.BiFunction<Integer, RequestOptions, CompletableFuture<T>> repeat, Ledger ledger) {
    Map<Integer, T> results = new ConcurrentHashMap<>();
    Map<Integer, CompletableFuture<T>> pending = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      pending.put(i, first.apply(i));
    }
    for (int round = 0; round < 30 && !pending.isEmpty(); round++) {
      CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
      Map<Integer, CompletableFuture<T>> next = new java.util.HashMap<>();
      pending.forEach((i, f) -> {
        try {
          results.put(i, f.join());
        } catch (RuntimeException wrapped) {
          Throwable t = ApiClient.unwrap(wrapped);
          if (!(t instanceof ShuduException e) || e.idempotencyKey().isEmpty()) {
            ledger.unknowable.add(t);
            return;
          }
          if (e.outcome() == ShuduException.Outcome.ANSWERED) {
            ledger.answeredFailures.add(e); // a definitive answer: nothing to repeat
            return;
          }
          ledger.repeats.incrementAndGet();
          next.put(i, repeat.apply(i, RequestOptions.repeatOf(e)));
        }
      });
      pending = next;
    }
    assertThat(pending).as("calls still failing after 30 rounds of repeats").isEmpty();
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(results.get(i));
    }
    return out;
  }

  /** Who holds which works of the series, from one listing (owners are shown for the tenant's own accounts). */
  static Map<String, List<String>> owners(ExchangeClient check) {
    Map<String, List<String>> owned = new java.util.HashMap<>();
    for (Asset a : check.assets().assets(ExchangeAssets.SERIES)) {
      if (a.owner() != null) {
        owned.computeIfAbsent(a.owner(), k -> new ArrayList<>()).add(a.id());
      }
    }
    return owned;
  }

  static void assertEveryOutcomeLearnt(Ledger ledger, List<?> results) {
    assertThat(ledger.unknowable).as("failures whose outcome could not be learnt").isEmpty();
    assertThat(ledger.answeredFailures).as("calls refused by the platform").isEmpty();
    assertThat(results).doesNotContainNull();
    assertThat(ledger.repeats.get()).as("the application had to repeat calls").isPositive();
    assertThat(ledger.reservedRetries.get()).as("the retry budget ran dry and keyed writes kept their replays")
        .isPositive();
  }

  @Test
  void thousandConcurrentKeyedOrderCreatesGiveEveryOrderExactlyOnce() {
    new SandboxControl(sandbox.tenant("lost-orders").clientConfig()).settings(false, 0, 0);
    Ledger ledger = new Ledger();
    IntendedUse use = IntendedUse.of("research", 30);
    Faults faults = Faults.now();
    try (ExchangeClient app = throughProxy("lost-orders", ledger); ExchangeClient check = direct("lost-orders")) {
      List<Order> orders = settleAll(N,
          i -> app.orders().createAsync("of-metro-flow", use),
          (i, again) -> app.orders().withOptions(again).createAsync("of-metro-flow", use), ledger);

      assertEveryOutcomeLearnt(ledger, orders);
      faults.assertEnoughLost();
      Set<String> ids = new HashSet<>();
      orders.forEach(o -> ids.add(o.id()));
      assertThat(ids).as("one distinct order per intended create").hasSize(N);
      List<Order> stored = check.orders().list(null).stream().toList();
      assertThat(stored).as("orders the platform holds: no duplicate, none missing").hasSize(N);
      assertThat(stored).extracting(Order::id).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void thousandConcurrentClaimsGiveEveryAccountExactlyOneWork() {
    Ledger ledger = new Ledger();
    Faults faults = Faults.now();
    try (ExchangeClient app = throughProxy("lost-claims", ledger); ExchangeClient check = direct("lost-claims")) {
      int issuedBefore = check.assets().collection(ExchangeAssets.SERIES).issued();
      List<Claim> claims = settleAll(N,
          i -> app.assets().claimAsync(ExchangeAssets.SERIES, "citizen-" + i),
          (i, again) -> app.assets().withOptions(again).claimAsync(ExchangeAssets.SERIES, "citizen-" + i), ledger);

      assertEveryOutcomeLearnt(ledger, claims);
      faults.assertEnoughLost();
      // A claim is naturally idempotent (a second claim returns the account's work with newlyClaimed false), which
      // would hide a broken key replay. A replayed key returns the answer the platform recorded for it: the first
      // claim's, newlyClaimed true. So every settled call, repeated or not, must say newlyClaimed.
      assertThat(claims).as("answers that are not the recorded answer of the claim's key")
          .filteredOn(c -> !c.newlyClaimed()).isEmpty();
      Set<String> works = new HashSet<>();
      Map<String, List<String>> owned = owners(check);
      for (int i = 0; i < N; i++) {
        assertThat(claims.get(i).asset().owner()).isEqualTo("citizen-" + i);
        works.add(claims.get(i).asset().id());
        assertThat(owned.get("citizen-" + i)).as("works of citizen-" + i).containsExactly(claims.get(i).asset().id());
      }
      assertThat(works).hasSize(N);
      assertThat(owned.keySet()).filteredOn(o -> o.startsWith("citizen-")).hasSize(N);
      assertThat(check.assets().collection(ExchangeAssets.SERIES).issued() - issuedBefore).isEqualTo(N);
    }
  }

  @Test
  void thousandConcurrentTransfersMoveEveryWorkExactlyOnce() {
    Ledger ledger = new Ledger();
    try (ExchangeClient app = throughProxy("lost-gifts", ledger); ExchangeClient check = direct("lost-gifts")) {
      List<CompletableFuture<Claim>> claimed = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        claimed.add(check.assets().claimAsync(ExchangeAssets.SERIES, "giver-" + i));
      }
      List<String> assetIds = claimed.stream().map(f -> f.join().asset().id()).toList();

      Faults faults = Faults.now(); // the claims above went direct
      List<Asset> moved = settleAll(N,
          i -> app.assets().transferAsync(assetIds.get(i), "giver-" + i, "friend-" + i, "gift", null),
          (i, again) -> app.assets().withOptions(again).transferAsync(assetIds.get(i), "giver-" + i, "friend-" + i, "gift", null), ledger);

      assertEveryOutcomeLearnt(ledger, moved);
      faults.assertEnoughLost();
      Map<String, List<String>> owned = owners(check);
      assertThat(owned.keySet()).as("givers still holding works").noneMatch(o -> o.startsWith("giver-"));
      for (int i = 0; i < N; i++) {
        assertThat(moved.get(i).owner()).isEqualTo("friend-" + i);
        assertThat(owned.get("friend-" + i)).as("works of friend-" + i).containsExactly(assetIds.get(i));
        if (i % 10 == 0) { // and the history of a sample: one transfer each
          assertThat(check.assets().asset(assetIds.get(i)).provenance())
              .filteredOn(e -> e.type().equals("TRANSFERRED")).hasSize(1);
        }
      }
    }
  }

  @Test
  void aClientReferenceSettlesCreatesEvenWhenTheKeyIsLost() {
    // An application that restarts loses the SDK's keys; its own order numbers survive. Every repeat here uses a
    // NEW key and the same reference: the reference alone keeps the orders unique.
    new SandboxControl(sandbox.tenant("lost-refs").clientConfig()).settings(false, 0, 0);
    Ledger ledger = new Ledger();
    IntendedUse use = IntendedUse.of("research", 30);
    int n = 300;
    try (ExchangeClient app = throughProxy("lost-refs", ledger); ExchangeClient check = direct("lost-refs")) {
      List<Order> orders = settleAll(n,
          i -> app.orders().createAsync("of-metro-flow", use, "po-" + i),
          (i, again) -> app.orders().createAsync("of-metro-flow", use, "po-" + i),
          ledger);
      assertThat(ledger.unknowable).isEmpty();
      assertThat(ledger.answeredFailures).isEmpty();
      assertThat(ledger.repeats.get()).isPositive();
      for (int i = 0; i < n; i++) {
        assertThat(orders.get(i).clientReference()).isEqualTo("po-" + i);
        assertThat(check.orders().findByReference("po-" + i)).map(Order::id).contains(orders.get(i).id());
      }
      assertThat(check.orders().list(null).stream().toList()).hasSize(n);

      // the same reference with a different request is refused, naming the first order
      ConflictException conflict = org.assertj.core.api.Assertions.catchThrowableOfType(ConflictException.class,
          () -> check.orders().create("of-metro-flow", IntendedUse.of("research", 7), "po-0"));
      assertThat(conflict.code()).contains("client_reference_conflict");
      assertThat(conflict.extensions()).containsEntry("existingId", orders.get(0).id());
      assertThat(check.orders().list(OrderState.REQUESTED, "po-0").stream().toList()).hasSize(1);
    }
  }

  @Test
  void theFaultProxyReallyCommitsBeforeItDrops() {
    // guard against a proxy that drops requests instead of answers: a create whose answer is lost exists
    ClientConfig.Builder cfg = sandbox.tenant("lost-guard").clientConfig().toBuilder().endpoint(proxy.endpoint())
        .retryPolicy(RetryPolicy.none());
    new SandboxControl(sandbox.tenant("lost-guard").clientConfig()).settings(false, 0, 0);
    try (ExchangeClient once = ExchangeClient.create(cfg.build()); ExchangeClient check = direct("lost-guard")) {
      int failures = 0;
      for (int i = 0; i < 80; i++) {
        try {
          once.orders().create("of-metro-flow", IntendedUse.of("research", 30), "guard-" + i);
        } catch (ShuduException e) {
          failures++;
          assertThat(e.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
          assertThat(check.orders().findByReference("guard-" + i)).as("committed before the answer was lost")
              .isPresent();
        }
      }
      assertThat(failures).isPositive();
    }
  }
}
