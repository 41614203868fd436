package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The exchange's catalog: data products (bilingual titles and descriptions, category, tags, merchant, versions,
 * data dictionary, sample preview, price terms, compliance certificates) and the data merchants (数商) that list them.
 * Search is full-text in Chinese and English with filters and facet counts. Lists are {@link PagedIterable}s
 * ({@code withPageSize}, {@code withMaxItems}, {@code resumeFrom(token)}); every other operation has a blocking and an
 * {@code ...Async} form that never throws.
 *
 * <pre>{@code
 * CatalogQuery q = CatalogQuery.text("地铁客流").withCategory("transport");
 * for (Product p : exchange.catalog().search(q)) {
 *   System.out.println(p.id() + " " + p.title().zh());
 * }
 * Map<String, Map<String, Integer>> facets = exchange.catalog().facets(CatalogQuery.all());
 * }</pre>
 */
public interface ExchangeCatalog {
  /**
   * A view of this API whose calls use per-call options.
   *
   * @param options the options
   * @return the view
   */
  ExchangeCatalog withOptions(RequestOptions options);

  /**
   * Searches the catalog; pages are fetched as you iterate (at most 100 products per page).
   *
   * @param query the query
   * @return the matching products, best first
   */
  PagedIterable<Product> search(CatalogQuery query);

  /**
   * Facet counts (category, merchantType, tag, personalInformation) over every match of the query.
   *
   * @param query the query
   * @return facet name to value to count
   */
  Map<String, Map<String, Integer>> facets(CatalogQuery query);

  /**
   * Async {@link #facets}.
   *
   * @param query the query
   * @return facet counts
   */
  CompletableFuture<Map<String, Map<String, Integer>>> facetsAsync(CatalogQuery query);

  /**
   * A product with its versions, data dictionary, sample, price terms and certificates.
   *
   * @param productId product id
   * @return the product
   */
  Product product(String productId);

  /**
   * Async {@link #product}.
   *
   * @param productId product id
   * @return the product
   */
  CompletableFuture<Product> productAsync(String productId);

  /**
   * All merchants, page by page.
   *
   * @return merchants
   */
  PagedIterable<Merchant> merchants();

  /**
   * One merchant and its qualifications.
   *
   * @param merchantId merchant id
   * @return the merchant
   */
  Merchant merchant(String merchantId);

  /**
   * Async {@link #merchant}.
   *
   * @param merchantId merchant id
   * @return the merchant
   */
  CompletableFuture<Merchant> merchantAsync(String merchantId);
}
