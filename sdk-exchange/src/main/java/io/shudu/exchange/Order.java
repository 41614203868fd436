package io.shudu.exchange;

import java.time.Instant;
import java.util.List;

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
 * @param clientReference the reference the order was created with, or null
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Order(String id, String offerId, String productId, String productVersion, String merchantId,
    OrderState state, Party waitingOn, List<NextOrderAction> nextActions, IntendedUse intendedUse,
    List<String> deliveryIds, String terminationReason, String clientReference, Instant createdAt,
    Instant updatedAt) {
  /** Copies lists. */
  public Order {
    nextActions = nextActions == null ? List.of() : List.copyOf(nextActions);
    deliveryIds = deliveryIds == null ? List.of() : List.copyOf(deliveryIds);
  }
}
