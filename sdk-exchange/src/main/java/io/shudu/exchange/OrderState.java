package io.shudu.exchange;

/**
 * Order states: {@code REQUESTED → OFFERED (merchant) → AGREED (buyer) → VERIFIED (exchange) → FINALIZED (exchange)},
 * or {@code TERMINATED} from any non-final state.
 */
public enum OrderState implements ExchangeState {
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
  @Override
  public boolean isFinal() {
    return this == FINALIZED || this == TERMINATED;
  }

  /**
   * Whether an order in this state is in {@code target} or has passed it on the normal path (FINALIZED has passed
   * OFFERED; TERMINATED has passed nothing).
   *
   * @param target the state waited for
   * @return true when the target is reached or passed
   */
  public boolean hasReached(OrderState target) {
    return this == target || (this != TERMINATED && target != TERMINATED && ordinal() > target.ordinal());
  }
}
