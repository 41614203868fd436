package io.shudu.twin;

import java.time.Instant;
import java.util.List;

/**
 * An entity and its relationships as they were at a past time.
 *
 * @param at the time
 * @param entity the entity version in effect then
 * @param outgoing relationships from it that existed then
 * @param incoming relationships to it that existed then
 */
public record EntitySnapshot(Instant at, Entity entity, List<Relationship> outgoing, List<Relationship> incoming) {
  /** Copies. */
  public EntitySnapshot {
    outgoing = List.copyOf(outgoing);
    incoming = List.copyOf(incoming);
  }
}
