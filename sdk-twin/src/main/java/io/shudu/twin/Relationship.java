package io.shudu.twin;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A typed, directed relationship between two entities, such as {@code contains}, {@code connectsTo}, {@code feeds},
 * {@code locatedIn} or {@code observes}, with optional properties.
 *
 * @param id relationship id (null to let the platform choose one on create)
 * @param type lowerCamelCase type
 * @param source id of the source entity
 * @param target id of the target entity
 * @param properties properties by name
 * @param createdAt creation time (null before it is stored)
 */
public record Relationship(String id, String type, String source, String target, Map<String, Property> properties,
    Instant createdAt) {
  /** Validates and copies. */
  public Relationship {
    if (!io.shudu.twin.internal.Names.relationshipType(type)) {
      throw new IllegalArgumentException("relationship type must be lowerCamelCase letters and digits (contains, "
          + "connectsTo, feeds, ...), got '" + type + "'");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("relationship source must be an entity id");
    }
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("relationship target must be an entity id");
    }
    properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /**
   * A new relationship without properties; the platform assigns the id.
   *
   * @param type the type
   * @param source source entity id
   * @param target target entity id
   * @return the relationship
   */
  public static Relationship of(String type, String source, String target) {
    return new Relationship(null, type, source, target, Map.of(), null);
  }
}
