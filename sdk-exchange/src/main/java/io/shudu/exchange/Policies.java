package io.shudu.exchange;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Offers and their usage policies (purpose, duration, territory and cross-border transfer, redistribution,
 * personal-information category), and the policy dry-run that tells a buyer before ordering whether an intended use
 * is allowed and exactly why not.
 *
 * <pre>{@code
 * Policies.IntendedUse use = Policies.IntendedUse.of("research", 180).withTerritory("SG");
 * Policies.DryRunResult r = exchange.policies().dryRun("of-metro-flow", use);
 * if (!r.allowed()) {
 *   r.violations().forEach(v -> System.out.println(v.field() + ": " + v.message()));
 * }
 * }</pre>
 */
public final class Policies {
  /** How far the buyer may pass the data on, from least to most. */
  public enum Redistribution {
    /** Not at all. */
    NONE,
    /** Within the buyer's own organisation. */
    INTERNAL,
    /** Only aggregated results derived from the data. */
    AGGREGATED_ONLY,
    /** Freely. */
    ALLOWED
  }

  /** Personal-information category of a product (PIPL). */
  public enum PersonalInformation {
    /** No personal information. */
    NONE,
    /** De-identified personal information. */
    DEIDENTIFIED,
    /** Personal information. */
    PERSONAL,
    /** Sensitive personal information. */
    SENSITIVE
  }

  /**
   * The usage policy of an offer.
   *
   * @param purposes permitted purposes
   * @param maxDurationDays longest permitted use
   * @param territories permitted territories (ISO 3166 codes, CN for mainland China)
   * @param crossBorder whether transfer outside mainland China is permitted
   * @param redistribution the most redistribution permitted
   * @param personalInformation the product's personal-information category
   */
  public record UsagePolicy(List<String> purposes, int maxDurationDays, List<String> territories, boolean crossBorder,
      Redistribution redistribution, PersonalInformation personalInformation) {
    /** Copies lists. */
    public UsagePolicy {
      purposes = purposes == null ? List.of() : List.copyOf(purposes);
      territories = territories == null ? List.of() : List.copyOf(territories);
    }
  }

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
  public record Offer(String id, String productId, String merchantId, Catalog.LocalizedText title,
      Catalog.PriceTerms priceTerms, UsagePolicy policy) {}

  /**
   * What the buyer intends to do with the data.
   *
   * @param purpose purpose, such as research or urban-planning
   * @param durationDays how long, 1-36500 days
   * @param territory where the data will be used (ISO 3166 alpha-2, CN for mainland China)
   * @param crossBorder whether the data leaves mainland China (implied when territory is not CN)
   * @param redistribution how far it will be passed on
   */
  public record IntendedUse(String purpose, int durationDays, String territory, boolean crossBorder,
      Redistribution redistribution) {
    /** Validates with messages naming the field. */
    public IntendedUse {
      if (purpose == null || purpose.isBlank()) {
        throw new IllegalArgumentException("IntendedUse.purpose must not be blank (for example 'research')");
      }
      if (durationDays < 1 || durationDays > 36_500) {
        throw new IllegalArgumentException("IntendedUse.durationDays must be between 1 and 36500, got " + durationDays);
      }
      if (territory == null || !territory.matches("[A-Z]{2}")) {
        throw new IllegalArgumentException("IntendedUse.territory must be an ISO 3166 alpha-2 code such as CN or SG, "
            + "got " + (territory == null ? "null" : "'" + territory + "'"));
      }
      if (redistribution == null) {
        throw new NullPointerException("IntendedUse.redistribution must not be null; use Redistribution.NONE");
      }
    }

    /**
     * A use inside mainland China without redistribution.
     *
     * @param purpose purpose
     * @param durationDays days
     * @return the use
     */
    public static IntendedUse of(String purpose, int durationDays) {
      return new IntendedUse(purpose, durationDays, "CN", false, Redistribution.NONE);
    }

    /**
     * The same use in another territory; anything but CN is a cross-border transfer.
     *
     * @param t ISO 3166 alpha-2 code
     * @return a copy
     */
    public IntendedUse withTerritory(String t) {
      String code = t == null ? null : t.toUpperCase(Locale.ROOT);
      return new IntendedUse(purpose, durationDays, code, crossBorder || !"CN".equals(code), redistribution);
    }

    /**
     * The same use with a cross-border transfer (or without).
     *
     * @param cb whether the data leaves mainland China
     * @return a copy
     */
    public IntendedUse withCrossBorder(boolean cb) {
      return new IntendedUse(purpose, durationDays, territory, cb, redistribution);
    }

    /**
     * The same use with redistribution.
     *
     * @param r redistribution
     * @return a copy
     */
    public IntendedUse withRedistribution(Redistribution r) {
      return new IntendedUse(purpose, durationDays, territory, crossBorder, r);
    }
  }

  /**
   * One reason a use is not allowed.
   *
   * @param field the intended-use field concerned (purpose, durationDays, territory, crossBorder, redistribution,
   *     personalInformation)
   * @param code machine-readable reason, such as purpose_not_permitted
   * @param message explanation with the permitted values
   */
  public record Violation(String field, String code, String message) {}

  /**
   * The dry-run's answer.
   *
   * @param offerId the offer
   * @param allowed whether the use is allowed
   * @param violations every reason it is not (empty when allowed)
   * @param policy the offer's policy
   */
  public record DryRunResult(String offerId, boolean allowed, List<Violation> violations, UsagePolicy policy) {
    /** Copies. */
    public DryRunResult {
      violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /**
     * One line per reason, or "allowed".
     *
     * @return explanation
     */
    public String explain() {
      if (allowed) {
        return "allowed by offer " + offerId;
      }
      StringBuilder sb = new StringBuilder("not allowed by offer " + offerId + ":");
      for (Violation v : violations) {
        sb.append("\n- ").append(v.field()).append(" (").append(v.code()).append("): ").append(v.message());
      }
      return sb.toString();
    }
  }

  private record Items<T>(List<T> items) {}

  private static final TypeReference<Items<Offer>> OFFERS = new TypeReference<>() {};

  private final ApiClient api;

  Policies(ApiClient api) {
    this.api = api;
  }

  /**
   * The offers of a product.
   *
   * @param productId product id
   * @return offers
   */
  public List<Offer> offers(String productId) {
    return api.call(offersRequest(productId), OFFERS).items();
  }

  /**
   * Asynchronous {@link #offers}.
   *
   * @param productId product id
   * @return offers
   */
  public CompletableFuture<List<Offer>> offersAsync(String productId) {
    return api.callAsync(offersRequest(productId), OFFERS).thenApply(Items::items);
  }

  private static ApiRequest offersRequest(String productId) {
    Catalog.requireId(productId, "productId");
    return ApiRequest.builder("exchange.policies.offers", "GET", "/exchange/v1/offers").query("productId", productId)
        .build();
  }

  /**
   * One offer.
   *
   * @param offerId offer id
   * @return the offer
   */
  public Offer offer(String offerId) {
    return api.call(offerRequest(offerId), Offer.class);
  }

  /**
   * Asynchronous {@link #offer}.
   *
   * @param offerId offer id
   * @return the offer
   */
  public CompletableFuture<Offer> offerAsync(String offerId) {
    return api.callAsync(offerRequest(offerId), Offer.class);
  }

  private static ApiRequest offerRequest(String offerId) {
    Catalog.requireId(offerId, "offerId");
    return ApiRequest.builder("exchange.policies.offer", "GET", "/exchange/v1/offers/{}", offerId).build();
  }

  /**
   * Checks an intended use against an offer's policy without ordering.
   *
   * @param offerId offer id
   * @param use the intended use
   * @return whether it is allowed and every reason why not
   */
  public DryRunResult dryRun(String offerId, IntendedUse use) {
    return api.call(dryRunRequest(offerId, use), DryRunResult.class);
  }

  /**
   * Asynchronous {@link #dryRun}.
   *
   * @param offerId offer id
   * @param use the intended use
   * @return the result
   */
  public CompletableFuture<DryRunResult> dryRunAsync(String offerId, IntendedUse use) {
    return api.callAsync(dryRunRequest(offerId, use), DryRunResult.class);
  }

  private static ApiRequest dryRunRequest(String offerId, IntendedUse use) {
    Catalog.requireId(offerId, "offerId");
    if (use == null) {
      throw new NullPointerException("use must not be null");
    }
    return ApiRequest.builder("exchange.policies.dryRun", "POST", "/exchange/v1/offers/{}/dry-run", offerId).json(use)
        .build();
  }
}
