package io.shudu.exchange;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The transitions of a delivery, each taken by one side (see {@link NextDeliveryAction#actor()}). */
public enum DeliveryAction {
  /** The merchant starts (REQUESTED → STARTED); the exchange issues the receipt. */
  @JsonProperty("start")
  START,
  /** The merchant pauses (STARTED → SUSPENDED). */
  @JsonProperty("suspend")
  SUSPEND,
  /** The merchant resumes (SUSPENDED → STARTED). */
  @JsonProperty("resume")
  RESUME,
  /**
   * The buyer confirms receipt with the verified Merkle root (STARTED → COMPLETED): take it with
   * {@link ExchangeDeliveries#complete}, which sends the root.
   */
  @JsonProperty("complete")
  COMPLETE,
  /** Either side ends the delivery (any non-final state → TERMINATED). */
  @JsonProperty("terminate")
  TERMINATE;

  /**
   * The action's name on the wire.
   *
   * @return such as {@code start}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
