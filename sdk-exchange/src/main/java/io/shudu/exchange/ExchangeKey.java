package io.shudu.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.core.internal.ExchangeCrypto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A public key of the exchange, used to verify delivery receipts and audit chain heads. The exchange publishes its
 * keys at {@code /exchange/v1/keys} (a JWK set); to verify without trusting the endpoint that also serves the content,
 * obtain the keys once out of band, keep them in a file and pin them:
 *
 * <pre>{@code
 * List<ExchangeKey> pinned = ExchangeKey.read(Path.of("exchange-keys.json"));   // {"keys": [{"kid": ..., "x": ...}]}
 * ExchangeClient exchange = ExchangeClient.builder(config).trustedKeys(pinned).build();
 * }</pre>
 *
 * @param kid key id named by signatures
 * @param crv curve, always Ed25519
 * @param x the raw 32-byte public key, base64url without padding
 */
public record ExchangeKey(String kid, String crv, String x) {
  /** Validates. */
  public ExchangeKey {
    if (kid == null || kid.isBlank()) {
      throw new IllegalArgumentException("ExchangeKey.kid must not be blank");
    }
    if (!"Ed25519".equals(crv)) {
      throw new IllegalArgumentException("ExchangeKey.crv must be Ed25519, got " + crv);
    }
    if (x == null || x.isBlank()) {
      throw new IllegalArgumentException("ExchangeKey.x must not be blank");
    }
    try {
      ExchangeCrypto.ed25519PublicKey(x);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("ExchangeKey.x of key '" + kid + "' is not a raw Ed25519 public key: "
          + e.getMessage(), e);
    }
  }

  /**
   * Parses a JWK set such as {@code GET /exchange/v1/keys} serves: {@code {"keys": [{"kid", "crv": "Ed25519", "x"},
   * …]}}. Members of other curves are refused, not skipped, so a pinned file never silently trusts less than it says.
   *
   * @param jwkSet the JSON text
   * @return the keys, at least one
   * @throws IllegalArgumentException when the text is not such a set
   */
  public static List<ExchangeKey> parse(String jwkSet) {
    JsonNode doc;
    try {
      doc = Json.mapper().readTree(jwkSet == null ? "" : jwkSet);
    } catch (IOException e) {
      throw new IllegalArgumentException("exchange keys must be a JWK set {\"keys\": [...]}: the text is not JSON", e);
    }
    JsonNode keys = doc == null ? null : doc.get("keys");
    if (keys == null || !keys.isArray() || keys.isEmpty()) {
      throw new IllegalArgumentException("exchange keys must be a JWK set with at least one key: {\"keys\": "
          + "[{\"kid\": ..., \"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": ...}]}");
    }
    List<ExchangeKey> out = new ArrayList<>();
    for (JsonNode k : keys) {
      out.add(new ExchangeKey(k.path("kid").asText(null), k.path("crv").asText(null), k.path("x").asText(null)));
    }
    return List.copyOf(out);
  }

  /**
   * Reads a JWK set file (see {@link #parse}).
   *
   * @param file the file
   * @return the keys
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a JWK set of Ed25519 keys
   */
  public static List<ExchangeKey> read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the exchange keys from " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes keys as a JWK set file that {@link #read} accepts.
   *
   * @param keys the keys
   * @param file the file
   */
  public static void write(List<ExchangeKey> keys, Path file) {
    List<Map<String, String>> members = new ArrayList<>();
    for (ExchangeKey k : keys) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("kid", k.kid());
      m.put("kty", "OKP");
      m.put("crv", k.crv());
      m.put("alg", "EdDSA");
      m.put("use", "sig");
      m.put("x", k.x());
      members.add(m);
    }
    try {
      Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("keys", members)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the exchange keys to " + file + ": " + e.getMessage(), e);
    }
  }
}
