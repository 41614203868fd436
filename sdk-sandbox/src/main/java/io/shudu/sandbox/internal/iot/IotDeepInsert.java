package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import io.shudu.sandbox.internal.iot.IotStore.Prop;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creation of SensorThings entities with deep insert: validation of a whole entity tree against the data model
 * (required properties, types, time values, navigation rules) before anything is stored, then storage of the tree
 * with its links, generated HistoricalLocations and FeaturesOfInterest.
 */
final class IotDeepInsert {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final IotService svc;
  private final IotStore store;

  IotDeepInsert(IotService svc) {
    this.svc = svc;
    this.store = svc.store();
  }

  static boolean requiredProp(Kind k, Prop p, String version) {
    return p.required() && (!p.v10Only() || version.equals("v1.0"));
  }

  static void checkProp(Kind k, Prop p, JsonNode v, String field) {
    switch (p.type()) {
      case STRING -> {
        if (!v.isTextual()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a string.");
        }
      }
      case OBJECT -> {
        if (!v.isObject()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a JSON object.");
        }
      }
      case ARRAY -> {
        if (!v.isArray()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a JSON array.");
        }
      }
      case TIME -> {
        if (!v.isTextual() || IotExpr.parseTime(v.asText()) == null || IotExpr.parseTime(v.asText()).interval()) {
          throw Problem.validation(field, field + " must be an ISO 8601 instant with an offset, such as "
              + "2024-05-01T08:00:00Z.");
        }
      }
      case TIME_INTERVAL -> {
        if (!v.isTextual() || IotExpr.parseTime(v.asText()) == null) {
          throw Problem.validation(field, field + " must be an ISO 8601 instant or interval (start/end) with offsets, "
              + "such as 2024-05-01T08:00:00Z or 2024-05-01T08:00:00Z/2024-05-01T09:00:00Z.");
        }
      }
      default -> { }
    }
    if ((p.name().equals("location") || p.name().equals("feature")) && v.isObject() && v.has("type")
        && !IotGeo.isGeoJson(v) && !v.path("type").asText().equals("Feature")) {
      throw Problem.validation(field, field + " must be a GeoJSON geometry such as {\"type\": \"Point\", "
          + "\"coordinates\": [121.25, 31.38]}.");
    }
    if (p.name().equals("unitOfMeasurement") && !v.isObject()) {
      throw Problem.validation(field, "unitOfMeasurement must be an object with name, symbol and definition.");
    }
  }

  /** Validates a create request, deep inserts included, before anything is stored. */
  void validate(Kind k, JsonNode node, String version, String path, String impliedNav) {
    String where = path.isEmpty() ? "" : path + "/";
    if (!node.isObject()) {
      throw Problem.validation(path.isEmpty() ? "body" : path, "A " + k.singular + " must be a JSON object.");
    }
    if (node.has("@iot.id") && node.size() == 1 && !path.isEmpty()) {
      svc.writes.existing(k, node, path);
      return;
    }
    Set<String> navsGiven = new LinkedHashSet<>();
    if (impliedNav != null) {
      navsGiven.add(impliedNav);
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String name = f.getKey();
      if (name.startsWith("@iot.") || name.endsWith("@iot.navigationLink") || name.endsWith("@iot.count")) {
        continue;
      }
      Prop p = k.prop(name);
      if (p != null) {
        if (!f.getValue().isNull()) {
          checkProp(k, p, f.getValue(), where + name);
        }
        continue;
      }
      Nav n = k.nav(name);
      if (n == null) {
        throw Problem.validation(where + name, k.singular + " has no property or navigation '" + name + "'. "
            + "Properties: " + IotQuery.propNames(k) + "; navigation: " + k.navs.keySet() + ".");
      }
      if (n.plural) {
        if (!f.getValue().isArray()) {
          throw Problem.validation(where + name, name + " must be an array of " + n.target.plural + ".");
        }
        int i = 0;
        for (JsonNode item : f.getValue()) {
          validate(n.target, item, version, where + name + "[" + i++ + "]", n.inverse.name);
        }
        if (f.getValue().size() > 0) {
          navsGiven.add(name);
        }
      } else if (!f.getValue().isNull()) {
        validate(n.target, f.getValue(), version, where + name, n.inverse.name);
        navsGiven.add(name);
      }
    }
    for (Prop p : k.props) {
      JsonNode v = node.get(p.name());
      if (requiredProp(k, p, version) && (v == null || v.isNull())) {
        throw Problem.validation(where + p.name(), "A " + k.singular + " needs " + p.name() + ".");
      }
    }
    switch (k) {
      case DATASTREAM -> requireNavs(k, navsGiven, where, "Thing", "Sensor", "ObservedProperty");
      case MULTI_DATASTREAM -> {
        requireNavs(k, navsGiven, where, "Thing", "Sensor", "ObservedProperties");
        int units = node.get("unitOfMeasurements").size();
        if (node.get("multiObservationDataTypes").size() != units) {
          throw Problem.validation(where + "multiObservationDataTypes", "A MultiDatastream needs as many "
              + "multiObservationDataTypes as unitOfMeasurements (" + units + ").");
        }
        JsonNode ops = node.get("ObservedProperties");
        if (ops != null && ops.size() != units) {
          throw Problem.validation(where + "ObservedProperties", "A MultiDatastream needs as many "
              + "ObservedProperties as unitOfMeasurements (" + units + ").");
        }
      }
      case OBSERVATION -> {
        boolean ds = navsGiven.contains("Datastream");
        boolean mds = navsGiven.contains("MultiDatastream");
        if (ds == mds) {
          throw Problem.validation(where + "Datastream", "An Observation belongs to exactly one Datastream or "
              + "MultiDatastream: post it to /Datastreams(id)/Observations or give {\"Datastream\": {\"@iot.id\": "
              + "id}}.");
        }
        JsonNode mdsRef = node.get("MultiDatastream");
        if (mds && mdsRef != null && mdsRef.has("@iot.id") && mdsRef.size() == 1) {
          checkMultiResult(store.get(Kind.MULTI_DATASTREAM, mdsRef.get("@iot.id").asLong()), node.get("result"),
              where + "result");
        }
      }
      case HISTORICAL_LOCATION -> requireNavs(k, navsGiven, where, "Thing");
      default -> { }
    }
  }

  void checkMultiResult(Ent mds, JsonNode result, String field) {
    if (mds == null) {
      return;
    }
    int n = mds.get("unitOfMeasurements").size();
    if (result == null || !result.isArray() || result.size() != n) {
      throw Problem.validation(field, "An Observation of MultiDatastream " + mds.id + " needs a result array of "
          + n + " values.");
    }
  }

  static void requireNavs(Kind k, Set<String> given, String where, String... navs) {
    for (String n : navs) {
      if (!given.contains(n)) {
        throw Problem.validation(where + n, "A " + k.singular + " needs a " + n + ": link one with {\"" + n
            + "\": {\"@iot.id\": id}} or create it inline.");
      }
    }
  }

  /**
   * An upper bound of the entities a validated create stores: every nested entity that is not a reference, twice (an
   * Observation may bring a generated FeatureOfInterest, a Thing or Location a HistoricalLocation).
   */
  static long newEntities(JsonNode node) {
    if (!node.isObject() || (node.has("@iot.id") && node.size() == 1)) {
      return 0;
    }
    long n = 2;
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      JsonNode v = f.getValue();
      if (f.getKey().isEmpty() || !Character.isUpperCase(f.getKey().charAt(0))) {
        continue; // navigation members are capitalised (Datastreams, Thing...); properties are not
      }
      if (v.isObject()) {
        n += newEntities(v);
      } else if (v.isArray()) {
        for (JsonNode item : v) {
          n += newEntities(item);
        }
      }
    }
    return n;
  }

  /** Stores a validated entity tree. Callers hold the store lock. */
  Ent build(Kind k, JsonNode node, Nav implied, Ent impliedTarget, List<Ent> observations) {
    ObjectNode props = NODES.objectNode();
    for (Prop p : k.props) {
      JsonNode v = node.get(p.name());
      if (v != null && !v.isNull()) {
        props.set(p.name(), v);
      }
    }
    if (k == Kind.OBSERVATION && !props.has("phenomenonTime")) {
      props.put("phenomenonTime", now());
    }
    Ent e = store.add(k, props);
    if (implied != null && impliedTarget != null) {
      store.link(e, implied, impliedTarget);
    }
    boolean locationsChanged = k == Kind.THING && implied != null && implied.name.equals("Locations");
    for (Nav n : k.navs.values()) {
      JsonNode v = node.get(n.name);
      if (v == null || v.isNull()) {
        continue;
      }
      for (JsonNode item : n.plural ? v : List.of(v)) {
        boolean reference = item.has("@iot.id") && item.size() == 1;
        Ent other = reference ? store.get(n.target, item.get("@iot.id").asLong())
            : build(n.target, item, n.inverse, e, observations);
        store.link(e, n, other);
        if (k == Kind.THING && n.name.equals("Locations")) {
          locationsChanged = true;
        }
        if (k == Kind.LOCATION && n.name.equals("Things") && reference) {
          historicalLocation(other);
        }
      }
    }
    if (locationsChanged && k == Kind.THING) {
      historicalLocation(e);
    }
    if (k == Kind.OBSERVATION) {
      if (e.one("FeatureOfInterest") == 0) {
        store.link(e, k.nav("FeatureOfInterest"), featureFor(e));
      }
      observations.add(e);
    }
    return e;
  }

  void historicalLocation(Ent thing) {
    ObjectNode p = NODES.objectNode();
    p.put("time", now());
    Ent hl = store.add(Kind.HISTORICAL_LOCATION, p);
    store.link(hl, Kind.HISTORICAL_LOCATION.nav("Thing"), thing);
    for (Long loc : thing.many("Locations")) {
      Ent l = store.get(Kind.LOCATION, loc);
      if (l != null) {
        store.link(hl, Kind.HISTORICAL_LOCATION.nav("Locations"), l);
      }
    }
  }

  Ent featureFor(Ent observation) {
    long dsId = observation.one("Datastream");
    Ent stream = dsId != 0 ? store.get(Kind.DATASTREAM, dsId)
        : store.get(Kind.MULTI_DATASTREAM, observation.one("MultiDatastream"));
    Ent thing = stream == null ? null : store.get(Kind.THING, stream.one("Thing"));
    Long locId = thing == null || thing.many("Locations").isEmpty() ? null : thing.many("Locations").last();
    if (locId == null) {
      store.delete(observation);
      throw Problem.validation("FeatureOfInterest", "The Observation has no FeatureOfInterest and its Thing has no "
          + "Location to generate one from; give {\"FeatureOfInterest\": {...}}.");
    }
    Long foiId = store.generatedFeatures.get(locId);
    Ent foi = foiId == null ? null : store.get(Kind.FEATURE_OF_INTEREST, foiId);
    if (foi != null) {
      return foi;
    }
    Ent loc = store.get(Kind.LOCATION, locId);
    ObjectNode p = NODES.objectNode();
    p.set("name", loc.get("name"));
    p.put("description", loc.get("description") == null ? "Generated using location details: "
        + loc.get("name").asText() : loc.get("description").asText());
    p.set("encodingType", loc.get("encodingType"));
    p.set("feature", loc.get("location").deepCopy());
    foi = store.add(Kind.FEATURE_OF_INTEREST, p);
    store.generatedFeatures.put(locId, foi.id);
    return foi;
  }

  static String now() {
    // Instant.toString always writes seconds (OffsetDateTime.toString drops ":00")
    return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
