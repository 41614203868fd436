package io.shudu.exchange.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.ExchangeVerificationException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The keys that verify the exchange's signatures. Pinned keys (configured once, out of band) are the only ones
 * trusted when given; otherwise the published keys ({@code GET /exchange/v1/keys}) are cached by key id and fetched
 * again once when a signature names an unknown key (key rotation). Thread-safe.
 */
public final class KeyRing {
  private final ApiClient api;
  private final Map<String, String> pinned;
  private volatile Map<String, String> keys = Map.of();

  /** @param api pipeline */
  public KeyRing(ApiClient api) {
    this(api, null);
  }

  /**
   * A key ring that trusts only pinned keys (when not null): keys served by the endpoint are never used to verify.
   *
   * @param api pipeline
   * @param pinned key id to base64url raw key, or null to trust the published keys
   */
  public KeyRing(ApiClient api, Map<String, String> pinned) {
    this.api = api;
    this.pinned = pinned == null ? null : Map.copyOf(pinned);
  }

  /**
   * The pinned keys.
   *
   * @return key id to base64url raw key, or null when nothing is pinned
   */
  public Map<String, String> pinned() {
    return pinned;
  }

  private PublicKey resolvePinned(String kid) {
    String x = kid == null ? null : pinned.get(kid);
    if (x == null) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.UNKNOWN_KEY, -1, "The signature "
          + "names key '" + kid + "', which is not among the exchange keys you pinned (" + pinned.keySet() + "). "
          + "Keys served by the endpoint are not trusted, because they come from the same place as the content. If "
          + "the exchange has rotated its key, obtain the new key from the exchange out of band and pin it too.");
    }
    return ExchangeCrypto.ed25519PublicKey(x);
  }

  private static ApiRequest request() {
    return ApiRequest.builder("exchange.keys", "GET", "/exchange/v1/keys").build();
  }

  /**
   * Fetches the keys now.
   *
   * @return key id to base64url raw key
   */
  public Map<String, String> refresh() {
    return store(api.call(request(), JsonNode.class));
  }

  /**
   * Fetches the keys without blocking.
   *
   * @return key id to base64url raw key
   */
  public CompletableFuture<Map<String, String>> refreshAsync() {
    return api.callAsync(request(), JsonNode.class).thenApply(this::store);
  }

  /**
   * The public key with an id, fetching the keys if it is not cached.
   *
   * @param kid key id
   * @return the key
   */
  public CompletableFuture<PublicKey> keyAsync(String kid) {
    if (pinned != null) {
      try {
        return CompletableFuture.completedFuture(resolvePinned(kid));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    String x = kid == null ? null : keys.get(kid);
    if (x != null) {
      return CompletableFuture.completedFuture(ExchangeCrypto.ed25519PublicKey(x));
    }
    return refreshAsync().thenApply(m -> resolve(m, kid, null));
  }

  private Map<String, String> store(JsonNode doc) {
    Map<String, String> m = new LinkedHashMap<>();
    for (JsonNode k : doc.path("keys")) {
      if ("Ed25519".equals(k.path("crv").asText()) && k.hasNonNull("kid") && k.hasNonNull("x")) {
        m.put(k.get("kid").asText(), k.get("x").asText());
      }
    }
    keys = Map.copyOf(m);
    return keys;
  }

  /**
   * The cached keys, fetched on first use.
   *
   * @return key id to base64url raw key
   */
  public Map<String, String> keys() {
    Map<String, String> k = keys;
    return k.isEmpty() ? refresh() : k;
  }

  /**
   * The public key with an id.
   *
   * @param kid key id
   * @return the key
   * @throws ExchangeVerificationException UNKNOWN_KEY when the exchange has not published it
   */
  public PublicKey key(String kid) {
    if (pinned != null) {
      return resolvePinned(kid);
    }
    String x = kid == null ? null : keys().get(kid);
    if (x == null && kid != null) {
      x = refresh().get(kid);
    }
    return resolve(keys, kid, x);
  }

  /**
   * Resolves a key id in a given set (offline verification).
   *
   * @param set key id to base64url raw key
   * @param kid key id
   * @param x the key if already looked up, or null
   * @return the key
   */
  public static PublicKey resolve(Map<String, String> set, String kid, String x) {
    String v = x != null ? x : kid == null ? null : set.get(kid);
    if (v == null) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.UNKNOWN_KEY, -1, "The signature "
          + "names key '" + kid + "', which the exchange has not published (known keys: " + set.keySet() + "). It was "
          + "not made by the exchange.");
    }
    return ExchangeCrypto.ed25519PublicKey(v);
  }
}
