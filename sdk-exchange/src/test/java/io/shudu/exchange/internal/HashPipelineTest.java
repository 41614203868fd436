package io.shudu.exchange.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.ExchangeVerificationException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The parallel chunk pipeline against the straightforward streaming {@link ChunkVerifier#update}: same verified
 * positions, same Merkle root, the same failure for an altered chunk, on many random contents, chunk sizes, thread
 * and buffer counts.
 */
class HashPipelineTest {
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "hash-test");
    t.setDaemon(true);
    return t;
  });

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  private static List<String> leafHashes(byte[] content, int chunkSize) {
    List<String> out = new ArrayList<>();
    for (int off = 0; off < content.length; off += chunkSize) {
      MessageDigest md = ExchangeCrypto.leafDigest();
      md.update(content, off, Math.min(chunkSize, content.length - off));
      out.add(HexFormat.of().formatHex(md.digest()));
    }
    return out;
  }

  /** Feeds the content through a pipeline as the download does: whole chunks, in order, into pooled buffers. */
  private static void feed(HashPipeline p, byte[] content, int chunkSize, long fromChunk) {
    long chunks = (content.length + chunkSize - 1) / chunkSize;
    for (long i = fromChunk; i < chunks; i++) {
      int off = (int) (i * chunkSize);
      int len = Math.min(chunkSize, content.length - off);
      byte[] b = p.buffer();
      assertThat(b.length).isGreaterThanOrEqualTo(len);
      System.arraycopy(content, off, b, 0, len);
      p.submit(b, i, len);
    }
  }

  @Test
  void pipelineAgreesWithStreamingVerification() {
    SplittableRandom rnd = new SplittableRandom(12);
    for (int round = 0; round < 300; round++) {
      int chunkSize = 1 + rnd.nextInt(round % 3 == 0 ? 64 : 5000);
      int size = rnd.nextInt(40 * chunkSize + 1);
      byte[] content = new byte[size];
      rnd.nextBytes(content);
      List<String> hashes = leafHashes(content, chunkSize);

      ChunkVerifier streaming = new ChunkVerifier(hashes, size, chunkSize);
      int off = 0;
      while (off < size) {
        int n = Math.min(size - off, 1 + rnd.nextInt(3 * chunkSize));
        streaming.update(content, off, n);
        off += n;
      }
      assertThat(streaming.complete()).isTrue();

      int threads = rnd.nextInt(4);
      int buffers = 1 + rnd.nextInt(5);
      ChunkVerifier v = new ChunkVerifier(hashes, size, chunkSize);
      try (HashPipeline p = new HashPipeline(v, threads, buffers, POOL)) {
        feed(p, content, chunkSize, 0);
        p.flush();
        assertThat(p.verifiedPosition()).isEqualTo(size);
      }
      assertThat(v.complete()).as("round %d", round).isTrue();
      assertThat(v.position()).isEqualTo(size);
      assertThat(v.root()).isEqualTo(streaming.root());
    }
  }

  @Test
  void pipelineResumesAfterVerifiedChunks() {
    SplittableRandom rnd = new SplittableRandom(5);
    int chunkSize = 1000;
    byte[] content = new byte[25_500];
    rnd.nextBytes(content);
    List<String> hashes = leafHashes(content, chunkSize);
    ChunkVerifier v = new ChunkVerifier(hashes, content.length, chunkSize);
    v.update(content, 0, 7_300); // seven whole chunks and part of the eighth, as from a partial file
    v.discardPartial();
    assertThat(v.position()).isEqualTo(7_000);
    try (HashPipeline p = new HashPipeline(v, 2, 3, POOL)) {
      feed(p, content, chunkSize, 7);
      p.flush();
    }
    ChunkVerifier whole = new ChunkVerifier(hashes, content.length, chunkSize);
    whole.update(content, 0, content.length);
    assertThat(v.complete()).isTrue();
    assertThat(v.root()).isEqualTo(whole.root());
  }

  @Test
  void anAlteredChunkFailsLikeStreamingVerificationAndStopsTheVerifiedPositionBeforeIt() {
    SplittableRandom rnd = new SplittableRandom(99);
    for (int round = 0; round < 100; round++) {
      int chunkSize = 1 + rnd.nextInt(3000);
      int chunks = 1 + rnd.nextInt(30);
      int size = (chunks - 1) * chunkSize + 1 + rnd.nextInt(chunkSize);
      byte[] content = new byte[size];
      rnd.nextBytes(content);
      List<String> hashes = leafHashes(content, chunkSize);
      int at = rnd.nextInt(size);
      content[at] ^= 0x10;
      int bad = at / chunkSize;

      ChunkVerifier streaming = new ChunkVerifier(hashes, size, chunkSize);
      ExchangeVerificationException expected = null;
      try {
        streaming.update(content, 0, size);
      } catch (ExchangeVerificationException e) {
        expected = e;
      }
      assertThat(expected).isNotNull();

      ChunkVerifier v = new ChunkVerifier(hashes, size, chunkSize);
      HashPipeline p = new HashPipeline(v, rnd.nextInt(4), 1 + rnd.nextInt(4), POOL);
      ExchangeVerificationException e = null;
      try {
        feed(p, content, chunkSize, 0);
        p.flush();
      } catch (ExchangeVerificationException x) {
        e = x;
      } finally {
        p.close();
      }
      assertThat(e).as("round %d", round).isNotNull();
      assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.CHUNK_HASH_MISMATCH);
      assertThat(e.getMessage()).isEqualTo(expected.getMessage());
      assertThat(v.verifiedPosition()).isEqualTo((long) bad * chunkSize).isEqualTo(streaming.verifiedPosition());
      assertThat(v.complete()).isFalse();
    }
  }

  @Test
  void acceptChecksTheNextChunkLikeUpdate() {
    byte[] content = new byte[2_500];
    new SplittableRandom(3).nextBytes(content);
    List<String> hashes = leafHashes(content, 1000);
    ChunkVerifier v = new ChunkVerifier(hashes, content.length, 1000);
    assertThatThrownBy(() -> v.accept(999, new byte[32])).isInstanceOf(IllegalStateException.class);
    MessageDigest md = ExchangeCrypto.leafDigest();
    md.update(content, 0, 1000);
    v.accept(1000, md.digest());
    assertThat(v.verifiedPosition()).isEqualTo(1000);
    assertThatThrownBy(() -> v.accept(1000, new byte[32])).isInstanceOf(ExchangeVerificationException.class);
    assertThat(v.position()).isEqualTo(1000);
    v.update(content, 1000, 10);
    assertThatThrownBy(() -> v.accept(1000, new byte[32])).isInstanceOf(IllegalStateException.class);
    v.discardPartial();
    v.update(content, 1000, 1500);
    assertThat(v.complete()).isTrue();
  }

  @Test
  void oversizedChunksAreRefused() {
    ChunkVerifier v = new ChunkVerifier(List.of("00"), HashPipeline.MAX_CHUNK + 1L, HashPipeline.MAX_CHUNK + 1);
    assertThatThrownBy(() -> new HashPipeline(v, 1, 2, POOL)).isInstanceOf(IllegalArgumentException.class);
  }
}
