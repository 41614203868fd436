package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One operation of an atomic batch ({@link TwinEntities#batch}). Build with the factories.
 *
 * @param op create, upsert, replace, update or delete
 * @param id the entity id
 * @param entity the entity (create, upsert, replace), or null
 * @param patch the merge patch (update), or null
 * @param ifMatch an ETag the entity must still have, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchOperation(String op, String id, Entity entity, EntityPatch patch, String ifMatch) {
  /** Validates. */
  public BatchOperation {
    if (op == null || !java.util.Set.of("create", "upsert", "replace", "update", "delete").contains(op)) {
      throw new IllegalArgumentException("op must be create, upsert, replace, update or delete, got '" + op + "'");
    }
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
  }

  /**
   * Creates an entity; the batch fails if the id exists.
   *
   * @param e the entity
   * @return the operation
   */
  public static BatchOperation create(Entity e) {
    return new BatchOperation("create", e.id(), e, null, null);
  }

  /**
   * Creates or replaces an entity.
   *
   * @param e the entity
   * @return the operation
   */
  public static BatchOperation upsert(Entity e) {
    return new BatchOperation("upsert", e.id(), e, null, null);
  }

  /**
   * Replaces an existing entity, if its ETag still matches (null: unconditionally).
   *
   * @param e the entity
   * @param ifMatch ETag or null
   * @return the operation
   */
  public static BatchOperation replace(Entity e, String ifMatch) {
    return new BatchOperation("replace", e.id(), e, null, ifMatch);
  }

  /**
   * Merge-patches an existing entity.
   *
   * @param id entity id
   * @param patch the patch
   * @param ifMatch ETag or null
   * @return the operation
   */
  public static BatchOperation update(String id, EntityPatch patch, String ifMatch) {
    return new BatchOperation("update", id, null, java.util.Objects.requireNonNull(patch, "patch"), ifMatch);
  }

  /**
   * Deletes an existing entity.
   *
   * @param id entity id
   * @param ifMatch ETag or null
   * @return the operation
   */
  public static BatchOperation delete(String id, String ifMatch) {
    return new BatchOperation("delete", id, null, null, ifMatch);
  }
}
