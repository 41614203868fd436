package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.DryRunResult;
import io.shudu.exchange.ExchangePolicies;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Offer;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangePolicies} over the core pipeline. */
public final class PoliciesApi implements ExchangePolicies {
  private static final TypeReference<Calls.PageDto<Offer>> OFFERS = new TypeReference<>() {};

  private final ApiClient api;
  private final RequestOptions options;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   */
  public PoliciesApi(ApiClient api, RequestOptions options) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
  }

  @Override
  public ExchangePolicies withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new PoliciesApi(api, options);
  }

  private ApiRequest.Builder req(String op, String method, String path, Object... args) {
    return ApiRequest.builder("exchange.policies." + op, method, BASE + path, args).options(options);
  }

  @Override
  public PagedIterable<Offer> offers(String productId) {
    Calls.requireId(productId, "productId");
    return Calls.paged(api, 100, 1000, () -> req("offers", "GET", "/offers").query("productId", productId), OFFERS);
  }

  private ApiRequest offerRequest(String offerId) {
    return req("offer", "GET", "/offers/{}", Calls.requireId(offerId, "offerId")).build();
  }

  @Override
  public Offer offer(String offerId) {
    return api.call(offerRequest(offerId), Offer.class);
  }

  @Override
  public CompletableFuture<Offer> offerAsync(String offerId) {
    return Calls.async(() -> api.callAsync(offerRequest(offerId), Offer.class));
  }

  private ApiRequest dryRunRequest(String offerId, IntendedUse use) {
    Calls.requireId(offerId, "offerId");
    if (use == null) {
      throw new NullPointerException("use must not be null");
    }
    return req("dryRun", "POST", "/offers/{}/dry-run", offerId).json(use).build();
  }

  @Override
  public DryRunResult dryRun(String offerId, IntendedUse use) {
    return api.call(dryRunRequest(offerId, use), DryRunResult.class);
  }

  @Override
  public CompletableFuture<DryRunResult> dryRunAsync(String offerId, IntendedUse use) {
    return Calls.async(() -> api.callAsync(dryRunRequest(offerId, use), DryRunResult.class));
  }
}
