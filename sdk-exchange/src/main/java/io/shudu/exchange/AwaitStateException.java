package io.shudu.exchange;

import io.shudu.core.ShuduException;
import java.util.Optional;

/**
 * An order or delivery did not reach the awaited state: either the time ran out (the message and
 * {@link #waitingOn()} say which side has not acted) or it ended in another final state and never can.
 */
public class AwaitStateException extends ShuduException {
  private static final long serialVersionUID = 1L;

  private final String resourceId;
  private final ExchangeState awaitedState;
  private final ExchangeState currentState;
  private final Party waitingOn;
  private final boolean timedOut;

  /**
   * Creates the exception.
   *
   * @param message what happened and who has to act
   * @param resourceId the order or delivery id
   * @param awaitedState the state waited for
   * @param currentState the state it is in
   * @param waitingOn the side that has to act next, or null when none can
   * @param timedOut true when the time ran out, false when the state can no longer be reached
   */
  public AwaitStateException(String message, String resourceId, ExchangeState awaitedState,
      ExchangeState currentState,
      Party waitingOn, boolean timedOut) {
    super(message, null);
    this.resourceId = resourceId;
    this.awaitedState = awaitedState;
    this.currentState = currentState;
    this.waitingOn = waitingOn;
    this.timedOut = timedOut;
  }

  /**
   * The order or delivery id.
   *
   * @return the id
   */
  public String resourceId() {
    return resourceId;
  }

  /**
   * The state waited for: an {@link OrderState} or a {@link DeliveryState}.
   *
   * @return the state
   */
  public ExchangeState awaitedState() {
    return awaitedState;
  }

  /**
   * The state it was in at the end: an {@link OrderState} or a {@link DeliveryState}, for example
   * {@code e.currentState() == OrderState.TERMINATED}.
   *
   * @return the state
   */
  public ExchangeState currentState() {
    return currentState;
  }

  /**
   * The side that has not acted, empty when the state is final.
   *
   * @return the party
   */
  public Optional<Party> waitingOn() {
    return Optional.ofNullable(waitingOn);
  }

  /**
   * Whether the time ran out (false: the awaited state can no longer be reached).
   *
   * @return true on timeout
   */
  public boolean timedOut() {
    return timedOut;
  }
}
