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

  /** A problem: status, machine-readable code, title of the problem type, and a detail saying what to do. */
  public Problem(int status, String code, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
  }

  /** 400 {@code invalid_request}. */
  public static Problem badRequest(String detail) {
    return new Problem(400, "invalid_request", "The request is invalid", detail);
  }

  /** 400 {@code invalid_request} with one field error. */
  public static Problem validation(String field, String detail) {
    return new Problem(400, "invalid_request", "The request is invalid", detail)
        .with("errors", List.of(Map.of("field", field, "message", detail)));
  }

  /**
   * 400 {@code limit_exceeded}: the request goes beyond one of the sandbox's documented limits (see the "Limits"
   * section of docs/testing-with-sandbox.md). The problem names the limit in {@code limit} and its value in
   * {@code maximum}; {@code detail} says what to do instead.
   */
  public static Problem limit(String limit, long maximum, String detail) {
    return new Problem(400, "limit_exceeded", "Limit exceeded", detail).with("limit", limit).with("maximum", maximum);
  }

  /** 404 {@code not_found}. */
  public static Problem notFound(String detail) {
    return new Problem(404, "not_found", "Resource not found", detail);
  }

  /** 409 with a specific code. */
  public static Problem conflict(String code, String detail) {
    return new Problem(409, code, "Conflict", detail);
  }

  /** 412 {@code precondition_failed}. */
  public static Problem preconditionFailed(String detail) {
    return new Problem(412, "precondition_failed", "Precondition failed", detail);
  }

  /** 401 {@code unauthorized}. */
  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Authentication required", detail);
  }

  /** 403 {@code forbidden}. */
  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Forbidden", detail);
  }

  /** 405 {@code method_not_allowed}. */
  public static Problem methodNotAllowed(String detail) {
    return new Problem(405, "method_not_allowed", "Method not allowed", detail);
  }

  /** 415 {@code unsupported_media_type}. */
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

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The machine-readable code. */
  public String code() {
    return code;
  }

  /** The title of the problem type. */
  public String title() {
    return title;
  }

  /** Extension members of the problem document. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** Headers sent with the problem. */
  public Map<String, String> headers() {
    return headers;
  }
}
