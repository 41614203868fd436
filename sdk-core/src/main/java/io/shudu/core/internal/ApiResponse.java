package io.shudu.core.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.shudu.core.ClientException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A successful (status below 400) answer. Buffered unless the request asked for streaming. */
public final class ApiResponse implements Closeable {
  private final int status;
  private final okhttp3.Headers rawHeaders;
  private Map<String, List<String>> headers;
  private final byte[] body;
  private final InputStream stream;
  private final String operation;
  private final String idempotencyKey;

  ApiResponse(String operation, int status, Map<String, List<String>> headers, byte[] body, InputStream stream) {
    this(operation, status, headers, body, stream, null);
  }

  ApiResponse(String operation, int status, Map<String, List<String>> headers, byte[] body, InputStream stream,
      String idempotencyKey) {
    this.operation = operation;
    this.idempotencyKey = idempotencyKey;
    this.status = status;
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    this.headers = h;
    this.rawHeaders = null;
    this.body = body;
    this.stream = stream;
  }

  /**
   * An answer whose header map is built only if {@link #headers()} is called: most callers read one or two headers
   * or none, and copying every header into maps cost more than a kilobyte per call (benchmarks/run.sh, core).
   */
  ApiResponse(String operation, int status, okhttp3.Headers headers, byte[] body, InputStream stream,
      String idempotencyKey) {
    this.operation = operation;
    this.idempotencyKey = idempotencyKey;
    this.status = status;
    this.rawHeaders = headers;
    this.body = body;
    this.stream = stream;
  }

  /**
   * The whole body of an answer, as {@code ResponseBody.bytes()} reads it (same checks, same exceptions: a body cut
   * before its {@code Content-Length} fails with the transport's {@code IOException}, one that disagrees with it with
   * an {@code IOException} naming both lengths), but copied once: when the length is known, straight into one array of
   * that size through the source's pooled segments. {@code bytes()} first buffers the whole body in fresh okio
   * segments and then copies it into an array, which was a third of the client's garbage per decoded twin entity
   * (benchmarks/run.sh, twin). Without a length (chunked, or decompressed by OkHttp) it is {@code bytes()}.
   *
   * @param rb the body; the caller closes it
   * @return its bytes
   * @throws IOException when the body cannot be read in full
   */
  static byte[] readBody(okhttp3.ResponseBody rb) throws IOException {
    long length = rb.contentLength();
    if (length < 0 || length > Integer.MAX_VALUE - 16) {
      return rb.bytes(); // unknown length, or too long for an array: bytes() reads (or refuses) it as before
    }
    byte[] out = new byte[(int) length];
    InputStream in = rb.byteStream();
    int n = 0;
    while (n < out.length) {
      int r = in.read(out, n, out.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    long size = n;
    if (n == out.length && in.read() >= 0) {
      size += 1 + in.transferTo(OutputStream.nullOutputStream());
    }
    if (size != length) {
      throw new IOException("Content-Length (" + length + ") and stream length (" + size + ") disagree");
    }
    return out;
  }

  /** HTTP status (below 400). */
  public int status() {
    return status;
  }

  /** First value of a header, or null. */
  public String header(String name) {
    if (headers == null && rawHeaders != null) {
      for (int i = 0; i < rawHeaders.size(); i++) {
        if (rawHeaders.name(i).equalsIgnoreCase(name)) {
          return rawHeaders.value(i);
        }
      }
      return null;
    }
    List<String> v = headers().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** All headers, case-insensitive names. */
  public synchronized Map<String, List<String>> headers() {
    if (headers == null) {
      TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(rawHeaders.toMultimap());
      headers = h;
    }
    return headers;
  }

  /** The buffered body (empty for streamed responses). */
  public byte[] body() {
    return body == null ? new byte[0] : body;
  }

  /** The streamed body; close it (or this response) when done. */
  public InputStream stream() {
    return stream;
  }

  /** The {@code ETag} header, or null. */
  public String etag() {
    return header("ETag");
  }

  /** The platform's {@code X-Request-Id}, or null. */
  public String requestId() {
    return header("X-Request-Id");
  }

  /** Decodes the JSON body; an unreadable body is a {@link ClientException} naming the type. */
  public <T> T json(Class<T> type) {
    return json(Json.mapper().constructType(type));
  }

  /** Decodes the JSON body into a generic type. */
  public <T> T json(TypeReference<T> type) {
    return json(Json.mapper().constructType(type));
  }

  /** Decodes the JSON body into a Jackson type. */
  public <T> T json(JavaType type) {
    try {
      return Json.mapper().readValue(body(), type);
    } catch (IOException e) {
      throw unreadable(operation + ": the platform's answer could not be read as " + type.toCanonical() + " ("
          + e.getMessage() + "). Check that the SDK version matches the platform.", e);
    }
  }

  /**
   * The exception for a success answer the SDK cannot read: the platform answered, so the call was applied, and a
   * repeat with its Idempotency-Key replays the same answer. It carries the key and outcome ANSWERED.
   *
   * @param message what could not be read
   * @param cause the decoding failure, or null
   * @return the exception to throw
   */
  public ClientException unreadable(String message, Throwable cause) {
    ClientException e = new ClientException(message, cause, false);
    e.initCall(idempotencyKey, io.shudu.core.ShuduException.Outcome.ANSWERED);
    return e;
  }

  @Override
  public void close() {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // closing a finished stream
      }
    }
  }
}
