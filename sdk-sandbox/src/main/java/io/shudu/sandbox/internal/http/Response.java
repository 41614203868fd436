package io.shudu.sandbox.internal.http;

import io.shudu.core.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sandbox response: status, headers and a body writer. Bodies of known length are sent with Content-Length;
 * a {@link #stream} body is sent chunked and may run as long as the client stays connected.
 */
public final class Response {
  /** Writes a body to the socket. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] bytes;
  private final BodyWriter writer;
  private final long length;

  private Response(int status, byte[] bytes, BodyWriter writer, long length) {
    this.status = status;
    this.bytes = bytes;
    this.writer = writer;
    this.length = length;
  }

  /** A JSON body serialised with the platform mapper. */
  public static Response json(int status, Object body) {
    try {
      return new Response(status, Json.mapper().writeValueAsBytes(body), null, -1)
          .header("Content-Type", "application/json");
    } catch (IOException e) {
      throw new IllegalStateException("Sandbox could not serialise its own response", e);
    }
  }

  /** A 200 JSON answer. */
  public static Response ok(Object body) {
    return json(200, body);
  }

  /** A 201 JSON answer with an optional {@code Location}. */
  public static Response created(Object body, String location) {
    Response r = json(201, body);
    return location == null ? r : r.header("Location", location);
  }

  /** A 204 answer without a body. */
  public static Response noContent() {
    return new Response(204, new byte[0], null, -1);
  }

  /** An answer with a buffered body of any media type. */
  public static Response bytes(int status, String contentType, byte[] body) {
    return new Response(status, body, null, -1).header("Content-Type", contentType);
  }

  /** An answer with a UTF-8 text body. */
  public static Response text(int status, String contentType, String body) {
    return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A streamed body; {@code length} is the exact byte count, or -1 for chunked. */
  public static Response stream(int status, String contentType, long length, BodyWriter writer) {
    return new Response(status, null, writer, length).header("Content-Type", contentType);
  }

  /** Sets a response header. */
  public Response header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** Response headers. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The buffered body, or null for a streamed one. */
  public byte[] bytes() {
    return bytes;
  }

  /** The writer of a streamed body, or null. */
  public BodyWriter writer() {
    return writer;
  }

  /** Body length in bytes, or -1 for a chunked stream. */
  public long length() {
    return bytes != null ? bytes.length : length;
  }
}
