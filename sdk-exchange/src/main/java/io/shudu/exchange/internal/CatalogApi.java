package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.CatalogQuery;
import io.shudu.exchange.ExchangeCatalog;
import io.shudu.exchange.Merchant;
import io.shudu.exchange.Product;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangeCatalog} over the core pipeline. */
public final class CatalogApi implements ExchangeCatalog {
  private static final TypeReference<Calls.PageDto<Product>> PRODUCTS = new TypeReference<>() {};
  private static final TypeReference<Calls.PageDto<Merchant>> MERCHANTS = new TypeReference<>() {};

  /** The facets of a search answer. */
  record Facets(Map<String, Map<String, Integer>> facets) {}

  private final ApiClient api;
  private final RequestOptions options;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   */
  public CatalogApi(ApiClient api, RequestOptions options) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
  }

  @Override
  public ExchangeCatalog withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new CatalogApi(api, options);
  }

  private ApiRequest.Builder req(String op, String path, Object... args) {
    return ApiRequest.builder("exchange.catalog." + op, "GET", BASE + path, args).options(options);
  }

  private ApiRequest.Builder searchRequest(CatalogQuery q) {
    if (q == null) {
      throw new NullPointerException("query must not be null; use CatalogQuery.all()");
    }
    return req("search", "/products").query("q", q.text()).query("category", q.category()).query("tag", q.tag())
        .query("merchantType", q.merchantType()).query("merchantId", q.merchantId())
        .query("personalInformation", q.personalInformation()).query("crossBorder", q.crossBorder());
  }

  @Override
  public PagedIterable<Product> search(CatalogQuery query) {
    searchRequest(query);
    return Calls.paged(api, 20, 100, () -> searchRequest(query), PRODUCTS);
  }

  private ApiRequest facetsRequest(CatalogQuery query) {
    return searchRequest(query).query("limit", 0).build();
  }

  @Override
  public Map<String, Map<String, Integer>> facets(CatalogQuery query) {
    Facets f = api.call(facetsRequest(query), Facets.class);
    return f.facets() == null ? Map.of() : f.facets();
  }

  @Override
  public CompletableFuture<Map<String, Map<String, Integer>>> facetsAsync(CatalogQuery query) {
    return Calls.async(() -> api.callAsync(facetsRequest(query), Facets.class)
        .thenApply(f -> f.facets() == null ? Map.<String, Map<String, Integer>>of() : f.facets()));
  }

  private ApiRequest productRequest(String id) {
    return req("product", "/products/{}", Calls.requireId(id, "productId")).build();
  }

  @Override
  public Product product(String productId) {
    return api.call(productRequest(productId), Product.class);
  }

  @Override
  public CompletableFuture<Product> productAsync(String productId) {
    return Calls.async(() -> api.callAsync(productRequest(productId), Product.class));
  }

  @Override
  public PagedIterable<Merchant> merchants() {
    return Calls.paged(api, 100, 1000, () -> req("merchants", "/merchants"), MERCHANTS);
  }

  private ApiRequest merchantRequest(String id) {
    return req("merchant", "/merchants/{}", Calls.requireId(id, "merchantId")).build();
  }

  @Override
  public Merchant merchant(String merchantId) {
    return api.call(merchantRequest(merchantId), Merchant.class);
  }

  @Override
  public CompletableFuture<Merchant> merchantAsync(String merchantId) {
    return Calls.async(() -> api.callAsync(merchantRequest(merchantId), Merchant.class));
  }
}
