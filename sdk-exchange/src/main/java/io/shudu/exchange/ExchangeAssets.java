package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.exchange.internal.AssetsApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The digital asset board (数字资产板块): collections of programmable works such as the "申生不息" series of exactly
 * 10,000 unique works generated from traits, with a provenance hash committed before reveal. Each account may claim
 * one work free, once (the platform enforces it atomically, whatever the retries); works can be given to another
 * account, and nothing else: the board has no prices, no resale market and no financial features. Every operation
 * has a blocking and an {@code ...Async} form that never throws; lists are {@link PagedIterable}s.
 *
 * <pre>{@code
 * Claim c = exchange.assets().claim(ExchangeAssets.SERIES, "citizen-0001");
 * Files.writeString(Path.of("work.svg"), ExchangeAssets.renderSvg(c.asset().traits()));
 * ProvenanceReport r = exchange.assets().verifyProvenance(ExchangeAssets.SERIES);
 * }</pre>
 */
public interface ExchangeAssets {
  /** The id of the "申生不息" series. */
  String SERIES = "shen-sheng-bu-xi";

  /**
   * A view of this API whose calls use per-call options (such as {@link RequestOptions#repeatOf} to repeat a failed
   * claim or transfer).
   *
   * @param options the options
   * @return the view
   */
  ExchangeAssets withOptions(RequestOptions options);

  /**
   * All collections, page by page.
   *
   * @return collections
   */
  PagedIterable<AssetCollection> collections();

  /**
   * One collection.
   *
   * @param collectionId collection id
   * @return the collection
   */
  AssetCollection collection(String collectionId);

  /**
   * Async {@link #collection}.
   *
   * @param collectionId collection id
   * @return the collection
   */
  CompletableFuture<AssetCollection> collectionAsync(String collectionId);

  /**
   * Creates a collection generated from the board's trait layers (the sandbox allows it for testing: 1-10,000 works).
   *
   * @param name name
   * @param supply number of works
   * @param seed generation seed
   * @return the collection
   */
  AssetCollection createCollection(String name, int supply, long seed);

  /**
   * Async {@link #createCollection(String, int, long)}.
   *
   * @param name name
   * @param supply number of works
   * @param seed seed
   * @return the collection
   */
  CompletableFuture<AssetCollection> createCollectionAsync(String name, int supply, long seed);

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
  AssetCollection createCollection(String name, int supply, long seed, Duration revealIn);

  /**
   * Async {@link #createCollection(String, int, long, Duration)}.
   *
   * @param name name
   * @param supply number of works
   * @param seed seed
   * @param revealIn delay of the reveal
   * @return the collection
   */
  CompletableFuture<AssetCollection> createCollectionAsync(String name, int supply, long seed, Duration revealIn);

  /**
   * The works of a collection in token order, page by page.
   *
   * @param collectionId collection id
   * @return the works
   */
  PagedIterable<Asset> assets(String collectionId);

  /**
   * One work with its provenance history.
   *
   * @param assetId asset id
   * @return the work
   */
  Asset asset(String assetId);

  /**
   * Async {@link #asset}.
   *
   * @param assetId asset id
   * @return the work
   */
  CompletableFuture<Asset> assetAsync(String assetId);

  /**
   * Claims the account's free work. Safe to retry and to race: an account never gets two works, and a repeated
   * claim returns the work it already has ({@link Claim#newlyClaimed()} false). When every work is issued the
   * answer is a {@link io.shudu.core.ConflictException} with code collection_exhausted.
   *
   * @param collectionId collection id, such as {@link #SERIES}
   * @param account your user's account name
   * @return the account's work
   */
  Claim claim(String collectionId, String account);

  /**
   * Async {@link #claim(String, String)}.
   *
   * @param collectionId collection id
   * @param account account
   * @return the account's work
   */
  CompletableFuture<Claim> claimAsync(String collectionId, String account);

  /**
   * Claims under your own reference, unique per tenant: the same reference for another collection or account is a
   * {@link io.shudu.core.ConflictException} with code {@code client_reference_conflict}.
   *
   * @param collectionId collection id
   * @param account account
   * @param clientReference your reference, or null for none
   * @return the account's work
   */
  Claim claim(String collectionId, String account, String clientReference);

  /**
   * Async {@link #claim(String, String, String)}.
   *
   * @param collectionId collection id
   * @param account account
   * @param clientReference your reference, or null
   * @return the account's work
   */
  CompletableFuture<Claim> claimAsync(String collectionId, String account, String clientReference);

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
  Asset transfer(String assetId, String fromAccount, String toAccount, String memo);

  /**
   * Async {@link #transfer(String, String, String, String)}.
   *
   * @param assetId asset id
   * @param fromAccount owner
   * @param toAccount recipient
   * @param memo note, or null
   * @return the work
   */
  CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo);

  /**
   * Gives a work away under your own reference, unique per tenant. A transfer is the write whose lost answer hurts
   * most (a plain repeat is refused with not_owner, since the work has moved): repeat it on
   * {@code withOptions(RequestOptions.repeatOf(e))} after a failure, or with the same reference, and the answer is the
   * first transfer's result; the same reference with another request is a {@link io.shudu.core.ConflictException}
   * with code {@code client_reference_conflict}.
   *
   * @param assetId asset id
   * @param fromAccount the owner
   * @param toAccount the recipient
   * @param memo note, or null
   * @param clientReference your reference, or null for none
   * @return the work with its updated history
   */
  Asset transfer(String assetId, String fromAccount, String toAccount, String memo, String clientReference);

  /**
   * Async {@link #transfer(String, String, String, String, String)}.
   *
   * @param assetId asset id
   * @param fromAccount owner
   * @param toAccount recipient
   * @param memo note, or null
   * @param clientReference your reference, or null
   * @return the work
   */
  CompletableFuture<Asset> transferAsync(String assetId, String fromAccount, String toAccount, String memo,
      String clientReference);

  /**
   * The works an account holds, page by page.
   *
   * @param account account
   * @return works
   */
  PagedIterable<Asset> accountAssets(String account);

  /**
   * Downloads every work of a collection, recomputes each work hash from its traits and the provenance hash from
   * them, and checks it against the hash the collection committed before reveal.
   *
   * @param collectionId collection id
   * @return the report
   * @throws ExchangeVerificationException PROVENANCE_MISMATCH naming the first bad token
   */
  ProvenanceReport verifyProvenance(String collectionId);

  /**
   * Async {@link #verifyProvenance(String)}.
   *
   * @param collectionId collection id
   * @return the report
   */
  CompletableFuture<ProvenanceReport> verifyProvenanceAsync(String collectionId);

  /**
   * Verifies works offline against a collection's committed provenance hash.
   *
   * @param collection the collection
   * @param works all its works in token order
   * @return the report
   * @throws ExchangeVerificationException PROVENANCE_MISMATCH
   * @throws IllegalStateException before the reveal
   */
  static ProvenanceReport verifyProvenance(AssetCollection collection, List<Asset> works) {
    return AssetsApi.verifyProvenance(collection, works);
  }

  /**
   * Renders a work as SVG from its traits: byte-identical for the same traits on every machine.
   *
   * @param traits layer to value (background, landmark, palette, pattern, emblem, frame)
   * @return the SVG document
   * @throws IllegalArgumentException naming the layer when a trait is missing or unknown
   */
  static String renderSvg(Map<String, String> traits) {
    return AssetsApi.renderSvg(traits);
  }

  /**
   * Writes a work's SVG (UTF-8).
   *
   * @param asset the work
   * @param file target
   * @return the file
   */
  static Path writeSvg(Asset asset, Path file) {
    return AssetsApi.writeSvg(asset, file);
  }
}
