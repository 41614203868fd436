package io.shudu.exchange;

import io.shudu.core.RequestOptions;
import io.shudu.exchange.internal.AuditApi;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Trusted circulation: every order's events (contract steps, deliveries, receipts) form a hash chain, each event
 * hashing its predecessor's hash, and the exchange signs the chain's head with Ed25519. Export a chain, keep it with
 * the exchange's keys, and verify it offline at any time: an edited, inserted, removed or reordered event is detected.
 * Every operation has a blocking and an {@code ...Async} form that never throws.
 *
 * <pre>{@code
 * AuditExport chain = exchange.audit().export(order.id());
 * List<ExchangeKey> keys = exchange.deliveries().keys();
 * ExchangeAudit.verifyOffline(chain, keys);     // throws ExchangeVerificationException when tampered with
 * ExchangeAudit.write(chain, Path.of("order-audit.json"));
 * }</pre>
 */
public interface ExchangeAudit {
  /**
   * A view of this API whose calls use per-call options.
   *
   * @param options the options
   * @return the view
   */
  ExchangeAudit withOptions(RequestOptions options);

  /**
   * Exports an order's chain (not yet verified).
   *
   * @param orderId order id
   * @return the chain
   */
  AuditExport export(String orderId);

  /**
   * Async {@link #export}.
   *
   * @param orderId order id
   * @return the chain
   */
  CompletableFuture<AuditExport> exportAsync(String orderId);

  /**
   * Verifies a chain against the pinned keys, or without pinning the keys the endpoint publishes.
   *
   * @param chain the chain
   * @throws ExchangeVerificationException when tampered with or signed by an unknown key
   */
  void verify(AuditExport chain);

  /**
   * Async {@link #verify}: completes normally when the chain verifies, exceptionally with
   * {@link ExchangeVerificationException} otherwise.
   *
   * @param chain the chain
   * @return completion
   */
  CompletableFuture<Void> verifyAsync(AuditExport chain);

  /**
   * Verifies a chain offline: every hash, every link and the head signature.
   *
   * @param chain the chain
   * @param trusted the exchange's keys, kept from {@link ExchangeDeliveries#keys()} or pinned
   * @throws ExchangeVerificationException AUDIT_CHAIN_BROKEN (with the first bad sequence number), BAD_SIGNATURE or
   *     UNKNOWN_KEY
   */
  static void verifyOffline(AuditExport chain, List<ExchangeKey> trusted) {
    AuditApi.verifyOffline(chain, trusted);
  }

  /**
   * Writes a chain as JSON.
   *
   * @param chain the chain
   * @param file target file
   */
  static void write(AuditExport chain, Path file) {
    AuditApi.write(chain, file);
  }

  /**
   * Reads a chain written by {@link #write}.
   *
   * @param file the file
   * @return the chain, to verify with {@link #verifyOffline}
   */
  static AuditExport read(Path file) {
    return AuditApi.read(file);
  }
}
