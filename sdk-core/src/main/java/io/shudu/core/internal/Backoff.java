package io.shudu.core.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one backoff formula of the SDK, used by request retries ({@link ApiClient}) and feed reconnects
 * ({@link FeedSubscriptionImpl}): exponential with full jitter. Before attempt {@code n} (1 for the first retry or
 * reconnect) the wait is uniformly random in {@code [0, min(max, base * 2^(n-1))]}. Thread-safe; pure apart from the
 * random source.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * The upper bound of the wait before attempt {@code n}.
   *
   * @param base the ceiling of the first wait, not negative
   * @param max the largest ceiling, not negative
   * @param n 1 for the first retry or reconnect
   * @return {@code min(max, base * 2^(n-1))}, saturating instead of overflowing
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public static Duration ceiling(Duration base, Duration max, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the attempt number must be >= 1, got " + n);
    }
    long b = base.toNanos();
    int shift = Math.min(n - 1, 40);
    long c = b > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : b << shift;
    return Duration.ofNanos(Math.max(0, Math.min(c, max.toNanos())));
  }

  /**
   * A full-jitter wait before attempt {@code n}: uniformly random between zero and {@link #ceiling}.
   *
   * @param base the ceiling of the first wait
   * @param max the largest ceiling
   * @param n 1 for the first retry or reconnect
   * @param random the random source
   * @return the delay, never negative and never above the ceiling
   */
  public static Duration delay(Duration base, Duration max, int n, RandomGenerator random) {
    long c = ceiling(base, max, n).toNanos();
    return Duration.ofNanos(c <= 0 ? 0 : random.nextLong(c + 1));
  }
}
