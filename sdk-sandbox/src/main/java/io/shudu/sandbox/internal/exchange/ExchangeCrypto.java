package io.shudu.sandbox.internal.exchange;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The exchange's hashing and signing, as specified in docs/signing-exchange.md: Merkle tree over chunk hashes,
 * delivery receipts and audit heads signed with Ed25519, the audit hash chain and the provenance hash.
 */
final class ExchangeCrypto {
  static final String ZERO_HASH = "0".repeat(64);
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private ExchangeCrypto() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(String s) {
    return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Merkle root (hex) over leaf hashes: node = SHA-256(0x01 || left || right), an odd last node is promoted. */
  static String merkleRoot(List<byte[]> leaves) {
    if (leaves.isEmpty()) {
      return HexFormat.of().formatHex(sha256().digest());
    }
    List<byte[]> level = new ArrayList<>(leaves);
    while (level.size() > 1) {
      List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        if (i + 1 == level.size()) {
          next.add(level.get(i));
        } else {
          MessageDigest md = sha256();
          md.update((byte) 1);
          md.update(level.get(i));
          md.update(level.get(i + 1));
          next.add(md.digest());
        }
      }
      level = next;
    }
    return HexFormat.of().formatHex(level.get(0));
  }

  /** Leaf hash of one chunk: SHA-256(0x00 || chunk). */
  static MessageDigest leafDigest() {
    MessageDigest md = sha256();
    md.update((byte) 0);
    return md;
  }

  /** Canonical receipt message. */
  static String receiptMessage(String deliveryId, String orderId, String productId, String version, long bytes,
      String root, String issuedAt, String keyId) {
    return String.join("\n", "shudu-delivery-receipt-v1", deliveryId, orderId, productId, version,
        Long.toString(bytes), root, issuedAt, keyId);
  }

  /** Canonical audit head message. */
  static String auditHeadMessage(String orderId, int count, String headHash, String keyId) {
    return String.join("\n", "shudu-audit-head-v1", orderId, Integer.toString(count), headHash, keyId);
  }

  /**
   * Hash of one audit event, chained to the previous hash: SHA-256 over the tag {@code shudu-audit-event-v2} and the
   * seven fields, each as {@code <UTF-8 byte length>:<bytes>\n}, so no content can move between fields unnoticed.
   */
  static String auditHash(String prevHash, long seq, String orderId, String type, String actor, String at,
      String detail) {
    StringBuilder sb = new StringBuilder();
    for (String v : new String[] {"shudu-audit-event-v2", prevHash, Long.toString(seq), orderId, type, actor, at,
        detail}) {
      if (v == null) {
        throw new IllegalArgumentException("an audit event field is null");
      }
      sb.append(v.getBytes(StandardCharsets.UTF_8).length).append(':').append(v).append('\n');
    }
    return sha256Hex(sb.toString());
  }

  /** An Ed25519 key pair derived from a 32-byte seed. */
  record Ed25519Key(String keyId, PrivateKey privateKey, PublicKey publicKey, byte[] rawPublic) {
    String sign(String message) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    String x() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(rawPublic);
    }
  }

  static Ed25519Key ed25519(String keyId, byte[] seed32) {
    try {
      // The JDK's Ed25519 generator takes its 32-byte private key from the random source: feed it the seed.
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, new FixedRandom(seed32));
      java.security.KeyPair kp = g.generateKeyPair();
      byte[] enc = kp.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(enc, X509_PREFIX.length, enc.length);
      return new Ed25519Key(keyId, kp.getPrivate(), kp.getPublic(), raw);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** A SecureRandom that returns fixed bytes, to derive a key pair from a seed. */
  private static final class FixedRandom extends java.security.SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      for (int i = 0; i < out.length; i++) {
        out[i] = bytes[i % bytes.length];
      }
    }
  }
}
