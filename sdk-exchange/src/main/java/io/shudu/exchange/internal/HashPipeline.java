package io.shudu.exchange.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Hashes downloaded bytes on a second thread while the first keeps reading from the network, so SHA-256 overlaps the
 * transfer. Bytes are handed over in a small pool of buffers (bounded memory); chunks are checked in order by a
 * {@link ChunkVerifier}. The first verification failure is rethrown to the reader at its next call. Not thread-safe
 * on the reader side: one reader per pipeline.
 */
public final class HashPipeline implements AutoCloseable {
  private static final int BUFFERS = 8;

  private record Slice(byte[] bytes, int length, CompletableFuture<Void> flushed) {}

  private static final Slice STOP = new Slice(null, -1, null);

  private final ChunkVerifier verifier;
  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Slice> full = new ArrayBlockingQueue<>(BUFFERS + 2);
  private volatile RuntimeException failure;
  private volatile long verified;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /**
   * Starts the hashing thread.
   *
   * @param verifier the verifier to feed
   * @param bufferSize bytes per buffer
   * @param executor where the hashing loop runs
   */
  public HashPipeline(ChunkVerifier verifier, int bufferSize, Executor executor) {
    this.verifier = verifier;
    this.verified = verifier.verifiedPosition();
    this.free = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      free.add(new byte[bufferSize]);
    }
    try {
      executor.execute(this::loop);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("The ExchangeClient is closed; create a new one to download", e);
    }
  }

  private void loop() {
    try {
      while (true) {
        Slice s = full.take();
        if (s == STOP) {
          return;
        }
        if (s.flushed() != null) {
          s.flushed().complete(null);
          continue;
        }
        if (failure == null) {
          try {
            verifier.update(s.bytes(), 0, s.length());
            verified = verifier.verifiedPosition();
          } catch (RuntimeException e) {
            failure = e;
          }
        }
        free.add(s.bytes());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.complete(null);
    }
  }

  private void check() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
  }

  /**
   * A free buffer to read into (waits while all are being hashed).
   *
   * @return the buffer
   * @throws RuntimeException the verification failure, if one happened
   */
  public byte[] buffer() {
    check();
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the hashing thread", e);
    }
  }

  /**
   * Hands a filled buffer to the hashing thread.
   *
   * @param buffer a buffer from {@link #buffer()}
   * @param length bytes filled (0 returns it unused)
   */
  public void submit(byte[] buffer, int length) {
    put(new Slice(buffer, length, null));
  }

  /**
   * Gives back an unused buffer.
   *
   * @param buffer the buffer
   */
  public void release(byte[] buffer) {
    free.add(buffer);
  }

  private void put(Slice s) {
    try {
      full.put(s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing bytes to the hashing thread", e);
    }
  }

  /**
   * Waits until every submitted byte is hashed.
   *
   * @throws RuntimeException the verification failure, if one happened
   */
  public void flush() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    put(new Slice(null, 0, f));
    f.join();
    check();
  }

  /**
   * Bytes verified so far (whole chunks).
   *
   * @return the position
   */
  public long verifiedPosition() {
    return verified;
  }

  /** Stops the hashing thread after the submitted bytes. */
  @Override
  public void close() {
    put(STOP);
    done.join();
  }
}
