package io.shudu.exchange;

/**
 * A revision of a product.
 *
 * @param version version, such as 1.1.0
 * @param releasedAt ISO date
 * @param sizeBytes size of the delivered content
 * @param format media type
 * @param notes what changed
 */
public record ProductVersion(String version, String releasedAt, long sizeBytes, String format, String notes) {}
