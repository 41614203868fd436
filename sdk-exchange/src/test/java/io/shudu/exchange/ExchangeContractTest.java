package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientListener;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Sandbox;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one client contract (issue 11) held against the exchange client over loopback against the in-process sandbox:
 * async forms never throw, {@code withOptions} reaches every sub-API's calls, paging tokens resume, a stale
 * {@code ifMatch} is a 412, and actions and states round-trip as enums.
 */
class ExchangeContractTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;
  static final ConcurrentLinkedQueue<ClientListener.Attempt> attempts = new ConcurrentLinkedQueue<>();
  static final IntendedUse USE = IntendedUse.of("research", 30);

  static final List<Class<?>> SUB_APIS = List.of(ExchangeCatalog.class, ExchangePolicies.class, ExchangeOrders.class,
      ExchangeDeliveries.class, ExchangeAudit.class, ExchangeAssets.class, ExchangeWebhooks.class);

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("contract").clientConfig().toBuilder()
        .addListener(new ClientListener() {
          @Override
          public void attemptStarted(Attempt attempt) {
            attempts.add(attempt);
          }
        }).build());
    new SandboxControl(sandbox.tenant("contract").clientConfig()).settings(false, 0, 0);
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  static Object subApi(Class<?> type) {
    for (Method m : ExchangeClient.class.getMethods()) {
      if (m.getReturnType() == type && m.getParameterCount() == 0) {
        try {
          return m.invoke(exchange);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("ExchangeClient has no accessor for " + type.getSimpleName());
  }

  static Object junk(Class<?> p) {
    if (p == int.class) {
      return -1;
    }
    if (p == long.class) {
      return -1L;
    }
    if (p == boolean.class) {
      return false;
    }
    return null;
  }

  @Test
  void everySubApiHasWithOptionsAndAnAsyncFormOfEveryOperation() {
    for (Class<?> api : SUB_APIS) {
      assertThat(api).isInterface();
      Set<String> names = new HashSet<>();
      for (Method m : api.getMethods()) {
        names.add(m.getName() + m.getParameterCount());
      }
      assertThat(names).as(api.getSimpleName() + ".withOptions").contains("withOptions1");
      for (Method m : api.getMethods()) {
        if (Modifier.isStatic(m.getModifiers()) || m.getName().equals("withOptions")
            || m.getName().endsWith("Async") || PagedIterable.class.isAssignableFrom(m.getReturnType())) {
          continue;
        }
        assertThat(names).as(api.getSimpleName() + "." + m.getName() + " has an async form")
            .contains(m.getName() + "Async" + m.getParameterCount());
      }
      for (Method m : api.getMethods()) {
        if (m.getName().equals("keys")) {
          continue; // the exchange's signing-key set (one JWK set document), not a server-side collection to page
        }
        assertThat(m.getReturnType()).as(api.getSimpleName() + "." + m.getName() + " returns no plain List")
            .isNotEqualTo(List.class);
      }
    }
  }

  @Test
  void anAsyncMethodNeverThrowsEvenWithNullOrInvalidArguments() throws Exception {
    int checked = 0;
    for (Class<?> api : SUB_APIS) {
      Object target = subApi(api);
      for (Method m : api.getMethods()) {
        if (!m.getName().endsWith("Async") || m.getParameterCount() == 0 || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
          args[i] = junk(m.getParameterTypes()[i]);
        }
        Object result;
        try {
          result = m.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(api.getSimpleName() + "." + m.getName() + " threw " + e.getCause(), e.getCause());
        }
        assertThat(result).as(api.getSimpleName() + "." + m.getName()).isInstanceOf(CompletableFuture.class);
        CompletableFuture<?> f = (CompletableFuture<?>) result;
        assertThatThrownBy(f::join).as(api.getSimpleName() + "." + m.getName() + " fails through its future")
            .isInstanceOf(CompletionException.class).cause().isInstanceOf(RuntimeException.class);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(40);

    // the same exception type as the blocking form
    assertThatThrownBy(() -> exchange.orders().get(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> exchange.orders().getAsync(" ").join()).cause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orderId");
    assertThatThrownBy(() -> exchange.deliveries().transitionAsync("dlv_x", DeliveryAction.COMPLETE).join()).cause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complete(deliveryId, merkleRoot)");
    assertThatThrownBy(() -> exchange.orders().transitionAsync("ord_x", OrderAction.AGREE, null, " ").join()).cause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ifMatch");
    assertThatThrownBy(() -> exchange.orders().getAsync("ord_missing").join()).cause()
        .isInstanceOf(io.shudu.core.NotFoundException.class);
  }

  @Test
  void withOptionsReachesTheCallsOfEverySubApi() {
    String productId = exchange.policies().offer("of-metro-flow").productId();
    String orderId = exchange.orders().create("of-metro-flow", USE).id();
    Map<String, Function<RequestOptions, Object>> calls = Map.of(
        "exchange.catalog.product", o -> exchange.catalog().withOptions(o).product(productId),
        "exchange.policies.offer", o -> exchange.policies().withOptions(o).offer("of-metro-flow"),
        "exchange.orders.list", o -> exchange.orders().withOptions(o).list(null).firstPage(),
        "exchange.orders.await", o -> exchange.orders().withOptions(o).awaitState(orderId, OrderState.REQUESTED,
            Duration.ofSeconds(5)),
        "exchange.deliveries.keys", o -> exchange.deliveries().withOptions(o).receiptAsync("dlv_none")
            .exceptionally(e -> null).join(),
        "exchange.assets.collection", o -> exchange.assets().withOptions(o).collection(ExchangeAssets.SERIES),
        "exchange.webhooks.list", o -> exchange.webhooks().withOptions(o).list().firstPage(),
        "exchange.audit.export", o -> exchange.audit().withOptions(o).exportAsync("ord_none")
            .exceptionally(e -> null).join());
    int n = 0;
    for (Map.Entry<String, Function<RequestOptions, Object>> c : calls.entrySet()) {
      String traceId = String.format("%032x", 0xC0FFEE00L + n++);
      attempts.clear();
      c.getValue().apply(RequestOptions.builder().traceparent("00-" + traceId + "-00f067aa0ba902b7-01").build());
      assertThat(attempts).as(c.getKey() + " carried the per-call traceparent").isNotEmpty()
          .allSatisfy(a -> assertThat(a.traceparent()).contains(traceId));
    }
    // and an Idempotency-Key given per call: the same key twice is the same order
    RequestOptions key = RequestOptions.builder().idempotencyKey("contract-key-" + System.nanoTime()).build();
    Order a = exchange.orders().withOptions(key).create("of-metro-flow", USE);
    Order b = exchange.orders().withOptions(key).createAsync("of-metro-flow", USE).join();
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(exchange.orders().create("of-metro-flow", USE).id()).isNotEqualTo(a.id());
    // the view is separate: the API it came from keeps its own (default) options
    attempts.clear();
    exchange.assets().withOptions(RequestOptions.builder().traceparent("00-" + "ab".repeat(16)
        + "-00f067aa0ba902b7-01").build());
    exchange.assets().collection(ExchangeAssets.SERIES);
    assertThat(attempts).noneMatch(x -> x.traceparent().contains("ab".repeat(16)));
  }

  static <T> void resumes(PagedIterable<T> listing, Function<T, String> id, int atLeast) {
    List<String> all = listing.stream().map(id).toList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(atLeast).doesNotHaveDuplicates();
    Page<T> first = listing.withPageSize(2).firstPage();
    assertThat(first.items()).hasSize(2);
    assertThat(first.continuationToken()).as("a continuation token").isNotNull();
    List<String> rest = listing.withPageSize(2).resumeFrom(first.continuationToken()).stream().map(id).toList();
    List<String> joined = new ArrayList<>(first.items().stream().map(id).toList());
    joined.addAll(rest);
    assertThat(joined).as("first page + resumed pages = the whole listing").containsExactlyElementsOf(all);
    assertThat(listing.withPageSize(2).withMaxItems(3).stream().map(id).toList()).containsExactlyElementsOf(
        all.subList(0, 3));
    assertThat(listing.withPageSize(1).toListAsync().join().stream().map(id).toList()).containsExactlyElementsOf(all);
  }

  @Test
  void everyListPagesAndResumesFromItsToken() {
    ExchangeClient paging = ExchangeClient.create(sandbox.tenant("contract-paging").clientConfig());
    try (paging) {
      new SandboxControl(sandbox.tenant("contract-paging").clientConfig()).settings(false, 0, 0);
      List<String> orderIds = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        orderIds.add(paging.orders().create("of-metro-flow", USE, "page-" + i).id());
      }
      resumes(paging.orders().list(null), Order::id, 5);
      resumes(paging.orders().list(OrderState.REQUESTED), Order::id, 5);
      resumes(paging.catalog().search(CatalogQuery.all()), Product::id, 5);
      resumes(paging.catalog().merchants(), Merchant::id, 6);
      for (int i = 0; i < 3; i++) {
        paging.webhooks().register("https://partner.example/hooks/" + i, List.of("*"));
      }
      resumes(paging.webhooks().list(), Webhook::id, 3);
      for (int i = 0; i < 3; i++) {
        paging.assets().createCollection("paging-" + i, 3, i);
      }
      resumes(paging.assets().collections(), AssetCollection::id, 3);
      String small = paging.assets().collections().stream().filter(c -> c.supply() == 3).findFirst().orElseThrow()
          .id();
      resumes(paging.assets().assets(small), Asset::id, 3);
      for (int i = 0; i < 3; i++) {
        String c = paging.assets().collections().stream().filter(x -> x.name().zh().startsWith("paging-")
            || x.id().contains("paging")).map(AssetCollection::id).toList().get(i);
        paging.assets().claim(c, "pager");
      }
      resumes(paging.assets().accountAssets("pager"), Asset::id, 3);
      String product = paging.catalog().search(CatalogQuery.all()).stream().filter(p -> p.offerIds().size() >= 2)
          .findFirst().orElseThrow().id();
      assertThat(paging.policies().offers(product).withPageSize(1).stream().map(Offer::id).toList())
          .containsExactlyElementsOf(paging.catalog().product(product).offerIds());

      // deliveries of an order
      Order o = finalized(paging);
      for (int i = 0; i < 3; i++) {
        paging.deliveries().request(o.id());
      }
      resumes(paging.deliveries().list(o.id()), Delivery::id, 3);
      assertThat(paging.deliveries().list(o.id()).stream().map(Delivery::id).toList())
          .containsExactlyElementsOf(paging.orders().get(o.id()).deliveryIds());
    }
  }

  static Order finalized(ExchangeClient client) {
    Order o = client.orders().create("of-metro-flow", USE);
    for (OrderAction a : List.of(OrderAction.OFFER, OrderAction.AGREE, OrderAction.VERIFY, OrderAction.FINALIZE)) {
      o = client.orders().transition(o.id(), a, null);
    }
    return o;
  }

  @Test
  void aStaleIfMatchIsPreconditionFailed() {
    Order o = exchange.orders().create("of-metro-flow", USE);
    Versioned<Order> read = exchange.orders().getVersioned(o.id());
    assertThat(read.value().state()).isEqualTo(OrderState.REQUESTED);
    assertThat(exchange.orders().getVersionedAsync(o.id()).join().etag()).isEqualTo(read.etag());
    Order offered = exchange.orders().transition(o.id(), OrderAction.OFFER, null, read.etag()); // current: applies
    assertThat(offered.state()).isEqualTo(OrderState.OFFERED);
    assertThatThrownBy(() -> exchange.orders().transition(o.id(), OrderAction.AGREE, null, read.etag()))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("changed since you read it");
    assertThatThrownBy(() -> exchange.orders().transitionAsync(o.id(), OrderAction.TERMINATE, "x", read.etag())
        .join()).cause().isInstanceOf(PreconditionFailedException.class);
    assertThat(exchange.orders().get(o.id()).state()).as("nothing applied").isEqualTo(OrderState.OFFERED);
    Versioned<Order> fresh = exchange.orders().getVersioned(o.id());
    assertThat(fresh.etag()).isNotEqualTo(read.etag());
    assertThat(exchange.orders().transition(o.id(), OrderAction.AGREE, null, fresh.etag()).state())
        .isEqualTo(OrderState.AGREED);

    // deliveries
    Order fin = finalized(exchange);
    Delivery d = exchange.deliveries().request(fin.id());
    Versioned<Delivery> dv = exchange.deliveries().getVersioned(d.id());
    exchange.deliveries().transition(d.id(), DeliveryAction.START); // someone else moves it on
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), DeliveryAction.SUSPEND, dv.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> exchange.deliveries().completeAsync(d.id(), "00", dv.etag()).join()).cause()
        .isInstanceOf(PreconditionFailedException.class);
    Versioned<Delivery> started = exchange.deliveries().getVersionedAsync(d.id()).join();
    assertThat(started.value().state()).isEqualTo(DeliveryState.STARTED);
    assertThat(exchange.deliveries().transition(d.id(), DeliveryAction.SUSPEND, started.etag()).state())
        .isEqualTo(DeliveryState.SUSPENDED);

    // webhooks
    WebhookRegistration reg = exchange.webhooks().register("https://partner.example/hooks/etag", List.of("*"));
    Versioned<Webhook> w = exchange.webhooks().getVersioned(reg.id());
    assertThatThrownBy(() -> exchange.webhooks().delete(reg.id(), "\"" + reg.id() + ".0\""))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(exchange.webhooks().get(reg.id()).id()).as("still there").isEqualTo(reg.id());
    exchange.webhooks().deleteAsync(reg.id(), w.etag()).join();
    assertThat(exchange.webhooks().list().stream().map(Webhook::id)).doesNotContain(reg.id());

    // the sandbox's settings (a mutable resource of the tenant)
    SandboxControl control = new SandboxControl(sandbox.tenant("contract-settings").clientConfig());
    io.shudu.core.internal.ApiResponse r = control.api.execute(ApiRequest.builder("test.get", "GET",
        "/exchange/v1/sandbox/settings").build());
    String etag = r.etag();
    r.close();
    assertThat(etag).isNotNull();
    control.api.call(ApiRequest.builder("test.put", "PUT", "/exchange/v1/sandbox/settings").header("If-Match", etag)
        .json(Map.of("merchantDelayMs", 5)).build(), JsonNode.class);
    assertThatThrownBy(() -> control.api.call(ApiRequest.builder("test.put", "PUT", "/exchange/v1/sandbox/settings")
        .header("If-Match", etag).json(Map.of("merchantDelayMs", 6)).build(), JsonNode.class))
        .isInstanceOf(PreconditionFailedException.class);
  }

  @Test
  void actionsAndStatesRoundTripAsEnums() {
    ExchangeClient manual = ExchangeClient.create(sandbox.tenant("contract-enums").clientConfig());
    try (manual) {
      new SandboxControl(sandbox.tenant("contract-enums").clientConfig()).settings(false, 0, 0);
      Order o = manual.orders().create("of-metro-flow", USE);
      assertThat(o.state()).isEqualTo(OrderState.REQUESTED);
      assertThat(o.nextActions()).extracting(NextOrderAction::action)
          .containsExactly(OrderAction.OFFER, OrderAction.TERMINATE);
      assertThat(o.nextActions()).extracting(NextOrderAction::to)
          .containsExactly(OrderState.OFFERED, OrderState.TERMINATED);
      // every action the client can name is one the platform knows (an unknown one would be a 400)
      List<OrderState> path = new ArrayList<>();
      for (OrderAction a : List.of(OrderAction.OFFER, OrderAction.AGREE, OrderAction.VERIFY, OrderAction.FINALIZE)) {
        Order next = manual.orders().transition(o.id(), a, null);
        assertThat(o.nextActions()).filteredOn(n -> n.action() == a).extracting(NextOrderAction::to)
            .containsExactly(next.state());
        path.add(next.state());
        o = next;
      }
      assertThat(path).containsExactly(OrderState.OFFERED, OrderState.AGREED, OrderState.VERIFIED,
          OrderState.FINALIZED);
      assertThat(manual.orders().list(OrderState.FINALIZED).stream().map(Order::id)).containsExactly(o.id());
      assertThat(manual.orders().list(OrderState.REQUESTED).stream()).isEmpty();

      Order t = manual.orders().create("of-metro-flow", USE);
      manual.orders().transition(t.id(), OrderAction.TERMINATE, "changed plans");
      String tid = t.id();
      assertThatThrownBy(() -> manual.orders().awaitState(tid, OrderState.FINALIZED, Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(AwaitStateException.class, e -> {
            assertThat(e.currentState()).isEqualTo(OrderState.TERMINATED);
            assertThat(e.awaitedState()).isEqualTo(OrderState.FINALIZED);
            assertThat(e.currentState().isFinal()).isTrue();
          });

      Delivery d = manual.deliveries().request(o.id());
      assertThat(d.nextActions()).extracting(NextDeliveryAction::action)
          .containsExactly(DeliveryAction.START, DeliveryAction.TERMINATE);
      for (DeliveryAction a : List.of(DeliveryAction.START, DeliveryAction.SUSPEND, DeliveryAction.RESUME)) {
        d = manual.deliveries().transition(d.id(), a);
      }
      assertThat(d.state()).isEqualTo(DeliveryState.STARTED);
      Delivery done = manual.deliveries().complete(d.id(), manual.deliveries().manifest(d.id()).root());
      assertThat(done.state()).isEqualTo(DeliveryState.COMPLETED);
      String did = d.id();
      assertThatThrownBy(() -> manual.deliveries().awaitStateAsync(did, DeliveryState.SUSPENDED, Duration.ZERO)
          .join()).cause().isInstanceOfSatisfying(AwaitStateException.class, e -> {
            assertThat(e.currentState()).isEqualTo(DeliveryState.COMPLETED);
            assertThat(e.awaitedState()).isEqualTo(DeliveryState.SUSPENDED);
          });
      assertThat(DeliveryState.COMPLETED.hasReached(DeliveryState.STARTED)).isTrue();
      assertThat(DeliveryState.SUSPENDED.hasReached(DeliveryState.STARTED)).isFalse();
      assertThat(OrderState.TERMINATED.hasReached(OrderState.REQUESTED)).isFalse();
    }
  }

  @Test
  void aClosedClientRefusesEveryLaterCallAndOtherClientsOfTheConfigKeepWorking() {
    ExchangeClient closed = ExchangeClient.create(sandbox.tenant("contract-closed").clientConfig());
    assertThat(closed.catalog().search(CatalogQuery.all()).firstPage().items()).isNotEmpty();
    closed.close();
    closed.close(); // idempotent
    assertThatThrownBy(() -> closed.catalog().search(CatalogQuery.all()).firstPage())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed exchange client")
        .hasMessageContaining("create a new client");
    assertThatThrownBy(() -> closed.orders().withOptions(RequestOptions.defaults()).get("ord-none"))
        .isInstanceOf(IllegalStateException.class);
    java.util.concurrent.CompletableFuture<?> async = closed.orders().getAsync("ord-none");
    assertThatThrownBy(() -> async.get(30, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(exchange.catalog().search(CatalogQuery.all()).firstPage().items()).isNotEmpty();
  }
}
