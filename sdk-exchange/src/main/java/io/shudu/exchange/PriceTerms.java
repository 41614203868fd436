package io.shudu.exchange;

/**
 * Price terms (information only: the SDK does not pay).
 *
 * @param model free, one-off, subscription or per-call
 * @param amount decimal amount as text
 * @param currency ISO 4217 currency
 * @param unit what the amount is per
 */
public record PriceTerms(String model, String amount, String currency, String unit) {}
