package io.shudu.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The exchange's hashing and signing as specified in docs/signing-exchange.md, in one place for both sides: the
 * exchange client verifies with it, the sandbox signs with it. Merkle tree over chunk leaf hashes, Ed25519 signatures
 * over delivery receipts and audit heads, the audit hash chain, the work and provenance hashes. Pure functions;
 * thread-safe. NOT API (see the package-info).
 */
public final class ExchangeCrypto {
  /** The previous hash of the first audit event. */
  public static final String ZERO_HASH = "0".repeat(64);
  /** Trait layers in canonical order. */
  public static final List<String> LAYERS = List.of("background", "landmark", "palette", "pattern", "emblem", "frame");
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private ExchangeCrypto() {}

  /**
   * A SHA-256 digest.
   *
   * @return the digest
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Lower-case hex SHA-256 of a UTF-8 string.
   *
   * @param s text
   * @return hex
   */
  public static String sha256Hex(String s) {
    return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A digest primed for a Merkle leaf: SHA-256(0x00 || chunk).
   *
   * @return the digest
   */
  public static MessageDigest leafDigest() {
    MessageDigest md = sha256();
    md.update((byte) 0);
    return md;
  }

  /**
   * Merkle root over leaf hashes: node = SHA-256(0x01 || left || right), an odd last node is promoted unchanged;
   * no leaves give SHA-256 of the empty string.
   *
   * @param leaves leaf hashes in chunk order
   * @return lower-case hex root
   */
  public static String merkleRoot(List<byte[]> leaves) {
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

  /**
   * Merkle root over hex leaf hashes.
   *
   * @param hexLeaves leaves
   * @return root
   */
  public static String merkleRootHex(List<String> hexLeaves) {
    List<byte[]> leaves = new ArrayList<>(hexLeaves.size());
    for (String h : hexLeaves) {
      leaves.add(HexFormat.of().parseHex(h));
    }
    return merkleRoot(leaves);
  }

  /**
   * The signed message of a delivery receipt.
   *
   * @param deliveryId delivery
   * @param orderId order
   * @param productId product
   * @param version product version
   * @param bytes byte count
   * @param root Merkle root
   * @param issuedAt ISO-8601 instant as sent
   * @param keyId signing key id
   * @return the message
   */
  public static String receiptMessage(String deliveryId, String orderId, String productId, String version, long bytes,
      String root, String issuedAt, String keyId) {
    return String.join("\n", "shudu-delivery-receipt-v1", deliveryId, orderId, productId, version,
        Long.toString(bytes), root, issuedAt, keyId);
  }

  /**
   * The signed message of an audit chain head.
   *
   * @param orderId order
   * @param count number of events
   * @param headHash hash of the last event
   * @param keyId signing key id
   * @return the message
   */
  public static String auditHeadMessage(String orderId, int count, String headHash, String keyId) {
    return String.join("\n", "shudu-audit-head-v1", orderId, Integer.toString(count), headHash, keyId);
  }

  /** Domain tag, the first field of every audit event's canonical form. */
  public static final String AUDIT_EVENT_TAG = "shudu-audit-event-v2";

  /**
   * The canonical form of an audit event (docs/signing-exchange.md): the tag and the seven fields, each written as its
   * UTF-8 byte length in decimal, a colon, its UTF-8 bytes and a line feed. The length prefix makes the form
   * unambiguous: content moved from one field into the next changes the bytes.
   *
   * @param prevHash previous event's hash (or {@link #ZERO_HASH})
   * @param seq sequence number from 1
   * @param orderId order
   * @param type event type
   * @param actor the authenticated party that caused the event
   * @param at ISO-8601 instant as sent
   * @param detail detail text
   * @return the canonical text
   * @throws IllegalArgumentException when a field is null
   */
  public static String auditCanonical(String prevHash, long seq, String orderId, String type, String actor,
      String at, String detail) {
    StringBuilder sb = new StringBuilder();
    String[] names = {"prevHash", "seq", "orderId", "type", "actor", "at", "detail"};
    String[] values = {prevHash, Long.toString(seq), orderId, type, actor, at, detail};
    lengthPrefixed(sb, AUDIT_EVENT_TAG);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        throw new IllegalArgumentException("an audit event needs a value for '" + names[i] + "'");
      }
      lengthPrefixed(sb, values[i]);
    }
    return sb.toString();
  }

  private static void lengthPrefixed(StringBuilder sb, String value) {
    sb.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append('\n');
  }

  /**
   * The hash of an audit event chained to its predecessor: SHA-256 of {@link #auditCanonical}.
   *
   * @param prevHash previous event's hash (or {@link #ZERO_HASH})
   * @param seq sequence number from 1
   * @param orderId order
   * @param type event type
   * @param actor the authenticated party that caused the event
   * @param at ISO-8601 instant as sent
   * @param detail detail text
   * @return hex hash
   * @throws IllegalArgumentException when a field is null
   */
  public static String auditHash(String prevHash, long seq, String orderId, String type, String actor, String at,
      String detail) {
    return sha256Hex(auditCanonical(prevHash, seq, orderId, type, actor, at, detail));
  }

  /**
   * Canonical trait string: layer=value pairs in layer order joined by ';'.
   *
   * @param traits traits
   * @return text
   */
  public static String canonicalTraits(Map<String, String> traits) {
    StringBuilder sb = new StringBuilder();
    for (String layer : LAYERS) {
      String v = traits.get(layer);
      if (v == null) {
        throw new IllegalArgumentException("traits must have a value for layer '" + layer + "'; layers are " + LAYERS);
      }
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(layer).append('=').append(v);
    }
    return sb.toString();
  }

  /**
   * The hash of one work.
   *
   * @param collectionId collection
   * @param tokenId token id
   * @param traits traits
   * @return hex hash
   */
  public static String workHash(String collectionId, int tokenId, Map<String, String> traits) {
    return sha256Hex("shudu-work-v1|" + collectionId + "|" + tokenId + "|" + canonicalTraits(traits));
  }

  /**
   * Parses a raw Ed25519 public key (JWK "x", base64url).
   *
   * @param x key
   * @return the key
   */
  public static PublicKey ed25519PublicKey(String x) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(x);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("an Ed25519 key must be base64url, got something else", e);
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + raw.length);
    }
    byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /**
   * Verifies an Ed25519 signature.
   *
   * @param key public key
   * @param message signed text (UTF-8)
   * @param signature base64url signature
   * @return whether it is valid
   */
  public static boolean verify(PublicKey key, String message, String signature) {
    try {
      byte[] sig = Base64.getUrlDecoder().decode(signature);
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message.getBytes(StandardCharsets.UTF_8));
      return s.verify(sig);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * An Ed25519 key pair derived from a 32-byte seed (the sandbox's signing key).
   *
   * @param keyId key id published with the key
   * @param privateKey private key
   * @param publicKey public key
   * @param rawPublic the 32 raw public key bytes
   */
  public record Ed25519Key(String keyId, PrivateKey privateKey, PublicKey publicKey, byte[] rawPublic) {
    /**
     * Signs UTF-8 text.
     *
     * @param message text
     * @return base64url signature without padding
     */
    public String sign(String message) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(privateKey);
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The public key as a JWK "x" value.
     *
     * @return base64url raw public key without padding
     */
    public String x() {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(rawPublic);
    }

    @Override
    public String toString() {
      return "Ed25519Key[keyId=" + keyId + ", x=" + x() + "]";
    }
  }

  /**
   * Derives an Ed25519 key pair from a seed.
   *
   * @param keyId key id
   * @param seed32 32 seed bytes
   * @return the key pair
   */
  public static Ed25519Key ed25519(String keyId, byte[] seed32) {
    try {
      // The JDK's Ed25519 generator takes its 32-byte private key from the random source: feed it the seed.
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(255, new FixedRandom(seed32));
      KeyPair kp = g.generateKeyPair();
      byte[] enc = kp.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(enc, X509_PREFIX.length, enc.length);
      return new Ed25519Key(keyId, kp.getPrivate(), kp.getPublic(), raw);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** A SecureRandom that returns fixed bytes, to derive a key pair from a seed. */
  private static final class FixedRandom extends SecureRandom {
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
