package io.shudu.core;

import java.util.Objects;

/**
 * A resource read together with its ETag, the one optimistic-concurrency model of every Shudu client: pass
 * {@link #etag()} as the {@code ifMatch} argument of an update, delete or transition, and the call fails with
 * {@link PreconditionFailedException} if someone changed the resource since it was read.
 *
 * <pre>{@code
 * Versioned<Thing> v = iot.things().getVersioned(42);
 * iot.things().update(42, v.value().withName("Gauge 42"), v.etag());
 * }</pre>
 *
 * @param value the resource
 * @param etag the entity tag of this version, such as {@code "12-3"} (quotes included)
 * @param <T> the resource type
 */
public record Versioned<T>(T value, String etag) {
  /** Validates: neither part may be null. */
  public Versioned {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(etag, "etag");
  }
}
