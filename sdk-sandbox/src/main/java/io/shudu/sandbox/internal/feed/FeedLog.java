package io.shudu.sandbox.internal.feed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One feed: an append-only log of pre-encoded SSE frames with consecutive ids (1, 2, 3...) and a bounded replay
 * window (a ring of the newest {@code window} events). Remembers, per partition key, the newest evicted id, so that
 * a key-filtered reader is told about a gap only if it lost events of its own keys. Thread-safe.
 */
final class FeedLog {
  /** A stored event. */
  record Entry(long id, String key, byte[] frame) {}

  /** What a read found: the position reached (last id examined), or a gap before it. */
  record Read(long position, Gap gap) {}

  /** Events after {@code requestedAfter} were evicted; the window now starts at {@code oldestAvailable}. */
  record Gap(long requestedAfter, long oldestAvailable, long missed) {}

  /** Bounds of the log. */
  record Bounds(long oldestId, long lastId, int size, int window) {}

  private final String name;
  private final String owner;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final Map<String, Long> newestEvictedByKey = new HashMap<>();
  private Entry[] ring;
  private int window;
  private int head;
  private int size;
  private long lastId;
  private volatile boolean deleted;

  FeedLog(String name, String owner, int window) {
    this.name = name;
    this.owner = owner;
    this.window = window;
    this.ring = new Entry[Math.min(window, 1024)];
  }

  String name() {
    return name;
  }

  /** Whether the tenant may read it: its owner, fixed at creation (null: a sandbox-wide feed, every tenant). */
  boolean readableBy(String tenant) {
    String o = owner;
    return o == null || o.equals(tenant);
  }

  /** Appends the event whose frame {@code encoder} builds for the id it is given. */
  long append(String key, FrameEncoder encoder) {
    lock.lock();
    try {
      long id = lastId + 1;
      Entry e = new Entry(id, key, encoder.frame(id));
      if (size == ring.length && ring.length < window) {
        copyTo((int) Math.min(window, 2L * ring.length), size); // grow towards the window
      }
      if (size == ring.length) {
        Entry evicted = ring[head];
        if (evicted.key() != null) {
          newestEvictedByKey.put(evicted.key(), evicted.id());
        }
        ring[head] = e;
        head = (head + 1) % ring.length;
      } else {
        ring[(head + size) % ring.length] = e;
        size++;
      }
      lastId = id;
      appended.signalAll();
      return id;
    } finally {
      lock.unlock();
    }
  }

  /** Builds the SSE frame of an event once its id is known. */
  @FunctionalInterface
  interface FrameEncoder {
    byte[] frame(long id);
  }

  /** Changes the window; shrinking evicts the oldest events. */
  void resize(int newWindow) {
    lock.lock();
    try {
      int keep = Math.min(size, newWindow);
      for (int i = 0; i < size - keep; i++) {
        Entry evicted = ring[(head + i) % ring.length];
        if (evicted.key() != null) {
          newestEvictedByKey.put(evicted.key(), evicted.id());
        }
      }
      window = newWindow;
      copyTo(Math.max(keep, Math.min(newWindow, 1024)), keep);
    } finally {
      lock.unlock();
    }
  }

  /** Moves the newest {@code keep} entries to a new ring of {@code capacity}, oldest first. Under the lock. */
  private void copyTo(int capacity, int keep) {
    Entry[] next = new Entry[capacity];
    for (int i = 0; i < keep; i++) {
      next[i] = ring[(head + size - keep + i) % ring.length];
    }
    ring = next;
    head = 0;
    size = keep;
  }

  Bounds bounds() {
    lock.lock();
    try {
      return new Bounds(lastId - size + 1, lastId, size, window);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies up to {@code max} events after {@code after} that match {@code keys} (empty: all) into {@code out}.
   * If events after {@code after} (of those keys) were evicted, returns the gap instead, with the position moved to
   * just before the oldest available event.
   */
  Read read(long after, Set<String> keys, int max, List<Entry> out) {
    lock.lock();
    try {
      long oldest = lastId - size + 1;
      if (after < oldest - 1) {
        boolean lost;
        if (keys.isEmpty()) {
          lost = true;
        } else {
          lost = false;
          for (String k : keys) {
            Long newest = newestEvictedByKey.get(k);
            if (newest != null && newest > after) {
              lost = true;
              break;
            }
          }
        }
        long position = oldest - 1;
        return new Read(position, lost ? new Gap(after, oldest, position - after) : null);
      }
      long position = after;
      for (long i = after + 1 - oldest; i < size && out.size() < max; i++) {
        Entry e = ring[(int) ((head + i) % ring.length)];
        if (keys.isEmpty() || (e.key() != null && keys.contains(e.key()))) {
          out.add(e);
        }
        position = e.id();
      }
      return new Read(position, null);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until an event after {@code position} exists; false on timeout. */
  boolean awaitAfter(long position, long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long remaining = nanos;
      while (lastId <= position) {
        if (remaining <= 0) {
          return false;
        }
        remaining = appended.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting reader (so that it re-checks whether it must end). */
  /** Marks the feed deleted: its open streams end. */
  void markDeleted() {
    deleted = true;
    wakeAll();
  }

  boolean deleted() {
    return deleted;
  }

  void wakeAll() {
    lock.lock();
    try {
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  long lastId() {
    lock.lock();
    try {
      return lastId;
    } finally {
      lock.unlock();
    }
  }
}
