package io.shudu.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform answered with an error status. Carries the RFC 9457 problem details the platform sent
 * ({@code type}, {@code title}, {@code detail}, plus the {@code code} extension), the HTTP status and the request id
 * to quote when you contact support. Subclasses name the statuses callers usually handle.
 *
 * <pre>{@code
 * try {
 *   twin.entities().get("building-0001");
 * } catch (NotFoundException e) {
 *   // absent: create it
 * } catch (ServiceException e) {
 *   log.warn("twin call failed: {} (request id {})", e.getMessage(), e.requestId());
 * }
 * }</pre>
 */
public class ServiceException extends ShuduException {
  private static final long serialVersionUID = 1L;

  /** A field-level validation error from the problem's {@code errors} member. */
  public record FieldError(String field, String message) {}

  private final int status;
  private final String code;
  private final String type;
  private final String title;
  private final String detail;
  private final String requestId;
  private final boolean retryable;
  private final transient List<FieldError> errors;
  private final transient Map<String, Object> extensions;

  /**
   * Creates a service exception; the SDK builds these from responses, tests may build their own.
   *
   * @param status HTTP status
   * @param code machine-readable error code (problem extension {@code code}), or null
   * @param type problem type URI, or null
   * @param title short summary, or null
   * @param detail explanation of this occurrence, or null
   * @param requestId the platform's request id, or null
   * @param retryable whether retrying later may succeed
   * @param errors field errors, possibly empty
   * @param extensions other problem members
   */
  public ServiceException(int status, String code, String type, String title, String detail, String requestId,
      boolean retryable, List<FieldError> errors, Map<String, Object> extensions) {
    super(message(status, code, title, detail, requestId), null);
    this.status = status;
    this.code = code;
    this.type = type;
    this.title = title;
    this.detail = detail;
    this.requestId = requestId;
    this.retryable = retryable;
    this.errors = errors == null ? List.of() : List.copyOf(errors);
    this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
  }

  private static String message(int status, String code, String title, String detail, String requestId) {
    StringBuilder sb = new StringBuilder("HTTP ").append(status);
    if (code != null) {
      sb.append(" ").append(code);
    }
    if (title != null) {
      sb.append(": ").append(title);
    }
    if (detail != null && !detail.equals(title)) {
      sb.append(" - ").append(detail);
    }
    if (requestId != null) {
      sb.append(" [request id ").append(requestId).append("]");
    }
    return sb.toString();
  }

  /** HTTP status code. */
  public int status() {
    return status;
  }

  /** Machine-readable error code, such as {@code not_found} or {@code invalid_transition}. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** Problem type URI. */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /** Short human-readable summary. */
  public Optional<String> title() {
    return Optional.ofNullable(title);
  }

  /** Explanation specific to this occurrence. */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** The platform's request id ({@code X-Request-Id}); quote it to support. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  /** Whether retrying the call later may succeed (429, 503 and other transient statuses). */
  public boolean retryable() {
    return retryable;
  }

  /** Field-level validation errors, empty when the platform sent none. */
  public List<FieldError> errors() {
    return errors;
  }

  /** Problem members beyond the standard ones and {@code code}/{@code errors}. */
  public Map<String, Object> extensions() {
    return extensions;
  }
}
