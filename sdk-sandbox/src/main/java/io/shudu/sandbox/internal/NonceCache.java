package io.shudu.sandbox.internal;

import io.shudu.sandbox.internal.http.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The nonces of signed requests, each remembered for {@code retention} after it arrived (twice the signature window:
 * a request is accepted only when its timestamp is within the window of the platform clock, so a replay can arrive at
 * most two windows after the original). Expiry is amortised O(1): nonces are queued in arrival order and expired ones
 * are taken from the front on each insertion, never by scanning. At most {@code maxPerKey} nonces per access key are
 * held; beyond, signed requests of that key are refused with 429 until older nonces expire.
 */
final class NonceCache {
  private record Seen(String key, String accessKeyId, long expiresAtMillis) {}

  private final long retentionMillis;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Seen> order = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
  private volatile int maxPerKey = 100_000;

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
  boolean add(String accessKeyId, String nonce, Instant now) {
    long nowMillis = now.toEpochMilli();
    expire(nowMillis);
    String key = accessKeyId + ":" + nonce;
    if (seen.containsKey(key)) {
      return false;
    }
    AtomicInteger count = perKey.computeIfAbsent(accessKeyId, k -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerKey) {
      count.decrementAndGet();
      throw new Problem(429, "too_many_signed_requests", "Too many requests", "This access key sent more than "
          + maxPerKey + " signed requests within the replay window; slow down (or raise the sandbox's "
          + "maxNoncesPerKey limit).").header("Retry-After", "10").with("limit", "maxNoncesPerKey");
    }
    long expires = nowMillis + retentionMillis;
    if (seen.putIfAbsent(key, expires) != null) {
      count.decrementAndGet();
      return false;
    }
    order.add(new Seen(key, accessKeyId, expires));
    return true;
  }

  int size() {
    return seen.size();
  }

  private void expire(long nowMillis) {
    Seen head;
    while ((head = order.peek()) != null && head.expiresAtMillis() <= nowMillis) {
      if (order.remove(head)) {
        if (seen.remove(head.key(), head.expiresAtMillis())) {
          perKey.get(head.accessKeyId()).decrementAndGet();
        }
      }
    }
  }
}
