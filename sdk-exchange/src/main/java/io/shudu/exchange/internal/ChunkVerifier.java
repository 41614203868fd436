package io.shudu.exchange.internal;

import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.exchange.ExchangeVerificationException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifies content as it streams: splits it into chunks, checks each chunk's leaf hash against the manifest as soon
 * as the chunk is complete, and computes the Merkle root at the end. Holds one digest and the leaf hashes (32 bytes
 * per chunk), never the content. Not thread-safe.
 */
public final class ChunkVerifier {
  private final List<String> expected;
  private final long size;
  private final int chunkSize;
  private final List<byte[]> leaves = new ArrayList<>();
  private MessageDigest leaf = ExchangeCrypto.leafDigest();
  private long pos;
  private int inChunk;

  /**
   * Creates a verifier.
   *
   * @param expectedChunkHashes hex leaf hashes from the manifest
   * @param size total bytes
   * @param chunkSize chunk size
   */
  public ChunkVerifier(List<String> expectedChunkHashes, long size, int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunkSize must be positive, got " + chunkSize);
    }
    long chunks = (size + chunkSize - 1) / chunkSize;
    if (expectedChunkHashes.size() != chunks) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "The manifest "
          + "lists " + expectedChunkHashes.size() + " chunk hashes but " + size + " bytes in chunks of " + chunkSize
          + " make " + chunks + ".");
    }
    this.expected = expectedChunkHashes;
    this.size = size;
    this.chunkSize = chunkSize;
  }

  /**
   * Bytes verified or pending in the current chunk.
   *
   * @return position
   */
  public long position() {
    return pos;
  }

  /**
   * Start of the chunk being filled (all bytes before it are verified).
   *
   * @return offset
   */
  public long verifiedPosition() {
    return pos - inChunk;
  }

  /**
   * The chunk size.
   *
   * @return bytes per chunk (the last chunk may be shorter)
   */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * The total size.
   *
   * @return bytes
   */
  public long size() {
    return size;
  }

  /**
   * Forgets the bytes of the chunk being filled, so that the position is back at the last verified chunk boundary.
   */
  public void discardPartial() {
    pos -= inChunk;
    inChunk = 0;
    leaf = ExchangeCrypto.leafDigest();
  }

  /**
   * Accepts the next whole chunk by its leaf hash, computed elsewhere (see {@link HashPipeline}): the same check as
   * {@link #update} makes when a chunk completes.
   *
   * @param length the chunk's length: the chunk size, or the rest of the content for the last chunk
   * @param leafHash SHA-256(0x00 || chunk)
   * @throws ExchangeVerificationException when the hash does not match the manifest (the position stays)
   * @throws IllegalStateException when a chunk is partly fed or the length is not the next chunk's
   */
  public void accept(int length, byte[] leafHash) {
    if (inChunk != 0) {
      throw new IllegalStateException("a chunk is partly fed");
    }
    if (pos >= size || length != (int) Math.min(chunkSize, size - pos)) {
      throw new IllegalStateException("chunk " + leaves.size() + " has " + Math.min(chunkSize, size - pos)
          + " bytes, not " + length);
    }
    check(leafHash, length);
    leaves.add(leafHash);
    pos += length;
  }

  private void check(byte[] h, int chunkLen) {
    int index = leaves.size();
    String hex = HexFormat.of().formatHex(h);
    if (!hex.equalsIgnoreCase(expected.get(index))) {
      long start = (long) index * chunkSize;
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.CHUNK_HASH_MISMATCH, index,
          "Chunk " + index + " (bytes " + start + "-" + (start + chunkLen - 1) + ") does not match its SHA-256 in "
          + "the manifest: expected " + expected.get(index) + ", got " + hex + ". The bytes were altered in "
          + "transit or at rest; download the chunk again.");
    }
  }

  /**
   * Feeds bytes.
   *
   * @param b buffer
   * @param off offset
   * @param len length
   * @throws ExchangeVerificationException when a completed chunk does not match, or bytes exceed the size
   */
  public void update(byte[] b, int off, int len) {
    if (pos + len > size) {
      throw new ExchangeVerificationException(ExchangeVerificationException.Reason.SIZE_MISMATCH, -1, "Received more "
          + "than the " + size + " bytes the manifest and receipt declare.");
    }
    while (len > 0) {
      int chunkLen = (int) Math.min(chunkSize, size - (long) leaves.size() * chunkSize);
      int n = Math.min(len, chunkLen - inChunk);
      leaf.update(b, off, n);
      inChunk += n;
      pos += n;
      off += n;
      len -= n;
      if (inChunk == chunkLen) {
        byte[] h = leaf.digest();
        try {
          check(h, chunkLen);
        } catch (ExchangeVerificationException e) {
          discardPartial();
          throw e;
        }
        leaves.add(h);
        leaf = ExchangeCrypto.leafDigest();
        inChunk = 0;
      }
    }
  }

  /**
   * Whether all bytes arrived and verified.
   *
   * @return true when complete
   */
  public boolean complete() {
    return pos == size && inChunk == 0;
  }

  /**
   * The Merkle root of the verified chunks.
   *
   * @return hex root
   */
  public String root() {
    return ExchangeCrypto.merkleRoot(leaves);
  }
}
