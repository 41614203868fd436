package io.shudu.iot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SensorThings query options for a listing or an expansion: {@code $filter}, {@code $expand} (nested, each with its
 * own options), {@code $select}, {@code $orderby}, {@code $top}, {@code $skip}, {@code $count}, and the listing's
 * {@link Builder#pageSize page size}. Immutable; build with {@link #builder()}. Property names are checked against the
 * entity set when the query is used.
 *
 * <p>Paging: {@link Builder#top top(n)} keeps its SensorThings meaning, at most {@code n} entities in all (the listing
 * ends after them); {@link Builder#pageSize pageSize(n)} only says how many come per request (per {@code Page}). A
 * listing's {@code PagedIterable.withMaxItems}/{@code withPageSize} do the same per listing.
 *
 * <pre>{@code
 * IotQuery q = IotQuery.builder()
 *     .filter(Expr.RESULT.gt(8.0))
 *     .orderBy(Expr.PHENOMENON_TIME, true)
 *     .expand("Datastream", IotQuery.builder().select("name", "unitOfMeasurement").build())
 *     .pageSize(50)
 *     .count(true)
 *     .build();
 * }</pre>
 */
public final class IotQuery {
  private static final IotQuery NONE = builder().build();
  /** The largest page the platform serves. */
  public static final int MAX_TOP = 10_000;

  static {
    io.shudu.iot.internal.IotAccess.register(new io.shudu.iot.internal.IotAccess.Queries() {
      @Override
      public void validate(IotQuery query, EntitySet<?> set) {
        query.validate(set);
      }

      @Override
      public List<String[]> parameters(IotQuery query, Integer pageLimit) {
        return query.parameters(pageLimit);
      }
    });
  }

  private final Expr filter;
  private final List<String> orderBy;
  private final List<String> select;
  private final Map<String, IotQuery> expand;
  private final Integer top;
  private final Integer pageSize;
  private final Integer skip;
  private final Boolean count;

  private IotQuery(Builder b) {
    this.filter = b.filter;
    this.orderBy = List.copyOf(b.orderBy);
    this.select = List.copyOf(b.select);
    this.expand = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.expand));
    this.top = b.top;
    this.pageSize = b.pageSize;
    this.skip = b.skip;
    this.count = b.count;
  }

  /**
   * No options.
   *
   * @return the empty query
   */
  public static IotQuery none() {
    return NONE;
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
   * The most entities in all ({@code $top}), if set.
   *
   * @return the bound or null
   */
  public Integer top() {
    return top;
  }

  /**
   * The page size of a listing, if set (else the client's default of 100).
   *
   * @return the page size or null
   */
  public Integer pageSize() {
    return pageSize;
  }

  /**
   * Checks every property path and expansion against an entity set.
   *
   * @param set the queried entity set
   * @throws IllegalArgumentException naming the option and the unknown name
   */
  void validate(EntitySet<?> set) {
    if (filter != null) {
      filter.paths().forEach(p -> set.checkPath(p, "$filter on " + set.name()));
    }
    for (String o : orderBy) {
      String path = o.endsWith(" desc") ? o.substring(0, o.length() - 5) : o;
      Expr.property(path).paths().forEach(p -> set.checkPath(p, "$orderby on " + set.name()));
    }
    for (String s : select) {
      if (!s.equals("id") && !set.properties().contains(s) && !set.navigation().containsKey(s)) {
        throw new IllegalArgumentException("$select on " + set.name() + ": unknown property '" + s
            + "'. Properties: " + set.properties() + "; navigation: " + set.navigation().keySet());
      }
    }
    for (Map.Entry<String, IotQuery> e : expand.entrySet()) {
      EntitySet<?> next = set.navigation().get(e.getKey());
      if (next == null) {
        throw new IllegalArgumentException("$expand on " + set.name() + ": '" + e.getKey()
            + "' is not a navigation property; use one of " + set.navigation().keySet());
      }
      e.getValue().validate(next);
    }
  }

  /**
   * The options as URL query parameters (name, value), in a stable order.
   *
   * @param pageLimit the {@code $top} of one page of a listing, which replaces {@link #top()} (null: send
   *     {@link #top()} as it is)
   * @return the parameters
   */
  List<String[]> parameters(Integer pageLimit) {
    List<String[]> out = new ArrayList<>();
    if (filter != null) {
      out.add(new String[] {"$filter", filter.toString()});
    }
    if (!expand.isEmpty()) {
      out.add(new String[] {"$expand", expandText()});
    }
    if (!select.isEmpty()) {
      out.add(new String[] {"$select", String.join(",", select)});
    }
    if (!orderBy.isEmpty()) {
      out.add(new String[] {"$orderby", String.join(",", orderBy)});
    }
    Integer t = pageLimit != null ? pageLimit : top;
    if (t != null) {
      out.add(new String[] {"$top", t.toString()});
    }
    if (skip != null) {
      out.add(new String[] {"$skip", skip.toString()});
    }
    if (count != null) {
      out.add(new String[] {"$count", count.toString()});
    }
    return out;
  }

  private String expandText() {
    List<String> items = new ArrayList<>();
    for (Map.Entry<String, IotQuery> e : expand.entrySet()) {
      List<String[]> nested = e.getValue().parameters(null);
      if (nested.isEmpty()) {
        items.add(e.getKey());
      } else {
        List<String> opts = new ArrayList<>();
        nested.forEach(p -> opts.add(p[0] + "=" + p[1]));
        items.add(e.getKey() + "(" + String.join(";", opts) + ")");
      }
    }
    return String.join(",", items);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String[] p : parameters(null)) {
      sb.append(sb.length() == 0 ? "?" : "&").append(p[0]).append('=').append(p[1]);
    }
    return sb.toString();
  }

  /** Builds an {@link IotQuery}. */
  public static final class Builder {
    private Expr filter;
    private final List<String> orderBy = new ArrayList<>();
    private final List<String> select = new ArrayList<>();
    private final Map<String, IotQuery> expand = new LinkedHashMap<>();
    private Integer top;
    private Integer pageSize;
    private Integer skip;
    private Boolean count;

    private Builder() {}

    /**
     * {@code $filter}: a condition.
     *
     * @param condition such as {@code Expr.RESULT.gt(5)}
     * @return this builder
     */
    public Builder filter(Expr condition) {
      if (condition == null || !condition.isCondition()) {
        throw new IllegalArgumentException("filter must be a condition such as Expr.RESULT.gt(5), got "
            + condition);
      }
      this.filter = condition;
      return this;
    }

    /**
     * Adds an {@code $orderby} item.
     *
     * @param property a property expression, such as {@link Expr#PHENOMENON_TIME}
     * @param descending true for {@code desc}
     * @return this builder
     */
    public Builder orderBy(Expr property, boolean descending) {
      if (property == null || property.paths().size() != 1 || !property.toString().equals(property.paths().get(0))) {
        throw new IllegalArgumentException("orderBy takes a property such as Expr.PHENOMENON_TIME, got " + property);
      }
      orderBy.add(property + (descending ? " desc" : ""));
      return this;
    }

    /**
     * {@code $select}: the properties (and navigation links) to return.
     *
     * @param properties names such as {@code name}, {@code result}, {@code id}
     * @return this builder
     */
    public Builder select(String... properties) {
      for (String p : properties) {
        if (p == null || p.isBlank() || p.contains(",")) {
          throw new IllegalArgumentException("select takes property names one by one, got '" + p + "'");
        }
        select.add(p.trim());
      }
      return this;
    }

    /**
     * Expands a navigation property.
     *
     * @param navigation such as {@code Datastreams} or {@code Thing}
     * @return this builder
     */
    public Builder expand(String navigation) {
      return expand(navigation, NONE);
    }

    /**
     * Expands a navigation property with its own options (nested {@code $filter}, {@code $top}, {@code $expand}...).
     *
     * @param navigation such as {@code Observations}
     * @param options the options of the expanded level
     * @return this builder
     */
    public Builder expand(String navigation, IotQuery options) {
      if (navigation == null || !navigation.matches("[A-Za-z]+")) {
        throw new IllegalArgumentException("expand takes one navigation property name such as Datastreams, got '"
            + navigation + "'; nest further levels with expand(name, IotQuery.builder().expand(...).build())");
      }
      expand.put(navigation, options == null ? NONE : options);
      return this;
    }

    /**
     * {@code $top}: at most {@code n} entities in all. In a listing the SDK pages within this bound (the last page's
     * continuation token is empty); in an expansion it bounds the expanded collection. For the number per page use
     * {@link #pageSize(int)}.
     *
     * @param n 1 to {@value IotQuery#MAX_TOP}
     * @return this builder
     */
    public Builder top(int n) {
      if (n < 1 || n > MAX_TOP) {
        throw new IllegalArgumentException("top must be between 1 and " + MAX_TOP + ", got " + n);
      }
      this.top = n;
      return this;
    }

    /**
     * The page size of a listing: how many entities each request (each {@code Page}) brings, 100 when not set. Not
     * sent inside an expansion.
     *
     * @param n 1 to {@value IotQuery#MAX_TOP}
     * @return this builder
     */
    public Builder pageSize(int n) {
      if (n < 1 || n > MAX_TOP) {
        throw new IllegalArgumentException("pageSize must be between 1 and " + MAX_TOP + ", got " + n);
      }
      this.pageSize = n;
      return this;
    }

    /**
     * {@code $skip}.
     *
     * @param n at least 0
     * @return this builder
     */
    public Builder skip(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("skip must not be negative, got " + n);
      }
      this.skip = n;
      return this;
    }

    /**
     * {@code $count}: ask for {@code @iot.count}.
     *
     * @param enabled whether to count
     * @return this builder
     */
    public Builder count(boolean enabled) {
      this.count = enabled;
      return this;
    }

    /**
     * Builds the query.
     *
     * @return the immutable query
     */
    public IotQuery build() {
      return new IotQuery(this);
    }
  }
}
