package io.shudu.exchange;

/**
 * The answer to a claim.
 *
 * @param newlyClaimed true for a new claim, false when the account already held its work (it is returned)
 * @param asset the account's work
 */
public record Claim(boolean newlyClaimed, Asset asset) {}
