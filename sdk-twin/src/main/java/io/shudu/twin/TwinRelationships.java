package io.shudu.twin;

import io.shudu.core.PagedIterable;
import java.util.concurrent.CompletableFuture;

/**
 * Relationship operations: create, read, delete, list outgoing and incoming, traverse N hops.
 *
 * <pre>{@code
 * twin.relationships().create(Relationship.of("observes", "my-sensor", "lg-bldg-0001"));
 * TraversalResult r = twin.relationships().traverse("lingang-synergy-zone",
 *     new Traversal(1, Traversal.Direction.OUTGOING, Set.of("contains"), Set.of(EntityType.BUILDING), 1000));
 * }</pre>
 */
public interface TwinRelationships {
  /**
   * Creates a relationship between two existing entities. Give it an id to make the id its client reference: a
   * repeated create with the same id and content answers with the stored relationship instead of a conflict.
   *
   * @param relationship the relationship (id null: generated)
   * @return the stored relationship
   */
  Relationship create(Relationship relationship);

  /**
   * Creates a relationship with per-call options, such as {@link io.shudu.core.RequestOptions#repeatOf} to repeat a
   * failed create with its Idempotency-Key.
   *
   * @param relationship the relationship
   * @param options the options
   * @return the stored relationship
   */
  Relationship create(Relationship relationship, io.shudu.core.RequestOptions options);

  /**
   * Async {@link #create(Relationship, io.shudu.core.RequestOptions)}.
   *
   * @param relationship the relationship
   * @param options the options
   * @return the stored relationship
   */
  CompletableFuture<Relationship> createAsync(Relationship relationship, io.shudu.core.RequestOptions options);

  /**
   * Async {@link #create}.
   *
   * @param relationship the relationship
   * @return the stored relationship
   */
  CompletableFuture<Relationship> createAsync(Relationship relationship);

  /**
   * Reads a relationship.
   *
   * @param id relationship id
   * @return the relationship
   */
  Relationship get(String id);

  /**
   * Deletes a relationship.
   *
   * @param id relationship id
   */
  void delete(String id);

  /**
   * Async {@link #delete}.
   *
   * @param id relationship id
   * @return completes when deleted
   */
  CompletableFuture<Void> deleteAsync(String id);

  /**
   * Relationships whose source is the entity.
   *
   * @param entityId the entity
   * @param types only these types (none: all)
   * @return the relationships in creation order
   */
  PagedIterable<Relationship> outgoing(String entityId, String... types);

  /**
   * Relationships whose target is the entity.
   *
   * @param entityId the entity
   * @param types only these types (none: all)
   * @return the relationships in creation order
   */
  PagedIterable<Relationship> incoming(String entityId, String... types);

  /**
   * Traverses relationships breadth-first.
   *
   * @param entityId the start
   * @param traversal hops, direction and filters
   * @return reached entities and followed relationships
   */
  TraversalResult traverse(String entityId, Traversal traversal);

  /**
   * Async {@link #traverse}.
   *
   * @param entityId the start
   * @param traversal hops, direction and filters
   * @return the result
   */
  CompletableFuture<TraversalResult> traverseAsync(String entityId, Traversal traversal);
}
