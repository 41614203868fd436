package io.shudu.exchange;

/**
 * Delivery states: {@code REQUESTED → STARTED (merchant) → COMPLETED (buyer)}; the merchant may suspend and resume a
 * started delivery, and any non-final one may be terminated.
 */
public enum DeliveryState implements ExchangeState {
  /** The buyer asked; the merchant has to start. */
  REQUESTED,
  /** Content available; the buyer downloads and confirms. */
  STARTED,
  /** Paused by the merchant. */
  SUSPENDED,
  /** Final: the buyer confirmed receipt with the Merkle root. */
  COMPLETED,
  /** Final: ended. */
  TERMINATED;

  /**
   * Whether no transition leaves this state.
   *
   * @return true for COMPLETED and TERMINATED
   */
  @Override
  public boolean isFinal() {
    return this == COMPLETED || this == TERMINATED;
  }

  private boolean onPath() {
    return this == REQUESTED || this == STARTED || this == COMPLETED;
  }

  /**
   * Whether a delivery in this state is in {@code target} or has passed it on the normal path
   * (REQUESTED, STARTED, COMPLETED).
   *
   * @param target the state waited for
   * @return true when the target is reached or passed
   */
  public boolean hasReached(DeliveryState target) {
    return this == target || (onPath() && target.onPath() && ordinal() > target.ordinal());
  }
}
