package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One tenant's twin: entities with every version kept (history), relationships with their lifetimes, a grid spatial
 * index and keyset-ordered indexes. Every entity gets an immutable creation sequence number; listings are ordered by
 * it, so a cursor ("after sequence n") never repeats or skips an entity that existed while the pages were read.
 * A read/write lock makes each write (and each batch) atomic and isolated.
 */
final class TwinStore {
  static final Set<String> TYPES = Set.of("newTown", "district", "demonstrationZone", "scene", "building",
      "undergroundStructure", "pipeSegment", "pipeNode", "road", "transitLine", "transitStation", "facility", "sensor");
  static final Set<String> NETWORKS = Set.of("water", "drainage", "gas", "power", "telecom", "heat");
  static final Set<String> NODE_KINDS = Set.of("source", "valve", "junction", "manhole", "service");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}");
  private static final Pattern REL_TYPE = Pattern.compile("[a-z][A-Za-z0-9]{0,63}");
  private static final Pattern PROP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern IFC_GUID = Pattern.compile("[0-3][0-9A-Za-z_$]{21}");
  private static final double CELL = 0.005;
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  /** One version of an entity; immutable. {@code deleted} marks a tombstone version. */
  record Ent(String id, String type, ObjectNode properties, JsonNode geometry, String crs, ObjectNode externalRefs,
      long version, Instant createdAt, Instant updatedAt, long seq, Geo.Shape shape, boolean deleted) {
    String etag() {
      return "\"" + Long.toString(seq, 36) + "-" + version + "\"";
    }

    Double number(String prop) {
      JsonNode v = properties.path(prop).path("value");
      return v.isNumber() ? v.asDouble() : null;
    }

    String text(String prop) {
      JsonNode v = properties.path(prop).path("value");
      return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /**
     * The wire form. The stored (never mutated) property, geometry and reference trees are shared, not copied:
     * callers must not modify nested members of the result (merge patches copy before they change anything).
     */
    ObjectNode toJson() {
      ObjectNode o = NF.objectNode();
      o.put("id", id).put("type", type);
      o.set("properties", properties);
      if (geometry != null) {
        o.set("geometry", geometry);
      }
      o.put("crs", crs);
      if (externalRefs != null && !externalRefs.isEmpty()) {
        o.set("externalRefs", externalRefs);
      }
      o.put("version", version).put("etag", etag());
      o.put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
      return o;
    }
  }

  /** A relationship; {@code deletedAt} is set (under the write lock) when it is deleted. */
  static final class Rel {
    final String id;
    final String type;
    final String source;
    final String target;
    final ObjectNode properties;
    final Instant createdAt;
    final long seq;
    volatile Instant deletedAt;

    Rel(String id, String type, String source, String target, ObjectNode properties, Instant createdAt, long seq) {
      this.id = id;
      this.type = type;
      this.source = source;
      this.target = target;
      this.properties = properties;
      this.createdAt = createdAt;
      this.seq = seq;
    }

    boolean aliveAt(Instant t) {
      return !createdAt.isAfter(t) && (deletedAt == null || deletedAt.isAfter(t));
    }

    /** The ETag: relationships are immutable, so it names this stored relationship (a re-created id gets another). */
    String etag() {
      return "\"r-" + seq + "\"";
    }

    ObjectNode toJson() {
      ObjectNode o = NF.objectNode();
      o.put("id", id).put("type", type).put("source", source).put("target", target);
      o.set("properties", properties);
      o.put("createdAt", createdAt.toString());
      if (deletedAt != null) {
        o.put("deletedAt", deletedAt.toString());
      }
      return o;
    }
  }

  /** A change to publish on the change feed after the write commits. */
  record Change(String type, String key, ObjectNode payload) {}

  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Clock clock;
  private final Map<String, Ent> byId = new HashMap<>();
  private final TreeMap<Long, Ent> bySeq = new TreeMap<>();
  private final Map<String, TreeMap<Long, Ent>> byType = new HashMap<>();
  private final Map<String, List<Ent>> history = new HashMap<>();
  private final Map<Long, Set<Long>> grid = new HashMap<>();
  private final Set<Long> unindexed = new HashSet<>();
  private final Map<String, Rel> rels = new HashMap<>();
  private final Map<String, List<Rel>> out = new HashMap<>();
  private final Map<String, List<Rel>> in = new HashMap<>();
  /** Superseded versions, tombstones and deleted relationships, oldest first (history retention). */
  private final java.util.ArrayDeque<Object> retired = new java.util.ArrayDeque<>();
  private int maxEntities = Integer.MAX_VALUE;
  private int maxRelationships = Integer.MAX_VALUE;
  private int historyLimit = Integer.MAX_VALUE;
  private int liveRels;
  private long seq;
  private long relSeq;
  private long modCount;
  private Instant lastWrite = Instant.EPOCH;

  TwinStore(Clock clock) {
    this.clock = clock;
  }

  /** Sets the per-tenant limits (after the seeded dataset is generated: the seed itself is never refused). */
  void limits(int maxEntities, int maxRelationships, int historyLimit) {
    this.maxEntities = maxEntities;
    this.maxRelationships = maxRelationships;
    this.historyLimit = historyLimit;
    trimHistory();
  }

  /** Live relationships. */
  int relationshipCount() {
    return liveRels;
  }

  /** History entries kept beyond the current versions: superseded versions, tombstones, deleted relationships. */
  int retiredCount() {
    return retired.size();
  }

  /**
   * Checks that a write leaving {@code liveAfter} entities is within the limit (writes that do not grow are never
   * refused).
   *
   * @throws Problem 429 naming the limit {@code maxTwinEntitiesPerTenant}
   */
  void checkEntityRoom(long liveAfter) {
    if (liveAfter > maxEntities && liveAfter > byId.size()) {
      throw new Problem(429, "too_many_entities", "Too many twin entities", "This tenant's twin holds "
          + byId.size() + " entities and this write would make " + liveAfter + "; the limit is " + maxEntities
          + ". Delete entities you no longer need (DELETE /twin/v1/entities/{id}), or start the sandbox with a "
          + "higher limit (--limit maxTwinEntitiesPerTenant=<n>).").header("Retry-After", "60")
          .with("limit", "maxTwinEntitiesPerTenant").with("max", maxEntities);
    }
  }

  private void checkRelationshipRoom() {
    if (liveRels >= maxRelationships) {
      throw new Problem(429, "too_many_relationships", "Too many twin relationships", "This tenant's twin holds "
          + liveRels + " relationships; the limit is " + maxRelationships + ". Delete relationships you no longer "
          + "need (DELETE /twin/v1/relationships/{id}, or delete an entity with its relationships), or start the "
          + "sandbox with a higher limit (--limit maxTwinRelationshipsPerTenant=<n>).").header("Retry-After", "60")
          .with("limit", "maxTwinRelationshipsPerTenant").with("max", maxRelationships);
    }
  }

  private void retire(Object versionOrRel) {
    retired.addLast(versionOrRel);
    trimHistory();
  }

  /** Forgets the oldest history entries beyond the limit (an entity's current version is never forgotten). */
  private void trimHistory() {
    while (retired.size() > historyLimit) {
      Object o = retired.pollFirst();
      if (o instanceof Ent e) {
        List<Ent> versions = history.get(e.id());
        if (versions != null) {
          if (!versions.isEmpty() && versions.get(0) == e) {
            versions.remove(0);
          } else {
            versions.remove(e);
          }
          if (versions.isEmpty()) {
            history.remove(e.id());
          }
        }
      } else if (o instanceof Rel r) {
        rels.remove(r.id, r);
        forget(out, r.source, r);
        forget(in, r.target, r);
      }
    }
  }

  private static void forget(Map<String, List<Rel>> index, String key, Rel r) {
    List<Rel> l = index.get(key);
    if (l != null) {
      l.remove(r);
      if (l.isEmpty()) {
        index.remove(key);
      }
    }
  }

  /** Write counter; analyses cache on it. */
  long modCount() {
    return modCount;
  }

  /** A write timestamp strictly after the previous one, so that history is totally ordered. */
  private Instant now() {
    Instant t = clock.instant();
    if (!t.isAfter(lastWrite)) {
      t = lastWrite.plusNanos(1000);
    }
    lastWrite = t;
    return t;
  }

  // ---------------------------------------------------------------- reads

  <T> T read(java.util.function.Supplier<T> body) {
    lock.readLock().lock();
    try {
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T write(java.util.function.Supplier<T> body) {
    lock.writeLock().lock();
    try {
      T r = body.get();
      modCount++;
      return r;
    } finally {
      lock.writeLock().unlock();
    }
  }

  Ent get(String id) {
    return byId.get(id);
  }

  Ent require(String id) {
    Ent e = byId.get(id);
    if (e == null) {
      throw Problem.notFound("No twin entity with id '" + id + "'.");
    }
    return e;
  }

  Iterable<Ent> all() {
    return bySeq.values();
  }

  Iterable<Ent> ofType(String type) {
    TreeMap<Long, Ent> m = byType.get(type);
    return m == null ? List.of() : m.values();
  }

  int size() {
    return byId.size();
  }

  Rel relationship(String id) {
    Rel r = rels.get(id);
    if (r == null || r.deletedAt != null) {
      throw Problem.notFound("No relationship with id '" + id + "'.");
    }
    return r;
  }

  /** Live relationships leaving (outgoing) or entering an entity, ordered by creation. */
  List<Rel> relationships(String id, boolean outgoing) {
    List<Rel> l = (outgoing ? out : in).get(id);
    if (l == null) {
      return List.of();
    }
    List<Rel> live = new ArrayList<>();
    for (Rel r : l) {
      if (r.deletedAt == null) {
        live.add(r);
      }
    }
    return live;
  }

  /** Relationships (live or not) touching an entity that were alive at {@code t}. */
  List<Rel> relationshipsAt(String id, boolean outgoing, Instant t) {
    List<Rel> l = (outgoing ? out : in).getOrDefault(id, List.of());
    List<Rel> alive = new ArrayList<>();
    for (Rel r : l) {
      if (r.aliveAt(t)) {
        alive.add(r);
      }
    }
    return alive;
  }

  /** All versions of an entity, oldest first (empty if it never existed). */
  List<Ent> versions(String id) {
    return history.getOrDefault(id, List.of());
  }

  /** The version in effect at {@code t}, or null. */
  Ent asOf(String id, Instant t) {
    Ent found = null;
    for (Ent v : versions(id)) {
      if (v.updatedAt().isAfter(t)) {
        break;
      }
      found = v;
    }
    return found == null || found.deleted() ? null : found;
  }

  // ---------------------------------------------------------------- queries

  /** A parsed entity query; see the service for the wire form. */
  record Query(Set<String> types, List<Predicate<Ent>> filters, double[] bbox, Geo.Shape within, Geo.Shape intersects,
      double[] near, double distance, Double minDepth, Double maxDepth) {
    boolean spatial() {
      return bbox != null || within != null || intersects != null || near != null;
    }

    /** The box that bounds every possible match, for the index. */
    double[] searchBox() {
      double[] box = null;
      if (bbox != null) {
        box = bbox;
      }
      if (within != null) {
        box = meet(box, new double[] {within.minLon, within.minLat, within.maxLon, within.maxLat});
      }
      if (intersects != null) {
        box = meet(box, new double[] {intersects.minLon, intersects.minLat, intersects.maxLon, intersects.maxLat});
      }
      if (near != null) {
        box = meet(box, Geo.expand(near[0], near[1], distance));
      }
      return box;
    }

    private static double[] meet(double[] a, double[] b) {
      if (a == null) {
        return b;
      }
      return new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])};
    }

    boolean matches(Ent e) {
      if (types != null && !types.contains(e.type())) {
        return false;
      }
      if (minDepth != null || maxDepth != null) {
        Double top = e.number("depthTop");
        Double bottom = e.number("depthBottom");
        if (top == null) {
          return false;
        }
        double b = bottom == null ? top : bottom;
        if ((minDepth != null && b < minDepth) || (maxDepth != null && top > maxDepth)) {
          return false;
        }
      }
      for (Predicate<Ent> f : filters) {
        if (!f.test(e)) {
          return false;
        }
      }
      if (spatial()) {
        Geo.Shape s = e.shape();
        if (s == null) {
          return false;
        }
        if (bbox != null && !Geo.intersectsBox(s, bbox)) {
          return false;
        }
        if (within != null && !Geo.within(s, within)) {
          return false;
        }
        if (intersects != null && !Geo.intersects(s, intersects)) {
          return false;
        }
        if (near != null && Geo.distanceMeters(s, near[0], near[1]) > distance) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * One page of matches with sequence numbers above {@code afterSeq}, in sequence order.
   *
   * @return the matches (at most limit + 1, so the caller can tell whether more follow)
   */
  List<Ent> query(Query q, long afterSeq, int limit) {
    List<Ent> outList = new ArrayList<>();
    if (q.spatial()) {
      double[] box = q.searchBox();
      if (box[0] > box[2] || box[1] > box[3]) {
        return outList;
      }
      TreeMap<Long, Ent> candidates = new TreeMap<>();
      long x0 = cell(box[0]);
      long x1 = cell(box[2]);
      long y0 = cell(box[1]);
      long y1 = cell(box[3]);
      if ((x1 - x0 + 1) * (y1 - y0 + 1) > 256) {
        // a large area: walk in key order and stop at the page's end instead of gathering every candidate
        collect(q.types() != null && q.types().size() == 1
            ? byType.getOrDefault(q.types().iterator().next(), new TreeMap<>()).tailMap(afterSeq, false).values()
            : bySeq.tailMap(afterSeq, false).values(), q, limit, outList);
        return outList;
      } else {
        for (long x = x0; x <= x1; x++) {
          for (long y = y0; y <= y1; y++) {
            Set<Long> s = grid.get(key(x, y));
            if (s != null) {
              addCandidates(s, afterSeq, candidates);
            }
          }
        }
      }
      addCandidates(unindexed, afterSeq, candidates);
      collect(candidates.values(), q, limit, outList);
      return outList;
    }
    if (q.types() != null && q.types().size() == 1) {
      TreeMap<Long, Ent> m = byType.get(q.types().iterator().next());
      if (m != null) {
        collect(m.tailMap(afterSeq, false).values(), q, limit, outList);
      }
      return outList;
    }
    collect(bySeq.tailMap(afterSeq, false).values(), q, limit, outList);
    return outList;
  }

  private void addCandidates(Set<Long> seqs, long afterSeq, TreeMap<Long, Ent> into) {
    for (Long s : seqs) {
      if (s > afterSeq) {
        Ent e = bySeq.get(s);
        if (e != null) {
          into.put(s, e);
        }
      }
    }
  }

  private static void collect(Iterable<Ent> source, Query q, int limit, List<Ent> into) {
    for (Iterator<Ent> it = source.iterator(); it.hasNext() && into.size() <= limit; ) {
      Ent e = it.next();
      if (q.matches(e)) {
        into.add(e);
      }
    }
  }

  // ---------------------------------------------------------------- validation

  /** Validates an entity document and builds its next version; {@code prev} is the current version or null. */
  Ent build(JsonNode doc, String pathId, Ent prev, Instant at, String field) {
    if (doc == null || !doc.isObject()) {
      throw Problem.validation(field, field + " must be a JSON object (a twin entity).");
    }
    String id = doc.path("id").asText(pathId == null ? "" : pathId);
    if (pathId != null && !pathId.equals(id)) {
      throw Problem.validation(field + ".id", field + ".id '" + id + "' differs from the id in the URL '" + pathId
          + "'; leave it out or make them equal.");
    }
    if (!ID.matcher(id).matches()) {
      throw Problem.validation(field + ".id", field + ".id must be 1-128 characters: letters, digits and . _ : ~ - "
          + "(starting with a letter or digit), got '" + id + "'.");
    }
    String type = doc.path("type").asText("");
    if (!TYPES.contains(type)) {
      throw Problem.validation(field + ".type", field + ".type must be one of " + new java.util.TreeSet<>(TYPES) + ", got '" + type
          + "'.");
    }
    if (prev != null && !prev.type().equals(type)) {
      throw Problem.validation(field + ".type", "The type of entity '" + id + "' is '" + prev.type()
          + "' and cannot change to '" + type + "'; delete and re-create it instead.");
    }
    JsonNode propsNode = doc.path("properties");
    ObjectNode props = NF.objectNode();
    if (!propsNode.isMissingNode() && !propsNode.isNull()) {
      if (!propsNode.isObject()) {
        throw Problem.validation(field + ".properties", field + ".properties must be an object of "
            + "name -> {\"value\": ..., \"unit\": ...}.");
      }
      for (Map.Entry<String, JsonNode> p : propsNode.properties()) {
        props.set(p.getKey(), property(p.getKey(), p.getValue(), field + ".properties." + p.getKey()));
      }
    }
    checkTypeRules(type, props, field);
    JsonNode geometry = doc.get("geometry");
    Geo.Shape shape = null;
    if (geometry != null && !geometry.isNull()) {
      shape = Geo.parse(geometry, field + ".geometry");
    } else {
      geometry = null;
    }
    String crs = crs(doc.path("crs").asText(Geo.WGS84), field + ".crs");
    ObjectNode refs = null;
    JsonNode r = doc.get("externalRefs");
    if (r != null && !r.isNull()) {
      if (!r.isObject()) {
        throw Problem.validation(field + ".externalRefs", field + ".externalRefs must be an object such as "
            + "{\"ifcGlobalId\": \"2O2Fr$t4X7Zf8NOew3FLOH\", \"tilesFeatureId\": \"lg-b-0001\"}.");
      }
      refs = (ObjectNode) r.deepCopy();
      JsonNode guid = refs.get("ifcGlobalId");
      if (guid != null && !(guid.isTextual() && IFC_GUID.matcher(guid.asText()).matches())) {
        throw Problem.validation(field + ".externalRefs.ifcGlobalId", "ifcGlobalId must be an IFC GlobalId: 22 "
            + "characters of the IFC base-64 alphabet 0-9 A-Z a-z _ $, first character 0-3; got " + guid + ".");
      }
      JsonNode fid = refs.get("tilesFeatureId");
      if (fid != null && !(fid.isTextual() || fid.isIntegralNumber())) {
        throw Problem.validation(field + ".externalRefs.tilesFeatureId", "tilesFeatureId must be a string or an "
            + "integer (the 3D Tiles feature id / batch id).");
      }
    }
    long version = prev == null ? 1 : prev.version() + 1;
    Instant created = prev == null ? at : prev.createdAt();
    long s = prev == null ? -1 : prev.seq();
    return new Ent(id, type, props, geometry, crs, refs, version, created, at, s, shape, false);
  }

  private static String crs(String crs, String field) {
    return switch (crs) {
      case "EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84", "WGS84" -> Geo.WGS84;
      case "EPSG:4490", "CGCS2000" -> Geo.CGCS2000;
      default -> throw Problem.validation(field, field + " must be EPSG:4326 (WGS-84, the default) or EPSG:4490 "
          + "(CGCS2000), got '" + crs + "'. Convert GCJ-02/BD-09 coordinates with the SDK's Coordinates helpers first.");
    };
  }

  private static JsonNode property(String name, JsonNode p, String field) {
    if (!PROP_NAME.matcher(name).matches()) {
      throw Problem.validation(field, "Property name '" + name + "' is invalid: use 1-64 letters, digits or _, "
          + "starting with a letter or _.");
    }
    if (p == null || !p.isObject() || !p.has("value")) {
      throw Problem.validation(field, field + " must be an object {\"value\": ..., \"unit\": ...} (unit optional).");
    }
    JsonNode v = p.get("value");
    boolean ok = v.isNumber() || v.isTextual() || v.isBoolean();
    if (v.isArray()) {
      ok = true;
      for (JsonNode x : v) {
        ok &= x.isNumber() || x.isTextual() || x.isBoolean();
      }
    }
    if (!ok) {
      throw Problem.validation(field + ".value", field + ".value must be a number, string, boolean or an array of "
          + "them, got " + v.getNodeType() + ".");
    }
    if (v.isNumber() && !Double.isFinite(v.asDouble())) {
      throw Problem.validation(field + ".value", field + ".value must be finite.");
    }
    ObjectNode o = NF.objectNode();
    o.set("value", v);
    JsonNode unit = p.get("unit");
    if (unit != null && !unit.isNull()) {
      if (!unit.isTextual() || unit.asText().isBlank() || unit.asText().length() > 32) {
        throw Problem.validation(field + ".unit", field + ".unit must be a short unit symbol such as m, mm, kPa, "
            + "m3/h (at most 32 characters).");
      }
      o.put("unit", unit.asText());
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("value") && !k.equals("unit")) {
        throw Problem.validation(field + "." + k, field + " has an unknown member '" + k + "'; a property holds "
            + "only value and unit.");
      }
    }
    return o;
  }

  private static void checkTypeRules(String type, ObjectNode props, String field) {
    switch (type) {
      case "pipeSegment", "pipeNode" -> {
        String net = props.path("network").path("value").asText("");
        if (!NETWORKS.contains(net)) {
          throw Problem.validation(field + ".properties.network", "A " + type + " needs properties.network.value, "
              + "one of " + new java.util.TreeSet<>(NETWORKS) + "; got '" + net + "'.");
        }
        if (type.equals("pipeNode")) {
          String kind = props.path("kind").path("value").asText("");
          if (!NODE_KINDS.contains(kind)) {
            throw Problem.validation(field + ".properties.kind", "A pipeNode needs properties.kind.value, one of "
                + new java.util.TreeSet<>(NODE_KINDS) + "; got '" + kind + "'.");
          }
        } else {
          for (String end : List.of("fromNode", "toNode")) {
            if (!props.path(end).path("value").isTextual()) {
              throw Problem.validation(field + ".properties." + end, "A pipeSegment needs properties." + end
                  + ".value, the id of the pipeNode at that end (flow runs fromNode -> toNode).");
            }
          }
        }
      }
      default -> { }
    }
    JsonNode top = props.path("depthTop").path("value");
    JsonNode bottom = props.path("depthBottom").path("value");
    if (!top.isMissingNode() && (!top.isNumber() || top.asDouble() < 0)) {
      throw Problem.validation(field + ".properties.depthTop", "depthTop must be a number of metres below ground "
          + "(>= 0).");
    }
    if (!bottom.isMissingNode() && (!bottom.isNumber() || (top.isNumber() && bottom.asDouble() < top.asDouble()))) {
      throw Problem.validation(field + ".properties.depthBottom", "depthBottom must be a number of metres below "
          + "ground, at least depthTop.");
    }
  }


  // ---------------------------------------------------------------- writes (call under the write lock)

  /** Stores a new current version (creating the entity when prev is null). */
  Ent put(Ent next, Consumer<Change> changes) {
    return put(next, changes, true);
  }

  /** Stores a new current version; {@code checkRoom} false when the caller checked a whole batch already. */
  Ent put(Ent next, Consumer<Change> changes, boolean checkRoom) {
    Ent prev = byId.get(next.id());
    if (prev == null && checkRoom) {
      checkEntityRoom(byId.size() + 1L);
    }
    long s = prev == null ? ++seq : prev.seq();
    Ent stored = new Ent(next.id(), next.type(), next.properties(), next.geometry(), next.crs(), next.externalRefs(),
        next.version(), prev == null ? next.createdAt() : prev.createdAt(), next.updatedAt(), s, next.shape(), false);
    if (prev != null) {
      unindex(prev);
      retire(prev);
    }
    byId.put(stored.id(), stored);
    bySeq.put(stored.seq(), stored);
    byType.computeIfAbsent(stored.type(), t -> new TreeMap<>()).put(stored.seq(), stored);
    history.computeIfAbsent(stored.id(), k -> new ArrayList<>()).add(stored);
    index(stored);
    if (changes != null) {
      changes.accept(new Change(prev == null ? "entity.created" : "entity.updated", stored.id(), stored.toJson()));
    }
    return stored;
  }

  /** Deletes an entity and its relationships. */
  void delete(Ent e, Instant at, Consumer<Change> changes) {
    unindex(e);
    byId.remove(e.id());
    bySeq.remove(e.seq());
    TreeMap<Long, Ent> t = byType.get(e.type());
    if (t != null) {
      t.remove(e.seq());
    }
    Ent tombstone = new Ent(e.id(), e.type(), e.properties(), e.geometry(), e.crs(), e.externalRefs(),
        e.version() + 1, e.createdAt(), at, e.seq(), e.shape(), true);
    history.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(tombstone);
    retire(e);
    retire(tombstone);
    for (Rel r : relationships(e.id(), true)) {
      deleteRel(r, at, changes);
    }
    for (Rel r : relationships(e.id(), false)) {
      deleteRel(r, at, changes);
    }
    if (changes != null) {
      ObjectNode p = NF.objectNode().put("id", e.id()).put("type", e.type()).put("version", e.version() + 1);
      p.put("deletedAt", at.toString());
      changes.accept(new Change("entity.deleted", e.id(), p));
    }
  }

  Rel addRel(String id, String type, String source, String target, ObjectNode props, Instant at,
      Consumer<Change> changes) {
    String rid = id == null ? "rel-" + (relSeq + 1) : id;
    if (!ID.matcher(rid).matches()) {
      throw Problem.validation("id", "Relationship id must be 1-128 letters, digits and . _ : ~ -, got '" + rid + "'.");
    }
    Rel existing = rels.get(rid);
    if (existing != null && existing.deletedAt == null) {
      throw Problem.conflict("relationship_exists", "A relationship with id '" + rid + "' already exists; "
          + "choose another id or leave it out to get a generated one.");
    }
    if (!REL_TYPE.matcher(type == null ? "" : type).matches()) {
      throw Problem.validation("type", "Relationship type must be lowerCamelCase letters and digits (such as contains, "
          + "connectsTo, feeds, locatedIn, observes), got '" + type + "'.");
    }
    if (!byId.containsKey(source)) {
      throw Problem.validation("source", "Relationship source '" + source + "' is not an existing entity.");
    }
    if (!byId.containsKey(target)) {
      throw Problem.validation("target", "Relationship target '" + target + "' is not an existing entity.");
    }
    checkRelationshipRoom();
    Rel r = new Rel(rid, type, source, target, props, at, ++relSeq);
    rels.put(rid, r);
    liveRels++;
    out.computeIfAbsent(source, k -> new ArrayList<>()).add(r);
    in.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
    if (changes != null) {
      changes.accept(new Change("relationship.created", source, r.toJson()));
    }
    return r;
  }

  void deleteRel(Rel r, Instant at, Consumer<Change> changes) {
    boolean wasLive = r.deletedAt == null;
    if (wasLive) {
      liveRels--;
    }
    r.deletedAt = at;
    if (changes != null) {
      changes.accept(new Change("relationship.deleted", r.source, r.toJson()));
    }
    if (wasLive) {
      retire(r);
    }
  }

  Instant stamp() {
    return now();
  }

  /** Sets the write clock (the seeded dataset is stamped at a fixed time). */
  void stampFrom(Instant t) {
    lastWrite = t;
  }

  // ---------------------------------------------------------------- spatial index

  private static long cell(double deg) {
    return (long) Math.floor(deg / CELL);
  }

  private static long key(long x, long y) {
    return (x << 32) ^ (y & 0xffffffffL);
  }

  private void index(Ent e) {
    Geo.Shape s = e.shape();
    if (s == null) {
      return;
    }
    long x0 = cell(s.minLon);
    long x1 = cell(s.maxLon);
    long y0 = cell(s.minLat);
    long y1 = cell(s.maxLat);
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 4096) {
      unindexed.add(e.seq());
      return;
    }
    for (long x = x0; x <= x1; x++) {
      for (long y = y0; y <= y1; y++) {
        grid.computeIfAbsent(key(x, y), k -> new HashSet<>()).add(e.seq());
      }
    }
  }

  private void unindex(Ent e) {
    Geo.Shape s = e.shape();
    if (s == null) {
      return;
    }
    if (unindexed.remove(e.seq())) {
      return;
    }
    for (long x = cell(s.minLon); x <= cell(s.maxLon); x++) {
      for (long y = cell(s.minLat); y <= cell(s.maxLat); y++) {
        Set<Long> c = grid.get(key(x, y));
        if (c != null) {
          c.remove(e.seq());
          if (c.isEmpty()) {
            grid.remove(key(x, y));
          }
        }
      }
    }
  }

  /** Exposes the sequence map for listings of relationships etc. */
  NavigableMap<Long, Ent> bySeq() {
    return bySeq;
  }
}
