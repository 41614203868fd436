package io.shudu.core;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.shudu.core.internal.HttpLog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Immutable, thread-safe configuration shared by the service clients ({@code TwinClient}, {@code ExchangeClient},
 * {@code IotClient}). Build it once and reuse it.
 *
 * <pre>{@code
 * ClientConfig config = ClientConfig.builder()
 *     .endpoint(URI.create("https://api.shudu.example"))
 *     .credentials(Credentials.apiKey(System.getenv("SHUDU_API_KEY")))
 *     .attemptTimeout(Duration.ofSeconds(10))
 *     .retryPolicy(RetryPolicy.builder().maxAttempts(4).build())
 *     .userAgentSuffix("meituan-dispatch/2.3")
 *     .build();
 * }</pre>
 *
 * <p>Logging: requests and responses are logged at DEBUG on the {@code io.shudu.http} logger. Only allow-listed
 * headers and query parameters are shown with their values; every other value is printed as {@code REDACTED}.
 * Credentials are never logged, whatever the allow-list says.
 */
public final class ClientConfig {
  /** Headers whose values are logged by default. */
  public static final Set<String> DEFAULT_LOGGED_HEADERS = ImmutableSet.of("content-type", "content-length",
      "etag", "if-match", "if-none-match", "location", "retry-after", "x-request-id", "traceparent", "last-event-id",
      "user-agent", "accept", "content-range", "range");
  /** Query parameters whose values are logged by default. */
  public static final Set<String> DEFAULT_LOGGED_QUERY_PARAMETERS = ImmutableSet.of("limit", "cursor", "type",
      "$top", "$skip", "$count", "$orderby", "$select", "$expand");
  private static final Set<String> NEVER_LOGGED = ImmutableSet.of("authorization", "x-api-key", "cookie",
      "set-cookie", "proxy-authorization", "x-shudu-signature", "shudu-signature");

  private final URI endpoint;
  private final Credentials credentials;
  private final Duration connectTimeout;
  private final Duration attemptTimeout;
  private final Duration callTimeout;
  private final RetryPolicy retryPolicy;
  private final String userAgentSuffix;
  private final HttpTransport transport;
  private final List<ClientListener> listeners;
  private final Set<String> loggedHeaders;
  private final Set<String> loggedQueryParameters;

  private ClientConfig(Builder b) {
    this.endpoint = b.endpoint;
    this.credentials = b.credentials == null ? Credentials.defaultChain() : b.credentials;
    this.connectTimeout = b.connectTimeout;
    this.attemptTimeout = b.attemptTimeout;
    this.callTimeout = b.callTimeout;
    this.retryPolicy = b.retryPolicy;
    this.userAgentSuffix = b.userAgentSuffix;
    this.transport = b.transport == null ? HttpTransport.shared() : b.transport;
    this.listeners = b.listeners.build();
    this.loggedHeaders = b.loggedHeaders;
    this.loggedQueryParameters = b.loggedQueryParameters;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.credentials = credentials;
    b.connectTimeout = connectTimeout;
    b.attemptTimeout = attemptTimeout;
    b.callTimeout = callTimeout;
    b.retryPolicy = retryPolicy;
    b.userAgentSuffix = userAgentSuffix;
    b.transport = transport;
    b.listeners.addAll(listeners);
    b.loggedHeaders = loggedHeaders;
    b.loggedQueryParameters = loggedQueryParameters;
    return b;
  }

  /**
   * Base URI of the platform.
   *
   * @return the endpoint
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Credentials used for every call.
   *
   * @return the credentials
   */
  public Credentials credentials() {
    return credentials;
  }

  /**
   * TCP connect timeout.
   *
   * @return the timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Timeout of one attempt (connect, write, wait, read).
   *
   * @return the timeout
   */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /**
   * Timeout of a whole logical call, retries and backoff included.
   *
   * @return the timeout
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Retry policy.
   *
   * @return the policy
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * Suffix appended to the User-Agent, or empty.
   *
   * @return the suffix
   */
  public String userAgentSuffix() {
    return userAgentSuffix;
  }

  /**
   * Connection pool and dispatcher.
   *
   * @return the transport
   */
  public HttpTransport transport() {
    return transport;
  }

  /**
   * Listeners, in registration order.
   *
   * @return the listeners
   */
  public List<ClientListener> listeners() {
    return listeners;
  }

  /**
   * Lower-case names of headers whose values are logged.
   *
   * @return the allow-list
   */
  public Set<String> loggedHeaders() {
    return loggedHeaders;
  }

  /**
   * Names of query parameters whose values are logged.
   *
   * @return the allow-list
   */
  public Set<String> loggedQueryParameters() {
    return loggedQueryParameters;
  }

  @Override
  public String toString() {
    return "ClientConfig{endpoint=" + endpoint + ", credentials=" + credentials + ", connectTimeout=" + connectTimeout
        + ", attemptTimeout=" + attemptTimeout + ", callTimeout=" + callTimeout + ", retryPolicy=" + retryPolicy
        + ", userAgentSuffix='" + userAgentSuffix + "', listeners=" + listeners.size() + "}";
  }

  /** Builds a {@link ClientConfig}. Not thread-safe; the built config is. */
  public static final class Builder {
    private URI endpoint;
    private Credentials credentials;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration attemptTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(90);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private String userAgentSuffix = "";
    private HttpTransport transport;
    private final ImmutableList.Builder<ClientListener> listeners = ImmutableList.builder();
    private Set<String> loggedHeaders = DEFAULT_LOGGED_HEADERS;
    private Set<String> loggedQueryParameters = DEFAULT_LOGGED_QUERY_PARAMETERS;

    private Builder() {}

    /**
     * Base URI of the platform, for example {@code https://api.shudu.example} or a sandbox's {@code baseUrl()}.
     *
     * @param uri absolute http or https URI
     * @return this builder
     */
    public Builder endpoint(URI uri) {
      Preconditions.checkArgument(uri != null, "endpoint must not be null");
      String shown = HttpLog.redactUserInfo(uri.toString());
      Preconditions.checkArgument(uri.getRawUserInfo() == null && uri.toString().equals(shown),
          "endpoint must not contain user-info (user:password@): a password in the URL would travel in every "
              + "request line and end up in logs. Remove it and configure credentials(...) instead; got '%s'", shown);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      Preconditions.checkArgument((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null,
          "endpoint must be an absolute http(s) URI such as https://api.shudu.example, got '%s'", shown);
      Preconditions.checkArgument(uri.getRawQuery() == null && uri.getRawFragment() == null,
          "endpoint must not have a query or fragment, got '%s'", shown);
      String s = uri.toString();
      this.endpoint = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
      return this;
    }

    /**
     * Base URI of the platform as a string.
     *
     * @param uri absolute http or https URI
     * @return this builder
     */
    public Builder endpoint(String uri) {
      Preconditions.checkArgument(uri != null, "endpoint must not be null");
      try {
        return endpoint(URI.create(uri.trim()));
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("endpoint")) {
          throw e;
        }
        throw new IllegalArgumentException("endpoint is not a valid URI: '" + HttpLog.redactUserInfo(uri) + "'"
            + (uri.equals(HttpLog.redactUserInfo(uri)) ? "" : " (and it must not contain user-info: user:password@)"),
            uri.equals(HttpLog.redactUserInfo(uri)) ? e : null); // the parser's message would repeat the password
      }
    }


    /**
     * Credentials for every call (default: {@link Credentials#defaultChain()}).
     *
     * @param c the credentials
     * @return this builder
     */
    public Builder credentials(Credentials c) {
      this.credentials = Preconditions.checkNotNull(c, "credentials must not be null; use Credentials.anonymous() for none");
      return this;
    }

    /**
     * TCP connect timeout (default 5 s).
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /**
     * Timeout of one attempt (default 30 s).
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder attemptTimeout(Duration d) {
      this.attemptTimeout = positive(d, "attemptTimeout");
      return this;
    }

    /**
     * Timeout of a whole call including retries (default 90 s).
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder callTimeout(Duration d) {
      this.callTimeout = positive(d, "callTimeout");
      return this;
    }

    /**
     * Retry policy (default {@link RetryPolicy#defaults()}).
     *
     * @param p the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = Preconditions.checkNotNull(p, "retryPolicy");
      return this;
    }

    /**
     * Text appended to the User-Agent header, such as your app's name and version.
     *
     * @param suffix printable ASCII, at most 128 characters
     * @return this builder
     */
    public Builder userAgentSuffix(String suffix) {
      Preconditions.checkArgument(suffix != null && suffix.length() <= 128
          && suffix.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
          "userAgentSuffix must be at most 128 printable ASCII characters");
      this.userAgentSuffix = suffix;
      return this;
    }

    /**
     * Connection pool and dispatcher to use (default {@link HttpTransport#shared()}).
     *
     * @param t the transport
     * @return this builder
     */
    public Builder transport(HttpTransport t) {
      this.transport = Preconditions.checkNotNull(t, "transport");
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param l the listener
     * @return this builder
     */
    public Builder addListener(ClientListener l) {
      listeners.add(Preconditions.checkNotNull(l, "listener"));
      return this;
    }

    /**
     * Replaces the allow-list of headers whose values are logged. Credential headers are never logged.
     *
     * @param names header names (case-insensitive)
     * @return this builder
     */
    public Builder loggedHeaders(Set<String> names) {
      ImmutableSet.Builder<String> b = ImmutableSet.builder();
      for (String n : names) {
        String lower = n.toLowerCase(Locale.ROOT);
        Preconditions.checkArgument(!NEVER_LOGGED.contains(lower), "header %s carries credentials and is never logged", n);
        b.add(lower);
      }
      this.loggedHeaders = b.build();
      return this;
    }

    /**
     * Replaces the allow-list of query parameters whose values are logged.
     *
     * @param names parameter names (exact)
     * @return this builder
     */
    public Builder loggedQueryParameters(Set<String> names) {
      this.loggedQueryParameters = ImmutableSet.copyOf(names);
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalStateException if no endpoint was set
     */
    public ClientConfig build() {
      Preconditions.checkState(endpoint != null,
          "endpoint is required: call endpoint(\"https://...\") or use a sandbox's clientConfig()");
      return new ClientConfig(this);
    }

    private static Duration positive(Duration d, String name) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero(), "%s must be positive, got %s", name, d);
      return d;
    }
  }
}
