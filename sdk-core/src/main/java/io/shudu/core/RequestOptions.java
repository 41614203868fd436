package io.shudu.core;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import io.shudu.core.internal.Tracing;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-call overrides of the client configuration: timeouts, idempotency key, extra headers, retry policy.
 * Immutable; pass {@link #defaults()} or build one per call.
 *
 * <pre>{@code
 * RequestOptions opts = RequestOptions.builder()
 *     .timeout(Duration.ofSeconds(5))
 *     .idempotencyKey("order-2024-0001")
 *     .header("X-Partner-Trace", "abc")
 *     .build();
 * }</pre>
 */
public final class RequestOptions {
  private static final RequestOptions DEFAULTS = builder().build();
  private static final Set<String> RESERVED = Set.of("authorization", "host", "content-length", "x-api-key",
      "x-shudu-date", "x-shudu-nonce", "x-shudu-content-sha256", "idempotency-key");

  private final Duration timeout;
  private final Duration attemptTimeout;
  private final String idempotencyKey;
  private final Map<String, String> headers;
  private final RetryPolicy retryPolicy;
  private final String traceparent;

  private RequestOptions(Builder b) {
    this.timeout = b.timeout;
    this.attemptTimeout = b.attemptTimeout;
    this.idempotencyKey = b.idempotencyKey;
    this.headers = b.headers.build();
    this.retryPolicy = b.retryPolicy;
    this.traceparent = b.traceparent;
  }

  /** No overrides. */
  public static RequestOptions defaults() {
    return DEFAULTS;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options that repeat a failed call with the Idempotency-Key it carried: call the same method with the same
   * arguments and these options, and the platform applies the operation at most once and answers with its first
   * result (a different body with the same key is refused with 422 {@code idempotency_key_reused}). This is the
   * documented way to settle a call whose {@link ShuduException#outcome()} is
   * {@link ShuduException.Outcome#MAYBE_PROCESSED}; repeating is harmless for any other outcome too.
   *
   * <pre>{@code
   * try {
   *   order = exchange.orders().create(offerId, use);
   * } catch (ShuduException e) {
   *   order = exchange.orders().withOptions(RequestOptions.repeatOf(e)).create(offerId, use);
   * }
   * }</pre>
   *
   * <p>To keep the key across a restart of your application, choose it yourself instead (one per logical operation,
   * stored with your own record of it) and pass {@code RequestOptions.builder().idempotencyKey(key).build()} on the
   * first call and every repeat.
   *
   * @param failure the exception the call ended with
   * @return options carrying the call's Idempotency-Key
   * @throws IllegalArgumentException if the call carried no key (a GET, PUT or DELETE, which are safe to repeat as
   *     they are)
   */
  public static RequestOptions repeatOf(ShuduException failure) {
    Preconditions.checkNotNull(failure, "failure");
    String key = failure.idempotencyKey().orElseThrow(() -> new IllegalArgumentException("The failed call carried "
        + "no Idempotency-Key (only POST, PATCH and create-only PUT calls do): repeat it as it is, or read the "
        + "resource to learn its state."));
    return builder().idempotencyKey(key).build();
  }

  /** Whole-call timeout (all attempts and backoff), overriding the client's. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** Per-attempt timeout, overriding the client's. */
  public Optional<Duration> attemptTimeout() {
    return Optional.ofNullable(attemptTimeout);
  }

  /**
   * Idempotency key for a POST, a PATCH or a create-only PUT; when absent the SDK generates one per logical call (and
   * reports it on {@link ShuduException#idempotencyKey()} and to {@link ClientListener}s).
   */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** Extra headers sent with every attempt. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Retry policy for this call, overriding the client's. */
  public Optional<RetryPolicy> retryPolicy() {
    return Optional.ofNullable(retryPolicy);
  }

  /** A W3C traceparent to continue; when absent the SDK starts a new trace per call. */
  public Optional<String> traceparent() {
    return Optional.ofNullable(traceparent);
  }

  @Override
  public String toString() {
    return "RequestOptions{timeout=" + timeout + ", attemptTimeout=" + attemptTimeout + ", idempotencyKey="
        + (idempotencyKey == null ? null : "set") + ", headers=" + headers.keySet() + ", retryPolicy=" + retryPolicy + "}";
  }

  /** Builds {@link RequestOptions}. Not thread-safe. */
  public static final class Builder {
    private Duration timeout;
    private Duration attemptTimeout;
    private String idempotencyKey;
    private final ImmutableMap.Builder<String, String> headers = ImmutableMap.builder();
    private RetryPolicy retryPolicy;
    private String traceparent;

    private Builder() {}

    /**
     * Whole-call timeout.
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder timeout(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero(), "timeout must be positive, got %s", d);
      this.timeout = d;
      return this;
    }

    /**
     * Per-attempt timeout.
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder attemptTimeout(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero(), "attemptTimeout must be positive, got %s", d);
      this.attemptTimeout = d;
      return this;
    }

    /**
     * Idempotency key, 1 to 255 printable ASCII characters. Use one key per logical operation; the platform returns
     * the first result for repeats of the same key.
     *
     * @param key the key
     * @return this builder
     */
    public Builder idempotencyKey(String key) {
      Preconditions.checkArgument(key != null && !key.isEmpty() && key.length() <= 255
          && key.chars().allMatch(c -> c > 0x20 && c < 0x7f),
          "idempotencyKey must be 1-255 printable ASCII characters without spaces");
      this.idempotencyKey = key;
      return this;
    }

    /**
     * Adds a header. Authentication and framing headers are set by the SDK and cannot be overridden here.
     *
     * @param name header name
     * @param value header value
     * @return this builder
     */
    public Builder header(String name, String value) {
      Preconditions.checkArgument(name != null && !name.isBlank(), "header name must not be blank");
      Preconditions.checkArgument(value != null, "header value must not be null (header %s)", name);
      Preconditions.checkArgument(!RESERVED.contains(name.toLowerCase(Locale.ROOT)),
          "header %s is set by the SDK; use the matching option (credentials, idempotencyKey) instead", name);
      headers.put(name, value);
      return this;
    }

    /**
     * Retry policy for this call.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Preconditions.checkNotNull(policy, "retryPolicy");
      return this;
    }

    /**
     * Continues an existing W3C trace ({@code 00-<32 hex>-<16 hex>-<2 hex>}, lower-case hex, trace and parent ids not
     * all zeros, version not {@code ff}).
     *
     * @param value the traceparent header value
     * @return this builder
     * @throws IllegalArgumentException if the value is not a valid W3C traceparent
     */
    public Builder traceparent(String value) {
      Preconditions.checkArgument(Tracing.isValid(value), "traceparent must be a W3C traceparent "
          + "00-<32 lower-case hex trace id>-<16 lower-case hex parent id>-<2 hex flags>, with trace and parent ids "
          + "not all zeros and a version other than ff (pass the incoming traceparent header as it is, or none to start "
          + "a new trace), got '%s'", value);
      this.traceparent = value;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return immutable options
     */
    public RequestOptions build() {
      return new RequestOptions(this);
    }
  }
}
