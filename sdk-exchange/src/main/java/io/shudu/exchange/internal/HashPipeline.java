package io.shudu.exchange.internal;

import io.shudu.core.internal.ExchangeCrypto;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hashes whole downloaded chunks on several threads while the reader keeps reading from the network, then checks them
 * in chunk order with a {@link ChunkVerifier}. Chunks are independent leaves of the Merkle tree, so chunk {@code i+1}
 * can be hashed while chunk {@code i} still is.
 *
 * <p>The reader fills one chunk-sized buffer per chunk (taken from a small pool: bounded memory, no per-chunk
 * allocation) and {@linkplain #submit submits} it once complete; a buffer returns to the pool as soon as its chunk is
 * hashed. The hashing runs on {@code threads} pool threads <em>and</em> on the reader: when every buffer is waiting to
 * be hashed the reader hashes one itself instead of blocking, so all cores hash when the network is fast and the
 * reader never waits for a busy hashing thread. The first verification failure is rethrown to the reader at its next
 * call. One reader per pipeline.
 */
public final class HashPipeline implements AutoCloseable {
  /** Chunk sizes up to this are hashed through the pipeline; larger ones are verified inline by the reader. */
  public static final int MAX_CHUNK = 4 * 1024 * 1024;

  private record Job(long index, byte[] bytes, int length) {}

  private record Leaf(int length, byte[] hash) {}

  private static final Job STOP = new Job(-1, null, 0);

  private final ChunkVerifier verifier;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Job> pending;
  private final int threads;
  private final CountDownLatch stopped;
  private final Object lock = new Object();
  private final Map<Long, Leaf> ready = new HashMap<>(); // hashed, waiting for an earlier chunk; guarded by lock
  private long nextIndex; // guarded by lock
  private long submitted; // reader only
  private long committed; // guarded by lock
  private volatile RuntimeException failure;
  private volatile long verified;
  private boolean closed;

  /**
   * Starts the hashing threads.
   *
   * @param verifier the verifier to feed; at a chunk boundary, fed only by this pipeline from now on
   * @param threads hashing threads besides the reader (0: the reader hashes every chunk itself)
   * @param buffers chunk buffers in the pool (at least 1)
   * @param executor where the hashing loops run
   * @throws IllegalArgumentException if the chunk size exceeds {@link #MAX_CHUNK} or the verifier is inside a chunk
   */
  public HashPipeline(ChunkVerifier verifier, int threads, int buffers, Executor executor) {
    if (verifier.chunkSize() > MAX_CHUNK) {
      throw new IllegalArgumentException("chunks of " + verifier.chunkSize() + " bytes exceed " + MAX_CHUNK);
    }
    if (verifier.position() != verifier.verifiedPosition()) {
      throw new IllegalArgumentException("the verifier is inside a chunk");
    }
    if (buffers < 1 || threads < 0) {
      throw new IllegalArgumentException("buffers must be positive and threads non-negative");
    }
    this.verifier = verifier;
    this.verified = verifier.verifiedPosition();
    this.nextIndex = verifier.verifiedPosition() / verifier.chunkSize();
    this.free = new ArrayBlockingQueue<>(buffers);
    this.pending = new ArrayBlockingQueue<>(buffers + threads);
    int bufferSize = (int) Math.min(verifier.chunkSize(), Math.max(1, verifier.size()));
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[bufferSize]);
    }
    this.stopped = new CountDownLatch(threads);
    int started = 0;
    RejectedExecutionException rejected = null;
    for (; started < threads; started++) {
      try {
        executor.execute(this::loop);
      } catch (RejectedExecutionException e) {
        rejected = e;
        break;
      }
    }
    this.threads = started;
    for (int i = started; i < threads; i++) {
      stopped.countDown();
    }
    if (rejected != null) {
      close();
      throw new IllegalStateException("The ExchangeClient is closed; create a new one to download", rejected);
    }
  }

  private void loop() {
    try {
      while (true) {
        Job j = pending.take();
        if (j == STOP) {
          return;
        }
        hash(j);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  /** Hashes one chunk (on any thread), returns its buffer to the pool and checks every chunk now in order. */
  private void hash(Job j) {
    byte[] h = null;
    RuntimeException err = null;
    if (failure == null) {
      try {
        MessageDigest md = ExchangeCrypto.leafDigest();
        md.update(j.bytes(), 0, j.length());
        h = md.digest();
      } catch (RuntimeException e) {
        err = e;
      }
    }
    free.add(j.bytes());
    synchronized (lock) {
      if (err != null && failure == null) {
        failure = err;
      }
      ready.put(j.index(), new Leaf(j.length(), h));
      Leaf next;
      while ((next = ready.remove(nextIndex)) != null) {
        nextIndex++;
        if (failure == null && next.hash() != null) {
          try {
            verifier.accept(next.length(), next.hash());
            verified = verifier.verifiedPosition();
          } catch (RuntimeException e) {
            failure = e;
          }
        }
      }
      committed++;
      lock.notifyAll();
    }
  }

  private void check() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /**
   * An empty chunk buffer to read into. While every buffer waits to be hashed, the reader hashes a waiting chunk
   * itself; it blocks only while all of them are being hashed by other threads.
   *
   * @return the buffer, at least one chunk long
   * @throws RuntimeException the verification failure, if one happened
   */
  public byte[] buffer() {
    check();
    byte[] b;
    while ((b = free.poll()) == null) {
      Job j = pending.poll();
      if (j != null) {
        hash(j);
        continue;
      }
      try {
        b = free.take();
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the hashing threads", e);
      }
    }
    check();
    return b;
  }

  /**
   * Hands a complete chunk to the hashing threads.
   *
   * @param buffer a buffer from {@link #buffer()}
   * @param index the chunk's index (chunks are submitted in order)
   * @param length the chunk's length (the manifest's chunk size, or less for the last chunk)
   */
  public void submit(byte[] buffer, long index, int length) {
    submitted++;
    if (!pending.offer(new Job(index, buffer, length))) {
      throw new IllegalStateException("more chunks submitted than buffers exist");
    }
  }

  /**
   * Gives back a buffer that holds no complete chunk.
   *
   * @param buffer the buffer
   */
  public void release(byte[] buffer) {
    free.add(buffer);
  }

  /**
   * Waits until every submitted chunk is hashed and checked, hashing waiting chunks on this thread meanwhile.
   *
   * @throws RuntimeException the verification failure, if one happened
   */
  public void flush() {
    Job j;
    while ((j = pending.poll()) != null) {
      hash(j);
    }
    synchronized (lock) {
      while (committed < submitted) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the hashing threads", e);
        }
      }
    }
    check();
  }

  /**
   * Bytes verified so far (whole chunks, in order).
   *
   * @return the position
   */
  public long verifiedPosition() {
    return verified;
  }

  /** Stops the hashing threads once the chunks already submitted are hashed (their results are then discarded). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      for (int i = 0; i < threads; i++) {
        pending.put(STOP);
      }
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
