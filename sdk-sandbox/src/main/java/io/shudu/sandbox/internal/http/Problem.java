package io.shudu.sandbox.internal.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A handler's way to answer with an RFC 9457 problem: throw it, and the server renders
 * {@code application/problem+json} with the request id. Never use it for a 5xx caused by bad input.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String code;
  private final String title;
  private final Map<String, Object> extensions = new LinkedHashMap<>();
  private final Map<String, String> headers = new LinkedHashMap<>();

  public Problem(int status, String code, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "invalid_request", "The request is invalid", detail);
  }

  public static Problem validation(String field, String detail) {
    return new Problem(400, "invalid_request", "The request is invalid", detail)
        .with("errors", List.of(Map.of("field", field, "message", detail)));
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not_found", "Resource not found", detail);
  }

  public static Problem conflict(String code, String detail) {
    return new Problem(409, code, "Conflict", detail);
  }

  public static Problem preconditionFailed(String detail) {
    return new Problem(412, "precondition_failed", "Precondition failed", detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Authentication required", detail);
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail);
  }

  public static Problem methodNotAllowed(String detail) {
    return new Problem(405, "method_not_allowed", "Method not allowed", detail);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported_media_type", "Unsupported media type", detail);
  }

  /** Adds an extension member to the problem document. */
  public Problem with(String member, Object value) {
    extensions.put(member, value);
    return this;
  }

  /** Adds a response header (for example Retry-After). */
  public Problem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> extensions() {
    return extensions;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
