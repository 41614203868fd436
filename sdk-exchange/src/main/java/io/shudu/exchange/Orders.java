package io.shudu.exchange;

import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.internal.LongPoll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Orders (contracts) for data products. An order moves through a typed state machine:
 * {@code REQUESTED → OFFERED (merchant) → AGREED (buyer) → VERIFIED (exchange) → FINALIZED (exchange)}, or
 * {@code TERMINATED} from any non-final state. Creating an order is idempotent (the SDK sends an Idempotency-Key and
 * reuses it on retries; pass {@link RequestOptions#idempotencyKey()} to make it idempotent across restarts). An
 * invalid transition is a {@link io.shudu.core.ConflictException} with code {@code invalid_transition} whose message
 * lists the allowed transitions. {@link #awaitState} waits and, when stuck, says which side has not acted.
 *
 * <pre>{@code
 * Orders.Order order = exchange.orders().create("of-metro-flow", Policies.IntendedUse.of("research", 90));
 * exchange.orders().awaitState(order.id(), Orders.State.OFFERED, Duration.ofSeconds(30));
 * exchange.orders().agree(order.id());
 * exchange.orders().awaitState(order.id(), Orders.State.FINALIZED, Duration.ofSeconds(30));
 * }</pre>
 */
public final class Orders {
  /** Order states. */
  public enum State {
    /** The buyer asked; the merchant has to offer. */
    REQUESTED,
    /** The merchant offered; the buyer has to agree. */
    OFFERED,
    /** Both agreed; the exchange verifies compliance. */
    AGREED,
    /** The exchange verified; it finalises. */
    VERIFIED,
    /** Final: the contract is in force and deliveries can be requested. */
    FINALIZED,
    /** Final: ended without a contract. */
    TERMINATED;

    /**
     * Whether no transition leaves this state.
     *
     * @return true for FINALIZED and TERMINATED
     */
    public boolean isFinal() {
      return this == FINALIZED || this == TERMINATED;
    }
  }

  /**
   * A transition possible from the current state.
   *
   * @param action action name (offer, agree, verify, finalize, terminate, start, suspend, resume, complete)
   * @param actor who may take it
   * @param to the state it leads to
   */
  public record NextAction(String action, String actor, String to) {
    @Override
    public String toString() {
      return action + " (" + actor + ") -> " + to;
    }
  }

  /**
   * An order.
   *
   * @param id order id
   * @param offerId offer
   * @param productId product
   * @param productVersion the product version the contract covers
   * @param merchantId merchant
   * @param state current state
   * @param waitingOn the side that has to act next, or null in a final state
   * @param nextActions transitions possible now
   * @param intendedUse the declared use
   * @param deliveryIds deliveries requested under this order
   * @param terminationReason why it was terminated, or null
   * @param createdAt creation time
   * @param updatedAt last change
   */
  public record Order(String id, String offerId, String productId, String productVersion, String merchantId,
      State state, Party waitingOn, List<NextAction> nextActions, Policies.IntendedUse intendedUse,
      List<String> deliveryIds, String terminationReason, Instant createdAt, Instant updatedAt) {
    /** Copies lists. */
    public Order {
      nextActions = nextActions == null ? List.of() : List.copyOf(nextActions);
      deliveryIds = deliveryIds == null ? List.of() : List.copyOf(deliveryIds);
    }
  }

  private record OrderPage(List<Order> items, String nextCursor) {}

  private final ApiClient api;
  private final LongPoll<Order> poll;

  Orders(ApiClient api) {
    this.api = api;
    this.poll = new LongPoll<>(api, "order", "/exchange/v1/orders/{}/await", Order.class, new LongPoll.View<>() {
      @Override
      public String state(Order o) {
        return o.state().name();
      }

      @Override
      public Party waitingOn(Order o) {
        return o.waitingOn();
      }

      @Override
      public List<String> nextActions(Order o) {
        List<String> out = new ArrayList<>();
        o.nextActions().forEach(a -> out.add(a.toString()));
        return out;
      }

      @Override
      public String finalDetail(Order o) {
        return o.terminationReason();
      }
    }, List.of("FINALIZED", "TERMINATED"), List.of("REQUESTED", "OFFERED", "AGREED", "VERIFIED", "FINALIZED"));
  }

  private static ApiRequest createRequest(String offerId, Policies.IntendedUse use, RequestOptions options) {
    Catalog.requireId(offerId, "offerId");
    if (use == null) {
      throw new NullPointerException("use must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("offerId", offerId);
    body.put("intendedUse", use);
    return ApiRequest.builder("exchange.orders.create", "POST", "/exchange/v1/orders").json(body).options(options)
        .build();
  }

  /**
   * Orders a product under an offer. The use is checked against the offer's policy: a use it does not allow is a
   * {@link io.shudu.core.BadRequestException} (422, code policy_violation) listing every reason.
   *
   * @param offerId offer id
   * @param use intended use
   * @return the order, REQUESTED
   */
  public Order create(String offerId, Policies.IntendedUse use) {
    return create(offerId, use, RequestOptions.defaults());
  }

  /**
   * Orders a product with request options (for example your own Idempotency-Key).
   *
   * @param offerId offer id
   * @param use intended use
   * @param options options
   * @return the order
   */
  public Order create(String offerId, Policies.IntendedUse use, RequestOptions options) {
    return api.call(createRequest(offerId, use, options), Order.class);
  }

  /**
   * Asynchronous {@link #create(String, Policies.IntendedUse, RequestOptions)}.
   *
   * @param offerId offer id
   * @param use intended use
   * @param options options
   * @return the order
   */
  public CompletableFuture<Order> createAsync(String offerId, Policies.IntendedUse use, RequestOptions options) {
    return api.callAsync(createRequest(offerId, use, options), Order.class);
  }

  /**
   * Asynchronous {@link #create(String, Policies.IntendedUse)}.
   *
   * @param offerId offer id
   * @param use intended use
   * @return the order
   */
  public CompletableFuture<Order> createAsync(String offerId, Policies.IntendedUse use) {
    return createAsync(offerId, use, RequestOptions.defaults());
  }

  private static ApiRequest getRequest(String id) {
    Catalog.requireId(id, "orderId");
    return ApiRequest.builder("exchange.orders.get", "GET", "/exchange/v1/orders/{}", id).build();
  }

  /**
   * One order.
   *
   * @param orderId order id
   * @return the order
   */
  public Order get(String orderId) {
    return api.call(getRequest(orderId), Order.class);
  }

  /**
   * Asynchronous {@link #get}.
   *
   * @param orderId order id
   * @return the order
   */
  public CompletableFuture<Order> getAsync(String orderId) {
    return api.callAsync(getRequest(orderId), Order.class);
  }

  /**
   * Your orders, oldest first.
   *
   * @param state only orders in this state, or null for all
   * @return the listing
   */
  public PagedIterable<Order> list(State state) {
    return api.paginate(100, (token, limit) -> ApiRequest.builder("exchange.orders.list", "GET", "/exchange/v1/orders")
        .query("state", state).query("cursor", token).query("limit", Math.min(limit, 1000)).build(), r -> {
          OrderPage p = r.json(OrderPage.class);
          return new Page<>(p.items() == null ? List.of() : p.items(), p.nextCursor());
        });
  }

  private static ApiRequest transitionRequest(String orderId, String action, String reason) {
    Catalog.requireId(orderId, "orderId");
    Catalog.requireId(action, "action");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    if (reason != null) {
      body.put("reason", reason);
    }
    return ApiRequest.builder("exchange.orders.transition", "POST", "/exchange/v1/orders/{}/transitions", orderId)
        .json(body).build();
  }

  /**
   * Takes a transition by name (offer, agree, verify, finalize, terminate). On the platform a side may only take its
   * own transitions; the sandbox lets you act for the merchant and the exchange to script flows.
   *
   * @param orderId order id
   * @param action action
   * @param reason free text for the audit trail, or null
   * @return the order after the transition
   * @throws io.shudu.core.ConflictException code invalid_transition, listing the allowed transitions
   */
  public Order transition(String orderId, String action, String reason) {
    return api.call(transitionRequest(orderId, action, reason), Order.class);
  }

  /**
   * Asynchronous {@link #transition}.
   *
   * @param orderId order id
   * @param action action
   * @param reason reason, or null
   * @return the order
   */
  public CompletableFuture<Order> transitionAsync(String orderId, String action, String reason) {
    return api.callAsync(transitionRequest(orderId, action, reason), Order.class);
  }

  /**
   * Agrees to the merchant's offer (OFFERED → AGREED).
   *
   * @param orderId order id
   * @return the order
   */
  public Order agree(String orderId) {
    return transition(orderId, "agree", null);
  }

  /**
   * Asynchronous {@link #agree}.
   *
   * @param orderId order id
   * @return the order
   */
  public CompletableFuture<Order> agreeAsync(String orderId) {
    return transitionAsync(orderId, "agree", null);
  }

  /**
   * Terminates the order. The audit chain records your authenticated identity as the actor.
   *
   * @param orderId order id
   * @param reason why, for the audit trail
   * @return the order, TERMINATED
   */
  public Order terminate(String orderId, String reason) {
    return api.call(transitionRequest(orderId, "terminate", reason), Order.class);
  }

  /**
   * Asynchronous {@link #terminate}.
   *
   * @param orderId order id
   * @param reason why
   * @return the order
   */
  public CompletableFuture<Order> terminateAsync(String orderId, String reason) {
    return api.callAsync(transitionRequest(orderId, "terminate", reason), Order.class);
  }

  /**
   * Waits until the order reaches (or passes) a state, with the platform's long poll.
   *
   * @param orderId order id
   * @param state the state
   * @param timeout how long to wait
   * @return the order
   * @throws AwaitStateException when time runs out (saying which side has not acted) or the order ended otherwise
   */
  public Order awaitState(String orderId, State state, Duration timeout) {
    return poll.await(orderId, state == null ? null : state.name(), timeout);
  }

  /**
   * Asynchronous {@link #awaitState}.
   *
   * @param orderId order id
   * @param state the state
   * @param timeout how long
   * @return the order
   */
  public CompletableFuture<Order> awaitStateAsync(String orderId, State state, Duration timeout) {
    return poll.awaitAsync(orderId, state == null ? null : state.name(), timeout);
  }
}
