package io.shudu.exchange;

/**
 * A public key the exchange publishes at {@code /exchange/v1/keys} (JWK members), used to verify delivery receipts
 * and audit chain heads. Keep a copy to verify exports offline.
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
  }
}
