package io.shudu.core;

/**
 * A webhook or event signature did not verify (see {@link WebhookVerifier}). The message says what to check; it
 * never contains the signing secret or the signature the verifier expected. Answer the delivery with HTTP 400 and do
 * not act on its payload.
 */
public class SignatureVerificationException extends ShuduException {
  private static final long serialVersionUID = 1L;

  /** Why a signature was refused. */
  public enum Reason {
    /** The {@code Shudu-Signature} header was absent or empty. */
    MISSING_HEADER,
    /** The header is not {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}. */
    MALFORMED_HEADER,
    /** The signed timestamp is older than the tolerance window (a late delivery or a replay). */
    TIMESTAMP_TOO_OLD,
    /** The signed timestamp is further in the future than the tolerance window (clock skew or forgery). */
    TIMESTAMP_IN_FUTURE,
    /** No {@code v1} signature matched any configured secret. */
    NO_MATCH
  }

  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param reason why the signature was refused
   * @param message what to check; must not contain secrets or expected signatures
   */
  public SignatureVerificationException(Reason reason, String message) {
    super(message, null);
    this.reason = reason;
  }

  /**
   * Why the signature was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
