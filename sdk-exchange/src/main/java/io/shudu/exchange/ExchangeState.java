package io.shudu.exchange;

/**
 * A state of an order ({@link OrderState}) or of a delivery ({@link DeliveryState}), as carried by
 * {@link AwaitStateException}: compare it with the enum constants, for example
 * {@code e.currentState() == OrderState.TERMINATED}.
 */
public sealed interface ExchangeState permits OrderState, DeliveryState {
  /**
   * The state's name, as on the wire.
   *
   * @return the enum constant's name, such as FINALIZED
   */
  String name();

  /**
   * Whether no transition leaves this state.
   *
   * @return true for a final state
   */
  boolean isFinal();
}
