package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sandbox implementation of the city digital twin (docs/api/twin.md): entities with ETags, JSON Merge Patch,
 * relationships and traversal, spatial and property queries with keyset cursors, atomic batches, history, the change
 * feed ({@code twin-changes}) and pipe-network analysis. Each tenant has its own twin, seeded lazily on its first
 * request with the deterministic Lingang dataset.
 */
public final class TwinService implements SandboxService {
  static final String FEED = "twin-changes";
  private static final String BASE = "/twin/v1";
  private static final int MAX_BATCH = 1000;
  /** Most {@code filter} parameters in one query. */
  static final int MAX_FILTERS = 20;
  /** Longest {@code filter} parameter, in characters. */
  static final int MAX_FILTER_CHARS = 1_024;
  private static final Set<String> PATCHABLE = Set.of("properties", "geometry", "crs", "externalRefs");
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  private final SandboxContext context;
  private final Map<String, TwinStore> tenants = new ConcurrentHashMap<>();
  private final Map<String, PipeNetworks> networks = new ConcurrentHashMap<>();
  private volatile boolean feedUnavailableLogged;

  public TwinService(SandboxContext context) {
    this.context = context;
    // a tenant's change feed exists (owned by it) as soon as the tenant uses the feeds, even before its first twin call
    context.feeds().onTenantUse(t -> context.feeds().declareOwned(t, feedName(t)));
  }

  SandboxContext context() {
    return context;
  }

  @Override
  public void register(Router router) {
    router.route("GET", BASE + "/entities", this::query);
    router.route("POST", BASE + "/entities", this::create);
    router.route("GET", BASE + "/entities/{id}", this::get);
    router.route("PUT", BASE + "/entities/{id}", this::put);
    router.route("PATCH", BASE + "/entities/{id}", this::patch);
    router.route("DELETE", BASE + "/entities/{id}", this::delete);
    router.route("GET", BASE + "/entities/{id}/relationships", this::listRelationships);
    router.route("GET", BASE + "/entities/{id}/traverse", this::traverse);
    router.route("GET", BASE + "/entities/{id}/history", this::history);
    router.route("GET", BASE + "/entities/{id}/snapshot", this::snapshot);
    router.route("POST", BASE + "/relationships", this::createRelationship);
    router.route("GET", BASE + "/relationships/{id}", this::getRelationship);
    router.route("DELETE", BASE + "/relationships/{id}", this::deleteRelationship);
    router.route("POST", BASE + "/batch", this::batch);
    router.route("GET", BASE + "/stats", this::stats);
    router.route("GET", BASE + "/changes", r -> {
      String feed = feedName(r.tenant());
      try {
        context.feeds().declareOwned(r.tenant(), feed);
      } catch (UnsupportedOperationException e) {
        throw new Problem(501, "feeds_unavailable", "Not implemented", "The sandbox's live feeds are not available.");
      }
      ObjectNode o = NF.objectNode().put("feed", feed).put("path", "/feeds/v1/" + feed);
      ArrayNode types = o.putArray("eventTypes");
      for (String t : List.of("entity.created", "entity.updated", "entity.deleted", "relationship.created",
          "relationship.deleted")) {
        types.add(t);
      }
      return Response.ok(o);
    });
    router.route("GET", BASE + "/networks", r -> Response.ok(net(r).read(() -> graph(r).summary())));
    router.route("GET", BASE + "/networks/connected", r -> analysis(r, g -> g.connected(required(r, "from"))));
    router.route("GET", BASE + "/networks/upstream", r -> analysis(r, g -> g.directed(required(r, "from"), false)));
    router.route("GET", BASE + "/networks/downstream", r -> analysis(r, g -> g.directed(required(r, "from"), true)));
    router.route("GET", BASE + "/networks/path",
        r -> analysis(r, g -> g.shortestPath(required(r, "from"), required(r, "to"))));
    router.route("GET", BASE + "/networks/isolation", r -> analysis(r, g -> g.isolate(required(r, "segment"))));
  }

  // ------------------------------------------------------------------ tenants and stores

  /** The tenant's twin, generated on first use (deterministic from the sandbox seed). */
  TwinStore store(String tenant) {
    return tenants.computeIfAbsent(tenant, t -> {
      TwinStore s = new TwinStore(context.clock());
      s.write(() -> {
        LingangDataset.generate(s, context.seed());
        return null;
      });
      // the tenant's change feed is its own from its creation: other tenants get 404 for it and never see it listed
      context.feeds().declareOwned(t, feedName(t));
      return s;
    });
  }

  private TwinStore net(Request r) {
    return store(r.tenant());
  }

  private PipeNetworks graph(Request r) {
    TwinStore s = store(r.tenant());
    PipeNetworks g = networks.get(r.tenant());
    if (g == null || g.modCount != s.modCount()) {
      g = new PipeNetworks(s);
      networks.put(r.tenant(), g);
    }
    return g;
  }

  private Response analysis(Request r, java.util.function.Function<PipeNetworks, ObjectNode> f) {
    TwinStore s = store(r.tenant());
    return Response.ok(s.read(() -> f.apply(graph(r))));
  }

  private static String required(Request r, String name) {
    String v = r.query(name);
    if (v == null || v.isBlank()) {
      throw Problem.validation(name, "Query parameter '" + name + "' is required (an entity id).");
    }
    return v;
  }

  // ------------------------------------------------------------------ change feed

  private void publish(String tenant, List<TwinStore.Change> changes) {
    for (TwinStore.Change c : changes) {
      try {
        context.feeds().publishOwned(tenant, feedName(tenant), c.type(), c.key(), changePayload(c));
      } catch (UnsupportedOperationException e) {
        if (!feedUnavailableLogged) {
          feedUnavailableLogged = true;
          org.slf4j.LoggerFactory.getLogger(TwinService.class).debug("twin change feed not available: {}",
              e.getMessage());
        }
        return;
      }
    }
  }

  /** The change event's data: kind, entity id, and the entity or relationship as stored (see docs/api/twin.md). */
  private static ObjectNode changePayload(TwinStore.Change c) {
    ObjectNode w = NF.objectNode().put("kind", c.type()).put("entityId", c.key());
    ObjectNode p = c.payload();
    if (c.type().startsWith("relationship.")) {
      w.set("relationship", p);
      w.put("at", p.has("deletedAt") ? p.get("deletedAt").asText() : p.get("createdAt").asText());
    } else if (c.type().equals("entity.deleted")) {
      w.put("version", p.get("version").asLong()).put("at", p.get("deletedAt").asText());
    } else {
      w.set("entity", p);
      w.put("version", p.get("version").asLong()).put("at", p.get("updatedAt").asText());
    }
    return w;
  }

  /**
   * The change feed of a tenant: {@code twin-changes} for the default tenant, {@code twin-changes.<tenant>} for every
   * other one (open mode's tenant {@code open} included). Either way the feed is owned by the tenant from its creation.
   */
  static String feedName(String tenant) {
    return "demo".equals(tenant) ? FEED : FEED + "." + tenant;
  }

  /** Runs a write under the lock and publishes its changes in commit order. */
  private <T> T write(Request r, java.util.function.Function<Consumer<TwinStore.Change>, T> body) {
    TwinStore s = store(r.tenant());
    List<TwinStore.Change> changes = new ArrayList<>();
    return s.write(() -> {
      T result = body.apply(changes::add);
      publish(r.tenant(), changes);
      return result;
    });
  }

  // ------------------------------------------------------------------ entities

  private static Response entity(int status, TwinStore.Ent e) {
    Response resp = Response.json(status, e.toJson()).header("ETag", e.etag());
    if (status == 201) {
      resp.header("Location", BASE + "/entities/" + e.id());
    }
    return resp;
  }

  private Response get(Request r) {
    TwinStore s = store(r.tenant());
    TwinStore.Ent e = s.read(() -> s.require(r.pathParam("id")));
    String inm = r.header("If-None-Match");
    if (inm != null && etagMatches(inm, e)) {
      return Response.bytes(304, "application/json", new byte[0]).header("ETag", e.etag());
    }
    return entity(200, e);
  }

  /**
   * Twin ids are chosen by the client, so the id is a create's client reference: per tenant, the canonical body of
   * the create that made each entity or relationship still in place. A repeated create with the same id and the same
   * body answers with what exists (200, {@code Client-Reference-Replayed: true}) instead of a conflict.
   */
  private final Map<String, String> creations = new java.util.concurrent.ConcurrentHashMap<>();

  private static String creationKey(Request r, String kind, String id) {
    return r.tenant() + '\u0000' + kind + '\u0000' + id;
  }

  private boolean repeatsCreation(Request r, String kind, String id, JsonNode doc) {
    return io.shudu.sandbox.internal.ClientReferences.canonical(doc).equals(creations.get(creationKey(r, kind, id)));
  }

  private void recordCreation(Request r, String kind, String id, JsonNode doc) {
    creations.put(creationKey(r, kind, id), io.shudu.sandbox.internal.ClientReferences.canonical(doc));
  }

  private Response create(Request r) {
    JsonNode doc = r.json();
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      String id = doc.path("id").asText("");
      if (id.isEmpty()) {
        throw Problem.validation("id", "id is required: every twin entity has a caller-chosen id such as "
            + "'lg-bldg-0001'.");
      }
      if (s.get(id) != null) {
        if (repeatsCreation(r, "entity", id, doc)) {
          return entity(200, s.get(id)).header("Client-Reference-Replayed", "true");
        }
        throw Problem.conflict("entity_exists", "An entity with id '" + id + "' already exists, created by a "
            + "different request. Use PUT with If-Match to replace it, or PATCH to update it.");
      }
      Response created = entity(201, s.put(s.build(doc, null, null, s.stamp(), "entity"), changes));
      recordCreation(r, "entity", id, doc);
      return created;
    });
  }

  private Response put(Request r) {
    JsonNode doc = r.json();
    String id = r.pathParam("id");
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      TwinStore.Ent prev = s.get(id);
      boolean createOnly = r.header("If-None-Match") != null && r.header("If-None-Match").trim().equals("*");
      if (createOnly && prev != null && repeatsCreation(r, "entity", id, doc)) {
        return entity(200, prev).header("Client-Reference-Replayed", "true");
      }
      checkPreconditions(r.header("If-Match"), r.header("If-None-Match"), prev, id);
      TwinStore.Ent next = s.put(s.build(doc, id, prev, s.stamp(), "entity"), changes);
      if (prev == null) {
        recordCreation(r, "entity", id, doc);
      }
      return entity(prev == null ? 201 : 200, next);
    });
  }

  private Response patch(Request r) {
    String ct = r.header("Content-Type");
    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/merge-patch+json")) {
      throw Problem.unsupportedMediaType("PATCH takes a JSON Merge Patch (RFC 7396): send Content-Type: "
          + "application/merge-patch+json, got " + (ct == null ? "none" : "'" + ct + "'") + ".");
    }
    JsonNode patch = r.json();
    String id = r.pathParam("id");
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      TwinStore.Ent prev = s.require(id);
      checkPreconditions(r.header("If-Match"), null, prev, id);
      return entity(200, s.put(applyPatch(s, prev, patch, "patch"), changes));
    });
  }

  private Response delete(Request r) {
    String id = r.pathParam("id");
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      TwinStore.Ent prev = s.require(id);
      checkPreconditions(r.header("If-Match"), null, prev, id);
      s.delete(prev, s.stamp(), changes);
      return Response.noContent();
    });
  }

  private static TwinStore.Ent applyPatch(TwinStore s, TwinStore.Ent prev, JsonNode patch, String field) {
    if (patch == null || !patch.isObject()) {
      throw Problem.validation(field, field + " must be a JSON object (RFC 7396 merge patch).");
    }
    for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!PATCHABLE.contains(k)) {
        throw Problem.validation(field + "." + k, "'" + k + "' cannot be patched; a merge patch may change only "
            + new java.util.TreeSet<>(PATCHABLE) + " (id, type, version and timestamps are managed by the platform).");
      }
    }
    ObjectNode doc = prev.toJson();
    JsonNode merged = Json.mergePatch(doc, patch);
    return s.build(merged, prev.id(), prev, s.stamp(), field);
  }

  private static void checkPreconditions(String ifMatch, String ifNoneMatch, TwinStore.Ent current, String id) {
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw Problem.validation("If-None-Match", "On writes, If-None-Match supports only '*' (create only if the "
            + "entity does not exist).");
      }
      if (current != null) {
        throw Problem.preconditionFailed("Entity '" + id + "' already exists (If-None-Match: *). Read it and use "
            + "If-Match to replace it, or choose another id.").header("ETag", current.etag());
      }
    }
    if (ifMatch != null) {
      if (current == null) {
        throw Problem.preconditionFailed("Entity '" + id + "' does not exist, so If-Match " + ifMatch
            + " cannot match.");
      }
      if (!etagMatches(ifMatch, current)) {
        throw Problem.preconditionFailed("Entity '" + id + "' was changed by someone else: If-Match " + ifMatch
            + " does not match the current ETag " + current.etag() + " (version " + current.version() + "). Read it "
            + "again, re-apply your change and retry.").header("ETag", current.etag())
            .with("currentEtag", current.etag()).with("currentVersion", current.version());
      }
    }
  }

  private static boolean etagMatches(String header, TwinStore.Ent e) {
    return etagMatches(header, e.etag());
  }

  private static boolean etagMatches(String header, String etag) {
    for (String part : header.split(",")) {
      String t = part.trim();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ queries

  private Response query(Request r) {
    TwinStore.Query q = parseQuery(r);
    int limit = r.queryInt("limit", 100, 1, 1000);
    String hash = queryHash(r);
    long after = decodeCursor(r.query("cursor"), hash);
    TwinStore s = store(r.tenant());
    List<TwinStore.Ent> found = s.read(() -> s.query(q, after, limit));
    return page(found, limit, hash, TwinStore.Ent::toJson, TwinStore.Ent::seq);
  }

  private static <T> Response page(List<T> found, int limit, String hash, java.util.function.Function<T, JsonNode> json,
      java.util.function.ToLongFunction<T> seq) {
    ObjectNode out = NF.objectNode();
    ArrayNode items = out.putArray("items");
    int n = Math.min(limit, found.size());
    for (int i = 0; i < n; i++) {
      items.add(json.apply(found.get(i)));
    }
    if (found.size() > limit) {
      out.put("continuationToken", encodeCursor(seq.applyAsLong(found.get(limit - 1)), hash));
    }
    return Response.ok(out);
  }

  static TwinStore.Query parseQuery(Request r) {
    Set<String> types = null;
    List<String> typeParams = r.queryParams().getOrDefault("type", List.of());
    if (!typeParams.isEmpty()) {
      types = new LinkedHashSet<>();
      for (String t : typeParams) {
        for (String x : t.split(",")) {
          String tt = x.trim();
          if (!TwinStore.TYPES.contains(tt)) {
            throw Problem.validation("type", "type '" + tt + "' is unknown; use one of "
                + new java.util.TreeSet<>(TwinStore.TYPES) + ".");
          }
          types.add(tt);
        }
      }
    }
    List<Predicate<TwinStore.Ent>> filters = new ArrayList<>();
    List<String> filterParams = r.queryParams().getOrDefault("filter", List.of());
    if (filterParams.size() > MAX_FILTERS) {
      throw Problem.limit("maxFilters", MAX_FILTERS, "The query has " + filterParams.size() + " filter parameters, "
          + "more than the limit maxFilters (" + MAX_FILTERS + "); combine conditions or narrow by type and area.")
          .with("parameter", "filter");
    }
    for (String f : filterParams) {
      filters.add(filter(f));
    }
    double[] bbox = null;
    String b = r.query("bbox");
    if (b != null) {
      bbox = numbers(b, 4, "bbox", "minLon,minLat,maxLon,maxLat");
      if (bbox[0] > bbox[2] || bbox[1] > bbox[3]) {
        throw Problem.validation("bbox", "bbox must be minLon,minLat,maxLon,maxLat with min <= max, got " + b + ".");
      }
      if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90) {
        throw Problem.validation("bbox", "bbox is out of range: longitudes in [-180, 180], latitudes in [-90, 90].");
      }
    }
    Geo.Shape within = null;
    String w = r.query("within");
    if (w != null) {
      within = Geo.parse(jsonParam(w, "within"), "within");
      if (within.polygons.isEmpty()) {
        throw Problem.validation("within", "within must be a Polygon or MultiPolygon (an area to search in).");
      }
    }
    Geo.Shape intersects = null;
    String i = r.query("intersects");
    if (i != null) {
      intersects = Geo.parse(jsonParam(i, "intersects"), "intersects");
    }
    double[] near = null;
    double distance = 0;
    String n = r.query("near");
    if (n != null) {
      near = numbers(n, 2, "near", "lon,lat");
      if (near[0] < -180 || near[0] > 180 || near[1] < -90 || near[1] > 90) {
        throw Problem.validation("near", "near must be lon,lat within [-180, 180] and [-90, 90], got " + n + ".");
      }
      String d = r.query("distance");
      if (d == null) {
        throw Problem.validation("distance", "near needs distance, the search radius in metres (0-50000).");
      }
      distance = numbers(d, 1, "distance", "metres")[0];
      if (distance < 0 || distance > 50_000) {
        throw Problem.validation("distance", "distance must be between 0 and 50000 metres, got " + d + ".");
      }
    } else if (r.query("distance") != null) {
      throw Problem.validation("near", "distance is given without near=lon,lat.");
    }
    Double minDepth = optionalNumber(r, "minDepth");
    Double maxDepth = optionalNumber(r, "maxDepth");
    if (minDepth != null && maxDepth != null && minDepth > maxDepth) {
      throw Problem.validation("minDepth", "minDepth (" + minDepth + ") must not exceed maxDepth (" + maxDepth + ").");
    }
    if ((minDepth != null && minDepth < 0) || (maxDepth != null && maxDepth < 0)) {
      throw Problem.validation("minDepth", "Depths are metres below ground and must be >= 0.");
    }
    for (String k : r.queryParams().keySet()) {
      if (!Set.of("type", "filter", "bbox", "within", "intersects", "near", "distance", "minDepth", "maxDepth",
          "limit", "cursor").contains(k)) {
        throw Problem.validation(k, "Unknown query parameter '" + k + "'. Use type, filter, bbox, within, intersects, "
            + "near + distance, minDepth, maxDepth, limit, cursor.");
      }
    }
    return new TwinStore.Query(types, filters, bbox, within, intersects, near, distance, minDepth, maxDepth);
  }

  private static Double optionalNumber(Request r, String name) {
    String v = r.query(name);
    return v == null ? null : numbers(v, 1, name, "metres")[0];
  }

  private static JsonNode jsonParam(String v, String name) {
    try {
      return Request.readJson(v.getBytes(StandardCharsets.UTF_8));
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw Request.jsonLimit(e, "query parameter " + name);
    } catch (Exception e) {
      throw Problem.validation(name, name + " must be a GeoJSON geometry (URL-encoded JSON), such as "
          + "{\"type\":\"Polygon\",\"coordinates\":[[[121.90,30.92],[121.91,30.92],[121.91,30.93],[121.90,30.92]]]}.");
    }
  }

  private static double[] numbers(String v, int count, String name, String shape) {
    String[] parts = v.split(",");
    if (parts.length != count) {
      throw Problem.validation(name, name + " must be " + shape + " (" + count + " comma-separated numbers), got '"
          + v + "'.");
    }
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw Problem.validation(name, name + " must be " + shape + " of numbers; '" + parts[i] + "' is not a number.");
      }
      if (!Double.isFinite(out[i])) {
        throw Problem.validation(name, name + " must hold finite numbers.");
      }
    }
    return out;
  }

  static Predicate<TwinStore.Ent> filter(String f) {
    if (f.length() > MAX_FILTER_CHARS) {
      throw Problem.limit("maxFilterLength", MAX_FILTER_CHARS, "A filter parameter is " + f.length() + " characters "
          + "long, more than the limit maxFilterLength (" + MAX_FILTER_CHARS + ").").with("parameter", "filter");
    }
    // <space><property><space><op><space><value><space>, scanned once from left to right: linear in the length
    int n = f.length();
    int i = skipSpace(f, 0);
    int nameStart = i;
    if (i < n && (asciiLetter(f.charAt(i)) || f.charAt(i) == '_')) {
      i++;
      while (i < n && (asciiLetter(f.charAt(i)) || f.charAt(i) == '_' || (f.charAt(i) >= '0' && f.charAt(i) <= '9'))) {
        i++;
      }
    }
    String prop = f.substring(nameStart, i);
    i = skipSpace(f, i);
    String op = operatorAt(f, i);
    int end = n;
    while (end > i && isSpace(f.charAt(end - 1))) {
      end--;
    }
    int valueStart = op == null ? end : Math.min(end, skipSpace(f, i + op.length()));
    String raw = f.substring(valueStart, end);
    if (prop.isEmpty() || op == null || raw.isEmpty() || raw.chars().anyMatch(c -> c == '\n' || c == '\r'
        || c == '\u0085' || c == '\u2028' || c == '\u2029')) {
      throw Problem.validation("filter", "filter '" + f + "' must look like <property><op><value> with op one of "
          + "== != > >= < <=, for example height>=30 or use==office.");
    }
    Object value;
    if ((raw.startsWith("'") && raw.endsWith("'") && raw.length() >= 2)
        || (raw.startsWith("\"") && raw.endsWith("\"") && raw.length() >= 2)) {
      value = raw.substring(1, raw.length() - 1);
    } else if (raw.equals("true") || raw.equals("false")) {
      value = Boolean.parseBoolean(raw);
    } else {
      try {
        value = Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        value = raw;
      }
    }
    if (value instanceof Boolean && !op.equals("==") && !op.equals("!=")) {
      throw Problem.validation("filter", "filter '" + f + "': booleans compare only with == or !=.");
    }
    Object expected = value;
    return e -> {
      JsonNode v = e.properties().path(prop).path("value");
      if (v.isMissingNode() || v.isNull()) {
        return false;
      }
      if (v.isArray()) {
        if (!op.equals("==") && !op.equals("!=")) {
          return false;
        }
        boolean contains = false;
        for (JsonNode x : v) {
          Integer c = compare(x, expected);
          contains |= c != null && c == 0;
        }
        return op.equals("==") == contains;
      }
      Integer c = compare(v, expected);
      if (c == null) {
        return op.equals("!=");
      }
      return switch (op) {
        case "==" -> c == 0;
        case "!=" -> c != 0;
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        default -> c <= 0;
      };
    };
  }

  private static String operatorAt(String f, int i) {
    for (String candidate : List.of("==", "!=", ">=", "<=", ">", "<")) {
      if (f.startsWith(candidate, i)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static int skipSpace(String s, int from) {
    int i = from;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Compares a property value with a filter value; null when they are of different kinds. */
  private static Integer compare(JsonNode v, Object expected) {
    if (expected instanceof Double d) {
      if (v.isNumber()) {
        return Double.compare(v.asDouble(), d);
      }
      return v.isTextual() ? Integer.valueOf(v.asText().compareTo(stripZero(d))) : null;
    }
    if (expected instanceof Boolean bo) {
      return v.isBoolean() ? Boolean.compare(v.asBoolean(), bo) : null;
    }
    return v.isTextual() ? Integer.valueOf(v.asText().compareTo((String) expected)) : v.isNumber()
        ? Integer.valueOf(v.asText().compareTo((String) expected)) : null;
  }

  private static String stripZero(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String queryHash(Request r) {
    TreeMap<String, List<String>> q = new TreeMap<>(r.queryParams());
    q.remove("cursor");
    q.remove("limit");
    return Integer.toHexString(q.toString().hashCode());
  }

  static String encodeCursor(long seq, String hash) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("c1." + seq + "." + hash)
        .getBytes(StandardCharsets.UTF_8));
  }

  static long decodeCursor(String cursor, String hash) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\.");
      if (parts.length != 3 || !parts[0].equals("c1")) {
        throw new IllegalArgumentException("shape");
      }
      if (!parts[2].equals(hash)) {
        throw Problem.validation("cursor", "This cursor belongs to a different query: resume with exactly the same "
            + "parameters (type, filter, spatial and depth) as the page that returned it.");
      }
      return Long.parseLong(parts[1]);
    } catch (IllegalArgumentException e) {
      throw Problem.validation("cursor", "cursor is not a continuation token of this service; pass the "
          + "continuationToken of the previous page unchanged.");
    }
  }

  // ------------------------------------------------------------------ relationships and traversal

  private Response createRelationship(Request r) {
    JsonNode doc = r.json();
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      String id = doc.hasNonNull("id") ? doc.get("id").asText() : null;
      ObjectNode props = NF.objectNode();
      JsonNode p = doc.get("properties");
      if (p != null && !p.isNull()) {
        if (!p.isObject()) {
          throw Problem.validation("properties", "properties must be an object of name -> {\"value\", \"unit\"}.");
        }
        TwinStore.Ent probe = s.build(NF.objectNode().put("id", "probe").put("type", "scene").set("properties", p),
            null, null, Instant.EPOCH, "relationship");
        props = probe.properties();
      }
      for (String f : List.of("type", "source", "target")) {
        if (!doc.path(f).isTextual() || doc.get(f).asText().isBlank()) {
          throw Problem.validation(f, f + " is required (a relationship has a type, a source and a target entity id).");
        }
      }
      TwinStore.Rel rel;
      try {
        rel = s.addRel(id, doc.get("type").asText(), doc.get("source").asText(),
            doc.get("target").asText(), props, s.stamp(), changes);
      } catch (Problem exists) {
        if (id != null && "relationship_exists".equals(exists.code())
            && repeatsCreation(r, "relationship", id, doc)) {
          TwinStore.Rel existing = s.relationship(id);
          return Response.ok(existing.toJson()).header("Client-Reference-Replayed", "true")
              .header("ETag", existing.etag());
        }
        throw exists;
      }
      if (id != null) {
        recordCreation(r, "relationship", id, doc);
      }
      return Response.created(rel.toJson(), BASE + "/relationships/" + rel.id).header("ETag", rel.etag());
    });
  }

  private Response getRelationship(Request r) {
    TwinStore s = store(r.tenant());
    TwinStore.Rel rel = s.read(() -> s.relationship(r.pathParam("id")));
    return Response.ok(rel.toJson()).header("ETag", rel.etag());
  }

  private Response deleteRelationship(Request r) {
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      TwinStore.Rel rel = s.relationship(r.pathParam("id"));
      String ifMatch = r.header("If-Match");
      if (ifMatch != null && !etagMatches(ifMatch, rel.etag())) {
        throw Problem.preconditionFailed("Relationship '" + rel.id + "' is not the one you read: If-Match " + ifMatch
            + " does not match its ETag " + rel.etag() + " (it was deleted and created again). Read it again.")
            .header("ETag", rel.etag());
      }
      s.deleteRel(rel, s.stamp(), changes);
      return Response.noContent();
    });
  }

  private Response listRelationships(Request r) {
    String id = r.pathParam("id");
    String direction = r.query("direction") == null ? "outgoing" : r.query("direction");
    if (!direction.equals("outgoing") && !direction.equals("incoming")) {
      throw Problem.validation("direction", "direction must be outgoing or incoming, got '" + direction + "'.");
    }
    Set<String> types = csv(r, "type");
    int limit = r.queryInt("limit", 100, 1, 1000);
    String hash = queryHash(r) + id;
    long after = decodeCursor(r.query("cursor"), Integer.toHexString(hash.hashCode()));
    TwinStore s = store(r.tenant());
    List<TwinStore.Rel> found = s.read(() -> {
      s.require(id);
      List<TwinStore.Rel> l = new ArrayList<>();
      for (TwinStore.Rel rel : s.relationships(id, direction.equals("outgoing"))) {
        if (rel.seq > after && (types == null || types.contains(rel.type)) && l.size() <= limit) {
          l.add(rel);
        }
      }
      return l;
    });
    return page(found, limit, Integer.toHexString(hash.hashCode()), TwinStore.Rel::toJson, rel -> rel.seq);
  }

  private static Set<String> csv(Request r, String name) {
    List<String> vs = r.queryParams().get(name);
    if (vs == null || vs.isEmpty()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (String v : vs) {
      for (String x : v.split(",")) {
        if (!x.isBlank()) {
          out.add(x.trim());
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  private Response traverse(Request r) {
    String start = r.pathParam("id");
    int hops = r.queryInt("hops", 1, 1, 10);
    int limit = r.queryInt("limit", 1000, 1, 10_000);
    String direction = r.query("direction") == null ? "outgoing" : r.query("direction");
    if (!Set.of("outgoing", "incoming", "both").contains(direction)) {
      throw Problem.validation("direction", "direction must be outgoing, incoming or both, got '" + direction + "'.");
    }
    Set<String> relTypes = csv(r, "relationshipType");
    Set<String> entityTypes = csv(r, "entityType");
    if (entityTypes != null) {
      for (String t : entityTypes) {
        if (!TwinStore.TYPES.contains(t)) {
          throw Problem.validation("entityType", "entityType '" + t + "' is unknown; use one of "
              + new java.util.TreeSet<>(TwinStore.TYPES) + ".");
        }
      }
    }
    TwinStore s = store(r.tenant());
    ObjectNode out = s.read(() -> {
      s.require(start);
      Map<String, Integer> depth = new LinkedHashMap<>();
      depth.put(start, 0);
      ArrayDeque<String> q = new ArrayDeque<>();
      q.add(start);
      List<TwinStore.Rel> rels = new ArrayList<>();
      boolean truncated = false;
      while (!q.isEmpty()) {
        String cur = q.poll();
        int d = depth.get(cur);
        if (d >= hops) {
          continue;
        }
        List<TwinStore.Rel> next = new ArrayList<>();
        if (!direction.equals("incoming")) {
          next.addAll(s.relationships(cur, true));
        }
        if (!direction.equals("outgoing")) {
          next.addAll(s.relationships(cur, false));
        }
        for (TwinStore.Rel rel : next) {
          if (relTypes != null && !relTypes.contains(rel.type)) {
            continue;
          }
          String o = rel.source.equals(cur) ? rel.target : rel.source;
          if (!depth.containsKey(o)) {
            if (depth.size() > limit) {
              truncated = true;
              break;
            }
            depth.put(o, d + 1);
            q.add(o);
          }
          rels.add(rel);
        }
      }
      ObjectNode res = NF.objectNode();
      res.put("start", start).put("hops", hops).put("direction", direction).put("truncated", truncated);
      ArrayNode nodes = res.putArray("nodes");
      depth.forEach((id, d) -> {
        TwinStore.Ent e = s.get(id);
        if (d > 0 && e != null && (entityTypes == null || entityTypes.contains(e.type()))) {
          nodes.addObject().put("depth", d).set("entity", e.toJson());
        }
      });
      ArrayNode ra = res.putArray("relationships");
      Set<String> seenRel = new HashSet<>();
      for (TwinStore.Rel rel : rels) {
        if (seenRel.add(rel.id)) {
          ra.add(rel.toJson());
        }
      }
      return res;
    });
    return Response.ok(out);
  }

  // ------------------------------------------------------------------ history

  private static Instant instant(Request r, String name, Instant def) {
    String v = r.query(name);
    if (v == null || v.isEmpty()) {
      if (def == null) {
        throw Problem.validation(name, "Query parameter '" + name + "' is required: an ISO-8601 instant such as "
            + "2026-01-01T00:00:00Z.");
      }
      return def;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw Problem.validation(name, name + " must be an ISO-8601 instant in UTC such as 2026-01-01T08:00:00Z, got '"
          + v + "'.");
    }
  }

  private Response history(Request r) {
    String id = r.pathParam("id");
    String prop = required(r, "property");
    Instant from = instant(r, "from", Instant.EPOCH);
    Instant to = instant(r, "to", Instant.now(context.clock()).plusSeconds(1));
    if (from.isAfter(to)) {
      throw Problem.validation("from", "from (" + from + ") must not be after to (" + to + ").");
    }
    TwinStore s = store(r.tenant());
    ObjectNode out = s.read(() -> {
      List<TwinStore.Ent> versions = s.versions(id);
      if (versions.isEmpty()) {
        throw Problem.notFound("No twin entity with id '" + id + "' ever existed.");
      }
      ObjectNode res = NF.objectNode();
      res.put("entityId", id).put("property", prop).put("from", from.toString()).put("to", to.toString());
      ArrayNode values = res.putArray("values");
      ObjectNode open = null;
      JsonNode openValue = null;
      for (int i = 0; i < versions.size(); i++) {
        TwinStore.Ent v = versions.get(i);
        Instant start = v.updatedAt();
        Instant end = i + 1 < versions.size() ? versions.get(i + 1).updatedAt() : null;
        if (start.isAfter(to) || (end != null && !end.isAfter(from))) {
          continue;
        }
        JsonNode pv = v.deleted() ? null : v.properties().get(prop);
        if (open != null && java.util.Objects.equals(openValue, pv)) {
          if (end == null) {
            open.remove("validTo");
          } else {
            open.put("validTo", end.toString());
          }
          continue;
        }
        if (v.deleted()) {
          open = null;
          openValue = null;
          continue;
        }
        open = values.addObject();
        open.put("version", v.version()).put("validFrom", start.toString());
        if (end != null) {
          open.put("validTo", end.toString());
        }
        if (pv == null) {
          open.putNull("value");
        } else {
          open.set("value", pv.get("value"));
          if (pv.has("unit")) {
            open.put("unit", pv.get("unit").asText());
          }
        }
        openValue = pv;
      }
      return res;
    });
    return Response.ok(out);
  }

  private Response snapshot(Request r) {
    String id = r.pathParam("id");
    Instant at = instant(r, "at", null);
    TwinStore s = store(r.tenant());
    ObjectNode out = s.read(() -> {
      TwinStore.Ent e = s.asOf(id, at);
      if (e == null) {
        throw Problem.notFound("Entity '" + id + "' did not exist at " + at + ".");
      }
      ObjectNode res = NF.objectNode();
      res.put("at", at.toString());
      res.set("entity", e.toJson());
      ArrayNode outRel = res.putArray("outgoing");
      s.relationshipsAt(id, true, at).forEach(x -> outRel.add(strip(x.toJson())));
      ArrayNode inRel = res.putArray("incoming");
      s.relationshipsAt(id, false, at).forEach(x -> inRel.add(strip(x.toJson())));
      return res;
    });
    return Response.ok(out);
  }

  private static ObjectNode strip(ObjectNode rel) {
    rel.remove("deletedAt");
    return rel;
  }

  // ------------------------------------------------------------------ batch

  private Response batch(Request r) {
    JsonNode doc = r.json();
    JsonNode ops = doc.get("operations");
    if (ops == null || !ops.isArray() || ops.isEmpty()) {
      throw Problem.validation("operations", "operations must be a non-empty array of {op, id, entity|patch, "
          + "ifMatch}.");
    }
    if (ops.size() > MAX_BATCH) {
      throw Problem.validation("operations", "A batch holds at most 1,000 operations, got " + ops.size()
          + "; split it into several batches (each is atomic on its own).");
    }
    return write(r, changes -> {
      TwinStore s = store(r.tenant());
      Map<String, TwinStore.Ent> staged = new HashMap<>();
      Set<String> deleted = new HashSet<>();
      List<Object[]> plan = new ArrayList<>();
      Instant at = s.stamp();
      for (int i = 0; i < ops.size(); i++) {
        JsonNode op = ops.get(i);
        try {
          plan.add(stage(s, op, i, staged, deleted, at));
        } catch (Problem p) {
          Problem wrapped = new Problem(p.status(), p.code(), p.title(), "operations[" + i + "] ("
              + op.path("op").asText("?") + " " + op.path("id").asText("?") + "): " + p.getMessage()
              + " Nothing in the batch was applied.");
          wrapped.extensions().putAll(p.extensions());
          wrapped.with("failedIndex", i);
          throw wrapped;
        }
      }
      ObjectNode out = NF.objectNode();
      ArrayNode results = out.putArray("results");
      for (int i = 0; i < plan.size(); i++) {
        Object[] step = plan.get(i);
        String kind = (String) step[0];
        ObjectNode res = results.addObject().put("index", i).put("op", kind);
        if (kind.equals("delete")) {
          String id = (String) step[1];
          s.delete(s.get(id), at, changes);
          res.put("id", id).put("status", 204);
        } else {
          TwinStore.Ent e = (TwinStore.Ent) step[1];
          boolean existed = s.get(e.id()) != null;
          TwinStore.Ent stored = s.put(e, changes);
          res.put("id", stored.id()).put("status", existed ? 200 : 201).put("version", stored.version())
              .put("etag", stored.etag());
        }
      }
      return Response.ok(out);
    });
  }

  private static Object[] stage(TwinStore s, JsonNode op, int i, Map<String, TwinStore.Ent> staged,
      Set<String> deleted, Instant at) {
    if (!op.isObject()) {
      throw Problem.validation("operations[" + i + "]", "each operation must be an object.");
    }
    String kind = op.path("op").asText("");
    String id = op.path("id").asText(op.path("entity").path("id").asText(""));
    if (id.isEmpty()) {
      throw Problem.validation("operations[" + i + "].id", "id is required.");
    }
    TwinStore.Ent current = staged.containsKey(id) ? staged.get(id) : deleted.contains(id) ? null : s.get(id);
    String ifMatch = op.hasNonNull("ifMatch") ? op.get("ifMatch").asText() : null;
    TwinStore.Ent next;
    switch (kind) {
      case "create" -> {
        if (current != null) {
          throw Problem.conflict("entity_exists", "An entity with id '" + id + "' already exists.");
        }
        next = s.build(op.get("entity"), id, null, at, "operations[" + i + "].entity");
      }
      case "upsert" -> {
        checkPreconditions(ifMatch, null, current, id);
        next = s.build(op.get("entity"), id, current, at, "operations[" + i + "].entity");
      }
      case "replace" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to replace.");
        }
        checkPreconditions(ifMatch, null, current, id);
        next = s.build(op.get("entity"), id, current, at, "operations[" + i + "].entity");
      }
      case "update" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to update.");
        }
        checkPreconditions(ifMatch, null, current, id);
        next = applyPatch(s, current, op.get("patch"), "operations[" + i + "].patch");
      }
      case "delete" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to delete.");
        }
        checkPreconditions(ifMatch, null, current, id);
        staged.remove(id);
        deleted.add(id);
        return new Object[] {"delete", id};
      }
      default -> throw Problem.validation("operations[" + i + "].op", "op must be create, upsert, replace, update "
          + "or delete, got '" + kind + "'.");
    }
    staged.put(id, next);
    deleted.remove(id);
    return new Object[] {kind, next};
  }

  // ------------------------------------------------------------------ stats

  private Response stats(Request r) {
    TwinStore s = store(r.tenant());
    ObjectNode out = s.read(() -> {
      ObjectNode res = NF.objectNode();
      TreeMap<String, Integer> byType = new TreeMap<>();
      TreeMap<String, Integer> structures = new TreeMap<>();
      for (TwinStore.Ent e : s.all()) {
        byType.merge(e.type(), 1, Integer::sum);
        if (e.type().equals("undergroundStructure")) {
          structures.merge(String.valueOf(e.text("kind")), 1, Integer::sum);
        }
      }
      res.put("entities", s.size());
      ObjectNode t = res.putObject("byType");
      byType.forEach(t::put);
      ObjectNode k = res.putObject("undergroundStructuresByKind");
      structures.forEach(k::put);
      res.set("networks", graph(r).summary());
      return res;
    });
    return Response.ok(out);
  }
}
