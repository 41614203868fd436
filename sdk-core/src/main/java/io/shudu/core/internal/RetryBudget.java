package io.shudu.core.internal;

import io.shudu.core.RetryPolicy;

/**
 * Token bucket that bounds retries across all calls of one client: a retry takes {@code retryCost} tokens, a
 * success returns {@code successRefill}. When the platform is down, retries stop once the bucket is empty, so a
 * fleet of clients does not multiply its load by the attempt count.
 */
public final class RetryBudget {
  private final int capacity;
  private final int cost;
  private final int refill;
  private int tokens;

  /** A full bucket sized by the policy. */
  public RetryBudget(RetryPolicy policy) {
    this.capacity = policy.budgetCapacity();
    this.cost = policy.retryCost();
    this.refill = policy.successRefill();
    this.tokens = capacity;
  }

  /** Takes the cost of one retry; false when the budget cannot pay it. */
  public synchronized boolean tryAcquire() {
    if (tokens < cost) {
      return false;
    }
    tokens -= cost;
    return true;
  }

  /** Returns tokens after a success. */
  public synchronized void onSuccess() {
    tokens = Math.min(capacity, tokens + refill);
  }

  /** The share of the budget left: 1 when full, 0 when empty. */
  public synchronized double level() {
    return capacity == 0 ? 0 : (double) tokens / capacity;
  }

  /** Tokens left. */
  public synchronized int available() {
    return tokens;
  }
}
