package io.shudu.exchange;

import io.shudu.core.ShuduException;

/**
 * Something the exchange delivered does not verify: a chunk's bytes do not match their SHA-256, the Merkle root or
 * byte count differs from the signed receipt, a signature is forged or made with an unknown key, an audit chain was
 * edited, or a collection's works do not match its committed provenance hash. Never retry blindly: the data or the
 * document is not what the exchange signed.
 */
public class ExchangeVerificationException extends ShuduException {
  private static final long serialVersionUID = 1L;

  /** What failed to verify. */
  public enum Reason {
    /** A chunk's SHA-256 differs from the manifest. */
    CHUNK_HASH_MISMATCH,
    /** The byte count differs from the manifest or receipt. */
    SIZE_MISMATCH,
    /** The Merkle root differs from the manifest or receipt. */
    ROOT_MISMATCH,
    /** The receipt does not describe this delivery. */
    RECEIPT_MISMATCH,
    /** An Ed25519 signature does not verify. */
    BAD_SIGNATURE,
    /** A signature names a key the exchange has not published. */
    UNKNOWN_KEY,
    /** An audit event's hash or link to its predecessor is wrong. */
    AUDIT_CHAIN_BROKEN,
    /** The works do not reproduce the committed provenance hash. */
    PROVENANCE_MISMATCH
  }

  private final Reason reason;
  private final long position;

  /**
   * Creates the exception.
   *
   * @param reason what failed
   * @param position the chunk index, audit sequence number or token id concerned, or -1
   * @param message what failed and what to do
   */
  public ExchangeVerificationException(Reason reason, long position, String message) {
    super(message, null);
    this.reason = reason;
    this.position = position;
  }

  /**
   * What failed to verify.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The chunk index, audit sequence number or token id concerned.
   *
   * @return the position, or -1 when the whole document failed
   */
  public long position() {
    return position;
  }
}
