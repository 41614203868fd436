package io.shudu.twin;

import java.util.List;

/**
 * The outcome of an atomic batch: every operation was applied, in order.
 *
 * @param results one item per operation, in order
 */
public record BatchResult(List<Item> results) {
  /** Copies. */
  public BatchResult {
    results = List.copyOf(results);
  }

  /**
   * The outcome of one operation.
   *
   * @param index position in the batch
   * @param op the operation
   * @param id the entity id
   * @param status 201 created, 200 changed, 204 deleted
   * @param version the new version (0 after a delete)
   * @param etag the new ETag (null after a delete)
   */
  public record Item(int index, String op, String id, int status, long version, String etag) {}
}
