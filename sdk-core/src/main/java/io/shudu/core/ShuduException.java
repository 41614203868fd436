package io.shudu.core;

/**
 * Base of every exception the SDK throws. Unchecked: catch the subclass you can act on
 * ({@link ServiceException} for answers from the platform, {@link ClientException} for transport failures).
 * Messages never contain credentials, tokens or signatures.
 */
public class ShuduException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, or null
   */
  public ShuduException(String message, Throwable cause) {
    super(message, cause);
  }
}
