package io.shudu.exchange;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The transitions of an order, each taken by one side (see {@link NextOrderAction#actor()}). */
public enum OrderAction {
  /** The merchant offers (REQUESTED → OFFERED). */
  @JsonProperty("offer")
  OFFER,
  /** The buyer agrees (OFFERED → AGREED). */
  @JsonProperty("agree")
  AGREE,
  /** The exchange verifies compliance (AGREED → VERIFIED). */
  @JsonProperty("verify")
  VERIFY,
  /** The exchange finalises (VERIFIED → FINALIZED). */
  @JsonProperty("finalize")
  FINALIZE,
  /** Either side ends the order (any non-final state → TERMINATED). */
  @JsonProperty("terminate")
  TERMINATE;

  /**
   * The action's name on the wire.
   *
   * @return such as {@code agree}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
