package io.shudu.twin;

import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An entity query: types, property filters, spatial predicates and a depth range, combined with AND. Results come in
 * keyset-ordered pages (by creation), so paging while others write never repeats or skips an entity that existed
 * throughout. Validated when built.
 *
 * <pre>{@code
 * TwinQuery q = TwinQuery.builder()
 *     .types(EntityType.UNDERGROUND_STRUCTURE)
 *     .where("kind", Op.EQ, "substation")
 *     .within(Geometry.box(121.895, 30.915, 121.905, 30.925))
 *     .depthBetween(0, 5)
 *     .pageSize(200)
 *     .build();
 * }</pre>
 */
public final class TwinQuery {
  /** Comparison operators of property filters. */
  public enum Op {
    /** Equal (for list values: contains). */
    EQ("=="),
    /** Not equal. */
    NE("!="),
    /** Greater than. */
    GT(">"),
    /** Greater than or equal. */
    GE(">="),
    /** Less than. */
    LT("<"),
    /** Less than or equal. */
    LE("<=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /**
     * The operator as sent, such as {@code >=}.
     *
     * @return the symbol
     */
    public String symbol() {
      return symbol;
    }
  }

  /**
   * One property filter: entities whose property compares with a value.
   *
   * @param property property name
   * @param op comparison
   * @param value a String, Number or Boolean
   */
  public record Filter(String property, Op op, Object value) {}

  private final Set<EntityType> types;
  private final List<Filter> filters;
  private final double[] bbox;
  private final Geometry within;
  private final Geometry intersects;
  private final Position near;
  private final double nearMeters;
  private final Double minDepth;
  private final Double maxDepth;
  private final int pageSize;

  private TwinQuery(Builder b) {
    this.types = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.types));
    this.filters = List.copyOf(b.filters);
    this.bbox = b.bbox == null ? null : b.bbox.clone();
    this.within = b.within;
    this.intersects = b.intersects;
    this.near = b.near;
    this.nearMeters = b.distance;
    this.minDepth = b.minDepth;
    this.maxDepth = b.maxDepth;
    this.pageSize = b.pageSize;
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * All entities of some types.
   *
   * @param types the types
   * @return the query
   */
  public static TwinQuery ofType(EntityType... types) {
    return builder().types(types).build();
  }

  /**
   * The types to match (any of them); empty for every type.
   *
   * @return the types
   */
  public Set<EntityType> types() {
    return types;
  }

  /**
   * The property filters, all of which must match.
   *
   * @return the filters in the order they were added
   */
  public List<Filter> filters() {
    return filters;
  }

  /**
   * The bounding box the geometry must intersect, as {@code [minLon, minLat, maxLon, maxLat]}.
   *
   * @return a copy of the box, or empty
   */
  public Optional<double[]> bbox() {
    return Optional.ofNullable(bbox).map(double[]::clone);
  }

  /**
   * The area the geometry must lie in.
   *
   * @return the area, or empty
   */
  public Optional<Geometry> within() {
    return Optional.ofNullable(within);
  }

  /**
   * The geometry the entity's geometry must intersect.
   *
   * @return the geometry, or empty
   */
  public Optional<Geometry> intersects() {
    return Optional.ofNullable(intersects);
  }

  /**
   * The centre of the distance filter.
   *
   * @return the centre, or empty
   */
  public Optional<Position> near() {
    return Optional.ofNullable(near);
  }

  /**
   * The radius of the distance filter in metres (0 when there is no {@link #near()}).
   *
   * @return the radius
   */
  public double nearMeters() {
    return nearMeters;
  }

  /**
   * The shallowest depth of the depth range, metres below ground.
   *
   * @return the depth, or empty
   */
  public OptionalDouble minDepth() {
    return minDepth == null ? OptionalDouble.empty() : OptionalDouble.of(minDepth);
  }

  /**
   * The deepest depth of the depth range, metres below ground.
   *
   * @return the depth, or empty
   */
  public OptionalDouble maxDepth() {
    return maxDepth == null ? OptionalDouble.empty() : OptionalDouble.of(maxDepth);
  }

  /**
   * Items per page.
   *
   * @return the page size
   */
  public int pageSize() {
    return pageSize;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("TwinQuery{");
    if (!types.isEmpty()) {
      sb.append("types=").append(types).append(' ');
    }
    for (Filter f : filters) {
      sb.append(f.property()).append(f.op().symbol()).append(f.value()).append(' ');
    }
    if (bbox != null) {
      sb.append("bbox=").append(java.util.Arrays.toString(bbox)).append(' ');
    }
    if (within != null) {
      sb.append("within=").append(within.geoJsonType()).append(' ');
    }
    if (intersects != null) {
      sb.append("intersects=").append(intersects.geoJsonType()).append(' ');
    }
    if (near != null) {
      sb.append("near=").append(near.lon()).append(',').append(near.lat()).append('~').append(nearMeters)
          .append("m ");
    }
    if (minDepth != null) {
      sb.append("depth=").append(minDepth).append("..").append(maxDepth).append(' ');
    }
    return sb.append("pageSize=").append(pageSize).append('}').toString();
  }

  /** Builds a {@link TwinQuery}. */
  public static final class Builder {
    private final Set<EntityType> types = new LinkedHashSet<>();
    private final List<Filter> filters = new ArrayList<>();
    private double[] bbox;
    private Geometry within;
    private Geometry intersects;
    private Position near;
    private double distance;
    private Double minDepth;
    private Double maxDepth;
    private int pageSize = 100;

    private Builder() {}

    /**
     * Restricts to these types (any of them).
     *
     * @param t the types
     * @return this builder
     */
    public Builder types(EntityType... t) {
      for (EntityType x : t) {
        types.add(java.util.Objects.requireNonNull(x, "types must not contain null"));
      }
      return this;
    }

    /**
     * Adds a property filter, such as {@code where("height", Op.GE, 30)}. Entities without the property never match.
     *
     * @param property property name
     * @param op operator
     * @param value a Number, String or Boolean
     * @return this builder
     */
    public Builder where(String property, Op op, Object value) {
      if (!io.shudu.twin.internal.Names.property(property)) {
        throw new IllegalArgumentException("where: property name '" + property + "' is invalid (letters, digits, _)");
      }
      java.util.Objects.requireNonNull(op, "where: op");
      if (value instanceof Boolean) {
        if (op != Op.EQ && op != Op.NE) {
          throw new IllegalArgumentException("where(" + property + "): booleans compare only with EQ or NE");
        }
      } else if (value instanceof Number n) {
        if (!Double.isFinite(n.doubleValue())) {
          throw new IllegalArgumentException("where(" + property + "): the value must be finite");
        }
      } else if (!(value instanceof String)) {
        throw new IllegalArgumentException("where(" + property + "): the value must be a Number, String or Boolean, "
            + "got " + (value == null ? "null" : value.getClass().getSimpleName()));
      }
      filters.add(new Filter(property, op, value));
      return this;
    }

    /**
     * Keeps entities whose geometry intersects a bounding box.
     *
     * @param minLon west
     * @param minLat south
     * @param maxLon east
     * @param maxLat north
     * @return this builder
     */
    public Builder bbox(double minLon, double minLat, double maxLon, double maxLat) {
      Position.of(minLon, minLat);
      Position.of(maxLon, maxLat);
      if (minLon > maxLon || minLat > maxLat) {
        throw new IllegalArgumentException("bbox needs minLon <= maxLon and minLat <= maxLat, got " + minLon + ","
            + minLat + "," + maxLon + "," + maxLat);
      }
      this.bbox = new double[] {minLon, minLat, maxLon, maxLat};
      return this;
    }

    /**
     * Keeps entities entirely inside an area.
     *
     * @param area a Polygon or MultiPolygon
     * @return this builder
     */
    public Builder within(Geometry area) {
      if (!(area instanceof Geometry.Polygon) && !(area instanceof Geometry.MultiPolygon)) {
        throw new IllegalArgumentException("within needs a Polygon or MultiPolygon, got "
            + (area == null ? "null" : area.geoJsonType()));
      }
      this.within = area;
      return this;
    }

    /**
     * Keeps entities whose geometry shares a point with this one.
     *
     * @param g any geometry
     * @return this builder
     */
    public Builder intersects(Geometry g) {
      this.intersects = java.util.Objects.requireNonNull(g, "intersects: geometry");
      return this;
    }

    /**
     * Keeps entities within a geodesic distance of a point.
     *
     * @param point the centre
     * @param meters radius in metres, 0 to 50,000
     * @return this builder
     */
    public Builder near(Position point, double meters) {
      java.util.Objects.requireNonNull(point, "near: point");
      if (!(meters >= 0 && meters <= 50_000)) {
        throw new IllegalArgumentException("near: distance must be between 0 and 50000 metres, got " + meters);
      }
      this.near = point;
      this.distance = meters;
      return this;
    }

    /**
     * Keeps underground assets whose depth range (depthTop..depthBottom, metres below ground) overlaps this range.
     *
     * @param min shallowest depth, metres (>= 0)
     * @param max deepest depth, metres (>= min)
     * @return this builder
     */
    public Builder depthBetween(double min, double max) {
      if (!(min >= 0) || !(max >= min)) {
        throw new IllegalArgumentException("depthBetween needs 0 <= min <= max (metres below ground), got " + min
            + ".." + max);
      }
      this.minDepth = min;
      this.maxDepth = max;
      return this;
    }

    /**
     * Items per page.
     *
     * @param n 1 to 1000
     * @return this builder
     */
    public Builder pageSize(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("pageSize must be between 1 and 1000, got " + n);
      }
      this.pageSize = n;
      return this;
    }

    /**
     * Builds.
     *
     * @return the query
     */
    public TwinQuery build() {
      return new TwinQuery(this);
    }
  }
}
