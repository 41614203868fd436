package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.core.internal.Json;
import io.shudu.exchange.AuditEvent;
import io.shudu.exchange.AuditExport;
import io.shudu.exchange.ExchangeAudit;
import io.shudu.exchange.ExchangeKey;
import io.shudu.exchange.ExchangeVerificationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangeAudit} over the core pipeline, and the offline chain verification. */
public final class AuditApi implements ExchangeAudit {
  private final ApiClient api;
  private final RequestOptions options;
  private final KeyRing keys;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   * @param keys the exchange's keys (pinned or fetched)
   */
  public AuditApi(ApiClient api, RequestOptions options, KeyRing keys) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
    this.keys = keys;
  }

  @Override
  public ExchangeAudit withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new AuditApi(api, options, keys);
  }

  private ApiRequest exportRequest(String orderId) {
    return ApiRequest.builder("exchange.audit.export", "GET", BASE + "/orders/{}/audit",
        Calls.requireId(orderId, "orderId")).options(options).build();
  }

  @Override
  public AuditExport export(String orderId) {
    return api.call(exportRequest(orderId), AuditExport.class);
  }

  @Override
  public CompletableFuture<AuditExport> exportAsync(String orderId) {
    return Calls.async(() -> api.callAsync(exportRequest(orderId), AuditExport.class));
  }

  @Override
  public void verify(AuditExport chain) {
    if (chain == null) {
      throw new NullPointerException("chain must not be null");
    }
    verifyLinks(chain);
    checkHead(chain, keys.key(chain.keyId()));
  }

  @Override
  public CompletableFuture<Void> verifyAsync(AuditExport chain) {
    return Calls.async(() -> {
      if (chain == null) {
        throw new NullPointerException("chain must not be null");
      }
      verifyLinks(chain);
      return keys.keyAsync(chain.keyId()).thenAccept(k -> checkHead(chain, k));
    });
  }

  /**
   * Verifies a chain offline.
   *
   * @param chain the chain
   * @param trusted the exchange's keys
   */
  public static void verifyOffline(AuditExport chain, List<ExchangeKey> trusted) {
    if (chain == null) {
      throw new NullPointerException("chain must not be null");
    }
    verifyLinks(chain);
    checkHead(chain, KeyRing.resolve(DeliveriesApi.keyMap(trusted), chain.keyId(), null));
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
  public static void write(AuditExport chain, Path file) {
    try {
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(chain));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the audit chain to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a chain.
   *
   * @param file the file
   * @return the chain
   */
  public static AuditExport read(Path file) {
    try {
      return Json.mapper().readValue(file.toFile(), AuditExport.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read an audit chain from " + file + ": " + e.getMessage(), e);
    }
  }
}
