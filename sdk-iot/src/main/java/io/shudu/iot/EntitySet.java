package io.shudu.iot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A SensorThings entity set and its record type, with the property and navigation names the client validates
 * queries against. Use the constants: {@link #THINGS}, {@link #DATASTREAMS}, {@link #OBSERVATIONS}, ...
 *
 * @param <T> the entity record type
 */
public final class EntitySet<T> {
  /** Things. */
  public static final EntitySet<Thing> THINGS = new EntitySet<>("Things", Thing.class,
      List.of("name", "description", "properties"));
  /** Locations. */
  public static final EntitySet<Location> LOCATIONS = new EntitySet<>("Locations", Location.class,
      List.of("name", "description", "encodingType", "location", "properties"));
  /** HistoricalLocations. */
  public static final EntitySet<HistoricalLocation> HISTORICAL_LOCATIONS = new EntitySet<>("HistoricalLocations",
      HistoricalLocation.class, List.of("time"));
  /** Datastreams. */
  public static final EntitySet<Datastream> DATASTREAMS = new EntitySet<>("Datastreams", Datastream.class,
      List.of("name", "description", "unitOfMeasurement", "observationType", "observedArea", "phenomenonTime",
          "resultTime", "properties"));
  /** MultiDatastreams. */
  public static final EntitySet<MultiDatastream> MULTI_DATASTREAMS = new EntitySet<>("MultiDatastreams",
      MultiDatastream.class, List.of("name", "description", "unitOfMeasurements", "observationType",
          "multiObservationDataTypes", "observedArea", "phenomenonTime", "resultTime", "properties"));
  /** Sensors. */
  public static final EntitySet<Sensor> SENSORS = new EntitySet<>("Sensors", Sensor.class,
      List.of("name", "description", "encodingType", "metadata", "properties"));
  /** ObservedProperties. */
  public static final EntitySet<ObservedProperty> OBSERVED_PROPERTIES = new EntitySet<>("ObservedProperties",
      ObservedProperty.class, List.of("name", "definition", "description", "properties"));
  /** Observations. */
  public static final EntitySet<Observation> OBSERVATIONS = new EntitySet<>("Observations", Observation.class,
      List.of("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"));
  /** FeaturesOfInterest. */
  public static final EntitySet<FeatureOfInterest> FEATURES_OF_INTEREST = new EntitySet<>("FeaturesOfInterest",
      FeatureOfInterest.class, List.of("name", "description", "encodingType", "feature", "properties"));

  private static final Set<String> OPEN = Set.of("properties", "parameters", "result", "unitOfMeasurement",
      "unitOfMeasurements", "location", "feature", "resultQuality", "metadata", "observedArea");

  static {
    THINGS.nav("Locations", LOCATIONS).nav("HistoricalLocations", HISTORICAL_LOCATIONS)
        .nav("Datastreams", DATASTREAMS).nav("MultiDatastreams", MULTI_DATASTREAMS);
    LOCATIONS.nav("Things", THINGS).nav("HistoricalLocations", HISTORICAL_LOCATIONS);
    HISTORICAL_LOCATIONS.nav("Thing", THINGS).nav("Locations", LOCATIONS);
    DATASTREAMS.nav("Thing", THINGS).nav("Sensor", SENSORS).nav("ObservedProperty", OBSERVED_PROPERTIES)
        .nav("Observations", OBSERVATIONS);
    MULTI_DATASTREAMS.nav("Thing", THINGS).nav("Sensor", SENSORS).nav("ObservedProperties", OBSERVED_PROPERTIES)
        .nav("Observations", OBSERVATIONS);
    SENSORS.nav("Datastreams", DATASTREAMS).nav("MultiDatastreams", MULTI_DATASTREAMS);
    OBSERVED_PROPERTIES.nav("Datastreams", DATASTREAMS).nav("MultiDatastreams", MULTI_DATASTREAMS);
    OBSERVATIONS.nav("Datastream", DATASTREAMS).nav("MultiDatastream", MULTI_DATASTREAMS)
        .nav("FeatureOfInterest", FEATURES_OF_INTEREST);
    FEATURES_OF_INTEREST.nav("Observations", OBSERVATIONS);
  }

  private final String name;
  private final Class<T> type;
  private final List<String> properties;
  private final Map<String, EntitySet<?>> navigation = new LinkedHashMap<>();

  private EntitySet(String name, Class<T> type, List<String> properties) {
    this.name = name;
    this.type = type;
    this.properties = properties;
  }

  private EntitySet<T> nav(String n, EntitySet<?> target) {
    navigation.put(n, target);
    return this;
  }

  /**
   * The entity set's name in URLs, such as {@code Datastreams}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The record type.
   *
   * @return the class
   */
  public Class<T> type() {
    return type;
  }

  /**
   * The property names of the entity type.
   *
   * @return the names
   */
  public List<String> properties() {
    return properties;
  }

  /**
   * Navigation property names and the entity sets they lead to.
   *
   * @return the navigation properties
   */
  public Map<String, EntitySet<?>> navigation() {
    return java.util.Collections.unmodifiableMap(navigation);
  }

  /**
   * Checks a property path such as {@code Datastream/Thing/name} or {@code properties/feed}.
   *
   * @param path the path
   * @param where the query option, for the message
   * @throws IllegalArgumentException naming the unknown segment and the valid names
   */
  void checkPath(String path, String where) {
    String[] segs = path.split("/", -1);
    EntitySet<?> set = this;
    for (int i = 0; i < segs.length; i++) {
      String s = segs[i];
      if (s.isEmpty()) {
        throw new IllegalArgumentException(where + ": property path '" + path + "' has an empty segment");
      }
      if ((s.equals("id") || s.equals("@iot.id")) && i == segs.length - 1) {
        return;
      }
      if (set.properties.contains(s)) {
        if (i < segs.length - 1 && !OPEN.contains(s)) {
          throw new IllegalArgumentException(where + ": '" + s + "' of " + set.name + " has no sub-properties (in '"
              + path + "')");
        }
        return;
      }
      EntitySet<?> next = set.navigation.get(s);
      if (next == null) {
        throw new IllegalArgumentException(where + ": " + set.name + " has no property or navigation '" + s
            + "' (in '" + path + "'). Properties: " + set.properties + "; navigation: " + set.navigation.keySet());
      }
      if (i == segs.length - 1) {
        throw new IllegalArgumentException(where + ": '" + s + "' is a navigation property; name one of its "
            + "properties, such as " + path + "/id");
      }
      set = next;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
