package io.shudu.exchange;

/**
 * A compliance certificate of a product.
 *
 * @param type such as DATA_PRODUCT_REGISTRATION or COMPLIANCE_ASSESSMENT
 * @param issuer issuer
 * @param number number
 * @param validUntil ISO date
 */
public record Certificate(String type, String issuer, String number, String validUntil) {}
