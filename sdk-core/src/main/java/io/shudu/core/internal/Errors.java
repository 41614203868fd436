package io.shudu.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.AuthenticationException;
import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.NotFoundException;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.ServiceException;
import io.shudu.core.ThrottledException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Maps error answers (RFC 9457 problem+json or anything else) to the exception hierarchy. */
public final class Errors {
  private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail", "instance", "code",
      "requestId", "errors");

  private Errors() {}

  /** Whether a status is transient. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /** Parses Retry-After as delta-seconds or an HTTP date. */
  public static Optional<Duration> retryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim();
    try {
      long secs = Long.parseLong(v);
      return secs < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(secs));
    } catch (NumberFormatException ignored) {
      // an HTTP date
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Builds the exception for an error answer. */
  public static ServiceException fromResponse(int status, Map<String, List<String>> headers, byte[] body,
      String operation) {
    String requestId = first(headers, "X-Request-Id");
    String code = null;
    String type = null;
    String title = null;
    String detail = null;
    List<ServiceException.FieldError> errors = new ArrayList<>();
    Map<String, Object> ext = new LinkedHashMap<>();
    JsonNode doc = null;
    if (body.length > 0) {
      try {
        doc = Json.mapper().readTree(body);
      } catch (java.io.IOException ignored) {
        // not JSON
      }
    }
    if (doc != null && doc.isObject()) {
      code = text(doc, "code");
      if (code == null) {
        code = text(doc, "error");
      }
      type = text(doc, "type");
      title = text(doc, "title");
      detail = text(doc, "detail");
      if (detail == null) {
        detail = text(doc, "error_description");
      }
      if (requestId == null) {
        requestId = text(doc, "requestId");
      }
      JsonNode errs = doc.get("errors");
      if (errs != null && errs.isArray()) {
        for (JsonNode e : errs) {
          errors.add(new ServiceException.FieldError(text(e, "field"), text(e, "message")));
        }
      }
      for (Map.Entry<String, JsonNode> f : doc.properties()) {
        if (!STANDARD.contains(f.getKey())) {
          ext.put(f.getKey(), Json.mapper().convertValue(f.getValue(), Object.class));
        }
      }
    } else if (body.length > 0) {
      String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
      detail = text.isEmpty() ? null : text;
    }
    if (title == null) {
      title = defaultTitle(status, operation);
    }
    if (status == 404) {
      return new NotFoundException(status, code, type, title, detail, requestId, errors, ext);
    }
    if (status == 409) {
      return new ConflictException(status, code, type, title, detail, requestId, errors, ext);
    }
    if (status == 412) {
      return new PreconditionFailedException(status, code, type, title, detail, requestId, errors, ext);
    }
    if (status == 401) {
      return new AuthenticationException(status, code, type, title, detail, requestId, errors, ext);
    }
    if (status == 403) {
      return new PermissionDeniedException(status, code, type, title, detail, requestId, errors, ext);
    }
    if (status == 429) {
      Duration ra = retryAfter(first(headers, "Retry-After"), Instant.now()).orElse(null);
      return new ThrottledException(status, code, type, title, detail, requestId, ra, ext);
    }
    if (status == 400 || status == 422) {
      return new BadRequestException(status, code, type, title, detail, requestId, errors, ext);
    }
    return new ServiceException(status, code, type, title, detail, requestId, isRetryableStatus(status), errors, ext);
  }

  private static String defaultTitle(int status, String operation) {
    return switch (status) {
      case 401 -> operation + ": authentication failed; check the configured credentials";
      case 403 -> operation + ": not permitted for these credentials";
      case 404 -> operation + ": not found";
      case 409 -> operation + ": conflict with the current state";
      case 412 -> operation + ": precondition failed; read the resource again for its current ETag";
      case 429 -> operation + ": throttled; slow down";
      case 503 -> operation + ": the platform is unavailable; try again later";
      default -> operation + " failed";
    };
  }

  private static String first(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
