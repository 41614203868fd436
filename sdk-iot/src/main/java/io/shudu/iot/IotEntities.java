package io.shudu.iot;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of one SensorThings entity set ({@code iot.things()}, {@code iot.datastreams()}, ...): read (with
 * its ETag), list lazily with opaque continuation tokens, count, create with deep insert, update with a JSON merge
 * patch, delete. Every operation has a blocking form and an {@code ...Async} form; an async method never throws, its
 * future fails with the exception the blocking form would throw (bad arguments included). Updates and deletes take
 * an {@code ifMatch} ETag (null for an unconditional call): a stale one fails with
 * {@link io.shudu.core.PreconditionFailedException}.
 *
 * <pre>{@code
 * Versioned<Thing> v = iot.things().getVersioned(42);
 * Thing renamed = iot.things().update(42, Thing.ref(42).withName("Buoy QP-B07"), v.etag());
 * for (Datastream d : iot.things().listRelated(42, EntitySet.DATASTREAMS)) {
 *   System.out.println(d.name());
 * }
 * }</pre>
 *
 * @param <T> the entity record type, such as {@link Thing}
 */
public interface IotEntities<T> {
  /**
   * The entity set these operations apply to.
   *
   * @return the entity set, such as {@link EntitySet#THINGS}
   */
  EntitySet<T> entitySet();

  /**
   * Reads one entity.
   *
   * @param id the {@code @iot.id}
   * @return the entity
   * @throws io.shudu.core.NotFoundException if it does not exist
   */
  T get(long id);

  /**
   * Async {@link #get(long)}.
   *
   * @param id the id
   * @return the future entity
   */
  CompletableFuture<T> getAsync(long id);

  /**
   * Reads one entity with {@code $select} / {@code $expand} options.
   *
   * @param id the id
   * @param query options (select and expand apply)
   * @return the entity
   */
  T get(long id, IotQuery query);

  /**
   * Async {@link #get(long, IotQuery)}.
   *
   * @param id the id
   * @param query options
   * @return the future entity
   */
  CompletableFuture<T> getAsync(long id, IotQuery query);

  /**
   * Reads one entity with its ETag, for a conditional {@link #update} or {@link #delete}.
   *
   * @param id the id
   * @return the entity and its ETag
   */
  Versioned<T> getVersioned(long id);

  /**
   * Async {@link #getVersioned}.
   *
   * @param id the id
   * @return the future entity and its ETag
   */
  CompletableFuture<Versioned<T>> getVersionedAsync(long id);

  /**
   * Lists the whole entity set lazily (pages of 100).
   *
   * @return the listing; iterate it, or {@code pages()}, {@code forEachAsync}, {@code resumeFrom(token)}
   */
  PagedIterable<T> list();

  /**
   * Lists the entity set lazily with query options.
   *
   * @param query filter, order, expansion, {@code pageSize}, {@code top}...
   * @return the listing
   */
  PagedIterable<T> list(IotQuery query);

  /**
   * Lists the related entities of one entity, such as {@code Things(1)/Datastreams}.
   *
   * @param id the entity's id
   * @param related the related entity set (a plural navigation property of this set)
   * @param <R> the related entity type
   * @return the listing
   */
  <R> PagedIterable<R> listRelated(long id, EntitySet<R> related);

  /**
   * Lists the related entities of one entity with query options.
   *
   * @param id the entity's id
   * @param related the related entity set
   * @param query options
   * @param <R> the related entity type
   * @return the listing
   * @throws IllegalArgumentException if this set has no such collection (naming the ones it has)
   */
  <R> PagedIterable<R> listRelated(long id, EntitySet<R> related, IotQuery query);

  /**
   * Counts the matching entities ({@code $count=true}).
   *
   * @param filter a condition, or null for all
   * @return the count
   */
  long count(Expr filter);

  /**
   * Async {@link #count}.
   *
   * @param filter a condition, or null
   * @return the future count
   */
  CompletableFuture<Long> countAsync(Expr filter);

  /**
   * Creates an entity, with deep insert of the related entities it holds (new ones are created, {@code ref(id)} ones
   * are linked). The SDK sends an Idempotency-Key; after a failure whose outcome is not {@code ANSWERED}, repeat with
   * {@code withOptions(RequestOptions.repeatOf(e)).create(entity)} and the platform creates it at most once.
   *
   * @param entity the entity to create (without id)
   * @return the created entity as stored
   */
  T create(T entity);

  /**
   * Async {@link #create}.
   *
   * @param entity the entity
   * @return the future created entity
   */
  CompletableFuture<T> createAsync(T entity);

  /**
   * Updates an entity with a JSON merge patch (RFC 7396) of the changes' non-null members: only those change.
   *
   * @param id the id
   * @param changes an entity with only the members to change set (related entities as {@code ref(id)})
   * @param ifMatch the ETag from {@link #getVersioned} the entity must still have, or null for an unconditional update
   * @return the updated entity
   * @throws io.shudu.core.PreconditionFailedException if the entity changed since {@code ifMatch} was read
   */
  T update(long id, T changes, String ifMatch);

  /**
   * Async {@link #update}.
   *
   * @param id the id
   * @param changes the members to change
   * @param ifMatch ETag or null
   * @return the future updated entity
   */
  CompletableFuture<T> updateAsync(long id, T changes, String ifMatch);

  /**
   * Updates with an explicit merge patch, where a null value removes an optional member.
   *
   * @param id the id
   * @param members member names and new values (null removes)
   * @param ifMatch ETag or null
   * @return the updated entity
   */
  T patch(long id, Map<String, ?> members, String ifMatch);

  /**
   * Async {@link #patch}.
   *
   * @param id the id
   * @param members member names and new values
   * @param ifMatch ETag or null
   * @return the future updated entity
   */
  CompletableFuture<T> patchAsync(long id, Map<String, ?> members, String ifMatch);

  /**
   * Deletes an entity, with the platform's cascades (a Datastream takes its Observations, a Thing its Datastreams
   * and HistoricalLocations).
   *
   * @param id the id
   * @param ifMatch the ETag it must still have, or null for an unconditional delete
   * @throws io.shudu.core.PreconditionFailedException if the entity changed since {@code ifMatch} was read
   */
  void delete(long id, String ifMatch);

  /**
   * Async {@link #delete}.
   *
   * @param id the id
   * @param ifMatch ETag or null
   * @return completes when deleted
   */
  CompletableFuture<Void> deleteAsync(long id, String ifMatch);

  /**
   * The same operations with per-call options (timeouts, headers, idempotency key, traceparent).
   *
   * @param options the options
   * @return a view using them
   */
  IotEntities<T> withOptions(RequestOptions options);
}
