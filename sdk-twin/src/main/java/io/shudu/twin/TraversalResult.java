package io.shudu.twin;

import java.util.List;

/**
 * Entities reached by a traversal, with their distance in hops, and the relationships followed.
 *
 * @param start the start entity id
 * @param hops the hop limit used
 * @param nodes reached entities (the start excluded), in breadth-first order
 * @param relationships relationships followed
 * @param truncated whether the visit limit stopped the traversal early
 */
public record TraversalResult(String start, int hops, List<Node> nodes, List<Relationship> relationships,
    boolean truncated) {
  /** Copies. */
  public TraversalResult {
    nodes = List.copyOf(nodes);
    relationships = List.copyOf(relationships);
  }

  /**
   * A reached entity.
   *
   * @param depth hops from the start
   * @param entity the entity
   */
  public record Node(int depth, Entity entity) {}
}
