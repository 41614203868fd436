package io.shudu.exchange;

/**
 * A merchant's qualification.
 *
 * @param name what it is
 * @param issuer who issued it
 * @param number registration number
 * @param validUntil ISO date
 */
public record Qualification(String name, String issuer, String number, String validUntil) {}
