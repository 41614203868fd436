package io.shudu.exchange;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.internal.SvgRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The digital asset board (数字资产板块): collections of programmable works such as the "申生不息" series of exactly
 * 10,000 unique works generated from traits, with a provenance hash committed before reveal. Each account may claim
 * one work free, once (the platform enforces it atomically, whatever the retries); works can be given to another
 * account, and nothing else: the board has no prices, no resale market and no financial features.
 *
 * <pre>{@code
 * Assets.Claim c = exchange.assets().claim(Assets.SERIES, "citizen-0001");
 * Files.writeString(Path.of("work.svg"), Assets.renderSvg(c.asset().traits()));
 * Assets.ProvenanceReport r = exchange.assets().verifyProvenance(Assets.SERIES);
 * }</pre>
 */
public final class Assets {
  /** The id of the "申生不息" series. */
  public static final String SERIES = "shen-sheng-bu-xi";

  /**
   * A collection.
   *
   * @param id collection id
   * @param name name
   * @param supply number of works
   * @param issued works claimed so far
   * @param provenanceHash SHA-256 over all work hashes in token order, committed before reveal
   * @param provenanceCommittedAt when the hash was committed
   * @param revealedAt when the traits were revealed
   * @param revealed whether the works' traits are public yet (the provenance hash always is)
   * @param startingIndex offset of the claim order, fixed at reveal
   * @param traitLayers trait layers and their values
   * @param rules the board's rules
   */
  public record Collection(String id, Catalog.LocalizedText name, int supply, int issued, String provenanceHash,
      Instant provenanceCommittedAt, Instant revealedAt, boolean revealed, int startingIndex,
      Map<String, List<String>> traitLayers, List<String> rules) {}

  /**
   * One step of a work's history.
   *
   * @param type MINTED, CLAIMED or TRANSFERRED
   * @param from previous owner (your account name, or "(another tenant)"), or null
   * @param to new owner, or null
   * @param at when
   * @param memo note
   */
  public record ProvenanceEvent(String type, String from, String to, Instant at, String memo) {}

  /**
   * A work.
   *
   * @param id asset id, collection-tokenId
   * @param collectionId collection
   * @param tokenId token id from 1
   * @param name display name
   * @param revealed whether the traits are public yet
   * @param traits layer to value, see {@link #renderSvg(Map)}; empty before the reveal
   * @param rarityScore higher is rarer (0 before the reveal)
   * @param rarityRank 1 is the rarest (0 before the reveal)
   * @param hash the work hash committed in the provenance hash (null before the reveal)
   * @param claimed whether someone holds it
   * @param owner your account holding it, or null
   * @param provenance history (single-asset reads only)
   */
  public record Asset(String id, String collectionId, int tokenId, String name, boolean revealed,
      Map<String, String> traits,
      long rarityScore, int rarityRank, String hash, boolean claimed, String owner, List<ProvenanceEvent> provenance) {
    /** Copies. */
    public Asset {
      traits = traits == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(traits));
      provenance = provenance == null ? List.of() : List.copyOf(provenance);
    }
  }

  /**
   * The answer to a claim.
   *
   * @param newlyClaimed true for a new claim, false when the account already held its work (it is returned)
   * @param asset the account's work
   */
  public record Claim(boolean newlyClaimed, Asset asset) {}

  /**
   * The outcome of a provenance verification.
   *
   * @param collectionId collection
   * @param works works checked
   * @param uniqueTraitSets distinct trait combinations among them
   * @param computedHash provenance hash recomputed from the works
   * @param committedHash the hash the collection committed
   */
  public record ProvenanceReport(String collectionId, int works, int uniqueTraitSets, String computedHash,
      String committedHash) {}

  private record Items<T>(List<T> items, String nextCursor) {}

  private static final TypeReference<Items<Collection>> COLLECTIONS = new TypeReference<>() {};
  private static final TypeReference<Items<Asset>> ASSETS = new TypeReference<>() {};

  private final ApiClient api;

  Assets(ApiClient api) {
    this.api = api;
  }

  private static final String B = "/exchange/v1/board";

  /**
   * All collections.
   *
   * @return collections
   */
  public List<Collection> collections() {
    return api.call(ApiRequest.builder("exchange.assets.collections", "GET", B + "/collections").build(), COLLECTIONS)
        .items();
  }

  /**
   * Asynchronous {@link #collections}.
   *
   * @return collections
   */
  public CompletableFuture<List<Collection>> collectionsAsync() {
    return api.callAsync(ApiRequest.builder("exchange.assets.collections", "GET", B + "/collections").build(),
        COLLECTIONS).thenApply(Items::items);
  }

  private static ApiRequest collectionRequest(String id) {
    Catalog.requireId(id, "collectionId");
    return ApiRequest.builder("exchange.assets.collection", "GET", B + "/collections/{}", id).build();
  }

  /**
   * One collection.
   *
   * @param collectionId collection id
   * @return the collection
   */
  public Collection collection(String collectionId) {
    return api.call(collectionRequest(collectionId), Collection.class);
  }

  /**
   * Asynchronous {@link #collection}.
   *
   * @param collectionId collection id
   * @return the collection
   */
  public CompletableFuture<Collection> collectionAsync(String collectionId) {
    return api.callAsync(collectionRequest(collectionId), Collection.class);
  }

  /**
   * Creates a collection generated from the board's trait layers (the sandbox allows it for testing: 1-10,000 works).
   *
   * @param name name
   * @param supply number of works
   * @param seed generation seed
   * @return the collection
   */
  public Collection createCollection(String name, int supply, long seed) {
    return api.call(createRequest(name, supply, seed, Duration.ZERO), Collection.class);
  }

  /**
   * Creates a collection whose traits stay hidden until {@code revealIn} has passed (sandbox, for testing the
   * commit-then-reveal flow): its provenance hash is public at once.
   *
   * @param name name
   * @param supply number of works
   * @param seed generation seed
   * @param revealIn delay of the reveal, at most one day
   * @return the collection
   */
  public Collection createCollection(String name, int supply, long seed, Duration revealIn) {
    return api.call(createRequest(name, supply, seed, revealIn), Collection.class);
  }

  /**
   * Asynchronous {@link #createCollection}.
   *
   * @param name name
   * @param supply number of works
   * @param seed seed
   * @return the collection
   */
  public CompletableFuture<Collection> createCollectionAsync(String name, int supply, long seed) {
    return api.callAsync(createRequest(name, supply, seed, Duration.ZERO), Collection.class);
  }

  private static ApiRequest createRequest(String name, int supply, long seed, Duration revealIn) {
    Catalog.requireId(name, "name");
    if (supply < 1 || supply > 10_000) {
      throw new IllegalArgumentException("supply must be between 1 and 10000, got " + supply);
    }
    if (revealIn == null || revealIn.isNegative() || revealIn.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("revealIn must be between zero and one day, got " + revealIn);
    }
    return ApiRequest.builder("exchange.assets.createCollection", "POST", B + "/collections")
        .json(Map.of("name", name, "supply", supply, "seed", seed, "revealInMs", revealIn.toMillis())).build();
  }

  /**
   * The works of a collection in token order, paged.
   *
   * @param collectionId collection id
   * @return the works
   */
  public PagedIterable<Asset> assets(String collectionId) {
    Catalog.requireId(collectionId, "collectionId");
    return api.paginate(1000, (token, limit) -> ApiRequest.builder("exchange.assets.list", "GET",
        B + "/collections/{}/assets", collectionId).query("cursor", token).query("limit", Math.min(limit, 1000))
        .build(), r -> {
          Items<Asset> p = r.json(ASSETS);
          return new Page<>(p.items() == null ? List.of() : p.items(), p.nextCursor());
        });
  }

  private static ApiRequest assetRequest(String id) {
    Catalog.requireId(id, "assetId");
    return ApiRequest.builder("exchange.assets.get", "GET", B + "/assets/{}", id).build();
  }

  /**
   * One work with its provenance history.
   *
   * @param assetId asset id
   * @return the work
   */
  public Asset asset(String assetId) {
    return api.call(assetRequest(assetId), Asset.class);
  }

  /**
   * Asynchronous {@link #asset}.
   *
   * @param assetId asset id
   * @return the work
   */
  public CompletableFuture<Asset> assetAsync(String assetId) {
    return api.callAsync(assetRequest(assetId), Asset.class);
  }

  static void checkAccount(String account, String field) {
    if (account == null || !account.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw new IllegalArgumentException(field + " must be 1-64 letters, digits, '_', '.', '@' or '-', got "
          + (account == null ? "null" : "'" + account + "'"));
    }
  }

  private static ApiRequest claimRequest(String collectionId, String account, String reference,
      RequestOptions options) {
    Catalog.requireId(collectionId, "collectionId");
    checkAccount(account, "account");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", account);
    if (Orders.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return ApiRequest.builder("exchange.assets.claim", "POST", B + "/collections/{}/claims", collectionId)
        .json(body).options(options).build();
  }

  /**
   * Claims under your own reference, unique per tenant: the same reference for another collection or account is a
   * {@link io.shudu.core.ConflictException} with code {@code client_reference_conflict}.
   *
   * @param collectionId collection id
   * @param account account
   * @param clientReference your reference, or null for none
   * @param options options, such as {@link RequestOptions#repeatOf} after a failure
   * @return the account's work
   */
  public Claim claim(String collectionId, String account, String clientReference, RequestOptions options) {
    return api.call(claimRequest(collectionId, account, clientReference, options), Claim.class);
  }

  /**
   * Asynchronous {@link #claim(String, String, String, RequestOptions)}.
   *
   * @param collectionId collection id
   * @param account account
   * @param clientReference your reference, or null
   * @param options options
   * @return the account's work
   */
  public CompletableFuture<Claim> claimAsync(String collectionId, String account, String clientReference,
      RequestOptions options) {
    return api.callAsync(claimRequest(collectionId, account, clientReference, options), Claim.class);
  }

  /**
   * Claims the account's free work. Safe to retry and to race: an account never gets two works, and a repeated
   * claim returns the work it already has ({@link Claim#newlyClaimed()} false). When every work is issued the
   * answer is a {@link io.shudu.core.ConflictException} with code collection_exhausted.
   *
   * @param collectionId collection id, such as {@link #SERIES}
   * @param account your user's account name
   * @return the account's work
   */
  public Claim claim(String collectionId, String account) {
    return api.call(claimRequest(collectionId, account, null, RequestOptions.defaults()), Claim.class);
  }

  /**
   * Claims with request options.
   *
   * @param collectionId collection id
   * @param account account
   * @param options options
   * @return the account's work
   */
  public Claim claim(String collectionId, String account, RequestOptions options) {
    return api.call(claimRequest(collectionId, account, null, options), Claim.class);
  }

  /**
   * Asynchronous {@link #claim(String, String)}.
   *
   * @param collectionId collection id
   * @param account account
   * @return the account's work
   */
  public CompletableFuture<Claim> claimAsync(String collectionId, String account) {
    return api.callAsync(claimRequest(collectionId, account, null, RequestOptions.defaults()), Claim.class);
  }

  /**
   * Asynchronous {@link #claim(String, String, RequestOptions)}.
   *
   * @param collectionId collection id
   * @param account account
   * @param options options
   * @return the account's work
   */
  public CompletableFuture<Claim> claimAsync(String collectionId, String account, RequestOptions options) {
    return api.callAsync(claimRequest(collectionId, account, null, options), Claim.class);
  }

  private static ApiRequest transferRequest(String assetId, String from, String to, String memo, String reference,
      RequestOptions options) {
    Catalog.requireId(assetId, "assetId");
    checkAccount(from, "fromAccount");
    checkAccount(to, "toAccount");
    if (from.equals(to)) {
      throw new IllegalArgumentException("toAccount must differ from fromAccount");
    }
    if (memo != null && memo.length() > 200) {
      throw new IllegalArgumentException("memo must be at most 200 characters, got " + memo.length());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("assetId", assetId);
    body.put("fromAccount", from);
    body.put("toAccount", to);
    if (memo != null) {
      body.put("memo", memo);
    }
    if (Orders.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return ApiRequest.builder("exchange.assets.transfer", "POST", B + "/transfers").json(body).options(options)
        .build();
  }

  /**
   * Gives a work to another account. There is deliberately no price parameter: the board forbids pricing, resale
   * and financial features (the platform answers 422 financial_feature_forbidden to any such field).
   *
   * @param assetId asset id
   * @param fromAccount the owner
   * @param toAccount the recipient
   * @param memo note, or null
   * @return the work with its updated history
   */
  public Asset transfer(String assetId, String fromAccount, String toAccount, String memo) {
    return api.call(transferRequest(assetId, fromAccount, toAccount, memo, null, RequestOptions.defaults()), Asset.class);
  }

  /**
   * Gives a work away under your own reference, unique per tenant, with request options. A transfer is the write
   * whose lost answer hurts most (a plain repeat is refused with not_owner, since the work has moved): repeat it with
   * {@link RequestOptions#repeatOf} after a failure, or with the same reference, and the answer is the first
   * transfer's result; the same reference with another request is a {@link io.shudu.core.ConflictException} with code
   * {@code client_reference_conflict}.
   *
   * @param assetId asset id
   * @param fromAccount the owner
   * @param toAccount the recipient
   * @param memo note, or null
   * @param clientReference your reference, or null for none
   * @param options options
   * @return the work with its updated history
   */
  public Asset transfer(String assetId, String fromAccount, String toAccount, String memo, String clientReference,
      RequestOptions options) {
    return api.call(transferRequest(assetId, fromAccount, toAccount, memo, clientReference, options), Asset.class);
  }

  /**
   * Asynchronous {@link #transfer(String, String, String, String, String, RequestOptions)}.
   *
   * @param assetId asset id
   * @param fromAccount owner
   * @param toAccount recipient
   * @param memo note, or null
   * @param clientReference your reference, or null
   * @param options options
   * @return the work
   */
  public CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo,
      String clientReference, RequestOptions options) {
    return api.callAsync(transferRequest(assetId, fromAccount, toAccount, memo, clientReference, options),
        Asset.class);
  }

  /**
   * Asynchronous {@link #transfer}.
   *
   * @param assetId asset id
   * @param fromAccount owner
   * @param toAccount recipient
   * @param memo note, or null
   * @return the work
   */
  public CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo) {
    return api.callAsync(transferRequest(assetId, fromAccount, toAccount, memo, null, RequestOptions.defaults()), Asset.class);
  }

  private static ApiRequest accountRequest(String account) {
    checkAccount(account, "account");
    return ApiRequest.builder("exchange.assets.account", "GET", B + "/accounts/{}/assets", account).build();
  }

  /**
   * The works an account holds.
   *
   * @param account account
   * @return works
   */
  public List<Asset> accountAssets(String account) {
    return api.call(accountRequest(account), ASSETS).items();
  }

  /**
   * Asynchronous {@link #accountAssets}.
   *
   * @param account account
   * @return works
   */
  public CompletableFuture<List<Asset>> accountAssetsAsync(String account) {
    return api.callAsync(accountRequest(account), ASSETS).thenApply(Items::items);
  }

  /**
   * Downloads every work of a collection, recomputes each work hash from its traits and the provenance hash from
   * them, and checks it against the hash the collection committed before reveal.
   *
   * @param collectionId collection id
   * @return the report
   * @throws ExchangeVerificationException PROVENANCE_MISMATCH naming the first bad token
   */
  public ProvenanceReport verifyProvenance(String collectionId) {
    Collection c = collection(collectionId);
    return verifyProvenance(c, assets(collectionId).stream().toList());
  }

  /**
   * Asynchronous {@link #verifyProvenance(String)}.
   *
   * @param collectionId collection id
   * @return the report
   */
  public CompletableFuture<ProvenanceReport> verifyProvenanceAsync(String collectionId) {
    return collectionAsync(collectionId).thenCompose(c -> assets(collectionId).toListAsync()
        .thenApply(works -> verifyProvenance(c, works)));
  }

  /**
   * Verifies works offline against a collection's committed provenance hash.
   *
   * @param collection the collection
   * @param works all its works in token order
   * @return the report
   * @throws ExchangeVerificationException PROVENANCE_MISMATCH
   * @throws IllegalStateException before the reveal
   */
  public static ProvenanceReport verifyProvenance(Collection collection, List<Asset> works) {
    if (works.stream().anyMatch(a -> !a.revealed())) {
      throw new IllegalStateException("Collection " + collection.id() + " is not revealed until "
          + collection.revealedAt() + ": only its provenance hash " + collection.provenanceHash() + " (committed at "
          + collection.provenanceCommittedAt() + ") is public. Keep the hash and verify the works after the reveal.");
    }
    if (works.size() != collection.supply()) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.PROVENANCE_MISMATCH, -1,
          "Collection " + collection.id() + " declares " + collection.supply() + " works but " + works.size()
              + " were listed.");
    }
    StringBuilder all = new StringBuilder(works.size() * 64);
    Set<String> unique = new HashSet<>();
    int expectedToken = 1;
    for (Asset a : works) {
      if (a.tokenId() != expectedToken) {
        throw new ExchangeVerificationException(ExchangeVerificationException.Reason.PROVENANCE_MISMATCH, a.tokenId(),
            "Works must be in token order: expected token " + expectedToken + ", got " + a.tokenId() + ".");
      }
      String h = ExchangeCrypto.workHash(collection.id(), a.tokenId(), a.traits());
      if (!h.equals(a.hash())) {
        throw new ExchangeVerificationException(ExchangeVerificationException.Reason.PROVENANCE_MISMATCH, a.tokenId(),
            "Work " + a.id() + "'s traits hash to " + h + " but it states " + a.hash() + ": its traits were changed "
                + "after the provenance was committed.");
      }
      unique.add(ExchangeCrypto.canonicalTraits(a.traits()));
      all.append(h);
      expectedToken++;
    }
    String computed = ExchangeCrypto.sha256Hex(all.toString());
    if (!computed.equals(collection.provenanceHash())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.PROVENANCE_MISMATCH, -1, "The works "
          + "of " + collection.id() + " give provenance hash " + computed + " but the collection committed "
          + collection.provenanceHash() + ".");
    }
    return new ProvenanceReport(collection.id(), works.size(), unique.size(), computed, collection.provenanceHash());
  }

  /**
   * Renders a work as SVG from its traits: byte-identical for the same traits on every machine.
   *
   * @param traits layer to value (background, landmark, palette, pattern, emblem, frame)
   * @return the SVG document
   * @throws IllegalArgumentException naming the layer when a trait is missing or unknown
   */
  public static String renderSvg(Map<String, String> traits) {
    if (traits == null) {
      throw new NullPointerException("traits must not be null");
    }
    return SvgRenderer.render(traits);
  }

  /**
   * Writes a work's SVG (UTF-8).
   *
   * @param asset the work
   * @param file target
   * @return the file
   */
  public static Path writeSvg(Asset asset, Path file) {
    try {
      return Files.writeString(file, renderSvg(asset.traits()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }
}
