package io.shudu.exchange;

import java.util.List;

/**
 * The chunk hashes of a delivery's content.
 *
 * @param productId product
 * @param version version
 * @param size bytes
 * @param chunkSize bytes per chunk (the last may be shorter)
 * @param chunkHashes hex SHA-256(0x00 || chunk) per chunk
 * @param root Merkle root over the chunk hashes
 */
public record DeliveryManifest(String productId, String version, long size, int chunkSize, List<String> chunkHashes,
    String root) {
  /** Copies. */
  public DeliveryManifest {
    chunkHashes = chunkHashes == null ? List.of() : List.copyOf(chunkHashes);
  }
}
