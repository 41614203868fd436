package io.shudu.exchange;

import io.shudu.core.internal.ExchangeCrypto;

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
