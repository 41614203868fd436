package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import java.util.concurrent.CompletableFuture;

/**
 * Offers and their usage policies (purpose, duration, territory and cross-border transfer, redistribution,
 * personal-information category), and the policy dry-run that tells a buyer before ordering whether an intended use
 * is allowed and exactly why not. Every operation has a blocking and an {@code ...Async} form that never throws.
 *
 * <pre>{@code
 * IntendedUse use = IntendedUse.of("research", 180).withTerritory("SG");
 * DryRunResult r = exchange.policies().dryRun("of-metro-flow", use);
 * if (!r.allowed()) {
 *   r.violations().forEach(v -> System.out.println(v.field() + ": " + v.message()));
 * }
 * }</pre>
 */
public interface ExchangePolicies {
  /**
   * A view of this API whose calls use per-call options.
   *
   * @param options the options
   * @return the view
   */
  ExchangePolicies withOptions(RequestOptions options);

  /**
   * The offers of a product, page by page.
   *
   * @param productId product id
   * @return offers
   */
  PagedIterable<Offer> offers(String productId);

  /**
   * One offer.
   *
   * @param offerId offer id
   * @return the offer
   */
  Offer offer(String offerId);

  /**
   * Async {@link #offer}.
   *
   * @param offerId offer id
   * @return the offer
   */
  CompletableFuture<Offer> offerAsync(String offerId);

  /**
   * Checks an intended use against an offer's policy without ordering.
   *
   * @param offerId offer id
   * @param use the intended use
   * @return whether it is allowed and every reason why not
   */
  DryRunResult dryRun(String offerId, IntendedUse use);

  /**
   * Async {@link #dryRun}.
   *
   * @param offerId offer id
   * @param use the intended use
   * @return the result
   */
  CompletableFuture<DryRunResult> dryRunAsync(String offerId, IntendedUse use);
}
