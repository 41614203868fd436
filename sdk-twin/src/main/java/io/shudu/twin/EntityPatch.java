package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonValue;
import io.shudu.core.geo.Geometry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON Merge Patch (RFC 7396) of an entity: sets or removes properties, replaces or removes the geometry, changes
 * the CRS or the external references. Members not mentioned stay as they are.
 *
 * <pre>{@code
 * EntityPatch p = EntityPatch.builder()
 *     .setProperty("height", Property.of(52.5, "m"))
 *     .removeProperty("temporaryUse")
 *     .build();
 * twin.entities().update("lg-bldg-0001", p, entity.etag());
 * }</pre>
 */
public final class EntityPatch {
  private final Map<String, Object> document;

  private EntityPatch(Map<String, Object> document) {
    this.document = document;
  }

  /**
   * The merge-patch document as nested maps (what is sent).
   *
   * @return the document
   */
  @JsonValue
  public Map<String, Object> document() {
    return document;
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "EntityPatch" + document;
  }

  /** Builds an {@link EntityPatch}. */
  public static final class Builder {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Map<String, Object> doc = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets (adds or replaces) a property.
     *
     * @param name property name
     * @param value the new value
     * @return this builder
     */
    public Builder setProperty(String name, Property value) {
      checkName(name);
      properties.put(name, java.util.Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Removes a property.
     *
     * @param name property name
     * @return this builder
     */
    public Builder removeProperty(String name) {
      checkName(name);
      properties.put(name, null);
      return this;
    }

    /**
     * Replaces the geometry.
     *
     * @param g the new geometry
     * @return this builder
     */
    public Builder geometry(Geometry g) {
      doc.put("geometry", java.util.Objects.requireNonNull(g, "geometry; use removeGeometry() to remove it"));
      return this;
    }

    /**
     * Removes the geometry.
     *
     * @return this builder
     */
    public Builder removeGeometry() {
      doc.put("geometry", null);
      return this;
    }

    /**
     * Changes the CRS.
     *
     * @param crs the CRS
     * @return this builder
     */
    public Builder crs(Crs crs) {
      doc.put("crs", java.util.Objects.requireNonNull(crs, "crs").code());
      return this;
    }

    /**
     * Replaces the external references.
     *
     * @param refs the references
     * @return this builder
     */
    public Builder externalRefs(ExternalRefs refs) {
      doc.put("externalRefs", java.util.Objects.requireNonNull(refs, "externalRefs"));
      return this;
    }

    private static void checkName(String name) {
      if (!io.shudu.twin.internal.Names.property(name)) {
        throw new IllegalArgumentException("property name '" + name + "' is invalid: use 1-64 letters, digits or _");
      }
    }

    /**
     * Builds.
     *
     * @return the patch @throws IllegalStateException if it changes nothing
     */
    public EntityPatch build() {
      Map<String, Object> out = new LinkedHashMap<>(doc);
      if (!properties.isEmpty()) {
        out.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
      }
      if (out.isEmpty()) {
        throw new IllegalStateException("the patch changes nothing: set or remove at least one property, the geometry, "
            + "the crs or the external references");
      }
      return new EntityPatch(Collections.unmodifiableMap(out));
    }
  }
}
