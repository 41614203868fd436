package io.shudu.iot.internal;

import io.shudu.iot.EntitySet;
import io.shudu.iot.IotQuery;
import java.util.List;
import java.util.Objects;

/**
 * The implementation's access to the package-private parts of {@link IotQuery} (validation against an entity set and
 * the wire parameters), which are not API. {@code IotQuery} registers them when it is initialised.
 */
public final class IotAccess {
  private static volatile Queries queries;

  private IotAccess() {}

  /** What the implementation needs of a query. */
  public interface Queries {
    /**
     * Checks every property path and expansion against an entity set.
     *
     * @param query the query
     * @param set the queried entity set
     */
    void validate(IotQuery query, EntitySet<?> set);

    /**
     * The query as URL parameters.
     *
     * @param query the query
     * @param pageLimit the {@code $top} of one page (null: the query's own {@code $top})
     * @return name/value pairs
     */
    List<String[]> parameters(IotQuery query, Integer pageLimit);
  }

  /**
   * Called once by {@link IotQuery}'s initialiser.
   *
   * @param q the accessor
   */
  public static void register(Queries q) {
    if (queries != null) {
      throw new IllegalStateException("IotAccess is registered by IotQuery only");
    }
    queries = Objects.requireNonNull(q, "q");
  }

  /**
   * The accessor (initialises {@link IotQuery} if needed).
   *
   * @return the accessor
   */
  public static Queries queries() {
    Queries q = queries;
    if (q == null) {
      IotQuery.none(); // runs IotQuery's static initialiser, which registers
      q = queries;
    }
    return q;
  }
}
