package io.shudu.exchange;

import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.Json;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.internal.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Trusted circulation: every order's events (contract steps, deliveries, receipts) form a hash chain, each event
 * hashing its predecessor's hash, and the exchange signs the chain's head with Ed25519. Export a chain, keep it with
 * the exchange's keys, and verify it offline at any time: an edited, inserted, removed or reordered event is detected.
 *
 * <pre>{@code
 * Audit.AuditExport chain = exchange.audit().export(order.id());
 * List<ExchangeKey> keys = exchange.deliveries().keys();
 * Audit.verifyOffline(chain, keys);            // throws ExchangeVerificationException when tampered with
 * exchange.audit().write(chain, Path.of("order-audit.json"));
 * }</pre>
 */
public final class Audit {
  /**
   * One event of an order's chain.
   *
   * @param seq sequence number from 1
   * @param orderId order
   * @param type such as order.requested, order.finalized, delivery.receipt_issued
   * @param actor the authenticated party that caused the event: {@code tenant:<tenant id>} for a step taken with a
   *     tenant's credentials, {@code merchant:<merchant id>} or {@code exchange} for the counterparties' own steps
   * @param at time, exactly as hashed
   * @param detail detail, exactly as hashed
   * @param prevHash previous event's hash (64 zeros for the first)
   * @param hash SHA-256 of this event chained to prevHash
   */
  public record AuditEvent(long seq, String orderId, String type, String actor, String at, String detail,
      String prevHash, String hash) {}

  /**
   * An exported chain with the exchange's signature over its head.
   *
   * @param orderId order
   * @param events events in order
   * @param headHash hash of the last event
   * @param keyId signing key
   * @param signature base64url Ed25519 signature over the head message
   */
  public record AuditExport(String orderId, List<AuditEvent> events, String headHash, String keyId,
      String signature) {
    /** Copies (a null element is kept, so that verification reports it as a missing event). */
    public AuditExport {
      events = events == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(events));
    }

    @Override
    public String toString() {
      return "AuditExport{orderId=" + orderId + ", events=" + events.size() + ", headHash=" + headHash + ", keyId="
          + keyId + "}";
    }
  }

  private final ApiClient api;
  private final KeyRing keys;

  Audit(ApiClient api, KeyRing keys) {
    this.api = api;
    this.keys = keys;
  }

  private static ApiRequest exportRequest(String orderId) {
    Catalog.requireId(orderId, "orderId");
    return ApiRequest.builder("exchange.audit.export", "GET", "/exchange/v1/orders/{}/audit", orderId).build();
  }

  /**
   * Exports an order's chain (not yet verified).
   *
   * @param orderId order id
   * @return the chain
   */
  public AuditExport export(String orderId) {
    return api.call(exportRequest(orderId), AuditExport.class);
  }

  /**
   * Asynchronous {@link #export}.
   *
   * @param orderId order id
   * @return the chain
   */
  public CompletableFuture<AuditExport> exportAsync(String orderId) {
    return api.callAsync(exportRequest(orderId), AuditExport.class);
  }

  /**
   * Verifies a chain against the pinned keys, or without pinning the keys the endpoint publishes.
   *
   * @param chain the chain
   * @throws ExchangeVerificationException when tampered with or signed by an unknown key
   */
  public void verify(AuditExport chain) {
    if (chain == null) {
      throw new NullPointerException("chain must not be null");
    }
    verifyLinks(chain);
    checkHead(chain, keys.key(chain.keyId()));
  }

  /**
   * Asynchronous {@link #verify}: completes normally when the chain verifies, exceptionally with
   * {@link ExchangeVerificationException} otherwise.
   *
   * @param chain the chain
   * @return completion
   */
  public CompletableFuture<Void> verifyAsync(AuditExport chain) {
    if (chain == null) {
      return CompletableFuture.failedFuture(new NullPointerException("chain must not be null"));
    }
    try {
      verifyLinks(chain);
    } catch (ExchangeVerificationException e) {
      return CompletableFuture.failedFuture(e);
    }
    return keys.keyAsync(chain.keyId()).thenAccept(k -> checkHead(chain, k));
  }

  /**
   * Verifies a chain offline: every hash, every link and the head signature.
   *
   * @param chain the chain
   * @param trusted the exchange's keys, kept from {@link Deliveries#keys()}
   * @throws ExchangeVerificationException AUDIT_CHAIN_BROKEN (with the first bad sequence number), BAD_SIGNATURE or
   *     UNKNOWN_KEY
   */
  public static void verifyOffline(AuditExport chain, List<ExchangeKey> trusted) {
    if (chain == null) {
      throw new NullPointerException("chain must not be null");
    }
    verifyLinks(chain);
    checkHead(chain, KeyRing.resolve(Deliveries.keyMap(trusted), chain.keyId(), null));
  }

  private static void verifyLinks(AuditExport chain) {
    if (chain.orderId() == null || chain.orderId().isEmpty()) {
      throw broken(0, "The chain names no order (orderId is missing): it is not an export of the exchange.");
    }
    for (String[] f : new String[][] {{"headHash", chain.headHash()}, {"keyId", chain.keyId()},
        {"signature", chain.signature()}}) {
      if (f[1] == null || f[1].isEmpty()) {
        throw broken(0, "The chain of order " + chain.orderId() + " has no " + f[0] + ": it is incomplete and cannot "
            + "be verified. Export it again from the exchange.");
      }
    }
    for (String f : new String[] {chain.orderId(), chain.headHash(), chain.keyId()}) {
      if (f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
        throw broken(0, "The chain's orderId, headHash or keyId contains a line break; the signed head message is "
            + "line based, so the exchange never signs such a chain.");
      }
    }
    if (chain.events().isEmpty()) {
      throw broken(0, "The chain of order " + chain.orderId() + " has no events.");
    }
    String prev = ExchangeCrypto.ZERO_HASH;
    long seq = 1;
    for (AuditEvent e : chain.events()) {
      if (e == null) {
        throw broken(seq, "Event " + seq + " is missing (null) in the chain of order " + chain.orderId() + ".");
      }
      if (e.seq() != seq) {
        throw broken(seq, "Event " + seq + " is missing or out of order (found sequence number " + e.seq() + ").");
      }
      String missing = missingField(e);
      if (missing != null) {
        throw broken(seq, "Event " + seq + " has no '" + missing + "': the chain is incomplete or was edited, and "
            + "cannot be verified.");
      }
      if (!chain.orderId().equals(e.orderId())) {
        throw broken(seq, "Event " + seq + " belongs to order " + e.orderId() + ", not " + chain.orderId() + ".");
      }
      if (!prev.equals(e.prevHash())) {
        throw broken(seq, "Event " + seq + " does not link to its predecessor (prevHash " + e.prevHash()
            + ", expected " + prev + "): an event was removed, inserted or edited before it.");
      }
      String h = ExchangeCrypto.auditHash(e.prevHash(), e.seq(), e.orderId(), e.type(), e.actor(), e.at(), e.detail());
      if (!h.equals(e.hash())) {
        throw broken(seq, "Event " + seq + " (" + e.type() + ") was edited: its content hashes to " + h + " but it "
            + "states " + e.hash() + ".");
      }
      prev = h;
      seq++;
    }
    if (!prev.equals(chain.headHash())) {
      throw broken(seq - 1, "The chain ends in " + prev + " but the signed head is " + chain.headHash() + ".");
    }
  }

  private static String missingField(AuditEvent e) {
    String[][] fields = {{"orderId", e.orderId()}, {"type", e.type()}, {"actor", e.actor()}, {"at", e.at()},
        {"detail", e.detail()}, {"prevHash", e.prevHash()}, {"hash", e.hash()}};
    for (String[] f : fields) {
      if (f[1] == null) {
        return f[0];
      }
    }
    return null;
  }

  private static void checkHead(AuditExport chain, java.security.PublicKey key) {
    String msg = ExchangeCrypto.auditHeadMessage(chain.orderId(), chain.events().size(), chain.headHash(),
        chain.keyId());
    if (chain.signature() == null || !ExchangeCrypto.verify(key, msg, chain.signature())) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.BAD_SIGNATURE, -1, "The head of "
          + "order " + chain.orderId() + "'s audit chain is not signed by the exchange's key " + chain.keyId()
          + ": the chain was re-hashed, truncated or forged.");
    }
  }

  private static ExchangeVerificationException broken(long seq, String message) {
    return new ExchangeVerificationException(ExchangeVerificationException.Reason.AUDIT_CHAIN_BROKEN, seq, message);
  }

  /**
   * Writes a chain as JSON.
   *
   * @param chain the chain
   * @param file target file
   */
  public void write(AuditExport chain, Path file) {
    try {
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(chain));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the audit chain to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a chain written by {@link #write}.
   *
   * @param file the file
   * @return the chain, to verify with {@link #verifyOffline}
   */
  public static AuditExport read(Path file) {
    try {
      return Json.mapper().readValue(file.toFile(), AuditExport.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read an audit chain from " + file + ": " + e.getMessage(), e);
    }
  }
}
