package io.shudu.exchange;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The exchange's catalog: data products (bilingual titles and descriptions, category, tags, merchant, versions,
 * data dictionary, sample preview, price terms, compliance certificates) and the data merchants (数商) that list them.
 * Search is full-text in Chinese and English with filters and facet counts.
 *
 * <pre>{@code
 * Catalog.SearchQuery q = Catalog.SearchQuery.text("地铁客流").withCategory("transport");
 * for (Catalog.Product p : exchange.catalog().search(q)) {
 *   System.out.println(p.id() + " " + p.title().zh());
 * }
 * Map<String, Map<String, Integer>> facets = exchange.catalog().facets(Catalog.SearchQuery.all());
 * }</pre>
 */
public final class Catalog {
  /**
   * Text in Chinese and English.
   *
   * @param zh Chinese
   * @param en English
   */
  public record LocalizedText(String zh, String en) {}

  /** The six types of data merchant (数商) registered with the exchange. */
  public enum MerchantType {
    /** 数据产品供应商 / 采购方: data supplier or buyer. */
    DATA_SUPPLIER_BUYER,
    /** 数据交付服务商: data delivery. */
    DELIVERY,
    /** 数据评估 (质量、资产): data evaluation. */
    EVALUATION,
    /** 数据经纪: intermediary. */
    INTERMEDIARY,
    /** 数据咨询 (合规、治理): consulting. */
    CONSULTING,
    /** 其他数商服务 (安全、技术): other services. */
    OTHER_SERVICES
  }

  /**
   * A merchant's qualification.
   *
   * @param name what it is
   * @param issuer who issued it
   * @param number registration number
   * @param validUntil ISO date
   */
  public record Qualification(String name, String issuer, String number, String validUntil) {}

  /**
   * A data merchant.
   *
   * @param id merchant id
   * @param name name
   * @param type merchant type
   * @param typeLabel the type's display name
   * @param region where it is registered
   * @param qualifications qualifications
   */
  public record Merchant(String id, LocalizedText name, MerchantType type, LocalizedText typeLabel, String region,
      List<Qualification> qualifications) {
    /** Copies lists. */
    public Merchant {
      qualifications = qualifications == null ? List.of() : List.copyOf(qualifications);
    }
  }

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

  /**
   * One field of the data dictionary.
   *
   * @param name field name
   * @param type data type
   * @param description meaning
   */
  public record SchemaField(String name, String type, String description) {}

  /**
   * A few sample rows.
   *
   * @param columns column names
   * @param rows rows of values
   */
  public record SamplePreview(List<String> columns, List<List<String>> rows) {
    /** Copies lists. */
    public SamplePreview {
      columns = columns == null ? List.of() : List.copyOf(columns);
      rows = rows == null ? List.of() : List.copyOf(rows);
    }
  }

  /**
   * Price terms (information only: the SDK does not pay).
   *
   * @param model free, one-off, subscription or per-call
   * @param amount decimal amount as text
   * @param currency ISO 4217 currency
   * @param unit what the amount is per
   */
  public record PriceTerms(String model, String amount, String currency, String unit) {}

  /**
   * A compliance certificate of a product.
   *
   * @param type such as DATA_PRODUCT_REGISTRATION or COMPLIANCE_ASSESSMENT
   * @param issuer issuer
   * @param number number
   * @param validUntil ISO date
   */
  public record Certificate(String type, String issuer, String number, String validUntil) {}

  /**
   * A data product.
   *
   * @param id product id
   * @param title title
   * @param description description
   * @param category category code
   * @param tags tags (Chinese and English)
   * @param merchantId merchant id
   * @param merchantName merchant name
   * @param merchantType merchant type
   * @param latestVersion latest version
   * @param versions all versions
   * @param schema data dictionary
   * @param sample sample preview
   * @param priceTerms price terms
   * @param certificates compliance certificates
   * @param personalInformation NONE, DEIDENTIFIED, PERSONAL or SENSITIVE
   * @param offerIds offers for this product
   */
  public record Product(String id, LocalizedText title, LocalizedText description, String category, List<String> tags,
      String merchantId, String merchantName, MerchantType merchantType, String latestVersion,
      List<ProductVersion> versions, List<SchemaField> schema, SamplePreview sample, PriceTerms priceTerms,
      List<Certificate> certificates, Policies.PersonalInformation personalInformation, List<String> offerIds) {
    /** Copies lists. */
    public Product {
      tags = tags == null ? List.of() : List.copyOf(tags);
      versions = versions == null ? List.of() : List.copyOf(versions);
      schema = schema == null ? List.of() : List.copyOf(schema);
      certificates = certificates == null ? List.of() : List.copyOf(certificates);
      offerIds = offerIds == null ? List.of() : List.copyOf(offerIds);
    }
  }

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
  public record SearchQuery(String text, String category, String tag, MerchantType merchantType, String merchantId,
      Policies.PersonalInformation personalInformation, Boolean crossBorder) {
    /** Validates. */
    public SearchQuery {
      if (text != null && text.length() > 200) {
        throw new IllegalArgumentException("SearchQuery.text must be at most 200 characters, got " + text.length());
      }
    }

    /**
     * Everything.
     *
     * @return the query
     */
    public static SearchQuery all() {
      return new SearchQuery(null, null, null, null, null, null, null);
    }

    /**
     * Free-text search.
     *
     * @param text words in Chinese or English
     * @return the query
     */
    public static SearchQuery text(String text) {
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException("SearchQuery.text must not be blank; use SearchQuery.all() to list "
            + "everything");
      }
      return new SearchQuery(text, null, null, null, null, null, null);
    }

    /** @param c category code @return a copy filtered by category */
    public SearchQuery withCategory(String c) {
      return new SearchQuery(text, c, tag, merchantType, merchantId, personalInformation, crossBorder);
    }

    /** @param t tag @return a copy filtered by tag */
    public SearchQuery withTag(String t) {
      return new SearchQuery(text, category, t, merchantType, merchantId, personalInformation, crossBorder);
    }

    /** @param t merchant type @return a copy filtered by merchant type */
    public SearchQuery withMerchantType(MerchantType t) {
      return new SearchQuery(text, category, tag, t, merchantId, personalInformation, crossBorder);
    }

    /** @param id merchant id @return a copy filtered by merchant */
    public SearchQuery withMerchant(String id) {
      return new SearchQuery(text, category, tag, merchantType, id, personalInformation, crossBorder);
    }

    /** @param pi personal-information category @return a copy filtered by it */
    public SearchQuery withPersonalInformation(Policies.PersonalInformation pi) {
      return new SearchQuery(text, category, tag, merchantType, merchantId, pi, crossBorder);
    }

    /** @param cb whether a cross-border offer exists @return a copy filtered by it */
    public SearchQuery withCrossBorder(Boolean cb) {
      return new SearchQuery(text, category, tag, merchantType, merchantId, personalInformation, cb);
    }
  }

  /**
   * One page of search results.
   *
   * @param items products on this page, best match first
   * @param total matches in all pages
   * @param facets counts per facet (category, merchantType, tag, personalInformation) over all matches
   * @param nextCursor cursor of the next page, or null
   */
  public record SearchResults(List<Product> items, int total, Map<String, Map<String, Integer>> facets,
      String nextCursor) {
    /** Copies. */
    public SearchResults {
      items = items == null ? List.of() : List.copyOf(items);
      facets = facets == null ? Map.of() : Map.copyOf(facets);
    }
  }

  private record Items<T>(List<T> items) {}

  private final ApiClient api;

  Catalog(ApiClient api) {
    this.api = api;
  }

  private static ApiRequest searchRequest(SearchQuery q, String cursor, int limit) {
    if (q == null) {
      throw new NullPointerException("query must not be null; use SearchQuery.all()");
    }
    return ApiRequest.builder("exchange.catalog.search", "GET", "/exchange/v1/products")
        .query("q", q.text()).query("category", q.category()).query("tag", q.tag())
        .query("merchantType", q.merchantType()).query("merchantId", q.merchantId())
        .query("personalInformation", q.personalInformation()).query("crossBorder", q.crossBorder())
        .query("cursor", cursor).query("limit", limit).build();
  }

  /**
   * Searches the catalog; pages are fetched as you iterate.
   *
   * @param query the query
   * @return the matching products, best first
   */
  public PagedIterable<Product> search(SearchQuery query) {
    searchRequest(query, null, 1);
    return api.paginate(20, (token, limit) -> searchRequest(query, token, Math.min(limit, 100)), r -> {
      SearchResults s = r.json(SearchResults.class);
      return new Page<>(s.items(), s.nextCursor());
    });
  }

  /**
   * One page of results with total and facet counts.
   *
   * @param query the query
   * @param cursor a previous page's nextCursor, or null for the first page
   * @param limit 0-100 products (0 returns only total and facets)
   * @return the page
   */
  public SearchResults searchPage(SearchQuery query, String cursor, int limit) {
    return api.call(searchRequest(query, cursor, checkLimit(limit)), SearchResults.class);
  }

  /**
   * Asynchronous {@link #searchPage}.
   *
   * @param query the query
   * @param cursor a previous page's nextCursor, or null
   * @param limit 0-100
   * @return the page
   */
  public CompletableFuture<SearchResults> searchPageAsync(SearchQuery query, String cursor, int limit) {
    return api.callAsync(searchRequest(query, cursor, checkLimit(limit)), SearchResults.class);
  }

  private static int checkLimit(int limit) {
    if (limit < 0 || limit > 100) {
      throw new IllegalArgumentException("limit must be between 0 and 100, got " + limit);
    }
    return limit;
  }

  /**
   * Facet counts (category, merchantType, tag, personalInformation) over every match of the query.
   *
   * @param query the query
   * @return facet name to value to count
   */
  public Map<String, Map<String, Integer>> facets(SearchQuery query) {
    return searchPage(query, null, 0).facets();
  }

  /**
   * Asynchronous {@link #facets}.
   *
   * @param query the query
   * @return facet counts
   */
  public CompletableFuture<Map<String, Map<String, Integer>>> facetsAsync(SearchQuery query) {
    return searchPageAsync(query, null, 0).thenApply(SearchResults::facets);
  }

  private static ApiRequest productRequest(String id) {
    requireId(id, "productId");
    return ApiRequest.builder("exchange.catalog.product", "GET", "/exchange/v1/products/{}", id).build();
  }

  /**
   * A product with its versions, data dictionary, sample, price terms and certificates.
   *
   * @param productId product id
   * @return the product
   */
  public Product product(String productId) {
    return api.call(productRequest(productId), Product.class);
  }

  /**
   * Asynchronous {@link #product}.
   *
   * @param productId product id
   * @return the product
   */
  public CompletableFuture<Product> productAsync(String productId) {
    return api.callAsync(productRequest(productId), Product.class);
  }

  private static final TypeReference<Items<Merchant>> MERCHANTS = new TypeReference<>() {};

  /**
   * All merchants.
   *
   * @return merchants
   */
  public List<Merchant> merchants() {
    return api.call(merchantsRequest(), MERCHANTS).items();
  }

  /**
   * Asynchronous {@link #merchants}.
   *
   * @return merchants
   */
  public CompletableFuture<List<Merchant>> merchantsAsync() {
    return api.callAsync(merchantsRequest(), MERCHANTS).thenApply(Items::items);
  }

  private static ApiRequest merchantsRequest() {
    return ApiRequest.builder("exchange.catalog.merchants", "GET", "/exchange/v1/merchants").build();
  }

  /**
   * One merchant and its qualifications.
   *
   * @param merchantId merchant id
   * @return the merchant
   */
  public Merchant merchant(String merchantId) {
    return api.call(merchantRequest(merchantId), Merchant.class);
  }

  /**
   * Asynchronous {@link #merchant}.
   *
   * @param merchantId merchant id
   * @return the merchant
   */
  public CompletableFuture<Merchant> merchantAsync(String merchantId) {
    return api.callAsync(merchantRequest(merchantId), Merchant.class);
  }

  private static ApiRequest merchantRequest(String id) {
    requireId(id, "merchantId");
    return ApiRequest.builder("exchange.catalog.merchant", "GET", "/exchange/v1/merchants/{}", id).build();
  }

  static void requireId(String id, String field) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
