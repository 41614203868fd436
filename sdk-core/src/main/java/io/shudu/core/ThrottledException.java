package io.shudu.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP 429: too many requests. The SDK already retried within its retry policy; when this reaches you, slow down
 * and try again after {@link #retryAfter()}.
 */
public class ThrottledException extends ServiceException {
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param status HTTP status (429)
   * @param code error code, or null
   * @param type problem type URI, or null
   * @param title summary, or null
   * @param detail explanation, or null
   * @param requestId request id, or null
   * @param retryAfter the server's Retry-After, or null
   * @param extensions other problem members
   */
  public ThrottledException(int status, String code, String type, String title, String detail, String requestId,
      Duration retryAfter, Map<String, Object> extensions) {
    super(status, code, type, title, detail, requestId, true, List.of(), extensions);
    this.retryAfter = retryAfter;
  }

  /** How long the server asked callers to wait, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
