package io.shudu.exchange.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.ExchangeVerificationException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The exchange's published Ed25519 keys ({@code GET /exchange/v1/keys}), cached by key id and fetched again once
 * when a signature names an unknown key (key rotation). Thread-safe.
 */
public final class KeyRing {
  private final ApiClient api;
  private volatile Map<String, String> keys = Map.of();

  /** @param api pipeline */
  public KeyRing(ApiClient api) {
    this.api = api;
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
    String x = keys.get(kid);
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
    String x = keys().get(kid);
    if (x == null) {
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
    String v = x != null ? x : set.get(kid);
    if (v == null) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.UNKNOWN_KEY, -1, "The signature "
          + "names key '" + kid + "', which the exchange has not published (known keys: " + set.keySet() + "). It was "
          + "not made by the exchange.");
    }
    return ExchangeCrypto.ed25519PublicKey(v);
  }
}
