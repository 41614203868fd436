package io.shudu.exchange;

/**
 * A transition an order can take now.
 *
 * @param action the action
 * @param actor who may take it (buyer, merchant, exchange, or "buyer or merchant")
 * @param to the state it leads to
 */
public record NextOrderAction(OrderAction action, String actor, OrderState to) {
  @Override
  public String toString() {
    return (action == null ? "?" : action.wireName()) + " (" + actor + ") -> " + to;
  }
}
