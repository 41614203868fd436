package io.shudu.twin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.ClientException;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.geo.Geometry;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.core.internal.GeoJsonCodec;
import io.shudu.core.internal.Json;
import io.shudu.twin.BatchOperation;
import io.shudu.twin.BatchResult;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityPatch;
import io.shudu.twin.EntitySnapshot;
import io.shudu.twin.EntityType;
import io.shudu.twin.IsolationResult;
import io.shudu.twin.NetworkPath;
import io.shudu.twin.NetworkTrace;
import io.shudu.twin.PropertyHistory;
import io.shudu.twin.Relationship;
import io.shudu.twin.Traversal;
import io.shudu.twin.TraversalResult;
import io.shudu.twin.TwinEntities;
import io.shudu.twin.TwinHistory;
import io.shudu.twin.TwinNetworks;
import io.shudu.twin.TwinQuery;
import io.shudu.twin.TwinRelationships;
import io.shudu.twin.TwinStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Implementations of the twin sub-APIs over the core pipeline ({@link ApiClient}). */
public final class TwinApis {
  private static final String BASE = "/twin/v1";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private TwinApis() {}

  /** A page as the platform sends it. */
  record PageDto<T>(List<T> items, String continuationToken) {}

  private static final TypeReference<PageDto<Entity>> ENTITY_PAGE = new TypeReference<>() {};
  private static final TypeReference<PageDto<Relationship>> REL_PAGE = new TypeReference<>() {};

  static String checkId(String id, String field) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-blank entity id");
    }
    return id;
  }

  /** Runs {@code call}; a synchronous failure (bad arguments) becomes a failed future: async forms never throw. */
  static <T> CompletableFuture<T> async(java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static <T> Versioned<T> versioned(ApiResponse r, T value, String fallbackEtag, String what) {
    String etag = r.etag() != null ? r.etag() : fallbackEtag;
    if (etag == null) {
      throw new ClientException(what + ": the platform sent no ETag", null, false);
    }
    return new Versioned<>(value, etag);
  }

  /** The wire form of a query: (name, value) query parameters in a stable order. */
  static List<String[]> queryParameters(TwinQuery q) {
    List<String[]> p = new java.util.ArrayList<>();
    for (EntityType t : q.types()) {
      p.add(new String[] {"type", t.wireName()});
    }
    for (TwinQuery.Filter f : q.filters()) {
      Object value = f.value();
      String v;
      if (value instanceof String str) {
        v = "'" + str + "'";
      } else if (value instanceof Double || value instanceof Float) {
        v = Double.toString(((Number) value).doubleValue());
      } else {
        v = value.toString();
      }
      p.add(new String[] {"filter", f.property() + f.op().symbol() + v});
    }
    q.bbox().ifPresent(b -> p.add(new String[] {"bbox",
        String.format(Locale.ROOT, "%s,%s,%s,%s", b[0], b[1], b[2], b[3])}));
    q.within().ifPresent(g -> p.add(new String[] {"within", GeoJsonCodec.write(g)}));
    q.intersects().ifPresent(g -> p.add(new String[] {"intersects", GeoJsonCodec.write(g)}));
    q.near().ifPresent(n -> {
      p.add(new String[] {"near", n.lon() + "," + n.lat()});
      p.add(new String[] {"distance", Double.toString(q.nearMeters())});
    });
    if (q.minDepth().isPresent()) {
      p.add(new String[] {"minDepth", Double.toString(q.minDepth().getAsDouble())});
      p.add(new String[] {"maxDepth", Double.toString(q.maxDepth().getAsDouble())});
    }
    return p;
  }

  /**
   * The JSON merge-patch document of an {@code EntityPatch} as a tree in which null members stay (they remove
   * members, RFC 7396); geometries are written by sdk-core's GeoJSON codec.
   */
  static ObjectNode patchTree(Map<String, Object> doc) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, Object> e : doc.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        o.putNull(e.getKey());
      } else if (v instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> inner = (Map<String, Object>) m;
        o.set(e.getKey(), patchTree(inner));
      } else if (v instanceof Geometry g) {
        o.set(e.getKey(), GeoJsonCodec.toTree(g));
      } else {
        o.set(e.getKey(), Json.mapper().valueToTree(v));
      }
    }
    return o;
  }

  private static byte[] bytes(Object tree) {
    try {
      return Json.mapper().writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("could not serialise the request: " + e.getOriginalMessage(), e);
    }
  }

  /** Entities. */
  public static final class Entities implements TwinEntities {
    private final ApiClient api;
    private final RequestOptions options;

    /**
     * Creates the entity API.
     *
     * @param api the pipeline
     * @param options per-call options
     */
    public Entities(ApiClient api, RequestOptions options) {
      this.api = api;
      this.options = options;
    }

    private ApiRequest.Builder req(String op, String method, String path, Object... args) {
      return ApiRequest.builder("twin.entities." + op, method, BASE + path, args).options(options);
    }

    private ApiRequest putRequest(String op, Entity e, String ifMatch, boolean createOnly) {
      java.util.Objects.requireNonNull(e, "entity");
      return req(op, "PUT", "/entities/{}", e.id()).json(e).header("If-Match", ifMatch)
          .header("If-None-Match", createOnly ? "*" : null).build();
    }

    @Override
    public Entity create(Entity entity) {
      return api.call(putRequest("create", entity, null, true), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> createAsync(Entity entity) {
      return async(() -> api.callAsync(putRequest("create", entity, null, true), Entity.class));
    }

    @Override
    public Entity upsert(Entity entity) {
      return api.call(putRequest("upsert", entity, null, false), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> upsertAsync(Entity entity) {
      return async(() -> api.callAsync(putRequest("upsert", entity, null, false), Entity.class));
    }

    private ApiRequest replaceRequest(Entity entity) {
      java.util.Objects.requireNonNull(entity, "entity");
      if (entity.etag() == null) {
        throw new IllegalArgumentException("entity.etag is null: replace is conditional. Read the entity first (get) "
            + "and modify it with toBuilder(), or use upsert for an unconditional write.");
      }
      return putRequest("replace", entity, entity.etag(), false);
    }

    @Override
    public Entity replace(Entity entity) {
      return api.call(replaceRequest(entity), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> replaceAsync(Entity entity) {
      return async(() -> api.callAsync(replaceRequest(entity), Entity.class));
    }

    @Override
    public Entity get(String id) {
      return api.call(req("get", "GET", "/entities/{}", checkId(id, "id")).build(), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> getAsync(String id) {
      return async(() -> api.callAsync(req("get", "GET", "/entities/{}", checkId(id, "id")).build(), Entity.class));
    }

    @Override
    public Versioned<Entity> getVersioned(String id) {
      ApiResponse r = api.execute(req("get", "GET", "/entities/{}", checkId(id, "id")).build());
      Entity e = r.json(Entity.class);
      return versioned(r, e, e.etag(), "entity " + id);
    }

    @Override
    public CompletableFuture<Versioned<Entity>> getVersionedAsync(String id) {
      return async(() -> api.executeAsync(req("get", "GET", "/entities/{}", checkId(id, "id")).build())
          .thenApply(r -> {
            Entity e = r.json(Entity.class);
            return versioned(r, e, e.etag(), "entity " + id);
          }));
    }

    private ApiRequest ifChangedRequest(String id, String etag) {
      if (etag == null || etag.isBlank()) {
        throw new IllegalArgumentException("etag must be the ETag you hold (use get for an unconditional read)");
      }
      return req("get", "GET", "/entities/{}", checkId(id, "id")).header("If-None-Match", etag).build();
    }

    private static Optional<Entity> ifChanged(ApiResponse r) {
      return r.status() == 304 ? Optional.empty() : Optional.of(r.json(Entity.class));
    }

    @Override
    public Optional<Entity> getIfChanged(String id, String etag) {
      return ifChanged(api.execute(ifChangedRequest(id, etag)));
    }

    @Override
    public CompletableFuture<Optional<Entity>> getIfChangedAsync(String id, String etag) {
      return async(() -> api.executeAsync(ifChangedRequest(id, etag)).thenApply(Entities::ifChanged));
    }

    private ApiRequest patchRequest(String id, EntityPatch patch, String ifMatch) {
      java.util.Objects.requireNonNull(patch, "patch");
      return req("update", "PATCH", "/entities/{}", checkId(id, "id"))
          .body(bytes(patchTree(patch.document())), MERGE_PATCH).header("If-Match", ifMatch).build();
    }

    @Override
    public Entity update(String id, EntityPatch patch, String ifMatch) {
      return api.call(patchRequest(id, patch, ifMatch), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> updateAsync(String id, EntityPatch patch, String ifMatch) {
      return async(() -> api.callAsync(patchRequest(id, patch, ifMatch), Entity.class));
    }

    private ApiRequest deleteRequest(String id, String ifMatch) {
      return req("delete", "DELETE", "/entities/{}", checkId(id, "id")).header("If-Match", ifMatch).build();
    }

    @Override
    public void delete(String id, String ifMatch) {
      api.execute(deleteRequest(id, ifMatch));
    }

    @Override
    public CompletableFuture<Void> deleteAsync(String id, String ifMatch) {
      return async(() -> api.executeAsync(deleteRequest(id, ifMatch)).thenApply(r -> null));
    }

    @Override
    public PagedIterable<Entity> query(TwinQuery query) {
      java.util.Objects.requireNonNull(query, "query");
      return api.paginate(query.pageSize(), (token, limit) -> {
        ApiRequest.Builder b = req("query", "GET", "/entities");
        for (String[] p : queryParameters(query)) {
          b.query(p[0], p[1]);
        }
        return b.query("limit", limit).query("cursor", token).build();
      }, r -> {
        PageDto<Entity> p = EntityPages.read(r.body()); // the streaming reader, else data binding
        if (p == null) {
          p = r.json(ENTITY_PAGE);
        }
        return new Page<>(p.items() == null ? List.of() : p.items(), p.continuationToken());
      });
    }

    private ApiRequest batchRequest(List<BatchOperation> operations) {
      java.util.Objects.requireNonNull(operations, "operations");
      if (operations.isEmpty() || operations.size() > 1000) {
        throw new IllegalArgumentException("operations must hold 1 to 1,000 operations, got " + operations.size()
            + "; split larger work into several batches (each is atomic on its own)");
      }
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode ops = body.putArray("operations");
      for (int i = 0; i < operations.size(); i++) {
        BatchOperation op = java.util.Objects.requireNonNull(operations.get(i), "operations[" + i + "]");
        ObjectNode o = ops.addObject().put("op", op.op()).put("id", op.id());
        if (op.entity() != null) {
          o.set("entity", Json.mapper().valueToTree(op.entity()));
        }
        if (op.patch() != null) {
          o.set("patch", patchTree(op.patch().document()));
        }
        if (op.ifMatch() != null) {
          o.put("ifMatch", op.ifMatch());
        }
      }
      return req("batch", "POST", "/batch").body(bytes(body), "application/json").build();
    }

    @Override
    public BatchResult batch(List<BatchOperation> operations) {
      return api.call(batchRequest(operations), BatchResult.class);
    }

    @Override
    public CompletableFuture<BatchResult> batchAsync(List<BatchOperation> operations) {
      return async(() -> api.callAsync(batchRequest(operations), BatchResult.class));
    }

    @Override
    public TwinEntities withOptions(RequestOptions o) {
      return new Entities(api, java.util.Objects.requireNonNull(o, "options"));
    }
  }

  /** Relationships. */
  public static final class Relationships implements TwinRelationships {
    private final ApiClient api;
    private final RequestOptions options;

    /**
     * Creates the relationship API.
     *
     * @param api the pipeline
     * @param options per-call options
     */
    public Relationships(ApiClient api, RequestOptions options) {
      this.api = api;
      this.options = options;
    }

    private ApiRequest.Builder req(String op, String method, String path, Object... args) {
      return ApiRequest.builder("twin.relationships." + op, method, BASE + path, args).options(options);
    }

    private ApiRequest createRequest(Relationship r) {
      java.util.Objects.requireNonNull(r, "relationship");
      return req("create", "POST", "/relationships").json(r).build();
    }

    @Override
    public Relationship create(Relationship relationship) {
      return api.call(createRequest(relationship), Relationship.class);
    }

    @Override
    public CompletableFuture<Relationship> createAsync(Relationship relationship) {
      return async(() -> api.callAsync(createRequest(relationship), Relationship.class));
    }

    private ApiRequest getRequest(String id) {
      return req("get", "GET", "/relationships/{}", checkId(id, "id")).build();
    }

    @Override
    public Relationship get(String id) {
      return api.call(getRequest(id), Relationship.class);
    }

    @Override
    public CompletableFuture<Relationship> getAsync(String id) {
      return async(() -> api.callAsync(getRequest(id), Relationship.class));
    }

    private static Versioned<Relationship> versionedRel(ApiResponse r, String id) {
      return versioned(r, r.json(Relationship.class), null, "relationship " + id);
    }

    @Override
    public Versioned<Relationship> getVersioned(String id) {
      return versionedRel(api.execute(getRequest(id)), id);
    }

    @Override
    public CompletableFuture<Versioned<Relationship>> getVersionedAsync(String id) {
      return async(() -> api.executeAsync(getRequest(id)).thenApply(r -> versionedRel(r, id)));
    }

    private ApiRequest deleteRequest(String id, String ifMatch) {
      return req("delete", "DELETE", "/relationships/{}", checkId(id, "id")).header("If-Match", ifMatch).build();
    }

    @Override
    public void delete(String id, String ifMatch) {
      api.execute(deleteRequest(id, ifMatch));
    }

    @Override
    public CompletableFuture<Void> deleteAsync(String id, String ifMatch) {
      return async(() -> api.executeAsync(deleteRequest(id, ifMatch)).thenApply(r -> null));
    }

    @Override
    public TwinRelationships withOptions(RequestOptions o) {
      return new Relationships(api, java.util.Objects.requireNonNull(o, "options"));
    }

    private PagedIterable<Relationship> list(String entityId, String direction, String... types) {
      checkId(entityId, "entityId");
      String typeCsv = types == null || types.length == 0 ? null : String.join(",", types);
      return api.paginate(100, (token, limit) -> req("list", "GET", "/entities/{}/relationships", entityId).query("direction", direction).query("type", typeCsv)
          .query("limit", limit).query("cursor", token).build(), r -> {
            PageDto<Relationship> p = r.json(REL_PAGE);
            return new Page<>(p.items() == null ? List.of() : p.items(), p.continuationToken());
          });
    }

    @Override
    public PagedIterable<Relationship> outgoing(String entityId, String... types) {
      return list(entityId, "outgoing", types);
    }

    @Override
    public PagedIterable<Relationship> incoming(String entityId, String... types) {
      return list(entityId, "incoming", types);
    }

    private ApiRequest traverseRequest(String entityId, Traversal t) {
      java.util.Objects.requireNonNull(t, "traversal");
      ApiRequest.Builder b = req("traverse", "GET", "/entities/{}/traverse", checkId(entityId, "entityId")).query("hops", t.hops())
          .query("direction", t.direction().name().toLowerCase(Locale.ROOT)).query("limit", t.limit());
      if (!t.relationshipTypes().isEmpty()) {
        b.query("relationshipType", String.join(",", new java.util.TreeSet<>(t.relationshipTypes())));
      }
      if (!t.entityTypes().isEmpty()) {
        b.query("entityType", String.join(",", t.entityTypes().stream().map(EntityType::wireName).sorted().toList()));
      }
      return b.build();
    }

    @Override
    public TraversalResult traverse(String entityId, Traversal traversal) {
      return api.call(traverseRequest(entityId, traversal), TraversalResult.class);
    }

    @Override
    public CompletableFuture<TraversalResult> traverseAsync(String entityId, Traversal traversal) {
      return async(() -> api.callAsync(traverseRequest(entityId, traversal), TraversalResult.class));
    }
  }

  /** History. */
  public static final class History implements TwinHistory {
    private final ApiClient api;
    private final RequestOptions options;

    /**
     * Creates the history API.
     *
     * @param api the pipeline
     * @param options per-call options
     */
    public History(ApiClient api, RequestOptions options) {
      this.api = api;
      this.options = options;
    }

    @Override
    public TwinHistory withOptions(RequestOptions o) {
      return new History(api, java.util.Objects.requireNonNull(o, "options"));
    }

    private ApiRequest propertyRequest(String id, String property, Instant from, Instant to) {
      java.util.Objects.requireNonNull(from, "from");
      java.util.Objects.requireNonNull(to, "to");
      if (property == null || property.isBlank()) {
        throw new IllegalArgumentException("property must be a property name");
      }
      if (from.isAfter(to)) {
        throw new IllegalArgumentException("from (" + from + ") must not be after to (" + to + ")");
      }
      return ApiRequest.builder("twin.history.property", "GET", BASE + "/entities/{}/history", checkId(id, "entityId"))
          .query("property", property).query("from", from).query("to", to).options(options).build();
    }

    @Override
    public PropertyHistory property(String entityId, String property, Instant from, Instant to) {
      return api.call(propertyRequest(entityId, property, from, to), PropertyHistory.class);
    }

    @Override
    public CompletableFuture<PropertyHistory> propertyAsync(String entityId, String property, Instant from,
        Instant to) {
      return async(() -> api.callAsync(propertyRequest(entityId, property, from, to), PropertyHistory.class));
    }

    private ApiRequest asOfRequest(String id, Instant at) {
      java.util.Objects.requireNonNull(at, "at");
      return ApiRequest.builder("twin.history.asOf", "GET", BASE + "/entities/{}/snapshot", checkId(id, "entityId"))
          .query("at", at).options(options).build();
    }

    @Override
    public EntitySnapshot asOf(String entityId, Instant at) {
      return api.call(asOfRequest(entityId, at), EntitySnapshot.class);
    }

    @Override
    public CompletableFuture<EntitySnapshot> asOfAsync(String entityId, Instant at) {
      return async(() -> api.callAsync(asOfRequest(entityId, at), EntitySnapshot.class));
    }
  }

  /** Network analyses. */
  public static final class Networks implements TwinNetworks {
    private final ApiClient api;
    private final RequestOptions options;

    /**
     * Creates the network API.
     *
     * @param api the pipeline
     * @param options per-call options
     */
    public Networks(ApiClient api, RequestOptions options) {
      this.api = api;
      this.options = options;
    }

    @Override
    public TwinNetworks withOptions(RequestOptions o) {
      return new Networks(api, java.util.Objects.requireNonNull(o, "options"));
    }

    private ApiRequest analysis(String name, String param, String id) {
      return ApiRequest.builder("twin.networks." + name, "GET", BASE + "/networks/" + name)
          .query(param, checkId(id, param)).options(options).build();
    }

    private ApiRequest statsRequest() {
      return ApiRequest.builder("twin.stats", "GET", BASE + "/stats").options(options).build();
    }

    @Override
    public TwinStats stats() {
      return api.call(statsRequest(), TwinStats.class);
    }

    @Override
    public CompletableFuture<TwinStats> statsAsync() {
      return async(() -> api.callAsync(statsRequest(), TwinStats.class));
    }

    @Override
    public NetworkTrace connected(String from) {
      return api.call(analysis("connected", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> connectedAsync(String from) {
      return async(() -> api.callAsync(analysis("connected", "from", from), NetworkTrace.class));
    }

    @Override
    public NetworkTrace upstream(String from) {
      return api.call(analysis("upstream", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> upstreamAsync(String from) {
      return async(() -> api.callAsync(analysis("upstream", "from", from), NetworkTrace.class));
    }

    @Override
    public NetworkTrace downstream(String from) {
      return api.call(analysis("downstream", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> downstreamAsync(String from) {
      return async(() -> api.callAsync(analysis("downstream", "from", from), NetworkTrace.class));
    }

    private ApiRequest pathRequest(String from, String to) {
      return ApiRequest.builder("twin.networks.path", "GET", BASE + "/networks/path")
          .query("from", checkId(from, "from")).query("to", checkId(to, "to")).options(options).build();
    }

    @Override
    public NetworkPath shortestPath(String from, String to) {
      return api.call(pathRequest(from, to), NetworkPath.class);
    }

    @Override
    public CompletableFuture<NetworkPath> shortestPathAsync(String from, String to) {
      return async(() -> api.callAsync(pathRequest(from, to), NetworkPath.class));
    }

    @Override
    public IsolationResult isolate(String segmentId) {
      return api.call(analysis("isolation", "segment", segmentId), IsolationResult.class);
    }

    @Override
    public CompletableFuture<IsolationResult> isolateAsync(String segmentId) {
      return async(() -> api.callAsync(analysis("isolation", "segment", segmentId), IsolationResult.class));
    }
  }

  /** The change feed. */
  public static final class Changes implements io.shudu.twin.TwinChanges {
    private final ApiClient api;
    private final RequestOptions options;
    private final java.util.concurrent.atomic.AtomicReference<String> feed;

    /**
     * Creates the change feed API.
     *
     * @param api the pipeline
     * @param options per-call options
     */
    public Changes(ApiClient api, RequestOptions options) {
      this(api, options, new java.util.concurrent.atomic.AtomicReference<>());
    }

    private Changes(ApiClient api, RequestOptions options, java.util.concurrent.atomic.AtomicReference<String> feed) {
      this.api = api;
      this.options = options;
      this.feed = feed;
    }

    @Override
    public io.shudu.twin.TwinChanges withOptions(RequestOptions o) {
      return new Changes(api, java.util.Objects.requireNonNull(o, "options"), feed);
    }

    private ApiRequest describeRequest() {
      return ApiRequest.builder("twin.changes.describe", "GET", BASE + "/changes").options(options).build();
    }

    private String remember(com.fasterxml.jackson.databind.JsonNode described) {
      String f = described.path("feed").asText();
      feed.compareAndSet(null, f);
      return f;
    }

    @Override
    public String feedName() {
      String f = feed.get();
      return f != null ? f : remember(api.call(describeRequest(), com.fasterxml.jackson.databind.JsonNode.class));
    }

    @Override
    public CompletableFuture<String> feedNameAsync() {
      String f = feed.get();
      return f != null ? CompletableFuture.completedFuture(f)
          : async(() -> api.callAsync(describeRequest(), com.fasterxml.jackson.databind.JsonNode.class)
              .thenApply(this::remember));
    }

    @Override
    public io.shudu.core.FeedSubscription subscribe(List<String> entityIds, io.shudu.core.FeedOptions options,
        io.shudu.core.FeedHandler<io.shudu.twin.TwinChange> handler) {
      java.util.Objects.requireNonNull(entityIds, "entityIds (use List.of() for every change)");
      return io.shudu.core.internal.FeedClient.subscribe(api, feedName(), entityIds, io.shudu.twin.TwinChange.class,
          options, handler);
    }
  }
}
