package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.core.ConflictException;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every exchange write whose answer is lost after commit can be settled: order and delivery transitions, delivery
 * completion, delivery requests, claims and transfers repeated with {@link RequestOptions#repeatOf} or with the same client reference give the first result,
 * and a client reference used for a different request is refused with 409 client_reference_conflict.
 */
class ExchangeRepeatTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;
  static final IntendedUse USE = IntendedUse.of("research", 30);

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("repeats").clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.none()).build());
    new SandboxControl(sandbox.tenant("repeats").clientConfig()).settings(false, 0, 0);
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  static ShuduException lost(String pathPrefix, Runnable call) {
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath(pathPrefix).times(1));
    ShuduException e = catchThrowableOfType(ShuduException.class, call::run);
    assertThat(e).isNotNull();
    assertThat(e.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).isPresent();
    return e;
  }

  static Order finalized() {
    Order o = exchange.orders().create("of-metro-flow", USE);
    for (OrderAction action : new OrderAction[] {OrderAction.OFFER, OrderAction.AGREE, OrderAction.VERIFY,
        OrderAction.FINALIZE}) {
      o = exchange.orders().transition(o.id(), action, null);
    }
    assertThat(o.state()).isEqualTo(OrderState.FINALIZED);
    return o;
  }

  @Test
  void aTransitionWhoseAnswerWasLostIsSettledWithItsKey() {
    Order o = exchange.orders().create("of-metro-flow", USE);
    exchange.orders().transition(o.id(), OrderAction.OFFER, null);
    ShuduException e = lost("/exchange/v1/orders/" + o.id() + "/transitions", () -> exchange.orders().agree(o.id()));

    assertThat(exchange.orders().withOptions(RequestOptions.repeatOf(e)).agree(o.id()).state()).isEqualTo(OrderState.AGREED);
    assertThat(exchange.orders().withOptions(RequestOptions.repeatOf(e)).agreeAsync(o.id()).join().state())
        .isEqualTo(OrderState.AGREED); // as often as needed, blocking or not
    // a repeat without the key is a new request: the order has moved on, so it is refused
    assertThatThrownBy(() -> exchange.orders().agree(o.id())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("invalid_transition");
  }

  /** How many audit events of a type the order's chain holds (the platform's own record of what was applied). */
  static long audited(String orderId, String type) {
    return exchange.audit().export(orderId).events().stream().filter(e -> e.type().equals(type)).count();
  }

  @Test
  void aDeliveryTransitionWhoseAnswerWasLostIsAppliedOnceByItsRepeat() {
    Order o = finalized();
    Delivery d = exchange.deliveries().request(o.id());
    assertThat(d.state()).isEqualTo(DeliveryState.REQUESTED);
    ShuduException e = lost("/exchange/v1/deliveries/" + d.id() + "/transitions",
        () -> exchange.deliveries().transition(d.id(), DeliveryAction.START));

    ExchangeDeliveries again = exchange.deliveries().withOptions(RequestOptions.repeatOf(e));
    assertThat(again.transition(d.id(), DeliveryAction.START).state()).isEqualTo(DeliveryState.STARTED);
    assertThat(again.transitionAsync(d.id(), DeliveryAction.START).join().state()).isEqualTo(DeliveryState.STARTED);
    // a repeat without the key is a new request: the delivery has moved on, so it is refused
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), DeliveryAction.START))
        .isInstanceOf(ConflictException.class).hasMessageContaining("invalid_transition");
    assertThat(audited(o.id(), "delivery.started")).as("the start applied once").isEqualTo(1);
  }

  @Test
  void aCompletionWhoseAnswerWasLostIsAppliedOnceByItsRepeat() {
    Order o = finalized();
    Delivery d = exchange.deliveries().request(o.id());
    exchange.deliveries().transition(d.id(), DeliveryAction.START);
    String root = exchange.deliveries().download(d.id(), new ByteArrayOutputStream(), null).merkleRoot();
    ShuduException e = lost("/exchange/v1/deliveries/" + d.id() + "/transitions",
        () -> exchange.deliveries().complete(d.id(), root));

    ExchangeDeliveries again = exchange.deliveries().withOptions(RequestOptions.repeatOf(e));
    assertThat(again.complete(d.id(), root).state()).isEqualTo(DeliveryState.COMPLETED);
    assertThat(again.complete(d.id(), root).state()).isEqualTo(DeliveryState.COMPLETED);
    assertThatThrownBy(() -> exchange.deliveries().complete(d.id(), root))
        .isInstanceOf(ConflictException.class).hasMessageContaining("invalid_transition");
    assertThat(exchange.deliveries().get(d.id()).state()).isEqualTo(DeliveryState.COMPLETED);
    assertThat(audited(o.id(), "delivery.completed")).as("the completion applied once").isEqualTo(1);
  }

  @Test
  void aDeliveryRequestedUnderAReferenceExistsOnce() {
    Order o = finalized();
    lost("/exchange/v1/orders/" + o.id() + "/deliveries",
        () -> exchange.deliveries().request(o.id(), "dl-ref-1"));
    Delivery d = exchange.deliveries().request(o.id(), "dl-ref-1"); // new key
    assertThat(d.clientReference()).isEqualTo("dl-ref-1");
    assertThat(exchange.orders().get(o.id()).deliveryIds()).containsExactly(d.id());

    Order other = finalized();
    ConflictException c = catchThrowableOfType(ConflictException.class,
        () -> exchange.deliveries().request(other.id(), "dl-ref-1"));
    assertThat(c.code()).contains("client_reference_conflict");
    assertThat(c.extensions()).containsEntry("existingId", d.id());
    assertThat(exchange.orders().get(other.id()).deliveryIds()).isEmpty();
  }

  @Test
  void aTransferWhoseAnswerWasLostIsSettledByItsReferenceOrKey() {
    String work = exchange.assets().claim(ExchangeAssets.SERIES, "carol").asset().id();
    lost("/exchange/v1/board/transfers",
        () -> exchange.assets().transfer(work, "carol", "dave", "gift", "gift-ref-1"));
    Asset moved = exchange.assets().transfer(work, "carol", "dave", "gift", "gift-ref-1"); // new key, same reference: the first transfer's result, not not_owner
    assertThat(moved.owner()).isEqualTo("dave");
    assertThat(moved.provenance()).filteredOn(p -> p.type().equals("TRANSFERRED")).hasSize(1);

    // without a reference, a repeat must carry the key: a plain repeat is refused, the keyed one settles
    ShuduException e = lost("/exchange/v1/board/transfers",
        () -> exchange.assets().transfer(work, "dave", "erin", null));
    assertThatThrownBy(() -> exchange.assets().transfer(work, "dave", "erin", null))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(exchange.assets().withOptions(RequestOptions.repeatOf(e)).transfer(work, "dave", "erin", null, null).owner())
        .isEqualTo("erin");

    ConflictException c = catchThrowableOfType(ConflictException.class, () -> exchange.assets().transfer(work,
        "erin", "frank", "gift", "gift-ref-1"));
    assertThat(c.code()).contains("client_reference_conflict");
    assertThat(exchange.assets().accountAssets("erin")).extracting(Asset::id).containsExactly(work);
  }

  @Test
  void aClaimReferenceNamesOneAccountAndCollection() {
    Claim first = exchange.assets().claim(ExchangeAssets.SERIES, "grace", "claim-ref-1");
    Claim again = exchange.assets().claim(ExchangeAssets.SERIES, "grace", "claim-ref-1");
    assertThat(again.asset().id()).isEqualTo(first.asset().id());
    assertThat(again.newlyClaimed()).isFalse();
    ConflictException c = catchThrowableOfType(ConflictException.class,
        () -> exchange.assets().claim(ExchangeAssets.SERIES, "heidi", "claim-ref-1"));
    assertThat(c.code()).contains("client_reference_conflict");
    assertThat(exchange.assets().accountAssets("heidi")).isEmpty();
  }

  @Test
  void badReferencesAreRefusedBeforeSending() {
    assertThatThrownBy(() -> exchange.orders().create("of-metro-flow", USE, "has space"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientReference");
    assertThatThrownBy(() -> exchange.orders().create("of-metro-flow", USE, "x".repeat(129))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSameKeyWithADifferentRequestIsRefused() {
    RequestOptions key = RequestOptions.builder().idempotencyKey("repeat-key-" + System.nanoTime()).build();
    exchange.orders().withOptions(key).create("of-metro-flow", USE);
    assertThatThrownBy(() -> exchange.orders().withOptions(key).create("of-metro-flow", IntendedUse.of("research", 7)))
        .hasMessageContaining("idempotency_key_reused");
  }
}
