package io.shudu.exchange;

import io.shudu.core.ClientException;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.exchange.internal.ChunkVerifier;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.internal.HashPipeline;
import io.shudu.exchange.internal.KeyRing;
import io.shudu.exchange.internal.LongPoll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Verifiable delivery. A delivery of a finalised order moves {@code REQUESTED → STARTED (merchant) → COMPLETED
 * (buyer)}, or {@code SUSPENDED}/{@code TERMINATED}. When it starts, the exchange signs a {@link Receipt} (Ed25519)
 * over order, product version, byte count, Merkle root and time. {@link #download(String, Path, ProgressListener)}
 * streams the content with constant memory, checks every 1 MiB chunk's SHA-256 as it arrives, resumes with HTTP Range
 * after an interruption, and verifies the Merkle root, byte count and receipt signature against the exchange's
 * published keys: any mismatch is an {@link ExchangeVerificationException}.
 *
 * <pre>{@code
 * Deliveries.Delivery d = exchange.deliveries().request(order.id());
 * exchange.deliveries().awaitState(d.id(), Deliveries.State.STARTED, Duration.ofSeconds(30));
 * Deliveries.DownloadResult r = exchange.deliveries().download(d.id(), Path.of("metro.ndjson"),
 *     (done, total) -> System.out.printf("%d/%d%n", done, total));
 * exchange.deliveries().complete(d.id(), r.merkleRoot());
 * }</pre>
 */
public final class Deliveries {
  private static final int BUFFER = 128 * 1024;
  private static final int MAX_RESUMES = 20;

  /** Delivery states. */
  public enum State {
    /** The buyer asked; the merchant has to start. */
    REQUESTED,
    /** Content available; the buyer downloads and confirms. */
    STARTED,
    /** Paused by the merchant. */
    SUSPENDED,
    /** Final: the buyer confirmed receipt with the Merkle root. */
    COMPLETED,
    /** Final: ended. */
    TERMINATED
  }

  /**
   * A delivery.
   *
   * @param id delivery id
   * @param orderId order
   * @param productId product
   * @param productVersion version delivered
   * @param state state
   * @param waitingOn who has to act, or null when final
   * @param nextActions transitions possible now
   * @param sizeBytes content size
   * @param chunkSize chunk size of the hashes
   * @param merkleRoot the content's Merkle root, once started
   * @param clientReference the reference the delivery was requested with, or null
   * @param createdAt creation time
   * @param updatedAt last change
   */
  public record Delivery(String id, String orderId, String productId, String productVersion, State state,
      Party waitingOn, List<Orders.NextAction> nextActions, long sizeBytes, int chunkSize, String merkleRoot,
      String clientReference, Instant createdAt, Instant updatedAt) {
    /** Copies lists. */
    public Delivery {
      nextActions = nextActions == null ? List.of() : List.copyOf(nextActions);
    }
  }

  /**
   * The chunk hashes of a delivery's content.
   *
   * @param productId product
   * @param version version
   * @param size bytes
   * @param chunkSize bytes per chunk (the last may be shorter)
   * @param chunkHashes hex SHA-256(0x00 || chunk) per chunk
   * @param root Merkle root over the chunk hashes
   */
  public record Manifest(String productId, String version, long size, int chunkSize, List<String> chunkHashes,
      String root) {
    /** Copies. */
    public Manifest {
      chunkHashes = chunkHashes == null ? List.of() : List.copyOf(chunkHashes);
    }
  }

  /**
   * The exchange's signed statement of what it delivered.
   *
   * @param deliveryId delivery
   * @param orderId order
   * @param productId product
   * @param productVersion version
   * @param byteCount bytes
   * @param merkleRoot Merkle root
   * @param issuedAt signing time, exactly as signed
   * @param keyId the signing key
   * @param algorithm Ed25519
   * @param signature base64url signature over the message in docs/signing-exchange.md
   */
  public record Receipt(String deliveryId, String orderId, String productId, String productVersion, long byteCount,
      String merkleRoot, String issuedAt, String keyId, String algorithm, String signature) {
    /**
     * The signed message.
     *
     * @return text
     */
    public String signedMessage() {
      return ExchangeCrypto.receiptMessage(deliveryId, orderId, productId, productVersion, byteCount, merkleRoot,
          issuedAt, keyId);
    }

    @Override
    public String toString() {
      return "Receipt{deliveryId=" + deliveryId + ", orderId=" + orderId + ", product=" + productId + "@"
          + productVersion + ", bytes=" + byteCount + ", root=" + merkleRoot + ", issuedAt=" + issuedAt + ", keyId="
          + keyId + ", signature=(" + (signature == null ? 0 : signature.length()) + " chars)}";
    }
  }

  /** Progress of a download. */
  @FunctionalInterface
  public interface ProgressListener {
    /**
     * Called after each verified chunk and at the end.
     *
     * @param bytesDone bytes written so far (including bytes resumed from an earlier partial file)
     * @param totalBytes total size
     */
    void onProgress(long bytesDone, long totalBytes);
  }

  /**
   * A verified download.
   *
   * @param deliveryId delivery
   * @param bytes bytes
   * @param merkleRoot verified Merkle root
   * @param receipt the verified receipt
   * @param resumes how many times the transfer resumed after an interruption
   * @param resumedFrom bytes already present in the target file and verified before downloading
   */
  public record DownloadResult(String deliveryId, long bytes, String merkleRoot, Receipt receipt, int resumes,
      long resumedFrom) {}

  private final ApiClient api;
  private final KeyRing keys;
  private final Executor executor;
  private final LongPoll<Delivery> poll;

  Deliveries(ApiClient api, KeyRing keys, Executor executor) {
    this.api = api;
    this.keys = keys;
    this.executor = executor;
    this.poll = new LongPoll<>(api, "delivery", "/exchange/v1/deliveries/{}/await", Delivery.class,
        new LongPoll.View<>() {
          @Override
          public String state(Delivery d) {
            return d.state().name();
          }

          @Override
          public Party waitingOn(Delivery d) {
            return d.waitingOn();
          }

          @Override
          public List<String> nextActions(Delivery d) {
            List<String> out = new ArrayList<>();
            d.nextActions().forEach(a -> out.add(a.toString()));
            return out;
          }

          @Override
          public String finalDetail(Delivery d) {
            return null;
          }
        }, List.of("COMPLETED", "TERMINATED"), List.of("REQUESTED", "STARTED", "COMPLETED"));
  }

  private static ApiRequest requestRequest(String orderId, String reference, RequestOptions options) {
    Catalog.requireId(orderId, "orderId");
    Map<String, Object> body = new LinkedHashMap<>();
    if (Orders.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return ApiRequest.builder("exchange.deliveries.request", "POST", "/exchange/v1/orders/{}/deliveries", orderId)
        .json(body).options(options).build();
  }

  /**
   * Requests a delivery under your own reference, unique per tenant: a second request with the same reference for the
   * same order returns the first delivery; the same reference for another order is a
   * {@link io.shudu.core.ConflictException} with code {@code client_reference_conflict}.
   *
   * @param orderId order id
   * @param clientReference your reference, or null for none
   * @param options options, such as {@link RequestOptions#repeatOf} after a failure
   * @return the delivery (the first one requested under this reference)
   */
  public Delivery request(String orderId, String clientReference, RequestOptions options) {
    return api.call(requestRequest(orderId, clientReference, options), Delivery.class);
  }

  /**
   * Asynchronous {@link #request(String, String, RequestOptions)}.
   *
   * @param orderId order id
   * @param clientReference your reference, or null
   * @param options options
   * @return the delivery
   */
  public CompletableFuture<Delivery> requestAsync(String orderId, String clientReference, RequestOptions options) {
    return api.callAsync(requestRequest(orderId, clientReference, options), Delivery.class);
  }

  /**
   * Requests a delivery of a FINALIZED order (a 409 code order_not_finalized otherwise).
   *
   * @param orderId order id
   * @return the delivery, REQUESTED
   */
  public Delivery request(String orderId) {
    return api.call(requestRequest(orderId, null, RequestOptions.defaults()), Delivery.class);
  }

  /**
   * Asynchronous {@link #request}.
   *
   * @param orderId order id
   * @return the delivery
   */
  public CompletableFuture<Delivery> requestAsync(String orderId) {
    return api.callAsync(requestRequest(orderId, null, RequestOptions.defaults()), Delivery.class);
  }

  private static ApiRequest get(String op, String path, String id) {
    Catalog.requireId(id, "deliveryId");
    return ApiRequest.builder(op, "GET", path, id).build();
  }

  /**
   * One delivery.
   *
   * @param deliveryId delivery id
   * @return the delivery
   */
  public Delivery get(String deliveryId) {
    return api.call(get("exchange.deliveries.get", "/exchange/v1/deliveries/{}", deliveryId), Delivery.class);
  }

  /**
   * Asynchronous {@link #get}.
   *
   * @param deliveryId delivery id
   * @return the delivery
   */
  public CompletableFuture<Delivery> getAsync(String deliveryId) {
    return api.callAsync(get("exchange.deliveries.get", "/exchange/v1/deliveries/{}", deliveryId), Delivery.class);
  }

  /**
   * The chunk hashes and Merkle root.
   *
   * @param deliveryId delivery id
   * @return the manifest
   */
  public Manifest manifest(String deliveryId) {
    return api.call(get("exchange.deliveries.manifest", "/exchange/v1/deliveries/{}/manifest", deliveryId),
        Manifest.class);
  }

  /**
   * Asynchronous {@link #manifest}.
   *
   * @param deliveryId delivery id
   * @return the manifest
   */
  public CompletableFuture<Manifest> manifestAsync(String deliveryId) {
    return api.callAsync(get("exchange.deliveries.manifest", "/exchange/v1/deliveries/{}/manifest", deliveryId),
        Manifest.class);
  }

  /**
   * The signed receipt (issued when the delivery starts; a 409 code receipt_not_issued before).
   *
   * @param deliveryId delivery id
   * @return the receipt, not yet verified: see {@link #verifyReceipt(Receipt)}
   */
  public Receipt receipt(String deliveryId) {
    return api.call(get("exchange.deliveries.receipt", "/exchange/v1/deliveries/{}/receipt", deliveryId),
        Receipt.class);
  }

  /**
   * Asynchronous {@link #receipt}.
   *
   * @param deliveryId delivery id
   * @return the receipt
   */
  public CompletableFuture<Receipt> receiptAsync(String deliveryId) {
    return api.callAsync(get("exchange.deliveries.receipt", "/exchange/v1/deliveries/{}/receipt", deliveryId),
        Receipt.class);
  }

  /**
   * The signing keys the endpoint publishes (fetched again on every call; verification caches them). They come from
   * the same endpoint as the content, so they do not prove that the endpoint is the exchange: for that, pin keys
   * obtained out of band with {@link ExchangeClient.Builder#trustedKeys(List)} (a pinned client never verifies with
   * these).
   *
   * @return the keys
   */
  public List<ExchangeKey> keys() {
    List<ExchangeKey> out = new ArrayList<>();
    keys.refresh().forEach((kid, x) -> out.add(new ExchangeKey(kid, "Ed25519", x)));
    return out;
  }

  /**
   * Asynchronous {@link #keys()}.
   *
   * @return the keys
   */
  public CompletableFuture<List<ExchangeKey>> keysAsync() {
    return keys.refreshAsync().thenApply(m -> {
      List<ExchangeKey> out = new ArrayList<>();
      m.forEach((kid, x) -> out.add(new ExchangeKey(kid, "Ed25519", x)));
      return out;
    });
  }

  /**
   * Asynchronous {@link #verifyReceipt(Receipt)}: completes normally when valid, exceptionally with
   * {@link ExchangeVerificationException} otherwise.
   *
   * @param receipt the receipt
   * @return completion
   */
  public CompletableFuture<Void> verifyReceiptAsync(Receipt receipt) {
    if (receipt == null) {
      return CompletableFuture.failedFuture(new NullPointerException("receipt must not be null"));
    }
    return keys.keyAsync(receipt.keyId()).thenAccept(k -> checkSignature(receipt, k));
  }

  /**
   * Verifies a receipt's signature against the pinned keys, or without pinning the keys the endpoint publishes.
   *
   * @param receipt the receipt
   * @throws ExchangeVerificationException BAD_SIGNATURE or UNKNOWN_KEY
   */
  public void verifyReceipt(Receipt receipt) {
    checkSignature(receipt, keys.key(receipt.keyId()));
  }

  /**
   * Verifies a receipt offline against keys you kept.
   *
   * @param receipt the receipt
   * @param trusted the exchange's keys
   * @throws ExchangeVerificationException BAD_SIGNATURE or UNKNOWN_KEY
   */
  public static void verifyReceipt(Receipt receipt, List<ExchangeKey> trusted) {
    checkSignature(receipt, KeyRing.resolve(keyMap(trusted), receipt.keyId(), null));
  }

  static Map<String, String> keyMap(List<ExchangeKey> trusted) {
    Map<String, String> m = new LinkedHashMap<>();
    for (ExchangeKey k : trusted) {
      m.put(k.kid(), k.x());
    }
    return m;
  }

  private static void checkSignature(Receipt r, java.security.PublicKey key) {
    if (r == null) {
      throw new NullPointerException("receipt must not be null");
    }
    String[] fields = {r.deliveryId(), r.orderId(), r.productId(), r.productVersion(), r.merkleRoot(), r.issuedAt(),
        r.keyId()};
    for (String f : fields) {
      if (f == null || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        // the signed message is line based: a missing or multi-line field would make it ambiguous
        throw new ExchangeVerificationException(ExchangeVerificationException.Reason.BAD_SIGNATURE, -1, "The receipt of "
            + "delivery " + r.deliveryId() + " has a missing field or a field with a line break; the exchange never "
            + "signs such a receipt. Do not rely on it; fetch the receipt again from the exchange.");
      }
    }
    if (r.signature() == null || !ExchangeCrypto.verify(key, r.signedMessage(), r.signature())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.BAD_SIGNATURE, -1, "The receipt of "
          + "delivery " + r.deliveryId() + " does not carry a valid Ed25519 signature of key " + r.keyId() + ": it was "
          + "altered or forged. Do not rely on it; fetch the receipt again from the exchange.");
    }
  }

  private static void checkReceiptMatches(String deliveryId, Receipt r, Manifest m) {
    if (!deliveryId.equals(r.deliveryId())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.RECEIPT_MISMATCH, -1, "The receipt "
          + "is for delivery " + r.deliveryId() + ", not " + deliveryId + ".");
    }
    if (m.size() != r.byteCount()) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "The manifest "
          + "declares " + m.size() + " bytes but the signed receipt " + r.byteCount() + ".");
    }
    String root = ExchangeCrypto.merkleRootHex(m.chunkHashes());
    if (!root.equalsIgnoreCase(m.root()) || !root.equalsIgnoreCase(r.merkleRoot())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.ROOT_MISMATCH, -1, "The manifest's "
          + "chunk hashes give Merkle root " + root + ", but the manifest states " + m.root() + " and the signed "
          + "receipt " + r.merkleRoot() + ".");
    }
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
  public DownloadResult download(String deliveryId, Path target, ProgressListener listener) {
    if (target == null) {
      throw new NullPointerException("target must not be null");
    }
    Catalog.requireId(deliveryId, "deliveryId");
    Receipt receipt = receipt(deliveryId);
    verifyReceipt(receipt);
    Manifest m = manifest(deliveryId);
    checkReceiptMatches(deliveryId, receipt, m);
    ChunkVerifier v = new ChunkVerifier(m.chunkHashes(), m.size(), m.chunkSize());
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long resumedFrom = verifyExisting(ch, v, m);
      ch.truncate(resumedFrom);
      ch.position(resumedFrom);
      try {
        int resumes = transfer(deliveryId, m, v, (b, off, len) -> {
          ByteBuffer bb = ByteBuffer.wrap(b, off, len);
          while (bb.hasRemaining()) {
            ch.write(bb);
          }
        }, listener);
        return finish(deliveryId, receipt, v, resumes, resumedFrom);
      } catch (ExchangeVerificationException e) {
        ch.truncate(v.verifiedPosition());
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the delivery to " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Asynchronous {@link #download(String, Path, ProgressListener)} on the client's download threads.
   *
   * @param deliveryId delivery id
   * @param target file
   * @param listener progress, or null
   * @return the result
   */
  public CompletableFuture<DownloadResult> downloadAsync(String deliveryId, Path target, ProgressListener listener) {
    return CompletableFuture.supplyAsync(() -> download(deliveryId, target, listener), executor);
  }

  /**
   * Downloads and verifies into a stream (not closed). Bytes reach the stream before their chunk is verified: on an
   * {@link ExchangeVerificationException} discard what was written.
   *
   * @param deliveryId delivery id
   * @param out destination
   * @param listener progress, or null
   * @return the verified result
   */
  public DownloadResult download(String deliveryId, OutputStream out, ProgressListener listener) {
    if (out == null) {
      throw new NullPointerException("out must not be null");
    }
    Catalog.requireId(deliveryId, "deliveryId");
    Receipt receipt = receipt(deliveryId);
    verifyReceipt(receipt);
    Manifest m = manifest(deliveryId);
    checkReceiptMatches(deliveryId, receipt, m);
    ChunkVerifier v = new ChunkVerifier(m.chunkHashes(), m.size(), m.chunkSize());
    int resumes = transfer(deliveryId, m, v, out::write, listener);
    return finish(deliveryId, receipt, v, resumes, 0);
  }

  /**
   * Asynchronous {@link #download(String, OutputStream, ProgressListener)}.
   *
   * @param deliveryId delivery id
   * @param out destination
   * @param listener progress, or null
   * @return the result
   */
  public CompletableFuture<DownloadResult> downloadAsync(String deliveryId, OutputStream out,
      ProgressListener listener) {
    return CompletableFuture.supplyAsync(() -> download(deliveryId, out, listener), executor);
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
  public static String verifyFile(Path file, Manifest manifest, Receipt receipt, List<ExchangeKey> trusted) {
    verifyReceipt(receipt, trusted);
    checkReceiptMatches(receipt.deliveryId(), receipt, manifest);
    ChunkVerifier v = new ChunkVerifier(manifest.chunkHashes(), manifest.size(), manifest.chunkSize());
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) > 0) {
        v.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
    }
    if (!v.complete()) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "The file has "
          + v.position() + " bytes but the receipt declares " + receipt.byteCount() + ".");
    }
    return v.root();
  }

  private static long verifyExisting(FileChannel ch, ChunkVerifier v, Manifest m) throws IOException {
    // Only whole chunks (or the whole content) are re-verified; a trailing partial chunk is downloaded again.
    long len = ch.size() >= m.size() ? m.size() : ch.size() / m.chunkSize() * m.chunkSize();
    if (len == 0) {
      return 0;
    }
    ByteBuffer bb = ByteBuffer.allocate(BUFFER);
    ch.position(0);
    try {
      while (v.position() < len) {
        bb.clear();
        bb.limit((int) Math.min(BUFFER, len - v.position()));
        int n = ch.read(bb);
        if (n <= 0) {
          break;
        }
        v.update(bb.array(), 0, n);
      }
    } catch (ExchangeVerificationException e) {
      // a damaged or foreign partial file: keep only what verified
    }
    return v.verifiedPosition();
  }

  private interface Sink {
    void write(byte[] b, int off, int len) throws IOException;
  }

  private int transfer(String deliveryId, Manifest m, ChunkVerifier v, Sink sink, ProgressListener listener) {
    int resumes = 0;
    IOException last = null;
    long lastReported = -1;
    long written = v.position();
    // The network is read on this thread while chunks are hashed on another one.
    try (HashPipeline hashing = new HashPipeline(v, BUFFER, executor)) {
      while (written < m.size()) {
        long pos = written; // resume exactly where the bytes stopped: the hash of the current chunk continues
        ApiRequest.Builder rb = ApiRequest.builder("exchange.deliveries.content", "GET",
            "/exchange/v1/deliveries/{}/content", deliveryId).streaming();
        if (pos > 0) {
          rb.header("Range", "bytes=" + pos + "-").header("If-Range", "\"" + m.root() + "\"");
        }
        try (ApiResponse r = api.execute(rb.build())) {
          InputStream in = r.stream();
          if (pos > 0 && r.status() != 206) {
            in.skipNBytes(pos); // the server ignored the range: skip what we have
          } else if (pos > 0) {
            String cr = r.header("Content-Range");
            if (cr == null || !cr.startsWith("bytes " + pos + "-")) {
              throw new IOException("the server answered range " + cr + " instead of bytes " + pos + "-");
            }
          }
          while (true) {
            byte[] buf = hashing.buffer();
            // fill the whole buffer (OkHttp hands out 8 KiB at a time): fewer, larger hand-overs to the hasher
            int n = in.readNBytes(buf, 0, buf.length);
            if (n <= 0) {
              hashing.release(buf);
              break;
            }
            if (written + n > m.size()) {
              hashing.release(buf);
              throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1,
                  "Received more than the " + m.size() + " bytes the manifest and receipt declare.");
            }
            try {
              sink.write(buf, 0, n);
            } catch (IOException e) {
              hashing.release(buf);
              throw new UncheckedIOException("Could not write the delivery: " + e.getMessage(), e);
            }
            written += n;
            hashing.submit(buf, n);
            long verified = hashing.verifiedPosition();
            if (listener != null && verified != lastReported) {
              lastReported = verified;
              listener.onProgress(verified, m.size());
            }
          }
          if (written < m.size()) {
            throw new IOException("the content ended after " + written + " of " + m.size() + " bytes");
          }
        } catch (IOException e) {
          last = e;
        }
        if (written < m.size() && ++resumes > MAX_RESUMES) {
          throw new ClientException("The download of delivery " + deliveryId + " was interrupted " + MAX_RESUMES
              + " times; last error: " + (last == null ? "unknown" : last.getMessage()) + ". Call download again to "
              + "resume from byte " + written + ".", last, true);
        }
      }
      hashing.flush();
    }
    if (!v.complete()) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "Only "
          + v.position() + " of " + m.size() + " bytes were verified.");
    }
    if (listener != null && lastReported != m.size()) {
      listener.onProgress(m.size(), m.size());
    }
    return resumes;
  }

  private static DownloadResult finish(String deliveryId, Receipt receipt, ChunkVerifier v, int resumes,
      long resumedFrom) {
    String root = v.root();
    if (!root.equalsIgnoreCase(receipt.merkleRoot())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.ROOT_MISMATCH, -1, "The downloaded "
          + "bytes give Merkle root " + root + " but the signed receipt states " + receipt.merkleRoot() + ".");
    }
    return new DownloadResult(deliveryId, v.position(), root, receipt, resumes, resumedFrom);
  }

  private static ApiRequest transitionRequest(String deliveryId, String action, String merkleRoot,
      RequestOptions options) {
    Catalog.requireId(deliveryId, "deliveryId");
    Catalog.requireId(action, "action");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action);
    if (merkleRoot != null) {
      body.put("merkleRoot", merkleRoot);
    }
    return ApiRequest.builder("exchange.deliveries.transition", "POST", "/exchange/v1/deliveries/{}/transitions",
        deliveryId).json(body).options(options).build();
  }

  /**
   * Takes a transition by name (start, suspend, resume, terminate; the sandbox lets you act for the merchant).
   *
   * @param deliveryId delivery id
   * @param action action
   * @return the delivery
   * @throws io.shudu.core.ConflictException code invalid_transition, listing the allowed transitions
   */
  public Delivery transition(String deliveryId, String action) {
    if ("complete".equals(action)) {
      throw new IllegalArgumentException("use complete(deliveryId, merkleRoot) to complete a delivery");
    }
    return api.call(transitionRequest(deliveryId, action, null, RequestOptions.defaults()), Delivery.class);
  }

  /**
   * Asynchronous {@link #transition}.
   *
   * @param deliveryId delivery id
   * @param action action
   * @return the delivery
   */
  public CompletableFuture<Delivery> transitionAsync(String deliveryId, String action) {
    if ("complete".equals(action)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "use completeAsync(deliveryId, merkleRoot) to complete a delivery"));
    }
    return api.callAsync(transitionRequest(deliveryId, action, null, RequestOptions.defaults()), Delivery.class);
  }

  /**
   * Takes a transition with request options (repeat with {@link RequestOptions#repeatOf} after a failure).
   *
   * @param deliveryId delivery id
   * @param action action (start, suspend, resume, terminate)
   * @param options options
   * @return the delivery
   */
  public Delivery transition(String deliveryId, String action, RequestOptions options) {
    if ("complete".equals(action)) {
      throw new IllegalArgumentException("use complete(deliveryId, merkleRoot, options) to complete a delivery");
    }
    return api.call(transitionRequest(deliveryId, action, null, options), Delivery.class);
  }

  /**
   * Completes with request options (repeat with {@link RequestOptions#repeatOf} after a failure).
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @param options options
   * @return the delivery, COMPLETED
   */
  public Delivery complete(String deliveryId, String merkleRoot, RequestOptions options) {
    Catalog.requireId(merkleRoot, "merkleRoot");
    return api.call(transitionRequest(deliveryId, "complete", merkleRoot, options), Delivery.class);
  }

  /**
   * Asynchronous {@link #transition(String, String, RequestOptions)}.
   *
   * @param deliveryId delivery id
   * @param action action
   * @param options options
   * @return the delivery
   */
  public CompletableFuture<Delivery> transitionAsync(String deliveryId, String action, RequestOptions options) {
    if ("complete".equals(action)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "use completeAsync(deliveryId, merkleRoot, options) to complete a delivery"));
    }
    return api.callAsync(transitionRequest(deliveryId, action, null, options), Delivery.class);
  }

  /**
   * Asynchronous {@link #complete(String, String, RequestOptions)}.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @param options options
   * @return the delivery
   */
  public CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot, RequestOptions options) {
    Catalog.requireId(merkleRoot, "merkleRoot");
    return api.callAsync(transitionRequest(deliveryId, "complete", merkleRoot, options), Delivery.class);
  }

  /**
   * Confirms receipt with the Merkle root you verified (STARTED → COMPLETED); a different root is a 409 code
   * merkle_root_mismatch.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root, such as {@link DownloadResult#merkleRoot()}
   * @return the delivery, COMPLETED
   */
  public Delivery complete(String deliveryId, String merkleRoot) {
    Catalog.requireId(merkleRoot, "merkleRoot");
    return api.call(transitionRequest(deliveryId, "complete", merkleRoot, RequestOptions.defaults()), Delivery.class);
  }

  /**
   * Asynchronous {@link #complete}.
   *
   * @param deliveryId delivery id
   * @param merkleRoot the verified root
   * @return the delivery
   */
  public CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot) {
    Catalog.requireId(merkleRoot, "merkleRoot");
    return api.callAsync(transitionRequest(deliveryId, "complete", merkleRoot, RequestOptions.defaults()), Delivery.class);
  }

  /**
   * Waits until the delivery reaches (or passes) a state.
   *
   * @param deliveryId delivery id
   * @param state the state
   * @param timeout how long
   * @return the delivery
   * @throws AwaitStateException on timeout (saying who has not acted) or when the state can no longer be reached
   */
  public Delivery awaitState(String deliveryId, State state, Duration timeout) {
    return poll.await(deliveryId, state == null ? null : state.name(), timeout);
  }

  /**
   * Asynchronous {@link #awaitState}.
   *
   * @param deliveryId delivery id
   * @param state the state
   * @param timeout how long
   * @return the delivery
   */
  public CompletableFuture<Delivery> awaitStateAsync(String deliveryId, State state, Duration timeout) {
    return poll.awaitAsync(deliveryId, state == null ? null : state.name(), timeout);
  }
}
