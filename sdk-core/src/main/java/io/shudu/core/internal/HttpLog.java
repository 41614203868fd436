package io.shudu.core.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/response logging on the {@code io.shudu.http} logger with allow-lists: a header or query parameter
 * shows its value only when allow-listed; everything else prints {@code REDACTED}. Bodies are never logged.
 */
public final class HttpLog {
  static final Logger LOG = LoggerFactory.getLogger("io.shudu.http");
  private static final Set<String> NEVER = Set.of("authorization", "x-api-key", "cookie", "set-cookie",
      "proxy-authorization", "x-shudu-signature", "shudu-signature");

  private final Set<String> headers;
  private final Set<String> query;

  HttpLog(Set<String> headers, Set<String> query) {
    this.headers = headers;
    this.query = query;
  }

  /**
   * The text with the user-info part of its authority (everything up to the last '@' before the path) replaced by
   * "***", so that a URL given with a password can be shown in a message: the one redaction of user-info, used by
   * {@code ClientConfig} and the Kafka connector's settings.
   *
   * @param uri a URL as typed, valid or not
   * @return the text without its user-info
   */
  public static String redactUserInfo(String uri) {
    int start = uri.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    int end = uri.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = uri.indexOf(c, start);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    int at = uri.lastIndexOf('@', end - 1);
    return at < start ? uri : uri.substring(0, start) + "***" + uri.substring(at);
  }

  /** The URL with non-allow-listed query values replaced by REDACTED. */
  public String redactUrl(HttpUrl url) {
    if (url.querySize() == 0) {
      return url.toString();
    }
    HttpUrl.Builder b = url.newBuilder().query(null);
    for (int i = 0; i < url.querySize(); i++) {
      String name = url.queryParameterName(i);
      String value = url.queryParameterValue(i);
      b.addQueryParameter(name, query.contains(name) || value == null ? value : "REDACTED");
    }
    return b.build().toString();
  }

  String headers(Headers h) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < h.size(); i++) {
      String name = h.name(i).toLowerCase(Locale.ROOT);
      if (sb.length() > 1) {
        sb.append(", ");
      }
      boolean show = headers.contains(name) && !NEVER.contains(name);
      sb.append(name).append('=').append(show ? h.value(i) : "REDACTED");
    }
    return sb.append('}').toString();
  }

  void request(String operation, int attempt, Request r, String redactedUrl) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("--> {} {} [{} attempt {}] headers={}", r.method(), redactedUrl, operation, attempt, headers(r.headers()));
    }
  }

  void response(String operation, int attempt, Response r, long latencyNanos, int bytes) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("<-- {} {} [{} attempt {}] {} ms, {} bytes, headers={}", r.code(), r.request().method(), operation,
          attempt, latencyNanos / 1_000_000, bytes, headers(r.headers()));
    }
  }

  void failure(String operation, int attempt, Exception e, Duration latency) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("<-- FAILED [{} attempt {}] after {} ms: {}", operation, attempt, latency.toMillis(), e.toString());
    }
  }

  void retry(String operation, int attempt, Duration delay, String reason) {
    LOG.info("{}: attempt {} failed ({}); retrying in {} ms", operation, attempt, reason, delay.toMillis());
  }
}
