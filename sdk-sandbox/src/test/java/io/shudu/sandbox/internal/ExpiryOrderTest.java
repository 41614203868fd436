package io.shudu.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's expiring stores forget in arrival order without scanning: the nonce cache polls expired nonces from the
 * front of its queue (counted entry by entry), and the idempotency store's sandbox-wide weight bound forgets the oldest
 * answers of any tenant first, keeping every tenant's newest.
 */
class ExpiryOrderTest {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

  @Test
  void nonceExpiryPollsExpiredNoncesFromTheFrontAndLooksAtOneLiveOneAtMost() {
    NonceCache cache = new NonceCache(Duration.ofSeconds(10));
    cache.maxPerKey(1_000_000);
    for (int i = 0; i < 1000; i++) {
      assertThat(cache.add("AK", "n" + i, T0.plusMillis(i))).isTrue(); // arrival order = time order
    }
    // each add so far looked at the front once (plus nothing else): 1 entry per add, except the very first
    assertThat(cache.examined()).isEqualTo(999);
    long before = cache.examined();
    // half the nonces are past their retention: exactly those 500 are polled, then the first live one stops expiry
    assertThat(cache.add("AK", "late", T0.plusMillis(10_000 + 499))).isTrue();
    assertThat(cache.examined() - before).isEqualTo(501);
    assertThat(cache.size()).isEqualTo(501);
    assertThat(cache.add("AK", "n499", T0.plusMillis(10_000 + 499))).isTrue(); // expired: usable again
    assertThat(cache.add("AK", "n500", T0.plusMillis(10_000 + 499))).isFalse(); // still remembered: a replay
    before = cache.examined();
    assertThat(cache.add("AK", "again", T0.plusMillis(10_000 + 499))).isTrue();
    assertThat(cache.examined() - before).isEqualTo(1);
  }

  @Test
  void nonceCountPerKeyIsFreedByExpiry() {
    NonceCache cache = new NonceCache(Duration.ofSeconds(10));
    cache.maxPerKey(3);
    for (int i = 0; i < 3; i++) {
      cache.add("AK", "n" + i, T0);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.add("AK", "n3", T0))
        .hasMessageContaining("maxNoncesPerKey");
    assertThat(cache.add("OTHER", "n3", T0)).isTrue(); // another access key has its own room
    assertThat(cache.add("AK", "n3", T0.plusSeconds(10))).isTrue();
    assertThat(cache.size()).isEqualTo(1);
  }

  private record Key(String tenant, String key) {}

  @Test
  void theTotalWeightBoundForgetsTheOldestEntriesOfAnyGroupFirst() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    BoundedStore<Key, String> store = new BoundedStore<>(clock, Duration.ofHours(1), 1000, 1_000_000, 1000,
        Key::tenant);
    for (int i = 0; i < 30; i++) {
      Key k = new Key("t" + (i % 3), "k" + i);
      String v = "v" + i;
      assertThat(store.putIfAbsent(k, v)).isNull();
      store.weigh(k, v, 100);
      assertThat(store.totalBytes()).isLessThanOrEqualTo(1000);
    }
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.totalBytes()).isEqualTo(1000);
    for (int i = 0; i < 30; i++) {
      Key k = new Key("t" + (i % 3), "k" + i);
      // the ten newest, of all three groups, are kept; a kept key answers with its own value
      assertThat(store.putIfAbsent(k, "other")).as("k%d", i).isEqualTo(i >= 20 ? "v" + i : null);
      if (i < 20) {
        store.remove(k);
      }
    }
    // an entry removed by its group (expiry, per-group bound, failure) gives its weight back
    store.remove(new Key("t2", "k29"));
    assertThat(store.totalBytes()).isEqualTo(900);
    assertThat(store.size()).isEqualTo(9);
  }
}
