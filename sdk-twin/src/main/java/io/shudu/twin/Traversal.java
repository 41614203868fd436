package io.shudu.twin;

import java.util.Set;

/**
 * How to traverse relationships from an entity: up to {@code hops} steps, in a direction, following only some
 * relationship types, returning only some entity types.
 *
 * <pre>{@code
 * Traversal t = new Traversal(2, Traversal.Direction.OUTGOING, Set.of("contains"), Set.of(EntityType.BUILDING), 1000);
 * }</pre>
 *
 * @param hops 1 to 10
 * @param direction which way to follow relationships
 * @param relationshipTypes types to follow (empty: all)
 * @param entityTypes types to return (empty: all); traversal still passes through other types
 * @param limit most entities to visit, 1 to 10,000
 */
public record Traversal(int hops, Direction direction, Set<String> relationshipTypes, Set<EntityType> entityTypes,
    int limit) {
  /** Which way relationships are followed. */
  public enum Direction {
    /** From source to target. */
    OUTGOING,
    /** From target to source. */
    INCOMING,
    /** Both ways. */
    BOTH
  }

  /** Validates. */
  public Traversal {
    if (hops < 1 || hops > 10) {
      throw new IllegalArgumentException("hops must be between 1 and 10, got " + hops);
    }
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000, got " + limit);
    }
    direction = direction == null ? Direction.OUTGOING : direction;
    relationshipTypes = relationshipTypes == null ? Set.of() : Set.copyOf(relationshipTypes);
    entityTypes = entityTypes == null ? Set.of() : Set.copyOf(entityTypes);
  }

  /**
   * Outgoing traversal of any relationship type.
   *
   * @param hops 1 to 10
   * @return the traversal
   */
  public static Traversal outgoing(int hops) {
    return new Traversal(hops, Direction.OUTGOING, Set.of(), Set.of(), 1000);
  }
}
