package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory SensorThings entity store: one id-ordered concurrent map per entity type, relations kept in both
 * directions (singular relations as a long slot, plural ones as an id-ordered set), so that every collection,
 * including a navigation collection such as {@code Datastreams(5)/Observations}, can be iterated lazily in id order
 * from any point without materialising it. Reads are lock-free; writes are serialised on the store.
 */
final class IotStore {

  /** The SensorThings entity types. */
  enum Kind {
    THING("Thing", "Things"),
    LOCATION("Location", "Locations"),
    HISTORICAL_LOCATION("HistoricalLocation", "HistoricalLocations"),
    DATASTREAM("Datastream", "Datastreams"),
    MULTI_DATASTREAM("MultiDatastream", "MultiDatastreams"),
    SENSOR("Sensor", "Sensors"),
    OBSERVED_PROPERTY("ObservedProperty", "ObservedProperties"),
    OBSERVATION("Observation", "Observations"),
    FEATURE_OF_INTEREST("FeatureOfInterest", "FeaturesOfInterest");

    final String singular;
    final String plural;
    final Map<String, Nav> navs = new LinkedHashMap<>();
    final List<Prop> props = new ArrayList<>();
    int singleSlots;
    int manySlots;

    Kind(String singular, String plural) {
      this.singular = singular;
      this.plural = plural;
    }

    static Kind ofPlural(String name) {
      for (Kind k : values()) {
        if (k.plural.equals(name)) {
          return k;
        }
      }
      return null;
    }

    Nav nav(String name) {
      return navs.get(name);
    }

    Prop prop(String name) {
      for (Prop p : props) {
        if (p.name.equals(name)) {
          return p;
        }
      }
      return null;
    }
  }

  /** What a property holds, for validation. */
  enum PropType { STRING, OBJECT, ANY, TIME, TIME_INTERVAL, ARRAY }

  /**
   * An entity property.
   *
   * @param name JSON name
   * @param type value type
   * @param required whether a create must give it (for version 1.0 when {@code v10Only})
   * @param v10Only required only on the 1.0 endpoint
   */
  record Prop(String name, PropType type, boolean required, boolean v10Only) {}

  /** A navigation property of an entity type. */
  static final class Nav {
    final String name;
    final Kind target;
    final boolean plural;
    final String inverseName;
    final int slot;
    Nav inverse;

    Nav(String name, Kind target, boolean plural, String inverseName, int slot) {
      this.name = name;
      this.target = target;
      this.plural = plural;
      this.inverseName = inverseName;
      this.slot = slot;
    }
  }

  static {
    nav(Kind.THING, "Locations", Kind.LOCATION, true, "Things");
    nav(Kind.THING, "HistoricalLocations", Kind.HISTORICAL_LOCATION, true, "Thing");
    nav(Kind.THING, "Datastreams", Kind.DATASTREAM, true, "Thing");
    nav(Kind.THING, "MultiDatastreams", Kind.MULTI_DATASTREAM, true, "Thing");
    nav(Kind.LOCATION, "Things", Kind.THING, true, "Locations");
    nav(Kind.LOCATION, "HistoricalLocations", Kind.HISTORICAL_LOCATION, true, "Locations");
    nav(Kind.HISTORICAL_LOCATION, "Thing", Kind.THING, false, "HistoricalLocations");
    nav(Kind.HISTORICAL_LOCATION, "Locations", Kind.LOCATION, true, "HistoricalLocations");
    nav(Kind.DATASTREAM, "Thing", Kind.THING, false, "Datastreams");
    nav(Kind.DATASTREAM, "Sensor", Kind.SENSOR, false, "Datastreams");
    nav(Kind.DATASTREAM, "ObservedProperty", Kind.OBSERVED_PROPERTY, false, "Datastreams");
    nav(Kind.DATASTREAM, "Observations", Kind.OBSERVATION, true, "Datastream");
    nav(Kind.MULTI_DATASTREAM, "Thing", Kind.THING, false, "MultiDatastreams");
    nav(Kind.MULTI_DATASTREAM, "Sensor", Kind.SENSOR, false, "MultiDatastreams");
    nav(Kind.MULTI_DATASTREAM, "ObservedProperties", Kind.OBSERVED_PROPERTY, true, "MultiDatastreams");
    nav(Kind.MULTI_DATASTREAM, "Observations", Kind.OBSERVATION, true, "MultiDatastream");
    nav(Kind.SENSOR, "Datastreams", Kind.DATASTREAM, true, "Sensor");
    nav(Kind.SENSOR, "MultiDatastreams", Kind.MULTI_DATASTREAM, true, "Sensor");
    nav(Kind.OBSERVED_PROPERTY, "Datastreams", Kind.DATASTREAM, true, "ObservedProperty");
    nav(Kind.OBSERVED_PROPERTY, "MultiDatastreams", Kind.MULTI_DATASTREAM, true, "ObservedProperties");
    nav(Kind.OBSERVATION, "Datastream", Kind.DATASTREAM, false, "Observations");
    nav(Kind.OBSERVATION, "MultiDatastream", Kind.MULTI_DATASTREAM, false, "Observations");
    nav(Kind.OBSERVATION, "FeatureOfInterest", Kind.FEATURE_OF_INTEREST, false, "Observations");
    nav(Kind.FEATURE_OF_INTEREST, "Observations", Kind.OBSERVATION, true, "FeatureOfInterest");
    for (Kind k : Kind.values()) {
      for (Nav n : k.navs.values()) {
        n.inverse = n.target.navs.get(n.inverseName);
      }
    }
    props(Kind.THING, p("name", PropType.STRING, true), p("description", PropType.STRING, false, true),
        p("properties", PropType.OBJECT, false));
    props(Kind.LOCATION, p("name", PropType.STRING, true), p("description", PropType.STRING, false, true),
        p("encodingType", PropType.STRING, true), p("location", PropType.ANY, true),
        p("properties", PropType.OBJECT, false));
    props(Kind.HISTORICAL_LOCATION, p("time", PropType.TIME, true));
    props(Kind.DATASTREAM, p("name", PropType.STRING, true), p("description", PropType.STRING, false, true),
        p("unitOfMeasurement", PropType.OBJECT, true), p("observationType", PropType.STRING, true),
        p("observedArea", PropType.OBJECT, false), p("phenomenonTime", PropType.TIME_INTERVAL, false),
        p("resultTime", PropType.TIME_INTERVAL, false), p("properties", PropType.OBJECT, false));
    props(Kind.MULTI_DATASTREAM, p("name", PropType.STRING, true), p("description", PropType.STRING, false, true),
        p("unitOfMeasurements", PropType.ARRAY, true), p("observationType", PropType.STRING, true),
        p("multiObservationDataTypes", PropType.ARRAY, true), p("observedArea", PropType.OBJECT, false),
        p("phenomenonTime", PropType.TIME_INTERVAL, false), p("resultTime", PropType.TIME_INTERVAL, false),
        p("properties", PropType.OBJECT, false));
    props(Kind.SENSOR, p("name", PropType.STRING, true), p("description", PropType.STRING, false, true),
        p("encodingType", PropType.STRING, true), p("metadata", PropType.ANY, true),
        p("properties", PropType.OBJECT, false));
    props(Kind.OBSERVED_PROPERTY, p("name", PropType.STRING, true), p("definition", PropType.STRING, true),
        p("description", PropType.STRING, false, true), p("properties", PropType.OBJECT, false));
    props(Kind.OBSERVATION, p("phenomenonTime", PropType.TIME_INTERVAL, false), p("resultTime", PropType.TIME, false),
        p("result", PropType.ANY, true), p("resultQuality", PropType.ANY, false),
        p("validTime", PropType.TIME_INTERVAL, false), p("parameters", PropType.OBJECT, false));
    props(Kind.FEATURE_OF_INTEREST, p("name", PropType.STRING, true),
        p("description", PropType.STRING, false, true), p("encodingType", PropType.STRING, true),
        p("feature", PropType.ANY, true), p("properties", PropType.OBJECT, false));
  }

  private static void nav(Kind k, String name, Kind target, boolean plural, String inverse) {
    int slot = plural ? k.manySlots++ : k.singleSlots++;
    k.navs.put(name, new Nav(name, target, plural, inverse, slot));
  }

  private static Prop p(String name, PropType type, boolean required) {
    return new Prop(name, type, required, false);
  }

  private static Prop p(String name, PropType type, boolean required, boolean v10Only) {
    return new Prop(name, type, v10Only || required, v10Only);
  }

  private static void props(Kind k, Prop... ps) {
    k.props.addAll(List.of(ps));
  }

  /** An id-ordered set of related entity ids. */
  static final class Ids {
    final ConcurrentSkipListSet<Long> set = new ConcurrentSkipListSet<>();
  }

  /** One entity: its properties as JSON, its relations by slot. */
  static final class Ent {
    final Kind kind;
    final long id;
    volatile ObjectNode props;
    volatile long version = 1;
    final long[] one;
    final Ids[] many;

    Ent(Kind kind, long id, ObjectNode props) {
      this.kind = kind;
      this.id = id;
      this.props = props;
      this.one = new long[kind.singleSlots];
      this.many = new Ids[kind.manySlots];
      for (int i = 0; i < many.length; i++) {
        many[i] = new Ids();
      }
    }

    JsonNode get(String name) {
      return props.get(name);
    }

    /** Id of the single related entity, 0 when none. */
    long one(String nav) {
      return one[kind.nav(nav).slot];
    }

    NavigableSet<Long> many(String nav) {
      return many[kind.nav(nav).slot].set;
    }
  }

  private final Map<Kind, ConcurrentSkipListMap<Long, Ent>> tables = new EnumMap<>(Kind.class);
  private final Map<Kind, AtomicLong> sequences = new EnumMap<>(Kind.class);
  private final Map<Kind, AtomicLong> counts = new EnumMap<>(Kind.class);
  /** FeatureOfInterest generated from a Location, by location id. */
  final Map<Long, Long> generatedFeatures = new ConcurrentHashMap<>();

  IotStore() {
    for (Kind k : Kind.values()) {
      tables.put(k, new ConcurrentSkipListMap<>());
      sequences.put(k, new AtomicLong());
      counts.put(k, new AtomicLong());
    }
  }

  ConcurrentSkipListMap<Long, Ent> table(Kind k) {
    return tables.get(k);
  }

  long count(Kind k) {
    return counts.get(k).get();
  }

  Ent get(Kind k, long id) {
    return tables.get(k).get(id);
  }

  Ent require(Kind k, long id) {
    Ent e = get(k, id);
    if (e == null) {
      throw Problem.notFound("No " + k.singular + " with @iot.id " + id + ".");
    }
    return e;
  }

  private volatile long maxEntities = Long.MAX_VALUE;
  private final AtomicLong total = new AtomicLong();

  /** Sets how many entities this copy may hold (limit {@code maxIotEntitiesPerTenant}). */
  void maxEntities(long n) {
    this.maxEntities = n;
  }

  /** Entities held, every kind. */
  long total() {
    return total.get();
  }

  /**
   * Checks that {@code n} more entities fit.
   *
   * @throws Problem 429 naming the limit {@code maxIotEntitiesPerTenant}
   */
  void checkRoom(long n) {
    if (total.get() + n > maxEntities) {
      throw new Problem(429, "too_many_entities", "Too many SensorThings entities", "This tenant's SensorThings "
          + "data holds " + total.get() + " entities and this write needs room for up to " + n + " more; the limit is "
          + maxEntities + ". Delete entities you no longer need (DELETE /iot/v1.1/Things(id) also removes its "
          + "Datastreams and their Observations), or start the sandbox with a higher limit (--limit "
          + "maxIotEntitiesPerTenant=<n>).").header("Retry-After", "60")
          .with("limit", "maxIotEntitiesPerTenant").with("max", maxEntities);
    }
  }

  /** Adds a new entity with the next id of its type. Callers hold the store lock. */
  Ent add(Kind k, ObjectNode props) {
    checkRoom(1);
    total.incrementAndGet();
    Ent e = new Ent(k, sequences.get(k).incrementAndGet(), props);
    tables.get(k).put(e.id, e);
    counts.get(k).incrementAndGet();
    return e;
  }

  /** Links {@code a} to {@code b} over navigation {@code n} of a's type, keeping both directions. */
  void link(Ent a, Nav n, Ent b) {
    if (!n.plural) {
      long old = a.one[n.slot];
      if (old == b.id) {
        return;
      }
      if (old != 0) {
        Ent prev = get(n.target, old);
        if (prev != null) {
          detachInverse(prev, n.inverse, a);
        }
      }
      a.one[n.slot] = b.id;
    } else {
      a.many[n.slot].set.add(b.id);
    }
    Nav inv = n.inverse;
    if (!inv.plural) {
      long old = b.one[inv.slot];
      if (old != 0 && old != a.id) {
        Ent prev = get(inv.target, old);
        if (prev != null) {
          prev.many[n.slot].set.remove(b.id);
        }
      }
      b.one[inv.slot] = a.id;
    } else {
      b.many[inv.slot].set.add(a.id);
    }
  }

  /** Removes the link between {@code a} and {@code b} over navigation {@code n}. */
  void unlink(Ent a, Nav n, Ent b) {
    if (!n.plural) {
      if (a.one[n.slot] == b.id) {
        a.one[n.slot] = 0;
      }
    } else {
      a.many[n.slot].set.remove(b.id);
    }
    detachInverse(b, n.inverse, a);
  }

  private static void detachInverse(Ent b, Nav inv, Ent a) {
    if (!inv.plural) {
      if (b.one[inv.slot] == a.id) {
        b.one[inv.slot] = 0;
      }
    } else {
      b.many[inv.slot].set.remove(a.id);
    }
  }

  /**
   * Deletes an entity with the cascades of the specification: a Thing takes its Datastreams, MultiDatastreams and
   * HistoricalLocations; a Location its HistoricalLocations; a Datastream or MultiDatastream its Observations; a
   * Sensor or ObservedProperty its (Multi)Datastreams; a FeatureOfInterest its Observations. Callers hold the lock.
   */
  void delete(Ent e) {
    if (tables.get(e.kind).remove(e.id) == null) {
      return;
    }
    counts.get(e.kind).decrementAndGet();
    total.decrementAndGet();
    List<Ent> cascade = new ArrayList<>();
    for (Nav n : e.kind.navs.values()) {
      if (n.plural) {
        for (Long id : List.copyOf(e.many[n.slot].set)) {
          Ent other = get(n.target, id);
          if (other != null) {
            if (cascades(e.kind, n.name)) {
              cascade.add(other);
            } else {
              detachInverse(other, n.inverse, e);
            }
          }
        }
        e.many[n.slot].set.clear();
      } else if (e.one[n.slot] != 0) {
        Ent other = get(n.target, e.one[n.slot]);
        if (other != null) {
          detachInverse(other, n.inverse, e);
        }
      }
    }
    if (e.kind == Kind.FEATURE_OF_INTEREST) {
      generatedFeatures.values().remove(e.id);
    }
    if (e.kind == Kind.LOCATION) {
      generatedFeatures.remove(e.id);
    }
    for (Ent c : cascade) {
      delete(c);
    }
  }

  private static boolean cascades(Kind kind, String nav) {
    return switch (kind) {
      case THING -> nav.equals("Datastreams") || nav.equals("MultiDatastreams") || nav.equals("HistoricalLocations");
      case LOCATION -> nav.equals("HistoricalLocations");
      case DATASTREAM, MULTI_DATASTREAM, FEATURE_OF_INTEREST -> nav.equals("Observations");
      case SENSOR -> nav.equals("Datastreams") || nav.equals("MultiDatastreams");
      case OBSERVED_PROPERTY -> nav.equals("Datastreams") || nav.equals("MultiDatastreams");
      default -> false;
    };
  }
}
