package io.shudu.sandbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A concurrent map whose entries expire after a time to live and whose size is bounded per group (a tenant): at most
 * {@code maxEntries} entries and {@code maxBytes} of declared weight per group; beyond, the group's oldest entries are
 * forgotten first. The declared weight of all groups together is bounded too ({@code maxTotalBytes}); beyond, the
 * oldest weighed entries of any group are forgotten first. Expiry and eviction cost amortised O(1) per insertion: each
 * group, and the store for its weighed entries, keeps entries in insertion order and expired or evicted ones are taken
 * from the front (entries dropped elsewhere are skipped there, and the queue is compacted when they outnumber the live
 * ones). Locks are taken store first, then group, never the other way round.
 *
 * @param <K> key type
 * @param <V> value type
 */
final class BoundedStore<K, V> {
  private static final class Entry<K, V> {
    final K key;
    final V value;
    final long insertedMillis;
    long weight;
    volatile boolean removed;
    boolean queued;

    Entry(K key, V value, long insertedMillis) {
      this.key = key;
      this.value = value;
      this.insertedMillis = insertedMillis;
    }
  }

  private static final class Group<K, V> {
    final ArrayDeque<Entry<K, V>> order = new ArrayDeque<>();
    int live;
    long bytes;
  }

  private final Clock clock;
  private final long ttlMillis;
  private final int maxEntries;
  private final long maxBytes;
  private final Function<K, String> groupOf;
  private final Map<K, Entry<K, V>> map = new ConcurrentHashMap<>();
  private final Map<String, Group<K, V>> groups = new ConcurrentHashMap<>();
  private volatile long nextSweepMillis;
  private final long maxTotalBytes;
  /** Weighed entries of every group in the order they were weighed; guarded by itself. */
  private final ArrayDeque<Entry<K, V>> weighed = new ArrayDeque<>();
  private final AtomicLong totalBytes = new AtomicLong();
  private final AtomicInteger liveWeighed = new AtomicInteger();

  BoundedStore(Clock clock, Duration ttl, int maxEntries, long maxBytes, Function<K, String> groupOf) {
    this(clock, ttl, maxEntries, maxBytes, Long.MAX_VALUE, groupOf);
  }

  BoundedStore(Clock clock, Duration ttl, int maxEntries, long maxBytes, long maxTotalBytes,
      Function<K, String> groupOf) {
    this.clock = clock;
    this.ttlMillis = ttl.toMillis();
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxTotalBytes = maxTotalBytes;
    this.groupOf = groupOf;
  }

  /** Inserts {@code value} unless a live entry exists; returns the live entry's value, or null when inserted. */
  V putIfAbsent(K key, V value) {
    long now = clock.millis();
    sweepAll(now);
    Group<K, V> g = groups.computeIfAbsent(groupOf.apply(key), k -> new Group<>());
    synchronized (g) {
      expire(g, now);
      Entry<K, V> existing = map.get(key);
      if (existing != null && !existing.removed) {
        return existing.value;
      }
      Entry<K, V> e = new Entry<>(key, value, now);
      map.put(key, e);
      g.order.addLast(e);
      g.live++;
      evict(g);
      return null;
    }
  }

  /**
   * Records the weight of an entry once its value is known; evicts the group's oldest entries beyond the group's
   * bounds, then the oldest weighed entries of any group beyond the total bound.
   */
  void weigh(K key, V value, long bytes) {
    Group<K, V> g = groups.get(groupOf.apply(key));
    if (g == null) {
      return;
    }
    Entry<K, V> e;
    synchronized (g) {
      e = map.get(key);
      if (e == null || e.value != value || e.removed || e.queued) {
        return;
      }
      g.bytes += bytes;
      e.weight = bytes;
      totalBytes.addAndGet(bytes);
      e.queued = true;
      liveWeighed.incrementAndGet();
    }
    synchronized (weighed) {
      weighed.addLast(e); // e may already be dropped: it is skipped at the front
      synchronized (g) {
        evict(g);
      }
      evictTotal();
    }
  }

  /** Declared weight held, all groups. */
  long totalBytes() {
    return totalBytes.get();
  }

  /** Takes the oldest weighed entries of any group until the total fits; compacts the queue. Holds {@code weighed}. */
  private void evictTotal() {
    Entry<K, V> head;
    while ((head = weighed.peekFirst()) != null && (head.removed || totalBytes.get() > maxTotalBytes)) {
      weighed.pollFirst();
      if (!head.removed) {
        Group<K, V> g = groups.get(groupOf.apply(head.key));
        synchronized (g) {
          if (!head.removed) {
            drop(g, head);
          }
        }
      }
    }
    if (weighed.size() > 2 * Math.max(16, liveWeighed.get())) {
      weighed.removeIf(x -> x.removed); // keep the queue proportional to the live entries
    }
  }

  /** Removes the entry for {@code key}. */
  void remove(K key) {
    Entry<K, V> e = map.get(key);
    if (e != null) {
      remove(key, e.value);
    }
  }

  /** Removes the entry for {@code key} if it holds {@code value}. */
  void remove(K key, V value) {
    Group<K, V> g = groups.get(groupOf.apply(key));
    if (g == null) {
      return;
    }
    synchronized (g) {
      Entry<K, V> e = map.get(key);
      if (e != null && e.value == value && !e.removed) {
        drop(g, e);
      }
      if (g.order.size() > 2 * Math.max(16, g.live)) {
        g.order.removeIf(x -> x.removed); // keep the queue proportional to the live entries
      }
    }
  }

  /** Live entries, all groups. */
  int size() {
    return map.size();
  }

  private void drop(Group<K, V> g, Entry<K, V> e) {
    e.removed = true;
    map.remove(e.key, e);
    g.live--;
    g.bytes -= e.weight;
    if (e.queued) {
      totalBytes.addAndGet(-e.weight);
      liveWeighed.decrementAndGet();
    }
  }

  private void expire(Group<K, V> g, long now) {
    Entry<K, V> head;
    while ((head = g.order.peekFirst()) != null && (head.removed || now - head.insertedMillis >= ttlMillis)) {
      g.order.pollFirst();
      if (!head.removed) {
        drop(g, head);
      }
    }
  }

  private void evict(Group<K, V> g) {
    while ((g.live > maxEntries || g.bytes > maxBytes) && !g.order.isEmpty()) {
      Entry<K, V> head = g.order.pollFirst();
      if (!head.removed) {
        drop(g, head);
      }
    }
  }

  /** At most once a second, expires the old entries of every group (groups that stopped writing too). */
  private void sweepAll(long now) {
    if (now < nextSweepMillis) {
      return;
    }
    nextSweepMillis = now + 1000;
    for (Group<K, V> g : groups.values()) {
      synchronized (g) {
        expire(g, now);
      }
    }
  }
}
