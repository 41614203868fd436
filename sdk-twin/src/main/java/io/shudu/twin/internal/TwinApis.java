package io.shudu.twin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
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
      return api.callAsync(putRequest("create", entity, null, true), Entity.class);
    }

    @Override
    public Entity upsert(Entity entity) {
      return api.call(putRequest("upsert", entity, null, false), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> upsertAsync(Entity entity) {
      return api.callAsync(putRequest("upsert", entity, null, false), Entity.class);
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
      return api.callAsync(replaceRequest(entity), Entity.class);
    }

    @Override
    public Entity get(String id) {
      return api.call(req("get", "GET", "/entities/{}", checkId(id, "id")).build(), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> getAsync(String id) {
      return api.callAsync(req("get", "GET", "/entities/{}", checkId(id, "id")).build(), Entity.class);
    }

    @Override
    public Optional<Entity> getIfChanged(String id, String etag) {
      if (etag == null || etag.isBlank()) {
        throw new IllegalArgumentException("etag must be the ETag you hold (use get for an unconditional read)");
      }
      ApiResponse r = api.execute(req("get", "GET", "/entities/{}", checkId(id, "id"))
          .header("If-None-Match", etag).build());
      return r.status() == 304 ? Optional.empty() : Optional.of(r.json(Entity.class));
    }

    private ApiRequest patchRequest(String id, EntityPatch patch, String ifMatch) {
      java.util.Objects.requireNonNull(patch, "patch");
      return req("update", "PATCH", "/entities/{}", checkId(id, "id"))
          .body(bytes(GeoJsonCodec.patchTree(patch.document())), MERGE_PATCH).header("If-Match", ifMatch).build();
    }

    @Override
    public Entity update(String id, EntityPatch patch, String ifMatch) {
      return api.call(patchRequest(id, patch, ifMatch), Entity.class);
    }

    @Override
    public CompletableFuture<Entity> updateAsync(String id, EntityPatch patch, String ifMatch) {
      return api.callAsync(patchRequest(id, patch, ifMatch), Entity.class);
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
      return api.executeAsync(deleteRequest(id, ifMatch)).thenApply(r -> null);
    }

    @Override
    public PagedIterable<Entity> query(TwinQuery query) {
      java.util.Objects.requireNonNull(query, "query");
      return api.paginate(query.pageSize(), (token, limit) -> {
        ApiRequest.Builder b = req("query", "GET", "/entities");
        for (String[] p : query.parameters()) {
          b.query(p[0], p[1]);
        }
        return b.query("limit", limit).query("cursor", token).build();
      }, r -> {
        PageDto<Entity> p = r.json(ENTITY_PAGE);
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
          o.set("patch", GeoJsonCodec.patchTree(op.patch().document()));
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
      return api.callAsync(batchRequest(operations), BatchResult.class);
    }

    @Override
    public TwinEntities withOptions(RequestOptions o) {
      return new Entities(api, java.util.Objects.requireNonNull(o, "options"));
    }
  }

  /** Relationships. */
  public static final class Relationships implements TwinRelationships {
    private final ApiClient api;

    /**
     * Creates the relationship API.
     *
     * @param api the pipeline
     */
    public Relationships(ApiClient api) {
      this.api = api;
    }

    private ApiRequest createRequest(Relationship r, RequestOptions options) {
      java.util.Objects.requireNonNull(r, "relationship");
      return ApiRequest.builder("twin.relationships.create", "POST", BASE + "/relationships").json(r)
          .options(options).build();
    }

    @Override
    public Relationship create(Relationship relationship) {
      return api.call(createRequest(relationship, RequestOptions.defaults()), Relationship.class);
    }

    @Override
    public CompletableFuture<Relationship> createAsync(Relationship relationship) {
      return api.callAsync(createRequest(relationship, RequestOptions.defaults()), Relationship.class);
    }

    @Override
    public Relationship create(Relationship relationship, RequestOptions options) {
      return api.call(createRequest(relationship, options), Relationship.class);
    }

    @Override
    public CompletableFuture<Relationship> createAsync(Relationship relationship, RequestOptions options) {
      return api.callAsync(createRequest(relationship, options), Relationship.class);
    }

    @Override
    public Relationship get(String id) {
      return api.call(ApiRequest.builder("twin.relationships.get", "GET", BASE + "/relationships/{}",
          checkId(id, "id")).build(), Relationship.class);
    }

    @Override
    public void delete(String id) {
      api.execute(ApiRequest.builder("twin.relationships.delete", "DELETE", BASE + "/relationships/{}",
          checkId(id, "id")).build());
    }

    @Override
    public CompletableFuture<Void> deleteAsync(String id) {
      return api.executeAsync(ApiRequest.builder("twin.relationships.delete", "DELETE", BASE + "/relationships/{}",
          checkId(id, "id")).build()).thenApply(r -> null);
    }

    private PagedIterable<Relationship> list(String entityId, String direction, String... types) {
      checkId(entityId, "entityId");
      String typeCsv = types == null || types.length == 0 ? null : String.join(",", types);
      return api.paginate(100, (token, limit) -> ApiRequest.builder("twin.relationships.list", "GET",
          BASE + "/entities/{}/relationships", entityId).query("direction", direction).query("type", typeCsv)
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
      ApiRequest.Builder b = ApiRequest.builder("twin.relationships.traverse", "GET", BASE + "/entities/{}/traverse",
          checkId(entityId, "entityId")).query("hops", t.hops())
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
      return api.callAsync(traverseRequest(entityId, traversal), TraversalResult.class);
    }
  }

  /** History. */
  public static final class History implements TwinHistory {
    private final ApiClient api;

    /**
     * Creates the history API.
     *
     * @param api the pipeline
     */
    public History(ApiClient api) {
      this.api = api;
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
          .query("property", property).query("from", from).query("to", to).build();
    }

    @Override
    public PropertyHistory property(String entityId, String property, Instant from, Instant to) {
      return api.call(propertyRequest(entityId, property, from, to), PropertyHistory.class);
    }

    @Override
    public CompletableFuture<PropertyHistory> propertyAsync(String entityId, String property, Instant from,
        Instant to) {
      return api.callAsync(propertyRequest(entityId, property, from, to), PropertyHistory.class);
    }

    private ApiRequest asOfRequest(String id, Instant at) {
      java.util.Objects.requireNonNull(at, "at");
      return ApiRequest.builder("twin.history.asOf", "GET", BASE + "/entities/{}/snapshot", checkId(id, "entityId"))
          .query("at", at).build();
    }

    @Override
    public EntitySnapshot asOf(String entityId, Instant at) {
      return api.call(asOfRequest(entityId, at), EntitySnapshot.class);
    }

    @Override
    public CompletableFuture<EntitySnapshot> asOfAsync(String entityId, Instant at) {
      return api.callAsync(asOfRequest(entityId, at), EntitySnapshot.class);
    }
  }

  /** Network analyses. */
  public static final class Networks implements TwinNetworks {
    private final ApiClient api;

    /**
     * Creates the network API.
     *
     * @param api the pipeline
     */
    public Networks(ApiClient api) {
      this.api = api;
    }

    private static ApiRequest analysis(String name, String param, String id) {
      return ApiRequest.builder("twin.networks." + name, "GET", BASE + "/networks/" + name)
          .query(param, checkId(id, param)).build();
    }

    @Override
    public TwinStats stats() {
      return api.call(ApiRequest.builder("twin.stats", "GET", BASE + "/stats").build(), TwinStats.class);
    }

    @Override
    public CompletableFuture<TwinStats> statsAsync() {
      return api.callAsync(ApiRequest.builder("twin.stats", "GET", BASE + "/stats").build(), TwinStats.class);
    }

    @Override
    public NetworkTrace connected(String from) {
      return api.call(analysis("connected", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> connectedAsync(String from) {
      return api.callAsync(analysis("connected", "from", from), NetworkTrace.class);
    }

    @Override
    public NetworkTrace upstream(String from) {
      return api.call(analysis("upstream", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> upstreamAsync(String from) {
      return api.callAsync(analysis("upstream", "from", from), NetworkTrace.class);
    }

    @Override
    public NetworkTrace downstream(String from) {
      return api.call(analysis("downstream", "from", from), NetworkTrace.class);
    }

    @Override
    public CompletableFuture<NetworkTrace> downstreamAsync(String from) {
      return api.callAsync(analysis("downstream", "from", from), NetworkTrace.class);
    }

    private static ApiRequest pathRequest(String from, String to) {
      return ApiRequest.builder("twin.networks.path", "GET", BASE + "/networks/path")
          .query("from", checkId(from, "from")).query("to", checkId(to, "to")).build();
    }

    @Override
    public NetworkPath shortestPath(String from, String to) {
      return api.call(pathRequest(from, to), NetworkPath.class);
    }

    @Override
    public CompletableFuture<NetworkPath> shortestPathAsync(String from, String to) {
      return api.callAsync(pathRequest(from, to), NetworkPath.class);
    }

    @Override
    public IsolationResult isolate(String segmentId) {
      return api.call(analysis("isolation", "segment", segmentId), IsolationResult.class);
    }

    @Override
    public CompletableFuture<IsolationResult> isolateAsync(String segmentId) {
      return api.callAsync(analysis("isolation", "segment", segmentId), IsolationResult.class);
    }
  }

  /** The change feed. */
  public static final class Changes implements io.shudu.twin.TwinChanges {
    private final ApiClient api;
    private volatile String feed;

    /**
     * Creates the change feed API.
     *
     * @param api the pipeline
     */
    public Changes(ApiClient api) {
      this.api = api;
    }

    @Override
    public String feedName() {
      String f = feed;
      if (f == null) {
        f = api.call(ApiRequest.builder("twin.changes.describe", "GET", BASE + "/changes").build(),
            com.fasterxml.jackson.databind.JsonNode.class).path("feed").asText();
        feed = f;
      }
      return f;
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
