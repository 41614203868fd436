package io.shudu.sandbox.internal.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The delivery content generator writes eight bytes at a time but must produce exactly the bytes of
 * {@link SplittableRandom#nextBytes}, which the content was always defined by (hashes and Merkle roots unchanged).
 */
class DeliveriesContentTest {
  @Test
  void fillMatchesSplittableRandomForManySeedsAndLengths() {
    SplittableRandom pick = new SplittableRandom(42);
    int[] lengths = {0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4095, 4096, 4097, 65_537};
    for (int round = 0; round < 400; round++) {
      long seed = round < 4 ? new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}[round] : pick.nextLong();
      int len = round < lengths.length ? lengths[round] : pick.nextInt(20_000);
      byte[] expected = new byte[len];
      new SplittableRandom(seed).nextBytes(expected);
      byte[] actual = new byte[len];
      Deliveries.fill(seed, actual);
      assertThat(actual).as("seed %d, length %d", seed, len).isEqualTo(expected);
    }
  }

  @Test
  void wholeChunkMatchesSplittableRandom() {
    Deliveries content = new Deliveries(7);
    for (long index : new long[] {0, 1, 1023}) {
      byte[] actual = new byte[Deliveries.CHUNK_SIZE];
      content.chunk("dp-city-sensing-1g", "1.0.0", index, actual);
      byte[] expected = new byte[Deliveries.CHUNK_SIZE];
      new SplittableRandom(content.seedOf("dp-city-sensing-1g", "1.0.0", index)).nextBytes(expected);
      assertThat(actual).isEqualTo(expected);
    }
  }
}
