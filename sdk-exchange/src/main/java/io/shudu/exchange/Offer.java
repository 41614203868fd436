package io.shudu.exchange;

/**
 * An offer: licence terms for a product.
 *
 * @param id offer id
 * @param productId product
 * @param merchantId merchant
 * @param title title
 * @param priceTerms price terms
 * @param policy usage policy
 */
public record Offer(String id, String productId, String merchantId, LocalizedText title,
    PriceTerms priceTerms, UsagePolicy policy) {}
