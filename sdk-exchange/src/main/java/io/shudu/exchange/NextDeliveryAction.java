package io.shudu.exchange;

/**
 * A transition a delivery can take now.
 *
 * @param action the action
 * @param actor who may take it (buyer, merchant, or "buyer or merchant")
 * @param to the state it leads to
 */
public record NextDeliveryAction(DeliveryAction action, String actor, DeliveryState to) {
  @Override
  public String toString() {
    return (action == null ? "?" : action.wireName()) + " (" + actor + ") -> " + to;
  }
}
