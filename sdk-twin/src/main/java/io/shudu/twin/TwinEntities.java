package io.shudu.twin;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Entity operations: create, read, replace, merge-patch, delete with optimistic concurrency (ETags), queries with
 * stable cursors, and atomic batches. Every operation has a blocking form and an {@code ...Async} form whose future
 * fails with the same exceptions (an async method never throws, not even for bad arguments). A stale ETag fails with
 * {@link io.shudu.core.PreconditionFailedException}. Per-call options (timeouts, headers, idempotency key, repeating a
 * failed write): {@link #withOptions}.
 *
 * <pre>{@code
 * Entity b = twin.entities().get("lg-bldg-0001");
 * Entity taller = twin.entities().update(b.id(),
 *     EntityPatch.builder().setProperty("height", Property.of(60.0, "m")).build(), b.etag());
 * }</pre>
 */
public interface TwinEntities {
  /**
   * Creates an entity only if its id is free ({@code If-None-Match: *}). The id you choose is the create's client
   * reference: repeating the same create (same id, same content) answers with the entity as it is now instead of a
   * conflict, so a create whose answer was lost can simply be repeated. The SDK also sends an Idempotency-Key; after a
   * failure, {@code withOptions(RequestOptions.repeatOf(e)).create(entity)} replays the first answer.
   *
   * @param entity the entity
   * @return the stored entity (version 1, ETag)
   * @throws io.shudu.core.PreconditionFailedException if the id exists and was created with other content
   */
  Entity create(Entity entity);

  /**
   * Async {@link #create}: bad arguments fail the future, nothing is thrown.
   *
   * @param entity the entity
   * @return the stored entity
   */
  CompletableFuture<Entity> createAsync(Entity entity);

  /**
   * Creates or replaces an entity unconditionally.
   *
   * @param entity the entity
   * @return the stored entity
   */
  Entity upsert(Entity entity);

  /**
   * Async {@link #upsert}.
   *
   * @param entity the entity
   * @return the stored entity
   */
  CompletableFuture<Entity> upsertAsync(Entity entity);

  /**
   * Replaces an entity if it is unchanged since it was read ({@code If-Match: entity.etag()}).
   *
   * @param entity the new content, carrying the ETag it was read with
   * @return the stored entity
   * @throws io.shudu.core.PreconditionFailedException if someone changed it meanwhile
   */
  Entity replace(Entity entity);

  /**
   * Async {@link #replace}.
   *
   * @param entity the new content with its ETag
   * @return the stored entity
   */
  CompletableFuture<Entity> replaceAsync(Entity entity);

  /**
   * Reads an entity.
   *
   * @param id the id
   * @return the entity with its ETag
   * @throws io.shudu.core.NotFoundException if there is none
   */
  Entity get(String id);

  /**
   * Async {@link #get}.
   *
   * @param id the id
   * @return the entity
   */
  CompletableFuture<Entity> getAsync(String id);

  /**
   * Reads an entity with its ETag in the form every Shudu client uses for optimistic concurrency; pass
   * {@link Versioned#etag()} as the {@code ifMatch} of {@link #update} or {@link #delete}. (The ETag is also
   * {@link Entity#etag()}.)
   *
   * @param id the id
   * @return the entity and its ETag
   * @throws io.shudu.core.NotFoundException if there is none
   */
  Versioned<Entity> getVersioned(String id);

  /**
   * Async {@link #getVersioned}.
   *
   * @param id the id
   * @return the entity and its ETag
   */
  CompletableFuture<Versioned<Entity>> getVersionedAsync(String id);

  /**
   * Reads an entity only if it changed ({@code If-None-Match}).
   *
   * @param id the id
   * @param etag the ETag you have
   * @return the new version, or empty when yours is current
   */
  Optional<Entity> getIfChanged(String id, String etag);

  /**
   * Async {@link #getIfChanged}.
   *
   * @param id the id
   * @param etag the ETag you have
   * @return the new version, or empty when yours is current
   */
  CompletableFuture<Optional<Entity>> getIfChangedAsync(String id, String etag);

  /**
   * Applies a JSON Merge Patch ({@code application/merge-patch+json}).
   *
   * @param id the id
   * @param patch the patch
   * @param ifMatch the ETag the entity must still have, or null for an unconditional update
   * @return the updated entity
   */
  Entity update(String id, EntityPatch patch, String ifMatch);

  /**
   * Async {@link #update}.
   *
   * @param id the id
   * @param patch the patch
   * @param ifMatch ETag or null
   * @return the updated entity
   */
  CompletableFuture<Entity> updateAsync(String id, EntityPatch patch, String ifMatch);

  /**
   * Deletes an entity and its relationships.
   *
   * @param id the id
   * @param ifMatch the ETag it must still have, or null
   */
  void delete(String id, String ifMatch);

  /**
   * Async {@link #delete}.
   *
   * @param id the id
   * @param ifMatch ETag or null
   * @return completes when deleted
   */
  CompletableFuture<Void> deleteAsync(String id, String ifMatch);

  /**
   * Runs a query; pages load lazily (use {@code forEachAsync}/{@code toListAsync} for non-blocking iteration). The
   * page size is the query's {@link TwinQuery#pageSize()} (or {@code withPageSize}); cap the total with
   * {@code withMaxItems}, resume with {@code resumeFrom(continuationToken)}.
   *
   * @param query the query
   * @return the matching entities in creation order
   */
  PagedIterable<Entity> query(TwinQuery query);

  /**
   * Applies up to 1,000 operations atomically: all or none.
   *
   * @param operations 1 to 1,000 operations
   * @return the per-operation outcomes
   * @throws io.shudu.core.ServiceException naming the failing operation's index; nothing was applied
   */
  BatchResult batch(List<BatchOperation> operations);

  /**
   * Async {@link #batch}.
   *
   * @param operations 1 to 1,000 operations
   * @return the outcomes
   */
  CompletableFuture<BatchResult> batchAsync(List<BatchOperation> operations);

  /**
   * The same operations with per-call options (timeouts, headers, idempotency key).
   *
   * @param options the options
   * @return a view using them
   */
  TwinEntities withOptions(RequestOptions options);
}
