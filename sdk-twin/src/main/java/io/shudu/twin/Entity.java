package io.shudu.twin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.shudu.core.geo.Geometry;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A twin entity: id, type, typed properties with units, a GeoJSON geometry with its CRS, external model references,
 * and the platform-managed version, ETag and timestamps (absent on entities you build to create).
 *
 * <pre>{@code
 * Entity b = Entity.builder("my-bldg-1", EntityType.BUILDING)
 *     .property("height", 45.0, "m")
 *     .property("use", "office")
 *     .geometry(Geometry.box(121.900, 30.920, 121.901, 30.921))
 *     .build();
 * }</pre>
 *
 * @param id caller-chosen id: 1-128 letters, digits and {@code . _ : ~ -}
 * @param type the entity type
 * @param properties properties by name, in order
 * @param geometry the geometry, or null
 * @param crs the coordinate reference system of the geometry (default WGS-84)
 * @param externalRefs IFC / 3D Tiles references, or null
 * @param version version number, 1 on creation (0 on entities not yet stored)
 * @param etag the entity tag for If-Match, or null when not yet stored
 * @param createdAt creation time, or null when not yet stored
 * @param updatedAt time of the last change, or null when not yet stored
 */
public record Entity(String id, EntityType type, Map<String, Property> properties, Geometry geometry, Crs crs,
    ExternalRefs externalRefs, long version, String etag, Instant createdAt, Instant updatedAt) {

  /** Validates and copies. */
  public Entity {
    if (!io.shudu.twin.internal.Names.id(id)) {
      throw new IllegalArgumentException("id must be 1-128 characters: letters, digits and . _ : ~ - (starting with a "
          + "letter or digit), got '" + id + "'");
    }
    if (type == null) {
      throw new NullPointerException("type must not be null");
    }
    // an unmodifiable copy in the caller's order; a page reader's own map, already that, is kept as it is
    properties = properties == null ? Map.of()
        : io.shudu.twin.internal.PropertyHandoff.taken(properties) ? properties
        : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    for (String name : properties.keySet()) {
      if (!io.shudu.twin.internal.Names.property(name)) {
        throw new IllegalArgumentException("property name '" + name + "' is invalid: use 1-64 letters, digits or _, "
            + "starting with a letter or _");
      }
    }
    crs = crs == null ? Crs.WGS84 : crs;
  }

  /**
   * A property.
   *
   * @param name property name
   * @return the property, if present
   */
  public Optional<Property> property(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  /**
   * A numeric property's value.
   *
   * @param name property name
   * @return the number
   * @throws IllegalArgumentException if absent
   */
  @JsonIgnore
  public double number(String name) {
    return property(name).orElseThrow(() -> new IllegalArgumentException("entity " + id + " has no property '" + name
        + "'")).asDouble();
  }

  /**
   * A property's value as text.
   *
   * @param name property name
   * @return the text, or null when absent
   */
  public String text(String name) {
    Property p = properties.get(name);
    return p == null ? null : p.asString();
  }

  /**
   * A builder for a new entity.
   *
   * @param id the id
   * @param type the type
   * @return the builder
   */
  public static Builder builder(String id, EntityType type) {
    return new Builder(id, type);
  }

  /**
   * A builder initialised from this entity (keeps the ETag, for a conditional replace).
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(id, type);
    b.properties.putAll(properties);
    b.geometry = geometry;
    b.crs = crs;
    b.externalRefs = externalRefs;
    b.version = version;
    b.etag = etag;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  /** Builds an {@link Entity}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final EntityType type;
    private final Map<String, Property> properties = new LinkedHashMap<>();
    private Geometry geometry;
    private Crs crs = Crs.WGS84;
    private ExternalRefs externalRefs;
    private long version;
    private String etag;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(String id, EntityType type) {
      this.id = id;
      this.type = type;
    }

    /**
     * Sets a property.
     *
     * @param name name
     * @param value value
     * @return this builder
     */
    public Builder property(String name, Property value) {
      properties.put(name, value);
      return this;
    }

    /**
     * Sets a property without unit.
     *
     * @param name name
     * @param value number, string, boolean or list
     * @return this builder
     */
    public Builder property(String name, Object value) {
      return property(name, Property.of(value));
    }

    /**
     * Sets a number with a unit.
     *
     * @param name name
     * @param value number
     * @param unit unit symbol
     * @return this builder
     */
    public Builder property(String name, double value, String unit) {
      return property(name, Property.of(value, unit));
    }

    /**
     * Removes a property.
     *
     * @param name name
     * @return this builder
     */
    public Builder removeProperty(String name) {
      properties.remove(name);
      return this;
    }

    /**
     * Sets the geometry.
     *
     * @param g the geometry, or null
     * @return this builder
     */
    public Builder geometry(Geometry g) {
      this.geometry = g;
      return this;
    }

    /**
     * Sets the CRS of the geometry.
     *
     * @param c WGS-84 (default) or CGCS2000
     * @return this builder
     */
    public Builder crs(Crs c) {
      this.crs = c;
      return this;
    }

    /**
     * Sets the external model references.
     *
     * @param refs the references, or null
     * @return this builder
     */
    public Builder externalRefs(ExternalRefs refs) {
      this.externalRefs = refs;
      return this;
    }

    /**
     * Builds.
     *
     * @return the entity
     */
    public Entity build() {
      return new Entity(id, type, properties, geometry, crs, externalRefs, version, etag, createdAt, updatedAt);
    }
  }
}
