package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.ClientException;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.Delivery;
import io.shudu.exchange.DeliveryAction;
import io.shudu.exchange.DeliveryManifest;
import io.shudu.exchange.DeliveryState;
import io.shudu.exchange.DownloadListener;
import io.shudu.exchange.DownloadResult;
import io.shudu.exchange.ExchangeDeliveries;
import io.shudu.exchange.ExchangeKey;
import io.shudu.exchange.ExchangeVerificationException;
import io.shudu.exchange.NextDeliveryAction;
import io.shudu.exchange.Party;
import io.shudu.exchange.Receipt;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@link ExchangeDeliveries} over the core pipeline: verified, resumable downloads and the delivery state machine. */
public final class DeliveriesApi implements ExchangeDeliveries {
  private static final TypeReference<Calls.PageDto<Delivery>> PAGE = new TypeReference<>() {};
  private static final int BUFFER = 128 * 1024; // file reads, and network reads when chunks are hashed inline
  private static final int MAX_RESUMES = 20;

  private final ApiClient api;
  private final RequestOptions options;
  private final KeyRing keys;
  private final Executor executor;
  private final LongPoll<Delivery, DeliveryState> poll;
  private final int hashThreads;
  private final int maxPipelinedChunk;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   * @param keys the exchange's keys (pinned or fetched)
   * @param executor the download threads
   */
  public DeliveriesApi(ApiClient api, RequestOptions options, KeyRing keys, Executor executor) {
    this(api, options, keys, executor, defaultHashThreads(), HashPipeline.MAX_CHUNK);
  }

  /**
   * Creates the API with a given hashing set-up (tests: both verification paths on the same content).
   *
   * @param api pipeline
   * @param options per-call options
   * @param keys the exchange's keys (pinned or fetched)
   * @param executor the download and hashing threads
   * @param hashThreads hashing threads besides the reader
   * @param maxPipelinedChunk largest chunk size hashed through the {@link HashPipeline}; larger chunks are verified
   *     inline by the reader
   */
  DeliveriesApi(ApiClient api, RequestOptions options, KeyRing keys, Executor executor, int hashThreads,
      int maxPipelinedChunk) {
    this.hashThreads = hashThreads;
    this.maxPipelinedChunk = Math.min(maxPipelinedChunk, HashPipeline.MAX_CHUNK);
    this.options = options == null ? RequestOptions.defaults() : options;
    this.api = api;
    this.keys = keys;
    this.executor = executor;
    this.poll = new LongPoll<>(api, "delivery", BASE + "/deliveries/{}/await", Delivery.class,
        new LongPoll.View<>() {
          @Override
          public DeliveryState state(Delivery d) {
            return d.state();
          }

          @Override
          public boolean reached(DeliveryState current, DeliveryState target) {
            return current.hasReached(target);
          }

          @Override
          public Party waitingOn(Delivery d) {
            return d.waitingOn();
          }

          @Override
          public List<String> nextActions(Delivery d) {
            return d.nextActions().stream().map(NextDeliveryAction::toString).toList();
          }

          @Override
          public String finalDetail(Delivery d) {
            return null;
          }
        }, this.options);
  }


  @Override
  public ExchangeDeliveries withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new DeliveriesApi(api, options, keys, executor, hashThreads, maxPipelinedChunk);
  }

  private ApiRequest.Builder req(String op, String method, String path, Object... args) {
    return ApiRequest.builder("exchange.deliveries." + op, method, BASE + path, args).options(options);
  }

  private ApiRequest requestRequest(String orderId, String reference) {
    Calls.requireId(orderId, "orderId");
    Map<String, Object> body = new LinkedHashMap<>();
    if (Calls.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return req("request", "POST", "/orders/{}/deliveries", orderId).json(body).build();
  }

  @Override
  public Delivery request(String orderId) {
    return request(orderId, null);
  }

  @Override
  public CompletableFuture<Delivery> requestAsync(String orderId) {
    return requestAsync(orderId, null);
  }

  @Override
  public Delivery request(String orderId, String clientReference) {
    return api.call(requestRequest(orderId, clientReference), Delivery.class);
  }

  @Override
  public CompletableFuture<Delivery> requestAsync(String orderId, String clientReference) {
    return Calls.async(() -> api.callAsync(requestRequest(orderId, clientReference), Delivery.class));
  }

  @Override
  public PagedIterable<Delivery> list(String orderId) {
    Calls.requireId(orderId, "orderId");
    return Calls.paged(api, 100, 1000, () -> req("list", "GET", "/orders/{}/deliveries", orderId), PAGE);
  }

  private ApiRequest get(String op, String path, String id) {
    return req(op, "GET", path, Calls.requireId(id, "deliveryId")).build();
  }

  @Override
  public Delivery get(String deliveryId) {
    return api.call(get("get", "/deliveries/{}", deliveryId), Delivery.class);
  }

  @Override
  public CompletableFuture<Delivery> getAsync(String deliveryId) {
    return Calls.async(() -> api.callAsync(get("get", "/deliveries/{}", deliveryId), Delivery.class));
  }

  @Override
  public Versioned<Delivery> getVersioned(String deliveryId) {
    ApiResponse r = api.execute(get("get", "/deliveries/{}", deliveryId));
    return Calls.versioned(r, Delivery.class, "delivery " + deliveryId);
  }

  @Override
  public CompletableFuture<Versioned<Delivery>> getVersionedAsync(String deliveryId) {
    return Calls.async(() -> api.executeAsync(get("get", "/deliveries/{}", deliveryId))
        .thenApply(r -> Calls.versioned(r, Delivery.class, "delivery " + deliveryId)));
  }

  @Override
  public DeliveryManifest manifest(String deliveryId) {
    return api.call(get("manifest", "/deliveries/{}/manifest", deliveryId), DeliveryManifest.class);
  }

  @Override
  public CompletableFuture<DeliveryManifest> manifestAsync(String deliveryId) {
    return Calls.async(() -> api.callAsync(get("manifest", "/deliveries/{}/manifest", deliveryId),
        DeliveryManifest.class));
  }

  @Override
  public Receipt receipt(String deliveryId) {
    return api.call(get("receipt", "/deliveries/{}/receipt", deliveryId), Receipt.class);
  }

  @Override
  public CompletableFuture<Receipt> receiptAsync(String deliveryId) {
    return Calls.async(() -> api.callAsync(get("receipt", "/deliveries/{}/receipt", deliveryId), Receipt.class));
  }

  @Override
  public List<ExchangeKey> keys() {
    List<ExchangeKey> out = new ArrayList<>();
    keys.refresh().forEach((kid, x) -> out.add(new ExchangeKey(kid, "Ed25519", x)));
    return out;
  }

  @Override
  public CompletableFuture<List<ExchangeKey>> keysAsync() {
    return Calls.async(() -> keys.refreshAsync().thenApply(m -> {
      List<ExchangeKey> out = new ArrayList<>();
      m.forEach((kid, x) -> out.add(new ExchangeKey(kid, "Ed25519", x)));
      return out;
    }));
  }


  @Override
  public CompletableFuture<Void> verifyReceiptAsync(Receipt receipt) {
    if (receipt == null) {
      return CompletableFuture.failedFuture(new NullPointerException("receipt must not be null"));
    }
    return Calls.async(() -> keys.keyAsync(receipt.keyId()).thenAccept(k -> checkSignature(receipt, k)));
  }

  @Override
  public void verifyReceipt(Receipt receipt) {
    checkSignature(receipt, keys.key(receipt.keyId()));
  }

  /** See the interface. */
  public static void verifyReceipt(Receipt receipt, List<ExchangeKey> trusted) {
    checkSignature(receipt, KeyRing.resolve(keyMap(trusted), receipt.keyId(), null));
  }

  /** The pinned keys as kid to x. */
  public static Map<String, String> keyMap(List<ExchangeKey> trusted) {
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

  private static void checkReceiptMatches(String deliveryId, Receipt r, DeliveryManifest m) {
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

  @Override
  public DownloadResult download(String deliveryId, Path target, DownloadListener listener) {
    if (target == null) {
      throw new NullPointerException("target must not be null");
    }
    Calls.requireId(deliveryId, "deliveryId");
    Receipt receipt = receipt(deliveryId);
    verifyReceipt(receipt);
    DeliveryManifest m = manifest(deliveryId);
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

  @Override
  public CompletableFuture<DownloadResult> downloadAsync(String deliveryId, Path target, DownloadListener listener) {
    return Calls.async(() -> CompletableFuture.supplyAsync(() -> download(deliveryId, target, listener), executor));
  }

  @Override
  public DownloadResult download(String deliveryId, OutputStream out, DownloadListener listener) {
    if (out == null) {
      throw new NullPointerException("out must not be null");
    }
    Calls.requireId(deliveryId, "deliveryId");
    Receipt receipt = receipt(deliveryId);
    verifyReceipt(receipt);
    DeliveryManifest m = manifest(deliveryId);
    checkReceiptMatches(deliveryId, receipt, m);
    ChunkVerifier v = new ChunkVerifier(m.chunkHashes(), m.size(), m.chunkSize());
    int resumes = transfer(deliveryId, m, v, out::write, listener);
    return finish(deliveryId, receipt, v, resumes, 0);
  }

  @Override
  public CompletableFuture<DownloadResult> downloadAsync(String deliveryId, OutputStream out,
      DownloadListener listener) {
    return Calls.async(() -> CompletableFuture.supplyAsync(() -> download(deliveryId, out, listener), executor));
  }

  /** See the interface. */
  public static String verifyFile(Path file, DeliveryManifest manifest, Receipt receipt, List<ExchangeKey> trusted) {
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

  private static long verifyExisting(FileChannel ch, ChunkVerifier v, DeliveryManifest m) throws IOException {
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
    v.discardPartial(); // a chunk cut short (the file shrank meanwhile) is downloaded again
    return v.verifiedPosition();
  }

  private interface Sink {
    void write(byte[] b, int off, int len) throws IOException;
  }

  /** Hashing threads besides the reader: with the reader, every core hashes (up to 8). */
  private static int defaultHashThreads() {
    return Math.max(0, Math.min(7, Runtime.getRuntime().availableProcessors() - 1));
  }

  private int transfer(String deliveryId, DeliveryManifest m, ChunkVerifier v, Sink sink, DownloadListener listener) {
    if (m.chunkSize() > maxPipelinedChunk) {
      return transfer(deliveryId, m, v, null, sink, listener); // chunks too large to buffer: hash inline
    }
    try (HashPipeline hashing = new HashPipeline(v, hashThreads, hashThreads + 3, executor)) {
      return transfer(deliveryId, m, v, hashing, sink, listener);
    }
  }

  /**
   * Reads the content, resuming with a Range request where the bytes stopped, and has every chunk verified: whole
   * chunks by the hashing pipeline (each read into its own pooled buffer, the only copy the SDK makes), or, with no
   * pipeline, inline as the bytes arrive.
   */
  private int transfer(String deliveryId, DeliveryManifest m, ChunkVerifier v, HashPipeline hashing, Sink sink,
      DownloadListener listener) {
    int resumes = 0;
    IOException last = null;
    long lastReported = -1;
    long size = m.size();
    int chunkSize = m.chunkSize();
    long written = v.position();
    byte[] buf = hashing == null ? new byte[BUFFER] : null;
    int fill = 0; // bytes of the current chunk in buf (pipeline): kept across a resume
    try {
      while (written < size) {
        long pos = written; // resume exactly where the bytes stopped: the current chunk continues
        ApiRequest.Builder rb = ApiRequest.builder("exchange.deliveries.content", "GET",
            "/exchange/v1/deliveries/{}/content", deliveryId).options(options).streaming();
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
          while (written < size) {
            long index = written / chunkSize;
            int chunkLen = (int) Math.min(chunkSize, size - index * chunkSize);
            int want;
            if (hashing != null) {
              if (buf == null) {
                buf = hashing.buffer();
                fill = 0;
              }
              want = chunkLen - fill; // the rest of the chunk in one call (OkHttp hands out 8 KiB at a time)
            } else {
              fill = 0;
              want = (int) Math.min(BUFFER, size - written);
            }
            int n = in.readNBytes(buf, fill, want);
            if (n > 0) {
              try {
                sink.write(buf, fill, n);
              } catch (IOException e) {
                throw new UncheckedIOException("Could not write the delivery: " + e.getMessage(), e);
              }
              written += n;
              if (hashing == null) {
                v.update(buf, 0, n);
              } else if ((fill += n) == chunkLen) {
                byte[] chunk = buf;
                buf = null;
                hashing.submit(chunk, index, chunkLen);
              }
              long verified = hashing == null ? v.verifiedPosition() : hashing.verifiedPosition();
              if (listener != null && verified != lastReported) {
                lastReported = verified;
                listener.onProgress(verified, size);
              }
            }
            if (n < want) {
              break; // the body ended early
            }
          }
          if (written < size) {
            throw new IOException("the content ended after " + written + " of " + size + " bytes");
          }
          if (in.read() >= 0) {
            throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1,
                "Received more than the " + size + " bytes the manifest and receipt declare.");
          }
        } catch (IOException e) {
          last = e;
        }
        if (written < size && ++resumes > MAX_RESUMES) {
          throw new ClientException("The download of delivery " + deliveryId + " was interrupted " + MAX_RESUMES
              + " times; last error: " + (last == null ? "unknown" : last.getMessage()) + ". Call download again to "
              + "resume from byte " + written + ".", last, true);
        }
      }
      if (hashing != null) {
        hashing.flush();
      }
    } finally {
      if (hashing != null && buf != null) {
        hashing.release(buf);
      }
    }
    if (!v.complete()) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "Only "
          + v.position() + " of " + size + " bytes were verified.");
    }
    if (listener != null && lastReported != size) {
      listener.onProgress(size, size);
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


  private ApiRequest transitionRequest(String deliveryId, DeliveryAction action, String merkleRoot,
      String ifMatch) {
    Calls.requireId(deliveryId, "deliveryId");
    if (action == null) {
      throw new NullPointerException("action must not be null (DeliveryAction.START, DeliveryAction.TERMINATE, ...)");
    }
    if (action == DeliveryAction.COMPLETE && merkleRoot == null) {
      throw new IllegalArgumentException("use complete(deliveryId, merkleRoot) to complete a delivery: it sends the "
          + "Merkle root you verified");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action.wireName());
    if (merkleRoot != null) {
      body.put("merkleRoot", merkleRoot);
    }
    return req("transition", "POST", "/deliveries/{}/transitions", deliveryId).json(body)
        .header("If-Match", Calls.checkIfMatch(ifMatch)).build();
  }

  @Override
  public Delivery transition(String deliveryId, DeliveryAction action) {
    return transition(deliveryId, action, null);
  }

  @Override
  public CompletableFuture<Delivery> transitionAsync(String deliveryId, DeliveryAction action) {
    return transitionAsync(deliveryId, action, null);
  }

  @Override
  public Delivery transition(String deliveryId, DeliveryAction action, String ifMatch) {
    return api.call(transitionRequest(deliveryId, action, null, ifMatch), Delivery.class);
  }

  @Override
  public CompletableFuture<Delivery> transitionAsync(String deliveryId, DeliveryAction action, String ifMatch) {
    return Calls.async(() -> api.callAsync(transitionRequest(deliveryId, action, null, ifMatch), Delivery.class));
  }

  @Override
  public Delivery complete(String deliveryId, String merkleRoot) {
    return complete(deliveryId, merkleRoot, null);
  }

  @Override
  public CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot) {
    return completeAsync(deliveryId, merkleRoot, null);
  }

  @Override
  public Delivery complete(String deliveryId, String merkleRoot, String ifMatch) {
    Calls.requireId(merkleRoot, "merkleRoot");
    return api.call(transitionRequest(deliveryId, DeliveryAction.COMPLETE, merkleRoot, ifMatch), Delivery.class);
  }

  @Override
  public CompletableFuture<Delivery> completeAsync(String deliveryId, String merkleRoot, String ifMatch) {
    return Calls.async(() -> api.callAsync(transitionRequest(deliveryId, DeliveryAction.COMPLETE,
        Calls.requireId(merkleRoot, "merkleRoot"), ifMatch), Delivery.class));
  }

  @Override
  public Delivery awaitState(String deliveryId, DeliveryState state, Duration timeout) {
    return poll.await(deliveryId, state, timeout);
  }

  @Override
  public CompletableFuture<Delivery> awaitStateAsync(String deliveryId, DeliveryState state, Duration timeout) {
    return Calls.async(() -> poll.awaitAsync(deliveryId, state, timeout));
  }
}
