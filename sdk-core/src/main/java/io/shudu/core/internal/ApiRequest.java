package io.shudu.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.common.base.Preconditions;
import io.shudu.core.RequestOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One logical call as the service clients describe it: operation name, method, path (template expanded and
 * encoded), query, headers and body. Immutable once built.
 */
public final class ApiRequest {
  private final String operation;
  private final String method;
  private final String path;
  private final List<String[]> query;
  private final List<String> encodedQuery;
  private final Map<String, String> headers;
  private final byte[] body;
  private final String contentType;
  private final RequestOptions options;
  private final boolean stream;

  private ApiRequest(Builder b) {
    this.operation = b.operation;
    this.method = b.method;
    this.path = b.path;
    this.query = List.copyOf(b.query);
    this.encodedQuery = List.copyOf(b.encodedQuery);
    this.headers = Map.copyOf(b.headers);
    this.body = b.body;
    this.contentType = b.contentType;
    this.options = b.options;
    this.stream = b.stream;
  }

  /**
   * Starts a request.
   *
   * @param operation SDK operation name for logs and listeners, such as {@code twin.entities.get}
   * @param method HTTP method
   * @param pathTemplate path with {@code {}} placeholders, each replaced by the next argument, percent-encoded
   * @param pathArgs values for the placeholders
   * @return the builder
   */
  public static Builder builder(String operation, String method, String pathTemplate, Object... pathArgs) {
    return new Builder(operation, method, expand(pathTemplate, pathArgs));
  }

  static String expand(String template, Object... args) {
    StringBuilder sb = new StringBuilder();
    int arg = 0;
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
        Preconditions.checkArgument(arg < args.length, "path template %s needs more arguments", template);
        Object v = args[arg++];
        Preconditions.checkArgument(v != null && !v.toString().isEmpty(), "path parameter %s of %s must not be empty",
            arg, template);
        sb.append(Signing.encode(v.toString()));
        i++;
      } else {
        sb.append(c);
      }
    }
    Preconditions.checkArgument(arg == args.length, "path template %s takes %s arguments, got %s", template, arg,
        args.length);
    return sb.toString();
  }

  /** SDK operation name, for logs, listeners and messages. */
  public String operation() {
    return operation;
  }

  /** HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** Encoded path, starting with '/'. */
  public String path() {
    return path;
  }

  /** Query parameters (decoded name and value pairs) in order. */
  public List<String[]> query() {
    return query;
  }

  /** Query parameters still encoded ({@code name=value}), sent as they are before {@link #query()}. */
  public List<String> encodedQuery() {
    return encodedQuery;
  }

  /** Headers set by the service client (credentials and framing are added by the pipeline). */
  public Map<String, String> headers() {
    return headers;
  }

  /** Body bytes, or null for none. */
  public byte[] body() {
    return body;
  }

  /** Media type of the body, or null. */
  public String contentType() {
    return contentType;
  }

  /** The caller's per-call options. */
  public RequestOptions options() {
    return options;
  }

  /** Whether the response body is streamed to the caller instead of buffered. */
  public boolean stream() {
    return stream;
  }

  /** Builds an {@link ApiRequest}. */
  public static final class Builder {
    private final String operation;
    private final String method;
    private final String path;
    private final List<String[]> query = new ArrayList<>();
    private final List<String> encodedQuery = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private String contentType;
    private RequestOptions options = RequestOptions.defaults();
    private boolean stream;

    private Builder(String operation, String method, String path) {
      this.operation = operation;
      this.method = method;
      this.path = path;
    }

    /** Adds a query parameter; null values are skipped. */
    public Builder query(String name, Object value) {
      if (value != null) {
        query.add(new String[] {name, value.toString()});
      }
      return this;
    }

    /**
     * Adds the query of a link the platform gave (such as a next link) still encoded, parameter by parameter as it
     * is: the platform reads it as it wrote it (a {@code +} is not turned into a space or a {@code %2B}, a
     * {@code %2B} stays one). Parameters whose decoded name is in {@code without} are left out, for the caller to set
     * with {@link #query}.
     *
     * @param encoded the encoded query (without '?'), or null for none
     * @param without names of parameters to leave out
     * @return this builder
     */
    public Builder linkQuery(String encoded, String... without) {
      if (encoded == null || encoded.isEmpty()) {
        return this;
      }
      // OkHttp parses the query and canonicalizes its encoding (characters a URL may not hold are percent-encoded)
      String canonical = okhttp3.HttpUrl.get("http://link.invalid/?" + encoded).encodedQuery();
      if (canonical == null) {
        return this;
      }
      List<String> left = List.of(without);
      for (String part : canonical.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = okhttp3.HttpUrl.get("http://link.invalid/?" + (eq < 0 ? part : part.substring(0, eq)))
            .queryParameterName(0);
        if (!left.contains(name)) {
          encodedQuery.add(part);
        }
      }
      return this;
    }

    /** Sets a header; a null value is skipped. */
    public Builder header(String name, String value) {
      if (value != null) {
        headers.put(name, value);
      }
      return this;
    }

    /** A JSON body serialised with the SDK mapper. */
    public Builder json(Object value) {
      try {
        this.body = Json.mapper().writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("could not serialise request body of type " + value.getClass().getName()
            + ": " + e.getOriginalMessage(), e);
      }
      this.contentType = "application/json";
      return this;
    }

    /** A body of another media type (for example application/merge-patch+json). */
    public Builder body(byte[] bytes, String mediaType) {
      this.body = bytes;
      this.contentType = mediaType;
      return this;
    }

    /** The caller's per-call options; null means the defaults. */
    public Builder options(RequestOptions o) {
      this.options = o == null ? RequestOptions.defaults() : o;
      return this;
    }

    /** Streams the response body (downloads, event streams). */
    public Builder streaming() {
      this.stream = true;
      return this;
    }

    /** Builds the immutable request. */
    public ApiRequest build() {
      return new ApiRequest(this);
    }
  }
}
