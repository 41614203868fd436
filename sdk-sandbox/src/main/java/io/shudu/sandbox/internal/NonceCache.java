package io.shudu.sandbox.internal;

import io.shudu.sandbox.internal.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The nonces of signed requests, each remembered for {@code retention} after it arrived (twice the signature window:
 * a request is accepted only when its timestamp is within the window of the platform clock, so a replay can arrive at
 * most two windows after the original). Expiry is amortised O(1): nonces are queued in arrival order and, under one
 * lock, expired ones are polled from the front on each insertion, never searched for. At most {@code maxPerKey} nonces
 * per access key are held; beyond, signed requests of that key are refused with 429 until older nonces expire. A nonce
 * is at most {@link #MAX_NONCE_LENGTH} characters (checked by {@link SandboxAuth} before anything is stored), so the
 * memory held per access key is bounded in bytes, not only in count.
 */
final class NonceCache {
  /** Longest nonce accepted, in characters (the SDK sends 32 hex digits). */
  static final int MAX_NONCE_LENGTH = 128;

  private record Seen(String key, String accessKeyId, long expiresAtMillis) {}

  private final long retentionMillis;
  private final Map<String, Long> seen = new HashMap<>();
  private final ArrayDeque<Seen> order = new ArrayDeque<>();
  private final Map<String, int[]> perKey = new HashMap<>();
  private volatile int maxPerKey = 100_000;
  /** Queue entries looked at by expiry, all calls (tests: proves expiry never scans the queue). */
  private long examined;

  NonceCache(Duration retention) {
    this.retentionMillis = retention.toMillis();
  }

  void maxPerKey(int max) {
    this.maxPerKey = max;
  }

  /**
   * Remembers a nonce.
   *
   * @return false when the nonce was already used by this access key (a replay)
   * @throws Problem 429 when the access key holds its maximum of nonces
   */
  synchronized boolean add(String accessKeyId, String nonce, Instant now) {
    long nowMillis = now.toEpochMilli();
    expire(nowMillis);
    String key = accessKeyId + ":" + nonce;
    if (seen.containsKey(key)) {
      return false;
    }
    int[] count = perKey.get(accessKeyId);
    if (count == null) {
      count = new int[1];
      perKey.put(accessKeyId, count);
    }
    if (count[0] >= maxPerKey) {
      throw new Problem(429, "too_many_signed_requests", "Too many requests", "This access key sent more than "
          + maxPerKey + " signed requests within the replay window; slow down (or raise the sandbox's "
          + "maxNoncesPerKey limit).").header("Retry-After", "10").with("limit", "maxNoncesPerKey")
          .with("max", maxPerKey);
    }
    long expires = nowMillis + retentionMillis;
    seen.put(key, expires);
    count[0]++;
    order.addLast(new Seen(key, accessKeyId, expires));
    return true;
  }

  synchronized int size() {
    return seen.size();
  }

  /** Queue entries looked at by expiry since creation (tests). */
  synchronized long examined() {
    return examined;
  }

  /** Polls expired nonces from the front: each call looks at the expired ones plus at most one live one. */
  private void expire(long nowMillis) {
    Seen head;
    while ((head = order.peekFirst()) != null) {
      examined++;
      if (head.expiresAtMillis() > nowMillis) {
        return;
      }
      order.pollFirst();
      seen.remove(head.key());
      int[] count = perKey.get(head.accessKeyId());
      if (--count[0] == 0) {
        perKey.remove(head.accessKeyId());
      }
    }
  }
}
