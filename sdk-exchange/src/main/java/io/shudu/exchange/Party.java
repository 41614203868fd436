package io.shudu.exchange;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A side of an exchange transaction. */
public enum Party {
  /** The partner buying data (you). */
  @JsonProperty("buyer")
  BUYER,
  /** The data merchant (数商) selling it. */
  @JsonProperty("merchant")
  MERCHANT,
  /** The Shanghai Data Exchange itself (compliance verification, finalisation, receipts). */
  @JsonProperty("exchange")
  EXCHANGE
}
