package io.shudu.twin;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import java.util.concurrent.CompletableFuture;

/**
 * Relationship operations: create, read, delete, list outgoing and incoming, traverse N hops. Relationships are
 * immutable; each stored relationship has an ETag ({@link #getVersioned}) that a delete can be made conditional on.
 * Every operation has a blocking form and an {@code ...Async} form whose future fails with the same exceptions (an
 * async method never throws). Per-call options: {@link #withOptions}.
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
   * repeated create with the same id and content answers with the stored relationship instead of a conflict. After a
   * failure, {@code withOptions(RequestOptions.repeatOf(e)).create(relationship)} repeats it with its Idempotency-Key.
   *
   * @param relationship the relationship (id null: generated)
   * @return the stored relationship
   */
  Relationship create(Relationship relationship);

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
   * @throws io.shudu.core.NotFoundException if there is none
   */
  Relationship get(String id);

  /**
   * Async {@link #get}.
   *
   * @param id relationship id
   * @return the relationship
   */
  CompletableFuture<Relationship> getAsync(String id);

  /**
   * Reads a relationship with its ETag; pass {@link Versioned#etag()} as the {@code ifMatch} of {@link #delete}.
   *
   * @param id relationship id
   * @return the relationship and its ETag
   * @throws io.shudu.core.NotFoundException if there is none
   */
  Versioned<Relationship> getVersioned(String id);

  /**
   * Async {@link #getVersioned}.
   *
   * @param id relationship id
   * @return the relationship and its ETag
   */
  CompletableFuture<Versioned<Relationship>> getVersionedAsync(String id);

  /**
   * Deletes a relationship.
   *
   * @param id relationship id
   * @param ifMatch the ETag it must still have (from {@link #getVersioned}), or null for an unconditional delete
   * @throws io.shudu.core.PreconditionFailedException if the ETag does not match (it was deleted and created again)
   */
  void delete(String id, String ifMatch);

  /**
   * Async {@link #delete}.
   *
   * @param id relationship id
   * @param ifMatch ETag or null
   * @return completes when deleted
   */
  CompletableFuture<Void> deleteAsync(String id, String ifMatch);

  /**
   * Relationships whose source is the entity, 100 per page (change with {@code withPageSize}).
   *
   * @param entityId the entity
   * @param types only these types (none: all)
   * @return the relationships in creation order
   */
  PagedIterable<Relationship> outgoing(String entityId, String... types);

  /**
   * Relationships whose target is the entity, 100 per page (change with {@code withPageSize}).
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

  /**
   * The same operations with per-call options (timeouts, headers, idempotency key).
   *
   * @param options the options
   * @return a view using them
   */
  TwinRelationships withOptions(RequestOptions options);
}
