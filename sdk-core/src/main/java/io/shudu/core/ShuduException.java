package io.shudu.core;

import java.util.Optional;

/**
 * Base of every exception the SDK throws. Unchecked: catch the subclass you can act on
 * ({@link ServiceException} for answers from the platform, {@link ClientException} for transport failures).
 * Messages never contain credentials, tokens or signatures.
 *
 * <p>An exception that ends a call says what the platform may have done ({@link #outcome()}) and, when the call
 * carried an {@code Idempotency-Key} (every POST and PATCH, and a create-only PUT), which key it was
 * ({@link #idempotencyKey()}). When the outcome is {@link Outcome#MAYBE_PROCESSED}, repeat the same call with the same
 * arguments and {@link RequestOptions#repeatOf(ShuduException)}: the platform applies it at most once and answers
 * with the first result.
 *
 * <pre>{@code
 * try {
 *   order = exchange.orders().create(offerId, use);
 * } catch (ShuduException e) {
 *   if (e.outcome() != ShuduException.Outcome.MAYBE_PROCESSED) throw e;
 *   order = exchange.orders().withOptions(RequestOptions.repeatOf(e)).create(offerId, use); // same key: exactly once
 * }
 * }</pre>
 */
public class ShuduException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the platform may have done with a call that ended with an exception. */
  public enum Outcome {
    /** No attempt reached the platform (connection refused, unknown host, invalid credentials): nothing happened. */
    NOT_SENT,
    /**
     * An attempt may have been applied although its answer was lost (connection cut or timed out after the request
     * was sent, 500/502/504, a key still in progress). Repeat with the same {@link #idempotencyKey()} to learn the
     * result; without a key, read the resource to find out.
     */
    MAYBE_PROCESSED,
    /** The platform answered, and the exception carries its answer; no earlier attempt's outcome is unknown. */
    ANSWERED
  }

  private volatile String idempotencyKey;
  private volatile Outcome outcome;

  /**
   * Creates an exception.
   *
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, or null
   */
  public ShuduException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The {@code Idempotency-Key} the failed call carried on every attempt, if it carried one. Pass it back with
   * {@link RequestOptions#repeatOf(ShuduException)} to repeat the call exactly once. An idempotency key is not a
   * secret: it identifies an operation, not a caller.
   *
   * @return the key
   */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /**
   * What the platform may have done with the call: {@link Outcome#NOT_SENT}, {@link Outcome#MAYBE_PROCESSED} or
   * {@link Outcome#ANSWERED}. Exceptions the SDK did not raise for a call default to ANSWERED for a
   * {@link ServiceException} and MAYBE_PROCESSED otherwise.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    Outcome o = outcome;
    if (o != null) {
      return o;
    }
    return this instanceof ServiceException ? Outcome.ANSWERED : Outcome.MAYBE_PROCESSED;
  }

  /**
   * The message; when the call may have been applied ({@link Outcome#MAYBE_PROCESSED}) it ends by saying so, with the
   * Idempotency-Key to repeat it with.
   */
  @Override
  public String getMessage() {
    String m = super.getMessage();
    if (outcome != Outcome.MAYBE_PROCESSED) {
      return m;
    }
    return m + (idempotencyKey == null
        ? " [outcome MAYBE_PROCESSED: the platform may have applied this call; read the resource to find out]"
        : " [outcome MAYBE_PROCESSED: the platform may have applied this call; repeat it with the same arguments and "
            + "RequestOptions.repeatOf(e) (Idempotency-Key " + idempotencyKey + ") to apply it exactly once and get "
            + "its result]");
  }

  /**
   * Records the call this exception ended: set once by the SDK's pipeline when the call ends (later calls are
   * ignored, like {@link Throwable#initCause}); tests may set it on exceptions they build.
   *
   * @param key the call's Idempotency-Key, or null when it had none
   * @param callOutcome what the platform may have done
   * @return this exception
   */
  public ShuduException initCall(String key, Outcome callOutcome) {
    synchronized (this) {
      if (outcome == null && callOutcome != null) {
        this.idempotencyKey = key;
        this.outcome = callOutcome;
      }
    }
    return this;
  }
}
