package io.shudu.core;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * How the SDK retries a failed attempt. Immutable and thread-safe.
 *
 * <p>Only safe methods (GET, HEAD, PUT, DELETE, OPTIONS) and POST/PATCH requests that carry an {@code Idempotency-Key}
 * are retried, and only after a transient failure: a connection failure or timeout, 408, 429, 500, 502, 503, 504.
 * Delays grow exponentially with full jitter ({@code random(0, min(maxDelay, baseDelay * 2^(attempt-1)))}); a server's
 * {@code Retry-After} (seconds or HTTP date) is honoured instead when present, up to {@link #maxRetryAfter()}.
 * A token-bucket retry budget shared by all calls of one client stops retry storms when the platform is down:
 * each retry costs {@link #retryCost()} tokens, each success returns {@link #successRefill()}, and when the
 * bucket is empty a failure is returned without retrying.
 *
 * <p>The budget never turns a keyed write into an unknowable outcome. A POST/PATCH (or create-only PUT) whose attempt
 * may have been applied although its answer was lost (connection cut or timed out after sending, 500, 502, 504) keeps
 * up to {@link #lostAnswerRetries()} retries (default 2) when the budget is empty, still within
 * {@link #maxAttempts()} and the call timeout; they are replays of the same Idempotency-Key, which the platform
 * answers from its record of the first attempt. If the call still fails, the exception says
 * {@link ShuduException.Outcome#MAYBE_PROCESSED} and carries the key: repeat with
 * {@link RequestOptions#repeatOf(ShuduException)}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).baseDelay(Duration.ofMillis(200)).build();
 * }</pre>
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Duration maxRetryAfter;
  private final int budgetCapacity;
  private final int retryCost;
  private final int successRefill;
  private final int lostAnswerRetries;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.maxRetryAfter = b.maxRetryAfter;
    this.budgetCapacity = b.budgetCapacity;
    this.retryCost = b.retryCost;
    this.successRefill = b.successRefill;
    this.lostAnswerRetries = b.lostAnswerRetries;
  }

  /** The defaults: 3 attempts, 100 ms base delay, 20 s max delay, budget of 500 tokens, 5 per retry, 1 back per success. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** A policy that never retries. */
  public static RetryPolicy none() {
    return NONE;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.baseDelay = baseDelay;
    b.maxDelay = maxDelay;
    b.maxRetryAfter = maxRetryAfter;
    b.budgetCapacity = budgetCapacity;
    b.retryCost = retryCost;
    b.successRefill = successRefill;
    b.lostAnswerRetries = lostAnswerRetries;
    return b;
  }

  /** Total attempts, first one included (1 means no retries). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Base of the exponential backoff. */
  public Duration baseDelay() {
    return baseDelay;
  }

  /** Upper bound of any computed backoff delay. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** Longest server {@code Retry-After} the SDK waits for; a longer one ends the call with the error. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** Tokens in a full retry budget. */
  public int budgetCapacity() {
    return budgetCapacity;
  }

  /** Tokens one retry takes from the budget. */
  public int retryCost() {
    return retryCost;
  }

  /** Tokens one successful attempt returns to the budget. */
  public int successRefill() {
    return successRefill;
  }

  /**
   * Retries a keyed write whose answer was lost keeps when the retry budget is empty (still within
   * {@link #maxAttempts()} and the call timeout).
   *
   * @return 0 to 20, default 2
   */
  public int lostAnswerRetries() {
    return lostAnswerRetries;
  }

  /**
   * The upper bound of the jittered backoff before retry number {@code retry} (1 for the first retry).
   *
   * @param retry the retry number, at least 1
   * @return {@code min(maxDelay, baseDelay * 2^(retry-1))}
   */
  public Duration backoffCeiling(int retry) {
    Preconditions.checkArgument(retry >= 1, "retry must be >= 1, got %s", retry);
    return io.shudu.core.internal.Backoff.ceiling(baseDelay, maxDelay, retry);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
        + ", maxRetryAfter=" + maxRetryAfter + ", budget=" + budgetCapacity + "/" + retryCost + "/" + successRefill
        + ", lostAnswerRetries=" + lostAnswerRetries + "}";
  }

  /** Builds a {@link RetryPolicy}. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration baseDelay = Duration.ofMillis(100);
    private Duration maxDelay = Duration.ofSeconds(20);
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private int budgetCapacity = 500;
    private int retryCost = 5;
    private int successRefill = 1;
    private int lostAnswerRetries = 2;

    private Builder() {}

    /**
     * Total attempts including the first.
     *
     * @param n between 1 and 20
     * @return this builder
     */
    public Builder maxAttempts(int n) {
      Preconditions.checkArgument(n >= 1 && n <= 20, "maxAttempts must be between 1 and 20, got %s", n);
      this.maxAttempts = n;
      return this;
    }

    /**
     * Base delay of the exponential backoff.
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder baseDelay(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero(), "baseDelay must be positive, got %s", d);
      this.baseDelay = d;
      return this;
    }

    /**
     * Cap on computed backoff delays.
     *
     * @param d positive duration
     * @return this builder
     */
    public Builder maxDelay(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero(), "maxDelay must be positive, got %s", d);
      this.maxDelay = d;
      return this;
    }

    /**
     * Longest server Retry-After to wait for.
     *
     * @param d non-negative duration
     * @return this builder
     */
    public Builder maxRetryAfter(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative(), "maxRetryAfter must not be negative, got %s", d);
      this.maxRetryAfter = d;
      return this;
    }

    /**
     * Retry budget: bucket size, cost of one retry, refill per success.
     *
     * @param capacity tokens in a full bucket, at least 1
     * @param costPerRetry tokens a retry takes, at least 1
     * @param refillPerSuccess tokens a success returns, at least 0
     * @return this builder
     */
    public Builder retryBudget(int capacity, int costPerRetry, int refillPerSuccess) {
      Preconditions.checkArgument(capacity >= 1, "budget capacity must be >= 1, got %s", capacity);
      Preconditions.checkArgument(costPerRetry >= 1, "retry cost must be >= 1, got %s", costPerRetry);
      Preconditions.checkArgument(refillPerSuccess >= 0, "refill must be >= 0, got %s", refillPerSuccess);
      this.budgetCapacity = capacity;
      this.retryCost = costPerRetry;
      this.successRefill = refillPerSuccess;
      return this;
    }

    /**
     * Retries that a keyed write (POST, PATCH, create-only PUT) whose answer was lost keeps when the retry budget is
     * empty. They never exceed {@link #maxAttempts(int)} or the call timeout. 0 lets the budget stop them too (the
     * exception then says MAYBE_PROCESSED with the key, and the application repeats the call).
     *
     * @param n 0 to 20
     * @return this builder
     */
    public Builder lostAnswerRetries(int n) {
      Preconditions.checkArgument(n >= 0 && n <= 20, "lostAnswerRetries must be between 0 and 20, got %s", n);
      this.lostAnswerRetries = n;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the immutable policy
     */
    public RetryPolicy build() {
      Preconditions.checkArgument(maxDelay.compareTo(baseDelay) >= 0,
          "maxDelay (%s) must not be shorter than baseDelay (%s)", maxDelay, baseDelay);
      return new RetryPolicy(this);
    }
  }
}
