package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.exchange.internal.DeliveriesApi;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Verifiable delivery. A delivery of a finalised order moves {@code REQUESTED → STARTED (merchant) → COMPLETED
 * (buyer)}, or {@code SUSPENDED}/{@code TERMINATED} ({@link DeliveryState}, {@link DeliveryAction}). When it starts,
 * the exchange signs a {@link Receipt} (Ed25519) over order, product version, byte count, Merkle root and time.
 * {@link #download(String, Path, DownloadListener)} streams the content with constant memory, checks every 1 MiB
 * chunk's SHA-256 as it arrives, resumes with HTTP Range after an interruption, and verifies the Merkle root, byte
 * count and receipt signature against the exchange's keys: any mismatch is an {@link ExchangeVerificationException}.
 * Every operation has a blocking form and an {@code ...Async} form that never throws (failures arrive through the
 * future). Transitions accept an {@code ifMatch} ETag from {@link #getVersioned}; a stale one is a
 * {@link io.shudu.core.PreconditionFailedException} (412).
 *
 * <pre>{@code
 * Delivery d = exchange.deliveries().request(order.id());
 * exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(30));
 * DownloadResult r = exchange.deliveries().download(d.id(), Path.of("metro.ndjson"),
 *     (done, total) -> System.out.printf("%d/%d%n", done, total));
 * exchange.deliveries().complete(d.id(), r.merkleRoot());
 * }</pre>
 */
public interface ExchangeDeliveries {
  /**
   * A view of this API whose calls use per-call options (timeouts, headers, an Idempotency-Key, such as
   * {@link RequestOptions#repeatOf} to repeat a failed request or transition).
   *
   * @param options the options
   * @return the view
   */
  ExchangeDeliveries withOptions(RequestOptions options);

  /**
   * Requests a delivery of a FINALIZED order (a 409 code order_not_finalized otherwise).
   *
   * @param orderId order id
   * @return the delivery, REQUESTED
   */
  Delivery request(String orderId);

  /**
   * Async {@link #request(String)}.
   *
   * @param orderId order id
   * @return the delivery
   */
  CompletableFuture<Delivery> requestAsync(String orderId);

  /**
   * Requests a delivery under your own reference, unique per tenant: a second request with the same reference for the
   * same order returns the first delivery; the same reference for another order is a
   * {@link io.shudu.core.ConflictException} with code {@code client_reference_conflict}.
   *
   * @param orderId order id
   * @param clientReference your reference, or null for none
   * @return the delivery (the first one requested under this reference)
   */
  Delivery request(String orderId, String clientReference);

  /**
   * Async {@link #request(String, String)}.
   *
   * @param orderId order id
   * @param clientReference your reference, or null
   * @return the delivery
   */
  CompletableFuture<Delivery> requestAsync(String orderId, String clientReference);

  /**
   * The deliveries of an order, oldest first, page by page.
   *
   * @param orderId order id
   * @return the listing
   */
  PagedIterable<Delivery> list(String orderId);

  /**
   * One delivery.
   *
   * @param deliveryId delivery id
   * @return the delivery
   */
  Delivery get(String deliveryId);

  /**
   * Async {@link #get}.
   *
   * @param deliveryId delivery id
   * @return the delivery
   */
  CompletableFuture<Delivery> getAsync(String deliveryId);

  /**
   * One delivery with its ETag, for a conditional transition.
   *
   * @param deliveryId delivery id
   * @return the delivery and its ETag
   */
  Versioned<Delivery> getVersioned(String deliveryId);

  /**
   * Async {@link #getVersioned}.
   *
   * @param deliveryId delivery id
   * @return the delivery and its ETag
   */
  CompletableFuture<Versioned<Delivery>> getVersionedAsync(String deliveryId);

  /**
   * The chunk hashes and Merkle root.
   *
   * @param deliveryId delivery id
   * @return the manifest
   */
  DeliveryManifest manifest(String deliveryId);

  /**
   * Async {@link #manifest}.
   *
   * @param deliveryId delivery id
   * @return the manifest
   */
  CompletableFuture<DeliveryManifest> manifestAsync(String deliveryId);

  /**
   * The signed receipt (issued when the delivery starts; a 409 code receipt_not_issued before).
   *
   * @param deliveryId delivery id
   * @return the receipt, not yet verified: see {@link #verifyReceipt(Receipt)}
   */
  Receipt receipt(String deliveryId);

  /**
   * Async {@link #receipt}.
   *
   * @param deliveryId delivery id
   * @return the receipt
   */
  CompletableFuture<Receipt> receiptAsync(String deliveryId);

  /**
   * The signing keys the endpoint publishes (a small key set, fetched again on every call; verification caches
   * them). They come from the same endpoint as the content, so they do not prove that the endpoint is the exchange:
   * for that, pin keys obtained out of band with {@link ExchangeClient.Builder#trustedKeys(List)} (a pinned client
   * never verifies with these).
   *
   * @return the keys
   */
  List<ExchangeKey> keys();

  /**
   * Async {@link #keys()}.
   *
   * @return the keys
   */
  CompletableFuture<List<ExchangeKey>> keysAsync();

  /**
   * Verifies a receipt's signature against the pinned keys, or without pinning the keys the endpoint publishes.
   *
   * @param receipt the receipt
   * @throws ExchangeVerificationException BAD_SIGNATURE or UNKNOWN_KEY
   */
  void verifyReceipt(Receipt receipt);

  /**
   * Async {@link #verifyReceipt(Receipt)}: completes normally when valid, exceptionally with
   * {@link ExchangeVerificationException} otherwise.
   *
   * @param receipt the receipt
   * @return completion
   */
  CompletableFuture<Void> verifyReceiptAsync(Receipt receipt);

  /**
   * Verifies a receipt offline against keys you kept.
   *
   * @param receipt the receipt
   * @param trusted the exchange's keys
   * @throws ExchangeVerificationException BAD_SIGNATURE or UNKNOWN_KEY
   */
  static void verifyReceipt(Receipt receipt, List<ExchangeKey> trusted) {
    DeliveriesApi.verifyReceipt(receipt, trusted);
  }

  /**
   * Verifies a downloaded file offline against a manifest, receipt and keys you kept.
   *
   * @param file the file
   * @param manifest the manifest
   * @param receipt the receipt
   * @param trusted the exchange's keys
   * @return the verified Merkle root
   * @throws ExchangeVerificationException on any mismatch
   */
  static String verifyFile(Path file, DeliveryManifest manifest, Receipt receipt, List<ExchangeKey> trusted) {
    return DeliveriesApi.verifyFile(file, manifest, receipt, trusted);
  }

  /**
   * Downloads and verifies into a file. A partial file from an interrupted earlier run is verified chunk by chunk and
   * resumed from its last good chunk.
   *
   * @param deliveryId delivery id (STARTED or COMPLETED)
   * @param target file
   * @param listener progress, or null
   * @return the verified result
   * @throws ExchangeVerificationException on any mismatch (the file is cut back to its last verified chunk)
   */
  DownloadResult download(String deliveryId, Path target, DownloadListener listener);

  /**
   * Async {@link #download(String, Path, DownloadListener)} on the client's download threads.
   *
   * @param deliveryId delivery id
   * @param target file
   * @param listener progress, or null
   * @return the result
   */
  CompletableFuture<DownloadResult> downloadAsync(String deliveryId, Path target, DownloadListener listener);

  /**
   * Downloads and verifies into a stream (not closed). Bytes reach the stream before their chunk is verified: on an
   * {@link ExchangeVerificationException} discard what was written.
   *
   * @param deliveryId delivery id
   * @param out destination
   * @param listener progress, or null
   * @return the verified result
   */
  DownloadResult download(String deliveryId, OutputStream out, DownloadListener listener);

  /**
   * Async {@link #download(String, OutputStream, DownloadListener)}.
   *
   * @param deliveryId delivery id
   * @param out destination
   * @param listener progress, or null
   * @return the result
   */
  CompletableFuture<DownloadResult> downloadAsync(String deliveryId, OutputStream out, DownloadListener listener);

  /**
   * Takes a transition unconditionally (START, SUSPEND, RESUME, TERMINATE; the sandbox lets you act for the
   * merchant). COMPLETE needs the Merkle root: use {@link #complete}.
   *
   * @param deliveryId delivery id
   * @param action the action
   * @return the delivery
   * @throws io.shudu.core.ConflictException code invalid_transition, listing the allowed transitions
   */
  Delivery transition(String deliveryId, DeliveryAction action);

  /**
   * Async {@link #transition(String, DeliveryAction)}.
   *
   * @param deliveryId delivery id
   * @param action the action
   * @return the delivery
   */
  CompletableFuture<Delivery> transitionAsync(String deliveryId, DeliveryAction action);

  /**
   * Takes a transition only if the delivery is unchanged since it was read ({@code If-Match}).
   *
   * @param deliveryId delivery id
   * @param action the action
   * @param ifMatch the ETag from {@link #getVersioned}, or null for unconditional
   * @return the delivery
   * @throws io.shudu.core.PreconditionFailedException if it changed since that read
   */
  Delivery transition(String deliveryId, DeliveryAction action, String ifMatch);

  /**
   * Async {@link #transition(String, DeliveryAction, String)}.
   *
   * @param deliveryId delivery id
   * @param action the action
   * @param ifMatch the ETag, or null
   * @return the delivery
   */
  CompletableFuture<Delivery> transitionAsync(String deliveryId, DeliveryAction action, String ifMatch);

  /**
   * Confirms receipt with the Merkle root you verified (STARTED → COMPLETED); a different root is a 409 code
   * merkle_root_mismatch.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root, such as {@link DownloadResult#merkleRoot()}
   * @return the delivery, COMPLETED
   */
  Delivery complete(String deliveryId, String merkleRoot);

  /**
   * Async {@link #complete(String, String)}.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @return the delivery
   */
  CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot);

  /**
   * Confirms receipt only if the delivery is unchanged since it was read ({@code If-Match}).
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @param ifMatch the ETag from {@link #getVersioned}, or null for unconditional
   * @return the delivery, COMPLETED
   */
  Delivery complete(String deliveryId, String merkleRoot, String ifMatch);

  /**
   * Async {@link #complete(String, String, String)}.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @param ifMatch the ETag, or null
   * @return the delivery
   */
  CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot, String ifMatch);

  /**
   * Waits until the delivery reaches (or passes) a state.
   *
   * @param deliveryId delivery id
   * @param state the state
   * @param timeout how long
   * @return the delivery
   * @throws AwaitStateException on timeout (saying who has not acted) or when the state can no longer be reached
   */
  Delivery awaitState(String deliveryId, DeliveryState state, Duration timeout);

  /**
   * Async {@link #awaitState}.
   *
   * @param deliveryId delivery id
   * @param state the state
   * @param timeout how long
   * @return the delivery
   */
  CompletableFuture<Delivery> awaitStateAsync(String deliveryId, DeliveryState state, Duration timeout);
}
