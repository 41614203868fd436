package io.shudu.exchange;

/**
 * A catalog search: free text (Chinese or English; every word must match) and optional filters.
 *
 * @param text free text, or null for everything
 * @param category category code (transport, finance, health, environment, governance, energy, geospatial, commerce)
 * @param tag a tag
 * @param merchantType merchant type
 * @param merchantId merchant id
 * @param personalInformation personal-information category
 * @param crossBorder only products with (true) or without (false) a cross-border offer
 */
public record CatalogQuery(String text, String category, String tag, MerchantType merchantType, String merchantId,
    PersonalInformation personalInformation, Boolean crossBorder) {
  /** Validates. */
  public CatalogQuery {
    if (text != null && text.length() > 200) {
      throw new IllegalArgumentException("CatalogQuery.text must be at most 200 characters, got " + text.length());
    }
  }

  /**
   * Everything.
   *
   * @return the query
   */
  public static CatalogQuery all() {
    return new CatalogQuery(null, null, null, null, null, null, null);
  }

  /**
   * Free-text search.
   *
   * @param text words in Chinese or English
   * @return the query
   */
  public static CatalogQuery text(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("CatalogQuery.text must not be blank; use CatalogQuery.all() to list "
          + "everything");
    }
    return new CatalogQuery(text, null, null, null, null, null, null);
  }

  /** @param c category code @return a copy filtered by category */
  public CatalogQuery withCategory(String c) {
    return new CatalogQuery(text, c, tag, merchantType, merchantId, personalInformation, crossBorder);
  }

  /** @param t tag @return a copy filtered by tag */
  public CatalogQuery withTag(String t) {
    return new CatalogQuery(text, category, t, merchantType, merchantId, personalInformation, crossBorder);
  }

  /** @param t merchant type @return a copy filtered by merchant type */
  public CatalogQuery withMerchantType(MerchantType t) {
    return new CatalogQuery(text, category, tag, t, merchantId, personalInformation, crossBorder);
  }

  /** @param id merchant id @return a copy filtered by merchant */
  public CatalogQuery withMerchant(String id) {
    return new CatalogQuery(text, category, tag, merchantType, id, personalInformation, crossBorder);
  }

  /** @param pi personal-information category @return a copy filtered by it */
  public CatalogQuery withPersonalInformation(PersonalInformation pi) {
    return new CatalogQuery(text, category, tag, merchantType, merchantId, pi, crossBorder);
  }

  /** @param cb whether a cross-border offer exists @return a copy filtered by it */
  public CatalogQuery withCrossBorder(Boolean cb) {
    return new CatalogQuery(text, category, tag, merchantType, merchantId, personalInformation, cb);
  }
}
