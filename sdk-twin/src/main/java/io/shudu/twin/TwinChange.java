package io.shudu.twin;

import java.time.Instant;

/**
 * One change of the twin, as delivered by the change feed ({@link TwinChanges}).
 *
 * @param kind {@code entity.created}, {@code entity.updated}, {@code entity.deleted}, {@code relationship.created} or
 *     {@code relationship.deleted}
 * @param entityId the entity changed (for relationships: the source entity)
 * @param entity the entity as stored after the change (created/updated), else null
 * @param relationship the relationship (relationship events), else null
 * @param version the entity's new version (entity events), else 0
 * @param at when the change happened
 */
public record TwinChange(String kind, String entityId, Entity entity, Relationship relationship, long version,
    Instant at) {}
