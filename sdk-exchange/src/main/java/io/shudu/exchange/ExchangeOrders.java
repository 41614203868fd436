package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Orders (contracts) for data products, a typed state machine ({@link OrderState}, {@link OrderAction}):
 * {@code REQUESTED → OFFERED (merchant) → AGREED (buyer) → VERIFIED (exchange) → FINALIZED (exchange)}, or
 * {@code TERMINATED} from any non-final state. Every operation has a blocking form and an {@code ...Async} form; an
 * async form never throws: bad arguments and every failure arrive through its future, as the exception the blocking
 * form throws.
 *
 * <p>Writes after a failure: every write sends an Idempotency-Key and reuses it on the SDK's own retries. When a call
 * still fails and its {@link io.shudu.core.ShuduException#outcome()} is not {@code ANSWERED}, repeat it with the same
 * arguments on {@code withOptions(RequestOptions.repeatOf(e))}: the exchange applies it once and answers with the
 * first result. Give an order a {@code clientReference} (your own order number, unique per tenant) to find it again
 * with {@link #findByReference} after anything, even a restart: a second create with the same reference returns the
 * first order, and a different request with the same reference is a {@link io.shudu.core.ConflictException} with
 * code {@code client_reference_conflict}.
 *
 * <p>Optimistic concurrency: {@link #getVersioned} returns the order with its ETag; a transition with that ETag as
 * {@code ifMatch} fails with {@link io.shudu.core.PreconditionFailedException} (412) when the order changed meanwhile.
 * An invalid transition is a {@link io.shudu.core.ConflictException} with code {@code invalid_transition} whose
 * message lists the allowed transitions.
 *
 * <pre>{@code
 * Order order = exchange.orders().create("of-metro-flow", IntendedUse.of("research", 90));
 * exchange.orders().awaitState(order.id(), OrderState.OFFERED, Duration.ofSeconds(30));
 * Versioned<Order> offered = exchange.orders().getVersioned(order.id());
 * exchange.orders().transition(order.id(), OrderAction.AGREE, null, offered.etag());
 * exchange.orders().awaitState(order.id(), OrderState.FINALIZED, Duration.ofSeconds(30));
 *
 * // a create that can always be settled: your reference, and a repeat with the same key after a failure
 * Order mine;
 * try {
 *   mine = exchange.orders().create("of-metro-flow", use, "po-2024-0001");
 * } catch (ShuduException e) {
 *   mine = exchange.orders().withOptions(RequestOptions.repeatOf(e)).create("of-metro-flow", use, "po-2024-0001");
 * }
 * }</pre>
 */
public interface ExchangeOrders {
  /**
   * A view of this API whose calls use per-call options (timeouts, headers, an Idempotency-Key, such as
   * {@link RequestOptions#repeatOf} to repeat a failed write).
   *
   * @param options the options
   * @return the view
   */
  ExchangeOrders withOptions(RequestOptions options);

  /**
   * Orders a product under an offer. The use is checked against the offer's policy: a use it does not allow is a
   * {@link io.shudu.core.BadRequestException} (422, code policy_violation) listing every reason.
   *
   * @param offerId offer id
   * @param use intended use
   * @return the order, REQUESTED
   */
  Order create(String offerId, IntendedUse use);

  /**
   * Async {@link #create(String, IntendedUse)}.
   *
   * @param offerId offer id
   * @param use intended use
   * @return the order
   */
  CompletableFuture<Order> createAsync(String offerId, IntendedUse use);

  /**
   * Orders a product under your own reference, unique per tenant: a second create with the same reference and the
   * same offer and use returns the first order instead of creating another (with any Idempotency-Key, even after a
   * restart); a different request with the same reference is a {@link io.shudu.core.ConflictException} with code
   * {@code client_reference_conflict}.
   *
   * @param offerId offer id
   * @param use intended use
   * @param clientReference your reference, 1-128 printable ASCII characters, or null for none
   * @return the order (the first one created under this reference)
   */
  Order create(String offerId, IntendedUse use, String clientReference);

  /**
   * Async {@link #create(String, IntendedUse, String)}.
   *
   * @param offerId offer id
   * @param use intended use
   * @param clientReference your reference, or null
   * @return the order
   */
  CompletableFuture<Order> createAsync(String offerId, IntendedUse use, String clientReference);

  /**
   * One order.
   *
   * @param orderId order id
   * @return the order
   * @throws io.shudu.core.NotFoundException if this tenant has no such order
   */
  Order get(String orderId);

  /**
   * Async {@link #get}.
   *
   * @param orderId order id
   * @return the order
   */
  CompletableFuture<Order> getAsync(String orderId);

  /**
   * One order with its ETag, for a conditional transition.
   *
   * @param orderId order id
   * @return the order and its ETag
   */
  Versioned<Order> getVersioned(String orderId);

  /**
   * Async {@link #getVersioned}.
   *
   * @param orderId order id
   * @return the order and its ETag
   */
  CompletableFuture<Versioned<Order>> getVersionedAsync(String orderId);

  /**
   * Your orders, oldest first, fetched page by page as you iterate ({@code withPageSize}, {@code withMaxItems},
   * {@code resumeFrom(token)}).
   *
   * @param state only orders in this state, or null for all
   * @return the listing
   */
  PagedIterable<Order> list(OrderState state);

  /**
   * Your orders, oldest first, filtered by state and client reference.
   *
   * @param state only orders in this state, or null for all
   * @param clientReference only the order created with this reference, or null for all
   * @return the listing
   */
  PagedIterable<Order> list(OrderState state, String clientReference);

  /**
   * The order created with a client reference, if there is one: how to learn what became of a create whose outcome
   * you lost (even across a restart of your application).
   *
   * @param clientReference the reference
   * @return the order, or empty
   */
  Optional<Order> findByReference(String clientReference);

  /**
   * Async {@link #findByReference}.
   *
   * @param clientReference the reference
   * @return the order, or empty
   */
  CompletableFuture<Optional<Order>> findByReferenceAsync(String clientReference);

  /**
   * Takes a transition unconditionally. On the platform a side may only take its own transitions; the sandbox lets
   * you act for the merchant and the exchange to script flows.
   *
   * @param orderId order id
   * @param action the action
   * @param reason free text for the audit trail, or null
   * @return the order after the transition
   * @throws io.shudu.core.ConflictException code invalid_transition, listing the allowed transitions
   */
  Order transition(String orderId, OrderAction action, String reason);

  /**
   * Async {@link #transition(String, OrderAction, String)}.
   *
   * @param orderId order id
   * @param action the action
   * @param reason reason, or null
   * @return the order
   */
  CompletableFuture<Order> transitionAsync(String orderId, OrderAction action, String reason);

  /**
   * Takes a transition only if the order is unchanged since it was read ({@code If-Match}).
   *
   * @param orderId order id
   * @param action the action
   * @param reason reason, or null
   * @param ifMatch the ETag from {@link #getVersioned}, or null for an unconditional transition
   * @return the order after the transition
   * @throws io.shudu.core.PreconditionFailedException if the order changed since that read
   */
  Order transition(String orderId, OrderAction action, String reason, String ifMatch);

  /**
   * Async {@link #transition(String, OrderAction, String, String)}.
   *
   * @param orderId order id
   * @param action the action
   * @param reason reason, or null
   * @param ifMatch the ETag, or null
   * @return the order
   */
  CompletableFuture<Order> transitionAsync(String orderId, OrderAction action, String reason, String ifMatch);

  /**
   * Agrees to the merchant's offer (OFFERED → AGREED): {@code transition(orderId, OrderAction.AGREE, null)}.
   *
   * @param orderId order id
   * @return the order
   */
  default Order agree(String orderId) {
    return transition(orderId, OrderAction.AGREE, null);
  }

  /**
   * Async {@link #agree}.
   *
   * @param orderId order id
   * @return the order
   */
  default CompletableFuture<Order> agreeAsync(String orderId) {
    return transitionAsync(orderId, OrderAction.AGREE, null);
  }

  /**
   * Terminates the order: {@code transition(orderId, OrderAction.TERMINATE, reason)}. The audit chain records your
   * authenticated identity as the actor.
   *
   * @param orderId order id
   * @param reason why, for the audit trail
   * @return the order, TERMINATED
   */
  default Order terminate(String orderId, String reason) {
    return transition(orderId, OrderAction.TERMINATE, reason);
  }

  /**
   * Async {@link #terminate}.
   *
   * @param orderId order id
   * @param reason why
   * @return the order
   */
  default CompletableFuture<Order> terminateAsync(String orderId, String reason) {
    return transitionAsync(orderId, OrderAction.TERMINATE, reason);
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
  Order awaitState(String orderId, OrderState state, Duration timeout);

  /**
   * Async {@link #awaitState}.
   *
   * @param orderId order id
   * @param state the state
   * @param timeout how long
   * @return the order
   */
  CompletableFuture<Order> awaitStateAsync(String orderId, OrderState state, Duration timeout);
}
