package io.shudu.iot;

import java.util.Objects;

/**
 * An entity with its ETag, for conditional updates: pass {@link #etag()} as {@code If-Match} (see
 * {@link IotClient#update(EntitySet, long, Object, String)}) so the update fails with
 * {@code PreconditionFailedException} if someone changed the entity since it was read.
 *
 * @param entity the entity
 * @param etag the entity tag of this version, such as {@code "12-3"} (quotes included)
 * @param <T> the entity type
 */
public record Versioned<T>(T entity, String etag) {
  /** Validates. */
  public Versioned {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(etag, "etag");
  }
}
