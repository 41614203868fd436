package io.shudu.spring;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.core.io.Resource;

/**
 * The {@code shudu.*} properties. They are turned into one immutable {@link ClientConfig} (and one per service when a
 * service overrides something); a value the SDK rejects fails start-up with an error naming the property. Secrets
 * (API key, secret access key, OAuth2 client secret) are never shown by {@link #toString()}, in errors or logs.
 *
 * <pre>
 * shudu.endpoint=https://api.shudu.example
 * shudu.api-key=${SHUDU_API_KEY}
 * shudu.attempt-timeout=10s
 * shudu.retry.max-attempts=4
 * shudu.iot.call-timeout=2m
 * </pre>
 */
@ConfigurationProperties(prefix = "shudu")
public class ShuduProperties {
  static final String MASK = "******";

  /** Base URI of the platform, such as https://api.shudu.example. Required unless shudu.sandbox.enabled=true. */
  private URI endpoint;
  /**
   * Tenant shown by the info endpoint. Informational only: the platform derives the tenant from the credentials (the
   * health indicator reports the tenant it answered with).
   */
  private String tenant;
  /** Platform API key (sent as X-Api-Key). Exclusive with shudu.access-key.* and shudu.oauth2.*. */
  private String apiKey;
  /** Access key pair for SHUDU-HMAC-SHA256 request signing. */
  @NestedConfigurationProperty
  private AccessKey accessKey = new AccessKey();
  /** OAuth2 client credentials. */
  @NestedConfigurationProperty
  private OAuth2 oauth2 = new OAuth2();
  /** TCP connect timeout (SDK default 5s). */
  private Duration connectTimeout;
  /** Timeout of one attempt: connect, write, wait, read (SDK default 30s). */
  private Duration attemptTimeout;
  /** Timeout of a whole call, retries and backoff included (SDK default 90s). */
  private Duration callTimeout;
  /** Retry policy. */
  @NestedConfigurationProperty
  private Retry retry = new Retry();
  /** Text appended to the User-Agent, such as your service's name and version. */
  private String userAgentSuffix;
  /** Overrides for the twin client. */
  @NestedConfigurationProperty
  private Service twin = new Service();
  /** Overrides for the IoT client. */
  @NestedConfigurationProperty
  private Service iot = new Service();
  /** Overrides for the data-exchange client, and the exchange keys it pins. */
  @NestedConfigurationProperty
  private ExchangeService exchange = new ExchangeService();
  /** In-process sandbox for tests (needs io.shudu:sdk-sandbox on the class path). */
  @NestedConfigurationProperty
  private Sandbox sandbox = new Sandbox();
  /** Feed listeners run by the application context. */
  @NestedConfigurationProperty
  private Feeds feeds = new Feeds();
  /** The JDBC checkpoint store. */
  @NestedConfigurationProperty
  private Checkpoints checkpoints = new Checkpoints();

  /**
   * Builds the base client configuration: endpoint, credentials, timeouts, retries and User-Agent.
   *
   * @return a builder holding these properties' values (add listeners, then build)
   * @throws InvalidConfigurationPropertyValueException naming the property whose value the SDK rejects
   */
  public ClientConfig.Builder toClientConfigBuilder() {
    if (endpoint == null) {
      throw new InvalidConfigurationPropertyValueException("shudu.endpoint", null,
          "The Shudu platform's base URI is required: set shudu.endpoint (for example https://api.shudu.example), "
              + "or shudu.sandbox.enabled=true in tests with io.shudu:sdk-sandbox on the test class path.");
    }
    ClientConfig.Builder b = ClientConfig.builder();
    apply("shudu.endpoint", endpoint, b::endpoint);
    b.credentials(credentials());
    applyCommon(b);
    return b;
  }

  /**
   * Applies the timeouts, retry policy and User-Agent suffix (not the endpoint nor the credentials) to a builder,
   * for example a sandbox tenant's configuration.
   *
   * @param b the builder
   * @return the builder
   * @throws InvalidConfigurationPropertyValueException naming the property whose value the SDK rejects
   */
  public ClientConfig.Builder applyCommon(ClientConfig.Builder b) {
    applyTimeouts("shudu", connectTimeout, attemptTimeout, callTimeout, b);
    if (retry.isSet()) {
      b.retryPolicy(retry.toPolicy("shudu.retry", RetryPolicy.defaults()));
    }
    if (userAgentSuffix != null) {
      apply("shudu.user-agent-suffix", userAgentSuffix, b::userAgentSuffix);
    }
    return b;
  }

  /**
   * The configuration of one service: the base configuration with that service's overrides, if any.
   *
   * @param name {@code twin}, {@code iot} or {@code exchange}
   * @param base the base configuration
   * @param endpointOverrides whether {@code shudu.<name>.endpoint} applies (not against a sandbox)
   * @return the service's configuration
   */
  public ClientConfig forService(String name, ClientConfig base, boolean endpointOverrides) {
    Service s = service(name);
    if (!s.isSet()) {
      return base;
    }
    String prefix = "shudu." + name;
    ClientConfig.Builder b = base.toBuilder();
    if (s.endpoint != null && endpointOverrides) {
      apply(prefix + ".endpoint", s.endpoint, b::endpoint);
    }
    applyTimeouts(prefix, s.connectTimeout, s.attemptTimeout, s.callTimeout, b);
    if (s.retry.isSet()) {
      b.retryPolicy(s.retry.toPolicy(prefix + ".retry", base.retryPolicy()));
    }
    return b.build();
  }

  /**
   * The overrides of one service.
   *
   * @param name {@code twin}, {@code iot} or {@code exchange}
   * @return the overrides
   */
  public Service service(String name) {
    return switch (name) {
      case "twin" -> twin;
      case "iot" -> iot;
      case "exchange" -> exchange;
      default -> throw new IllegalArgumentException("unknown service " + name + "; use twin, iot or exchange");
    };
  }

  /**
   * The credentials these properties describe: exactly one scheme, or {@link Credentials#defaultChain()} (system
   * properties and environment variables such as SHUDU_API_KEY) when none is set.
   *
   * @return the credentials
   */
  public Credentials credentials() {
    Map<String, Object> configured = new LinkedHashMap<>();
    if (apiKey != null) {
      configured.put("shudu.api-key", MASK);
    }
    if (accessKey.id != null || accessKey.secret != null) {
      configured.put("shudu.access-key.id", MASK);
    }
    if (oauth2.clientId != null || oauth2.clientSecret != null || oauth2.tokenUrl != null) {
      configured.put("shudu.oauth2.client-id", MASK);
    }
    if (configured.size() > 1) {
      throw new MutuallyExclusiveConfigurationPropertiesException(configured.keySet(),
          java.util.List.of("shudu.api-key", "shudu.access-key.id", "shudu.oauth2.client-id"));
    }
    if (apiKey != null) {
      return secret("shudu.api-key", () -> Credentials.apiKey(apiKey));
    }
    if (accessKey.id != null || accessKey.secret != null) {
      required("shudu.access-key.id", accessKey.id, "the access key id (AK) goes with shudu.access-key.secret");
      required("shudu.access-key.secret", accessKey.secret, "the secret access key goes with shudu.access-key.id");
      return secret("shudu.access-key.secret", () -> Credentials.accessKey(accessKey.id, accessKey.secret));
    }
    if (oauth2.clientId != null || oauth2.clientSecret != null || oauth2.tokenUrl != null) {
      required("shudu.oauth2.client-id", oauth2.clientId, "OAuth2 client credentials need the client id");
      required("shudu.oauth2.client-secret", oauth2.clientSecret, "OAuth2 client credentials need the client secret");
      URI token = oauth2.tokenUrl;
      if (token == null) {
        if (endpoint == null) {
          throw new InvalidConfigurationPropertyValueException("shudu.oauth2.token-url", null,
              "Set shudu.oauth2.token-url, or shudu.endpoint so that the platform's /oauth2/token is used.");
        }
        token = URI.create(endpoint.toString().replaceAll("/+$", "") + "/oauth2/token");
      }
      URI tokenUrl = token;
      if (!tokenUrl.isAbsolute() || tokenUrl.getHost() == null) {
        throw new InvalidConfigurationPropertyValueException("shudu.oauth2.token-url", tokenUrl,
            "The token URL must be an absolute http(s) URI such as https://api.shudu.example/oauth2/token.");
      }
      return secret("shudu.oauth2.client-secret", () -> oauth2.scope == null
          ? Credentials.oauth2(tokenUrl, oauth2.clientId, oauth2.clientSecret)
          : Credentials.oauth2(tokenUrl, oauth2.clientId, oauth2.clientSecret, oauth2.scope));
    }
    return Credentials.defaultChain();
  }

  private static void applyTimeouts(String prefix, Duration connect, Duration attempt, Duration call,
      ClientConfig.Builder b) {
    if (connect != null) {
      apply(prefix + ".connect-timeout", connect, b::connectTimeout);
    }
    if (attempt != null) {
      apply(prefix + ".attempt-timeout", attempt, b::attemptTimeout);
    }
    if (call != null) {
      apply(prefix + ".call-timeout", call, b::callTimeout);
    }
  }

  static <V> void apply(String property, V value, Consumer<V> setter) {
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }

  private static Credentials secret(String property, java.util.function.Supplier<Credentials> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(property, MASK, e.getMessage());
    }
  }

  private static void required(String property, String value, String reason) {
    if (value == null || value.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(property, value == null ? null : MASK,
          "Missing: " + reason + ".");
    }
  }

  /**
   * Base URI of the platform.
   *
   * @return the endpoint, or null
   */
  public URI getEndpoint() {
    return endpoint;
  }

  /**
   * Sets the base URI of the platform.
   *
   * @param endpoint the endpoint
   */
  public void setEndpoint(URI endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Tenant shown by the info endpoint.
   *
   * @return the tenant, or null
   */
  public String getTenant() {
    return tenant;
  }

  /**
   * Sets the tenant shown by the info endpoint.
   *
   * @param tenant the tenant
   */
  public void setTenant(String tenant) {
    this.tenant = tenant;
  }

  /**
   * The API key.
   *
   * @return the key, or null
   */
  public String getApiKey() {
    return apiKey;
  }

  /**
   * Sets the API key.
   *
   * @param apiKey the key
   */
  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  /**
   * The access key pair.
   *
   * @return the pair
   */
  public AccessKey getAccessKey() {
    return accessKey;
  }

  /**
   * Sets the access key pair.
   *
   * @param accessKey the pair
   */
  public void setAccessKey(AccessKey accessKey) {
    this.accessKey = accessKey;
  }

  /**
   * The OAuth2 client credentials.
   *
   * @return the credentials
   */
  public OAuth2 getOauth2() {
    return oauth2;
  }

  /**
   * Sets the OAuth2 client credentials.
   *
   * @param oauth2 the credentials
   */
  public void setOauth2(OAuth2 oauth2) {
    this.oauth2 = oauth2;
  }

  /**
   * Connect timeout.
   *
   * @return the timeout, or null for the SDK's default
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the connect timeout.
   *
   * @param connectTimeout the timeout
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * Attempt timeout.
   *
   * @return the timeout, or null for the SDK's default
   */
  public Duration getAttemptTimeout() {
    return attemptTimeout;
  }

  /**
   * Sets the attempt timeout.
   *
   * @param attemptTimeout the timeout
   */
  public void setAttemptTimeout(Duration attemptTimeout) {
    this.attemptTimeout = attemptTimeout;
  }

  /**
   * Call timeout.
   *
   * @return the timeout, or null for the SDK's default
   */
  public Duration getCallTimeout() {
    return callTimeout;
  }

  /**
   * Sets the call timeout.
   *
   * @param callTimeout the timeout
   */
  public void setCallTimeout(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  /**
   * The retry policy's properties.
   *
   * @return the retry properties
   */
  public Retry getRetry() {
    return retry;
  }

  /**
   * Sets the retry policy's properties.
   *
   * @param retry the retry properties
   */
  public void setRetry(Retry retry) {
    this.retry = retry;
  }

  /**
   * The User-Agent suffix.
   *
   * @return the suffix, or null
   */
  public String getUserAgentSuffix() {
    return userAgentSuffix;
  }

  /**
   * Sets the User-Agent suffix.
   *
   * @param userAgentSuffix the suffix
   */
  public void setUserAgentSuffix(String userAgentSuffix) {
    this.userAgentSuffix = userAgentSuffix;
  }

  /**
   * The twin client's overrides.
   *
   * @return the overrides
   */
  public Service getTwin() {
    return twin;
  }

  /**
   * Sets the twin client's overrides.
   *
   * @param twin the overrides
   */
  public void setTwin(Service twin) {
    this.twin = twin;
  }

  /**
   * The IoT client's overrides.
   *
   * @return the overrides
   */
  public Service getIot() {
    return iot;
  }

  /**
   * Sets the IoT client's overrides.
   *
   * @param iot the overrides
   */
  public void setIot(Service iot) {
    this.iot = iot;
  }

  /**
   * The exchange client's overrides and pinned keys.
   *
   * @return the overrides
   */
  public ExchangeService getExchange() {
    return exchange;
  }

  /**
   * Sets the exchange client's overrides and pinned keys.
   *
   * @param exchange the overrides
   */
  public void setExchange(ExchangeService exchange) {
    this.exchange = exchange;
  }

  /**
   * The sandbox properties.
   *
   * @return the sandbox properties
   */
  public Sandbox getSandbox() {
    return sandbox;
  }

  /**
   * Sets the sandbox properties.
   *
   * @param sandbox the sandbox properties
   */
  public void setSandbox(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  /**
   * The feed listeners' properties.
   *
   * @return the feed properties
   */
  public Feeds getFeeds() {
    return feeds;
  }

  /**
   * Sets the feed listeners' properties.
   *
   * @param feeds the feed properties
   */
  public void setFeeds(Feeds feeds) {
    this.feeds = feeds;
  }

  /**
   * The JDBC checkpoint store's properties.
   *
   * @return the JDBC properties
   */
  public Checkpoints getCheckpoints() {
    return checkpoints;
  }

  /**
   * Sets the JDBC checkpoint store's properties.
   *
   * @param checkpoints the JDBC properties
   */
  public void setCheckpoints(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public String toString() {
    return "ShuduProperties{endpoint=" + endpoint + ", tenant=" + tenant + ", apiKey=" + (apiKey == null ? null : MASK)
        + ", accessKey=" + accessKey + ", oauth2=" + oauth2 + ", connectTimeout=" + connectTimeout
        + ", attemptTimeout=" + attemptTimeout + ", callTimeout=" + callTimeout + ", retry=" + retry
        + ", userAgentSuffix=" + userAgentSuffix + ", sandbox.enabled=" + sandbox.enabled + "}";
  }

  /** An access key pair (AK/SK). */
  public static class AccessKey {
    /** Access key id (AK), sent with every signed request. */
    private String id;
    /** Secret access key (SK): signs requests, never sent nor logged. */
    private String secret;

    /**
     * The access key id.
     *
     * @return the id, or null
     */
    public String getId() {
      return id;
    }

    /**
     * Sets the access key id.
     *
     * @param id the id
     */
    public void setId(String id) {
      this.id = id;
    }

    /**
     * The secret access key.
     *
     * @return the secret, or null
     */
    public String getSecret() {
      return secret;
    }

    /**
     * Sets the secret access key.
     *
     * @param secret the secret
     */
    public void setSecret(String secret) {
      this.secret = secret;
    }

    @Override
    public String toString() {
      return "AccessKey{id=" + id + ", secret=" + (secret == null ? null : MASK) + "}";
    }
  }

  /** OAuth2 client credentials. */
  public static class OAuth2 {
    /** Token endpoint (default: the platform's {endpoint}/oauth2/token). */
    private URI tokenUrl;
    /** Client id. */
    private String clientId;
    /** Client secret: never logged. */
    private String clientSecret;
    /** Space-separated scopes, if the platform needs them. */
    private String scope;

    /**
     * The token endpoint.
     *
     * @return the URL, or null for the platform's
     */
    public URI getTokenUrl() {
      return tokenUrl;
    }

    /**
     * Sets the token endpoint.
     *
     * @param tokenUrl the URL
     */
    public void setTokenUrl(URI tokenUrl) {
      this.tokenUrl = tokenUrl;
    }

    /**
     * The client id.
     *
     * @return the id, or null
     */
    public String getClientId() {
      return clientId;
    }

    /**
     * Sets the client id.
     *
     * @param clientId the id
     */
    public void setClientId(String clientId) {
      this.clientId = clientId;
    }

    /**
     * The client secret.
     *
     * @return the secret, or null
     */
    public String getClientSecret() {
      return clientSecret;
    }

    /**
     * Sets the client secret.
     *
     * @param clientSecret the secret
     */
    public void setClientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
    }

    /**
     * The scopes.
     *
     * @return the scopes, or null
     */
    public String getScope() {
      return scope;
    }

    /**
     * Sets the scopes.
     *
     * @param scope space-separated scopes
     */
    public void setScope(String scope) {
      this.scope = scope;
    }

    @Override
    public String toString() {
      return "OAuth2{tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret="
          + (clientSecret == null ? null : MASK) + ", scope=" + scope + "}";
    }
  }

  /** Retry policy properties; unset values keep the SDK's (or the base configuration's) values. */
  public static class Retry {
    /** Attempts per call, the first included (1 to 20; SDK default 3). */
    private Integer maxAttempts;
    /** Base of the exponential backoff (SDK default 100ms). */
    private Duration baseDelay;
    /** Longest backoff between attempts (SDK default 20s). */
    private Duration maxDelay;
    /** Longest Retry-After the SDK waits out before giving up (SDK default 60s). */
    private Duration maxRetryAfter;

    boolean isSet() {
      return maxAttempts != null || baseDelay != null || maxDelay != null || maxRetryAfter != null;
    }

    RetryPolicy toPolicy(String prefix, RetryPolicy base) {
      RetryPolicy.Builder b = base.toBuilder();
      if (maxAttempts != null) {
        apply(prefix + ".max-attempts", maxAttempts, b::maxAttempts);
      }
      if (baseDelay != null) {
        apply(prefix + ".base-delay", baseDelay, b::baseDelay);
      }
      if (maxDelay != null) {
        apply(prefix + ".max-delay", maxDelay, b::maxDelay);
      }
      if (maxRetryAfter != null) {
        apply(prefix + ".max-retry-after", maxRetryAfter, b::maxRetryAfter);
      }
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationPropertyValueException(prefix + ".max-delay", maxDelay, e.getMessage());
      }
    }

    /**
     * Attempts per call.
     *
     * @return the attempts, or null
     */
    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts per call.
     *
     * @param maxAttempts 1 to 20
     */
    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * Base backoff delay.
     *
     * @return the delay, or null
     */
    public Duration getBaseDelay() {
      return baseDelay;
    }

    /**
     * Sets the base backoff delay.
     *
     * @param baseDelay the delay
     */
    public void setBaseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    /**
     * Longest backoff.
     *
     * @return the delay, or null
     */
    public Duration getMaxDelay() {
      return maxDelay;
    }

    /**
     * Sets the longest backoff.
     *
     * @param maxDelay the delay
     */
    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    /**
     * Longest Retry-After waited out.
     *
     * @return the delay, or null
     */
    public Duration getMaxRetryAfter() {
      return maxRetryAfter;
    }

    /**
     * Sets the longest Retry-After waited out.
     *
     * @param maxRetryAfter the delay
     */
    public void setMaxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
    }

    @Override
    public String toString() {
      return "Retry{maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
          + ", maxRetryAfter=" + maxRetryAfter + "}";
    }
  }

  /** Per-service overrides of the base configuration. */
  public static class Service {
    /** Whether to create this service's client bean (when its module is on the class path). */
    private boolean enabled = true;
    /** This service's endpoint, if it differs from shudu.endpoint (ignored with the sandbox). */
    private URI endpoint;
    /** Connect timeout for this service. */
    private Duration connectTimeout;
    /** Attempt timeout for this service. */
    private Duration attemptTimeout;
    /** Call timeout for this service. */
    private Duration callTimeout;
    /** Retry policy for this service (unset values keep the base policy's). */
    @NestedConfigurationProperty
    private Retry retry = new Retry();

    boolean isSet() {
      return endpoint != null || connectTimeout != null || attemptTimeout != null || callTimeout != null
          || retry.isSet();
    }

    /**
     * Whether the client bean is created.
     *
     * @return true by default
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the client bean is created.
     *
     * @param enabled false to skip it
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * This service's endpoint.
     *
     * @return the endpoint, or null for shudu.endpoint
     */
    public URI getEndpoint() {
      return endpoint;
    }

    /**
     * Sets this service's endpoint.
     *
     * @param endpoint the endpoint
     */
    public void setEndpoint(URI endpoint) {
      this.endpoint = endpoint;
    }

    /**
     * Connect timeout.
     *
     * @return the timeout, or null
     */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the timeout
     */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /**
     * Attempt timeout.
     *
     * @return the timeout, or null
     */
    public Duration getAttemptTimeout() {
      return attemptTimeout;
    }

    /**
     * Sets the attempt timeout.
     *
     * @param attemptTimeout the timeout
     */
    public void setAttemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
    }

    /**
     * Call timeout.
     *
     * @return the timeout, or null
     */
    public Duration getCallTimeout() {
      return callTimeout;
    }

    /**
     * Sets the call timeout.
     *
     * @param callTimeout the timeout
     */
    public void setCallTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    /**
     * Retry overrides.
     *
     * @return the retry properties
     */
    public Retry getRetry() {
      return retry;
    }

    /**
     * Sets the retry overrides.
     *
     * @param retry the retry properties
     */
    public void setRetry(Retry retry) {
      this.retry = retry;
    }
  }

  /** The data-exchange client's overrides, and the exchange keys it pins. */
  public static class ExchangeService extends Service {
    /**
     * JWK Set of the exchange's public keys to pin, such as file:/etc/shudu/exchange-keys.json or
     * classpath:exchange-keys.json (the document GET /exchange/v1/keys serves, obtained out of band). When set,
     * receipts, downloads and audit chains verify only against these keys, never against keys fetched from the
     * endpoint; when the exchange rotates its key, pin the new one.
     */
    private Resource trustedKeys;

    /** Creates the properties with nothing set. */
    public ExchangeService() {}

    /**
     * The JWK Set of the keys to pin.
     *
     * @return the resource, or null to trust the keys the endpoint publishes
     */
    public Resource getTrustedKeys() {
      return trustedKeys;
    }

    /**
     * Sets the JWK Set of the keys to pin.
     *
     * @param trustedKeys a file or class path resource
     */
    public void setTrustedKeys(Resource trustedKeys) {
      this.trustedKeys = trustedKeys;
    }
  }

  /** The in-process sandbox for a partner's tests. */
  public static class Sandbox {
    /**
     * Start an in-process io.shudu.sandbox.Sandbox with the context and point every client at it (endpoint and
     * credentials of shudu.sandbox.tenant replace shudu.endpoint and the credentials). For tests only.
     */
    private boolean enabled;
    /** Sandbox tenant whose credentials the clients use. */
    private String tenant = "demo";
    /** Simulated feed events per second per feed (0 for none; the sandbox's default is 5). */
    private Double simulationRate;
    /** Seed of the sandbox's simulated data. */
    private Long seed;

    /**
     * Whether the sandbox is started.
     *
     * @return false by default
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the sandbox is started.
     *
     * @param enabled true in tests
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The tenant.
     *
     * @return the tenant name
     */
    public String getTenant() {
      return tenant;
    }

    /**
     * Sets the tenant.
     *
     * @param tenant the tenant name
     */
    public void setTenant(String tenant) {
      this.tenant = tenant;
    }

    /**
     * Simulated events per second.
     *
     * @return the rate, or null for the sandbox's default
     */
    public Double getSimulationRate() {
      return simulationRate;
    }

    /**
     * Sets the simulated events per second.
     *
     * @param simulationRate the rate
     */
    public void setSimulationRate(Double simulationRate) {
      this.simulationRate = simulationRate;
    }

    /**
     * The seed.
     *
     * @return the seed, or null for the sandbox's default
     */
    public Long getSeed() {
      return seed;
    }

    /**
     * Sets the seed.
     *
     * @param seed the seed
     */
    public void setSeed(Long seed) {
      this.seed = seed;
    }
  }

  /** Feed listeners run with the application context. */
  public static class Feeds {
    /** Start the feed listeners when the context starts. */
    private boolean autoStartup = true;
    /** Wait before a failed listener (its handler threw) is subscribed again from its last checkpoint. */
    private Duration restartDelay = Duration.ofSeconds(5);

    /**
     * Whether the listeners start with the context.
     *
     * @return true by default
     */
    public boolean isAutoStartup() {
      return autoStartup;
    }

    /**
     * Sets whether the listeners start with the context.
     *
     * @param autoStartup false to start them yourself
     */
    public void setAutoStartup(boolean autoStartup) {
      this.autoStartup = autoStartup;
    }

    /**
     * Wait before a failed listener is subscribed again.
     *
     * @return the delay
     */
    public Duration getRestartDelay() {
      return restartDelay;
    }

    /**
     * Sets the wait before a failed listener is subscribed again.
     *
     * @param restartDelay at least 10 ms
     */
    public void setRestartDelay(Duration restartDelay) {
      this.restartDelay = restartDelay;
    }
  }

  /** The JDBC checkpoint store, created when the application has a DataSource. */
  public static class Checkpoints {
    /** Create the JDBC checkpoint store when there is a DataSource and no CheckpointStore bean. */
    private boolean enabled = true;
    /** Table of the checkpoints (letters, digits and underscores, optionally schema-qualified). */
    private String table = "shudu_feed_checkpoints";
    /** Create the table at start-up if it does not exist (false when your migrations create it). */
    private boolean initializeSchema = true;

    /**
     * Whether the store is created.
     *
     * @return true by default
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the store is created.
     *
     * @param enabled false to skip it
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The table name.
     *
     * @return the table
     */
    public String getTable() {
      return table;
    }

    /**
     * Sets the table name.
     *
     * @param table the table
     */
    public void setTable(String table) {
      this.table = table;
    }

    /**
     * Whether the table is created at start-up.
     *
     * @return true by default
     */
    public boolean isInitializeSchema() {
      return initializeSchema;
    }

    /**
     * Sets whether the table is created at start-up.
     *
     * @param initializeSchema false when migrations create it
     */
    public void setInitializeSchema(boolean initializeSchema) {
      this.initializeSchema = initializeSchema;
    }
  }
}
