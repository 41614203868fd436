package io.shudu.twin.internal;

import io.shudu.twin.Property;
import java.util.Map;

/**
 * Lets {@link EntityPages} give the {@link io.shudu.twin.Entity} constructor a property map it must not copy: one the
 * reader just built, unmodifiable, in the order read, referenced by nothing else. The constructor copies every other
 * map, as before; this one would only be copied into an equal map of the same class and order, garbage per decoded
 * entity (benchmarks/run.sh, twin).
 */
public final class PropertyHandoff {
  private static final ThreadLocal<Map<String, Property>> HANDED = new ThreadLocal<>();

  private PropertyHandoff() {}

  static void hand(Map<String, Property> properties) {
    HANDED.set(properties);
  }

  static void clear() {
    HANDED.set(null);
  }

  /**
   * Whether {@code properties} is the map handed over for the constructor running on this thread; it is taken (a
   * second call answers false).
   *
   * @param properties the constructor's argument
   * @return true when the constructor may keep it as its own
   */
  public static boolean taken(Map<String, Property> properties) {
    if (properties == null || HANDED.get() != properties) {
      return false;
    }
    HANDED.set(null);
    return true;
  }
}
