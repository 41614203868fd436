package io.shudu.exchange;

import java.time.Instant;
import java.util.List;

/**
 * A delivery.
 *
 * @param id delivery id
 * @param orderId order
 * @param productId product
 * @param productVersion version delivered
 * @param state state
 * @param waitingOn who has to act, or null when final
 * @param nextActions transitions possible now
 * @param sizeBytes content size
 * @param chunkSize chunk size of the hashes
 * @param merkleRoot the content's Merkle root, once started
 * @param clientReference the reference the delivery was requested with, or null
 * @param createdAt creation time
 * @param updatedAt last change
 */
public record Delivery(String id, String orderId, String productId, String productVersion, DeliveryState state,
    Party waitingOn, List<NextDeliveryAction> nextActions, long sizeBytes, int chunkSize, String merkleRoot,
    String clientReference, Instant createdAt, Instant updatedAt) {
  /** Copies lists. */
  public Delivery {
    nextActions = nextActions == null ? List.of() : List.copyOf(nextActions);
  }
}
