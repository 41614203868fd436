package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.Asset;
import io.shudu.exchange.AssetCollection;
import io.shudu.exchange.Claim;
import io.shudu.exchange.ExchangeAssets;
import io.shudu.exchange.ExchangeVerificationException;
import io.shudu.exchange.ProvenanceReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangeAssets} over the core pipeline, and the offline provenance check. */
public final class AssetsApi implements ExchangeAssets {
  private static final String B = BASE + "/board";
  private static final TypeReference<Calls.PageDto<AssetCollection>> COLLECTIONS = new TypeReference<>() {};
  private static final TypeReference<Calls.PageDto<Asset>> ASSETS = new TypeReference<>() {};

  private final ApiClient api;
  private final RequestOptions options;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   */
  public AssetsApi(ApiClient api, RequestOptions options) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
  }

  @Override
  public ExchangeAssets withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new AssetsApi(api, options);
  }

  private ApiRequest.Builder req(String op, String method, String path, Object... args) {
    return ApiRequest.builder("exchange.assets." + op, method, B + path, args).options(options);
  }

  @Override
  public PagedIterable<AssetCollection> collections() {
    return Calls.paged(api, 100, 1000, () -> req("collections", "GET", "/collections"), COLLECTIONS);
  }

  private ApiRequest collectionRequest(String id) {
    return req("collection", "GET", "/collections/{}", Calls.requireId(id, "collectionId")).build();
  }

  @Override
  public AssetCollection collection(String collectionId) {
    return api.call(collectionRequest(collectionId), AssetCollection.class);
  }

  @Override
  public CompletableFuture<AssetCollection> collectionAsync(String collectionId) {
    return Calls.async(() -> api.callAsync(collectionRequest(collectionId), AssetCollection.class));
  }

  private ApiRequest createRequest(String name, int supply, long seed, Duration revealIn) {
    Calls.requireId(name, "name");
    if (supply < 1 || supply > 10_000) {
      throw new IllegalArgumentException("supply must be between 1 and 10000, got " + supply);
    }
    if (revealIn == null || revealIn.isNegative() || revealIn.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("revealIn must be between zero and one day, got " + revealIn);
    }
    return req("createCollection", "POST", "/collections")
        .json(Map.of("name", name, "supply", supply, "seed", seed, "revealInMs", revealIn.toMillis())).build();
  }

  @Override
  public AssetCollection createCollection(String name, int supply, long seed) {
    return createCollection(name, supply, seed, Duration.ZERO);
  }

  @Override
  public CompletableFuture<AssetCollection> createCollectionAsync(String name, int supply, long seed) {
    return createCollectionAsync(name, supply, seed, Duration.ZERO);
  }

  @Override
  public AssetCollection createCollection(String name, int supply, long seed, Duration revealIn) {
    return api.call(createRequest(name, supply, seed, revealIn), AssetCollection.class);
  }

  @Override
  public CompletableFuture<AssetCollection> createCollectionAsync(String name, int supply, long seed,
      Duration revealIn) {
    return Calls.async(() -> api.callAsync(createRequest(name, supply, seed, revealIn), AssetCollection.class));
  }

  @Override
  public PagedIterable<Asset> assets(String collectionId) {
    Calls.requireId(collectionId, "collectionId");
    return Calls.paged(api, 1000, 1000, () -> req("list", "GET", "/collections/{}/assets", collectionId), ASSETS);
  }

  private ApiRequest assetRequest(String id) {
    return req("get", "GET", "/assets/{}", Calls.requireId(id, "assetId")).build();
  }

  @Override
  public Asset asset(String assetId) {
    return api.call(assetRequest(assetId), Asset.class);
  }

  @Override
  public CompletableFuture<Asset> assetAsync(String assetId) {
    return Calls.async(() -> api.callAsync(assetRequest(assetId), Asset.class));
  }

  static void checkAccount(String account, String field) {
    if (account == null || !account.matches("[A-Za-z0-9_.@-]{1,64}")) {
      throw new IllegalArgumentException(field + " must be 1-64 letters, digits, '_', '.', '@' or '-', got "
          + (account == null ? "null" : "'" + account + "'"));
    }
  }

  private ApiRequest claimRequest(String collectionId, String account, String reference) {
    Calls.requireId(collectionId, "collectionId");
    checkAccount(account, "account");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("account", account);
    if (Calls.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return req("claim", "POST", "/collections/{}/claims", collectionId).json(body).build();
  }

  @Override
  public Claim claim(String collectionId, String account) {
    return claim(collectionId, account, null);
  }

  @Override
  public CompletableFuture<Claim> claimAsync(String collectionId, String account) {
    return claimAsync(collectionId, account, null);
  }

  @Override
  public Claim claim(String collectionId, String account, String clientReference) {
    return api.call(claimRequest(collectionId, account, clientReference), Claim.class);
  }

  @Override
  public CompletableFuture<Claim> claimAsync(String collectionId, String account, String clientReference) {
    return Calls.async(() -> api.callAsync(claimRequest(collectionId, account, clientReference), Claim.class));
  }

  private ApiRequest transferRequest(String assetId, String from, String to, String memo, String reference) {
    Calls.requireId(assetId, "assetId");
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
    if (Calls.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return req("transfer", "POST", "/transfers").json(body).build();
  }

  @Override
  public Asset transfer(String assetId, String fromAccount, String toAccount, String memo) {
    return transfer(assetId, fromAccount, toAccount, memo, null);
  }

  @Override
  public CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo) {
    return transferAsync(assetId, fromAccount, toAccount, memo, null);
  }

  @Override
  public Asset transfer(String assetId, String fromAccount, String toAccount, String memo, String clientReference) {
    return api.call(transferRequest(assetId, fromAccount, toAccount, memo, clientReference), Asset.class);
  }

  @Override
  public CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo,
      String clientReference) {
    return Calls.async(() -> api.callAsync(transferRequest(assetId, fromAccount, toAccount, memo, clientReference),
        Asset.class));
  }

  @Override
  public PagedIterable<Asset> accountAssets(String account) {
    checkAccount(account, "account");
    return Calls.paged(api, 100, 1000, () -> req("account", "GET", "/accounts/{}/assets", account), ASSETS);
  }

  @Override
  public ProvenanceReport verifyProvenance(String collectionId) {
    AssetCollection c = collection(collectionId);
    return verifyProvenance(c, assets(collectionId).stream().toList());
  }

  @Override
  public CompletableFuture<ProvenanceReport> verifyProvenanceAsync(String collectionId) {
    return Calls.async(() -> collectionAsync(collectionId).thenCompose(c -> assets(collectionId).toListAsync()
        .thenApply(works -> verifyProvenance(c, works))));
  }

  /**
   * Verifies works offline against a collection's committed provenance hash.
   *
   * @param collection the collection
   * @param works all its works in token order
   * @return the report
   */
  public static ProvenanceReport verifyProvenance(AssetCollection collection, List<Asset> works) {
    if (collection == null || works == null) {
      throw new NullPointerException("collection and works must not be null");
    }
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
   * Renders a work as SVG.
   *
   * @param traits layer to value
   * @return the SVG document
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
