package io.shudu.exchange;

/** How far the buyer may pass the data on, from least to most. */
public enum Redistribution {
  /** Not at all. */
  NONE,
  /** Within the buyer's own organisation. */
  INTERNAL,
  /** Only aggregated results derived from the data. */
  AGGREGATED_ONLY,
  /** Freely. */
  ALLOWED
}
