package io.shudu.core;

/**
 * The call did not get a usable answer from the platform: connection refused or reset, DNS failure, a timeout,
 * a truncated or unreadable body, or a retry budget that ran out. {@link #retryable()} tells whether trying the
 * same call again later may succeed; {@link #outcome()} tells whether the platform may have applied it, and
 * {@link #idempotencyKey()} which key to repeat it with ({@link RequestOptions#repeatOf(ShuduException)}).
 */
public class ClientException extends ShuduException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  /**
   * Creates a client-side failure.
   *
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, or null
   * @param retryable whether the same call may succeed if tried again
   */
  public ClientException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether the same call may succeed if tried again later. */
  public boolean retryable() {
    return retryable;
  }
}
