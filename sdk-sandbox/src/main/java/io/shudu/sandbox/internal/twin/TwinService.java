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
 *
 * <p>This class routes requests and holds entities, the change feed, network analysis and statistics; queries
 * ({@link TwinQueries}), relationships and traversal ({@link TwinTraversal}), history ({@link TwinHistory}) and
 * batches ({@link TwinBatch}) each have their own file.
 */
public final class TwinService implements SandboxService {
  static final String FEED = "twin-changes";
  static final String BASE = "/twin/v1";
  static final int MAX_BATCH = 1000;
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
  /** The concerns, each in its own file. */
  final TwinQueries queries;
  final TwinTraversal traversal;
  final TwinHistory histories;
  final TwinBatch batches;

  public TwinService(SandboxContext context) {
    this.context = context;
    this.queries = new TwinQueries(this);
    this.traversal = new TwinTraversal(this);
    this.histories = new TwinHistory(this);
    this.batches = new TwinBatch(this);
    // a tenant's change feed exists (owned by it) as soon as the tenant uses the feeds, even before its first twin call
    context.feeds().onTenantUse(t -> context.feeds().declareOwned(t, feedName(t)));
  }

  SandboxContext context() {
    return context;
  }

  @Override
  public void register(Router router) {
    router.route("GET", BASE + "/entities", queries::query);
    router.route("POST", BASE + "/entities", this::create);
    router.route("GET", BASE + "/entities/{id}", this::get);
    router.route("PUT", BASE + "/entities/{id}", this::put);
    router.route("PATCH", BASE + "/entities/{id}", this::patch);
    router.route("DELETE", BASE + "/entities/{id}", this::delete);
    router.route("GET", BASE + "/entities/{id}/relationships", traversal::listRelationships);
    router.route("GET", BASE + "/entities/{id}/traverse", traversal::traverse);
    router.route("GET", BASE + "/entities/{id}/history", histories::history);
    router.route("GET", BASE + "/entities/{id}/snapshot", histories::snapshot);
    router.route("POST", BASE + "/relationships", traversal::createRelationship);
    router.route("GET", BASE + "/relationships/{id}", traversal::getRelationship);
    router.route("DELETE", BASE + "/relationships/{id}", traversal::deleteRelationship);
    router.route("POST", BASE + "/batch", batches::batch);
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
        s.limits(context.limits().maxTwinEntitiesPerTenant(), context.limits().maxTwinRelationshipsPerTenant(),
            context.limits().twinHistoryPerTenant());
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

  static String required(Request r, String name) {
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
  <T> T write(Request r, java.util.function.Function<Consumer<TwinStore.Change>, T> body) {
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

  boolean repeatsCreation(Request r, String kind, String id, JsonNode doc) {
    return io.shudu.sandbox.internal.ClientReferences.canonical(doc).equals(creations.get(creationKey(r, kind, id)));
  }

  void recordCreation(Request r, String kind, String id, JsonNode doc) {
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

  static TwinStore.Ent applyPatch(TwinStore s, TwinStore.Ent prev, JsonNode patch, String field) {
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

  static void checkPreconditions(String ifMatch, String ifNoneMatch, TwinStore.Ent current, String id) {
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

  /** Whether an If-Match or If-None-Match list names {@code etag} (weak tags compare by their opaque part; * matches). */
  static boolean etagMatches(String header, String etag) {
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
      res.put("relationships", s.relationshipCount());
      res.put("historyRetained", s.retiredCount());
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
