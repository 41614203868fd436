package io.shudu.sandbox;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sandbox's resource limits: what one client or one tenant may hold, and for how long. A request over a limit is
 * answered with an {@code application/problem+json} naming it: 413 (body), 414/431 (request line, headers), 408
 * (slow head or body), 429 (a tenant's own limit, with {@code Retry-After}) or 503 (a limit of the whole sandbox).
 * Immutable; the defaults are safe for a shared standalone sandbox, and docs/testing-with-sandbox.md lists them.
 *
 * <pre>{@code
 * Sandbox sandbox = Sandbox.builder()
 *     .limits(SandboxLimits.builder().maxStreamsPerTenant(10).headerTimeout(Duration.ofSeconds(5)).build())
 *     .start();
 * }</pre>
 *
 * <p>From the command line: {@code --limit maxStreamsPerTenant=10 --limit headerTimeout=5s}.
 */
public final class SandboxLimits {
  private final Map<String, Object> values;

  private SandboxLimits(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The defaults.
   *
   * @return the default limits
   */
  public static SandboxLimits defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /**
   * A builder starting from these limits.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    return new Builder(values);
  }

  private int i(String k) {
    return (Integer) values.get(k);
  }

  private long l(String k) {
    return ((Number) values.get(k)).longValue();
  }

  private Duration d(String k) {
    return (Duration) values.get(k);
  }

  /**
   * Largest request body in bytes (default 64 MiB); larger is 413.
   *
   * @return bytes
   */
  public int maxRequestBytes() {
    return i("maxRequestBytes");
  }

  /**
   * Request bodies held in memory at once, all tenants together (default 256 MiB); more is 503.
   *
   * @return bytes
   */
  public long maxBufferedBodyBytes() {
    return l("maxBufferedBodyBytes");
  }

  /**
   * Open connections (default 4,096); more are answered 503 and closed.
   *
   * @return the count
   */
  public int maxConnections() {
    return i("maxConnections");
  }

  /**
   * Longest request line, method, target and version (default 64 KiB); longer is 414.
   *
   * @return bytes
   */
  public int maxRequestLineBytes() {
    return i("maxRequestLineBytes");
  }

  /**
   * Largest header section (default 64 KiB); larger is 431.
   *
   * @return bytes
   */
  public int maxHeaderBytes() {
    return i("maxHeaderBytes");
  }

  /**
   * Most header lines (default 100); more is 431.
   *
   * @return the count
   */
  public int maxHeaders() {
    return i("maxHeaders");
  }

  /**
   * Time for a request head to arrive, from its first byte or from the connection's opening (default 10 s); slower is
   * 408 and the connection closes.
   *
   * @return the timeout
   */
  public Duration headerTimeout() {
    return d("headerTimeout");
  }

  /**
   * Time an idle keep-alive connection is kept (default 30 s).
   *
   * @return the timeout
   */
  public Duration idleTimeout() {
    return d("idleTimeout");
  }

  /**
   * Longest wait for the next bytes of a request body (default 30 s); longer is 408.
   *
   * @return the timeout
   */
  public Duration readTimeout() {
    return d("readTimeout");
  }

  /**
   * Longest wait for a client to take response bytes, event streams included (default 60 s); then the connection is
   * closed.
   *
   * @return the timeout
   */
  public Duration writeTimeout() {
    return d("writeTimeout");
  }

  /**
   * Open event streams (SSE), all tenants together (default 2,048); more is 503.
   *
   * @return the count
   */
  public int maxStreams() {
    return i("maxStreams");
  }

  /**
   * Open event streams of one tenant (default 100); more is 429.
   *
   * @return the count
   */
  public int maxStreamsPerTenant() {
    return i("maxStreamsPerTenant");
  }

  /**
   * Requests of one tenant running at once, streams not counted (default 64); more is 429.
   *
   * @return the count
   */
  public int maxConcurrentRequestsPerTenant() {
    return i("maxConcurrentRequestsPerTenant");
  }

  /**
   * Requests running at once, all tenants and streams not counted (default 256); more is 503. The sandbox runs at most
   * {@link #maxStreams()} + this many requests at once.
   *
   * @return the count
   */
  public int maxConcurrentRequests() {
    return i("maxConcurrentRequests");
  }

  /**
   * How long an Idempotency-Key and its stored answer are kept (default 24 h).
   *
   * @return the time to live
   */
  public Duration idempotencyTtl() {
    return d("idempotencyTtl");
  }

  /**
   * Idempotency keys kept per tenant (default 10,000); beyond, the oldest are forgotten first.
   *
   * @return the count
   */
  public int idempotencyKeysPerTenant() {
    return i("idempotencyKeysPerTenant");
  }

  /**
   * Bytes of stored idempotent answers kept per tenant (default 32 MiB); beyond, the oldest are forgotten first.
   *
   * @return bytes
   */
  public long idempotencyBytesPerTenant() {
    return l("idempotencyBytesPerTenant");
  }

  /**
   * Bytes of stored idempotent answers kept by the whole sandbox, all tenants (default 256 MiB); beyond, the oldest
   * stored answers of any tenant are forgotten first (a repeat of a forgotten key runs again, as after
   * {@link #idempotencyTtl()}).
   *
   * @return bytes
   */
  public long idempotencyBytesTotal() {
    return l("idempotencyBytesTotal");
  }

  /**
   * Board collections a tenant may have created and not yet expired (default 10); more is 429.
   *
   * @return the count
   */
  public int maxCollectionsPerTenant() {
    return i("maxCollectionsPerTenant");
  }

  /**
   * How long a tenant's board collection lives (default 24 h); then it is purged.
   *
   * @return the time to live
   */
  public Duration collectionTtl() {
    return d("collectionTtl");
  }

  /**
   * Live OAuth2 access tokens per tenant (default 1,000); beyond, the oldest is revoked. Expired tokens are purged.
   *
   * @return the count
   */
  public int maxTokensPerTenant() {
    return i("maxTokensPerTenant");
  }

  /**
   * Signed-request nonces remembered per access key within the replay window (default 100,000); more signed requests
   * in the window are 429.
   *
   * @return the count
   */
  public int maxNoncesPerKey() {
    return i("maxNoncesPerKey");
  }

  /**
   * Webhook events queued per tenant (default 1,000); more are dropped and logged in the webhook's deliveries.
   *
   * @return the count
   */
  public int webhookQueuePerTenant() {
    return i("webhookQueuePerTenant");
  }

  /**
   * Twin entities one tenant may hold, its seeded dataset included (default 100,000); a create beyond is 429.
   *
   * @return the count
   */
  public int maxTwinEntitiesPerTenant() {
    return i("maxTwinEntitiesPerTenant");
  }

  /**
   * Live twin relationships one tenant may hold, its seeded dataset included (default 200,000); a create beyond is
   * 429.
   *
   * @return the count
   */
  public int maxTwinRelationshipsPerTenant() {
    return i("maxTwinRelationshipsPerTenant");
  }

  /**
   * Superseded twin entity versions, entity tombstones and deleted relationships one tenant's history keeps
   * (default 200,000); beyond, the oldest are forgotten first.
   *
   * @return the count
   */
  public int twinHistoryPerTenant() {
    return i("twinHistoryPerTenant");
  }

  /**
   * SensorThings entities in one tenant's copy, its seed included (default 1,000,000); a create beyond is 429, and
   * a simulator makes room by forgetting the tenant's oldest Observation.
   *
   * @return the count
   */
  public int maxIotEntitiesPerTenant() {
    return i("maxIotEntitiesPerTenant");
  }

  /**
   * Exchange orders one tenant may have created (default 10,000); more is 429. Orders are kept for the sandbox's
   * life.
   *
   * @return the count
   */
  public int maxOrdersPerTenant() {
    return i("maxOrdersPerTenant");
  }

  /**
   * Exchange deliveries one tenant may have created (default 10,000); more is 429.
   *
   * @return the count
   */
  public int maxDeliveriesPerTenant() {
    return i("maxDeliveriesPerTenant");
  }

  /**
   * Webhooks one tenant may have registered at once (default 100); more is 429 until one is deleted.
   *
   * @return the count
   */
  public int maxWebhooksPerTenant() {
    return i("maxWebhooksPerTenant");
  }

  /**
   * Asset board claims and transfers one tenant may make in its live collections (default 100,000); more is 429
   * until a collection expires.
   *
   * @return the count
   */
  public int maxBoardEventsPerTenant() {
    return i("maxBoardEventsPerTenant");
  }

  /**
   * Live feeds one tenant may own (default 64), its built-in twin change feed and five programme feeds included
   * (those are always created); a write that would create one more is 429 until one is deleted.
   *
   * @return the count
   */
  public int maxFeedsPerTenant() {
    return i("maxFeedsPerTenant");
  }

  /**
   * Events each live feed keeps for replay (default 100,000); beyond, the oldest are evicted and a subscriber
   * resuming before them gets a {@code gap} event.
   *
   * @return the count
   */
  public int feedEventsPerFeed() {
    return i("feedEventsPerFeed");
  }

  /**
   * Tenants a sandbox holds, the demo tenant included (default 1,000). Each has its own twin and SensorThings copy,
   * materialised on its first use; only {@code Sandbox.tenant(name)} and the command line create tenants, and beyond
   * this they throw.
   *
   * @return the count
   */
  public int maxTenants() {
    return i("maxTenants");
  }

  /**
   * The limits as name/value pairs, in the order of the docs.
   *
   * @return the values
   */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : DEFAULTS.keySet()) {
      m.put(k, values.get(k).toString());
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SandboxLimits other && other.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "SandboxLimits" + asMap();
  }

  private static final Map<String, Object> DEFAULTS;

  static {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxRequestBytes", 64 * 1024 * 1024);
    m.put("maxBufferedBodyBytes", 256L * 1024 * 1024);
    m.put("maxConnections", 4096);
    m.put("maxRequestLineBytes", 64 * 1024);
    m.put("maxHeaderBytes", 64 * 1024);
    m.put("maxHeaders", 100);
    m.put("headerTimeout", Duration.ofSeconds(10));
    m.put("idleTimeout", Duration.ofSeconds(30));
    m.put("readTimeout", Duration.ofSeconds(30));
    m.put("writeTimeout", Duration.ofSeconds(60));
    m.put("maxStreams", 2048);
    m.put("maxStreamsPerTenant", 100);
    m.put("maxConcurrentRequests", 256);
    m.put("maxConcurrentRequestsPerTenant", 64);
    m.put("idempotencyTtl", Duration.ofHours(24));
    m.put("idempotencyKeysPerTenant", 10_000);
    m.put("idempotencyBytesPerTenant", 32L * 1024 * 1024);
    m.put("idempotencyBytesTotal", 256L * 1024 * 1024);
    m.put("maxCollectionsPerTenant", 10);
    m.put("collectionTtl", Duration.ofHours(24));
    m.put("maxTokensPerTenant", 1000);
    m.put("maxNoncesPerKey", 100_000);
    m.put("webhookQueuePerTenant", 1000);
    m.put("maxTwinEntitiesPerTenant", 100_000);
    m.put("maxTwinRelationshipsPerTenant", 200_000);
    m.put("twinHistoryPerTenant", 200_000);
    m.put("maxIotEntitiesPerTenant", 1_000_000);
    m.put("maxOrdersPerTenant", 10_000);
    m.put("maxDeliveriesPerTenant", 10_000);
    m.put("maxWebhooksPerTenant", 100);
    m.put("maxBoardEventsPerTenant", 100_000);
    m.put("maxFeedsPerTenant", 64);
    m.put("feedEventsPerFeed", 100_000);
    m.put("maxTenants", 1000);
    DEFAULTS = java.util.Collections.unmodifiableMap(m);
  }

  /** Builds {@link SandboxLimits}; every setter checks its value. */
  public static final class Builder {
    private final Map<String, Object> values;

    private Builder(Map<String, Object> from) {
      this.values = new LinkedHashMap<>(from);
    }

    private Builder positive(String name, long v, long max) {
      Preconditions.checkArgument(v >= 1 && v <= max, "%s must be between 1 and %s, got %s", name, max, v);
      Object old = DEFAULTS.get(name);
      values.put(name, old instanceof Integer ? (Object) (int) v : (Object) v);
      return this;
    }

    private Builder duration(String name, Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero() && d.compareTo(Duration.ofDays(365)) <= 0,
          "%s must be a positive duration of at most 365 days, got %s", name, d);
      values.put(name, d);
      return this;
    }

    /**
     * Sets a limit by name, as the command line's {@code --limit name=value} does. Durations are ISO-8601
     * ({@code PT5S}) or a number with a unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}); sizes take an
     * optional {@code KiB}/{@code MiB} suffix.
     *
     * @param name a limit's name, such as {@code maxStreamsPerTenant}
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException for an unknown name or a bad value, with a message naming the known limits
     */
    public Builder set(String name, String value) {
      Object old = DEFAULTS.get(name);
      if (old == null) {
        throw new IllegalArgumentException("unknown limit '" + name + "'; known limits: "
            + String.join(", ", DEFAULTS.keySet()));
      }
      String v = value == null ? "" : value.trim();
      if (old instanceof Duration) {
        return duration(name, parseDuration(name, v));
      }
      long factor = 1;
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.endsWith("kib")) {
        factor = 1024;
        v = v.substring(0, v.length() - 3).trim();
      } else if (lower.endsWith("mib")) {
        factor = 1024 * 1024;
        v = v.substring(0, v.length() - 3).trim();
      }
      long n;
      try {
        n = Math.multiplyExact(Long.parseLong(v.replace("_", "").replace(",", "")), factor);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
      }
      return positive(name, n, old instanceof Integer ? Integer.MAX_VALUE : Long.MAX_VALUE);
    }

    private static Duration parseDuration(String name, String v) {
      try {
        if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
          return Duration.parse(v);
        }
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).trim()));
        }
        long n = Long.parseLong(lower.substring(0, lower.length() - 1).trim());
        return switch (lower.charAt(lower.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw new NumberFormatException();
        };
      } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
        throw new IllegalArgumentException(name + " must be a duration such as 5s, 500ms, 2m, 1h or PT5S, got '"
            + v + "'");
      }
    }

    /**
     * Sets {@link SandboxLimits#maxRequestBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxRequestBytes(int bytes) {
      return positive("maxRequestBytes", bytes, Integer.MAX_VALUE - 8);
    }

    /**
     * Sets {@link SandboxLimits#maxBufferedBodyBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxBufferedBodyBytes(long bytes) {
      return positive("maxBufferedBodyBytes", bytes, Long.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#maxConnections()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxConnections(int n) {
      return positive("maxConnections", n, Integer.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#maxRequestLineBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxRequestLineBytes(int bytes) {
      return positive("maxRequestLineBytes", bytes, 16 * 1024 * 1024);
    }

    /**
     * Sets {@link SandboxLimits#maxHeaderBytes()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxHeaderBytes(int bytes) {
      return positive("maxHeaderBytes", bytes, 16 * 1024 * 1024);
    }

    /**
     * Sets {@link SandboxLimits#maxHeaders()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxHeaders(int n) {
      return positive("maxHeaders", n, 100_000);
    }

    /**
     * Sets {@link SandboxLimits#headerTimeout()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder headerTimeout(Duration d) {
      return duration("headerTimeout", d);
    }

    /**
     * Sets {@link SandboxLimits#idleTimeout()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder idleTimeout(Duration d) {
      return duration("idleTimeout", d);
    }

    /**
     * Sets {@link SandboxLimits#readTimeout()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder readTimeout(Duration d) {
      return duration("readTimeout", d);
    }

    /**
     * Sets {@link SandboxLimits#writeTimeout()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder writeTimeout(Duration d) {
      return duration("writeTimeout", d);
    }

    /**
     * Sets {@link SandboxLimits#maxStreams()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxStreams(int n) {
      return positive("maxStreams", n, 1_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxStreamsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxStreamsPerTenant(int n) {
      return positive("maxStreamsPerTenant", n, 1_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxConcurrentRequests()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxConcurrentRequests(int n) {
      return positive("maxConcurrentRequests", n, 1_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxConcurrentRequestsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxConcurrentRequestsPerTenant(int n) {
      return positive("maxConcurrentRequestsPerTenant", n, 1_000_000);
    }

    /**
     * Sets {@link SandboxLimits#idempotencyTtl()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder idempotencyTtl(Duration d) {
      return duration("idempotencyTtl", d);
    }

    /**
     * Sets {@link SandboxLimits#idempotencyKeysPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder idempotencyKeysPerTenant(int n) {
      return positive("idempotencyKeysPerTenant", n, Integer.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#idempotencyBytesPerTenant()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder idempotencyBytesPerTenant(long bytes) {
      return positive("idempotencyBytesPerTenant", bytes, Long.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#idempotencyBytesTotal()}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder idempotencyBytesTotal(long bytes) {
      return positive("idempotencyBytesTotal", bytes, Long.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#maxCollectionsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxCollectionsPerTenant(int n) {
      return positive("maxCollectionsPerTenant", n, 100_000);
    }

    /**
     * Sets {@link SandboxLimits#collectionTtl()}.
     *
     * @param d positive
     * @return this builder
     */
    public Builder collectionTtl(Duration d) {
      return duration("collectionTtl", d);
    }

    /**
     * Sets {@link SandboxLimits#maxTokensPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxTokensPerTenant(int n) {
      return positive("maxTokensPerTenant", n, Integer.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#maxNoncesPerKey()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxNoncesPerKey(int n) {
      return positive("maxNoncesPerKey", n, Integer.MAX_VALUE);
    }

    /**
     * Sets {@link SandboxLimits#webhookQueuePerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder webhookQueuePerTenant(int n) {
      return positive("webhookQueuePerTenant", n, 1_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxTwinEntitiesPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxTwinEntitiesPerTenant(int n) {
      return positive("maxTwinEntitiesPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxTwinRelationshipsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxTwinRelationshipsPerTenant(int n) {
      return positive("maxTwinRelationshipsPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#twinHistoryPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder twinHistoryPerTenant(int n) {
      return positive("twinHistoryPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxIotEntitiesPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxIotEntitiesPerTenant(int n) {
      return positive("maxIotEntitiesPerTenant", n, 100_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxOrdersPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxOrdersPerTenant(int n) {
      return positive("maxOrdersPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxDeliveriesPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxDeliveriesPerTenant(int n) {
      return positive("maxDeliveriesPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxWebhooksPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxWebhooksPerTenant(int n) {
      return positive("maxWebhooksPerTenant", n, 100_000);
    }

    /**
     * Sets {@link SandboxLimits#maxBoardEventsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxBoardEventsPerTenant(int n) {
      return positive("maxBoardEventsPerTenant", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxFeedsPerTenant()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxFeedsPerTenant(int n) {
      return positive("maxFeedsPerTenant", n, 100_000);
    }

    /**
     * Sets {@link SandboxLimits#feedEventsPerFeed()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder feedEventsPerFeed(int n) {
      return positive("feedEventsPerFeed", n, 10_000_000);
    }

    /**
     * Sets {@link SandboxLimits#maxTenants()}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxTenants(int n) {
      return positive("maxTenants", n, 1_000_000);
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public SandboxLimits build() {
      return new SandboxLimits(values);
    }
  }
}
