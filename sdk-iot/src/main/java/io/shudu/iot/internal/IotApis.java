package io.shudu.iot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.core.internal.FeedClient;
import io.shudu.iot.CreatedObservation;
import io.shudu.iot.DataArrayResult;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.iot.FeatureOfInterest;
import io.shudu.iot.IotEntities;
import io.shudu.iot.IotFeeds;
import io.shudu.iot.IotObservations;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Location;
import io.shudu.iot.Observation;
import io.shudu.iot.ObservedProperty;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.iot.RejectedObservation;
import io.shudu.iot.Sensor;
import io.shudu.iot.Thing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Implementations of the IoT sub-APIs over the core pipeline ({@link ApiClient}). */
public final class IotApis {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Page size of a listing whose query sets none. */
  static final int DEFAULT_PAGE = 100;
  private static final String TOKEN_PREFIX = "st1.";

  private IotApis() {}

  /** Runs {@code call}; a failure while building the request fails the future instead of being thrown. */
  static <R> CompletableFuture<R> async(Supplier<CompletableFuture<R>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static long positive(long id) {
    if (id < 1) {
      throw new IllegalArgumentException("ids are positive integers, got " + id);
    }
    return id;
  }

  static String feedOf(Datastream ds) {
    Object f = ds.properties() == null ? null : ds.properties().get("feed");
    if (f == null && ds.thing() != null && ds.thing().properties() != null) {
      f = ds.thing().properties().get("feed");
    }
    return f == null ? "observations" : f.toString();
  }

  // ------------------------------------------------------------------ continuation tokens

  /**
   * A continuation token: the platform's {@code @iot.nextLink} from the service root on, and how many items the
   * query's {@code $top} still allows, encoded so that callers treat it as opaque.
   */
  record Token(String link, Integer remaining) {
    String encode() {
      String raw = (remaining == null ? "" : remaining.toString()) + "\n" + link;
      return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Token decode(String token, String listingPath) {
      String raw;
      try {
        if (!token.startsWith(TOKEN_PREFIX)) {
          throw new IllegalArgumentException("no prefix");
        }
        raw = new String(Base64.getUrlDecoder().decode(token.substring(TOKEN_PREFIX.length())), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a continuation token of an IoT listing: pass a token from "
            + "Page.continuationToken() as it is", e);
      }
      int nl = raw.indexOf('\n');
      String link = nl < 0 ? "" : raw.substring(nl + 1);
      int q = link.indexOf('?');
      String path = q < 0 ? link : link.substring(0, q);
      if (nl < 0 || !path.equals(listingPath)) {
        throw new IllegalArgumentException("this continuation token belongs to another listing than " + listingPath
            + "; resume a listing with the tokens of its own pages");
      }
      Integer remaining = null;
      if (nl > 0) {
        try {
          remaining = Integer.valueOf(raw.substring(0, nl));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a continuation token of an IoT listing", e);
        }
      }
      return new Token(link, remaining);
    }
  }

  /** The part of a nextLink from {@code /iot/v1.x} on, or null if it has none. */
  static String relativeLink(ApiResponse r, String nextLink) {
    if (nextLink == null) {
      return null;
    }
    int at = nextLink.indexOf("/iot/v1.");
    if (at < 0) {
      throw r.unreadable("iot listing: the platform's @iot.nextLink is not a SensorThings link: " + nextLink, null);
    }
    return nextLink.substring(at);
  }

  // ------------------------------------------------------------------ entity sets

  /**
   * The operations of one entity set.
   *
   * @param <T> the entity type
   */
  public static class Entities<T> implements IotEntities<T> {
    final ApiClient api;
    final String root;
    final EntitySet<T> set;
    final RequestOptions options;

    /**
     * Creates the operations of an entity set.
     *
     * @param api the pipeline
     * @param root the service root path, such as {@code /iot/v1.1}
     * @param set the entity set
     * @param options per-call options
     */
    public Entities(ApiClient api, String root, EntitySet<T> set, RequestOptions options) {
      this.api = api;
      this.root = root;
      this.set = set;
      this.options = options == null ? RequestOptions.defaults() : options;
    }

    @Override
    public EntitySet<T> entitySet() {
      return set;
    }

    @Override
    public IotEntities<T> withOptions(RequestOptions options) {
      return new Entities<>(api, root, set, Objects.requireNonNull(options, "options"));
    }

    ApiRequest.Builder req(String op, String method, String path) {
      return ApiRequest.builder("iot." + set.name() + "." + op, method, path).options(options);
    }

    String entityPath(long id) {
      return root + "/" + set.name() + "(" + positive(id) + ")";
    }

    // ---------------------------------------------------------------- reads

    ApiRequest getRequest(long id, IotQuery query) {
      Objects.requireNonNull(query, "query");
      IotAccess.queries().validate(query, set);
      ApiRequest.Builder b = req("get", "GET", entityPath(id));
      IotAccess.queries().parameters(query, null).forEach(p -> b.query(p[0], p[1]));
      return b.build();
    }

    @Override
    public T get(long id) {
      return get(id, IotQuery.none());
    }

    @Override
    public CompletableFuture<T> getAsync(long id) {
      return getAsync(id, IotQuery.none());
    }

    @Override
    public T get(long id, IotQuery query) {
      return api.call(getRequest(id, query), set.type());
    }

    @Override
    public CompletableFuture<T> getAsync(long id, IotQuery query) {
      return async(() -> api.callAsync(getRequest(id, query), set.type()));
    }

    private Versioned<T> versioned(ApiResponse r, long id) {
      String etag = r.etag();
      if (etag == null) {
        throw r.unreadable("iot: the platform sent no ETag for " + set.name() + "(" + id + ")", null);
      }
      return new Versioned<>(r.json(set.type()), etag);
    }

    @Override
    public Versioned<T> getVersioned(long id) {
      return versioned(api.execute(getRequest(id, IotQuery.none())), id);
    }

    @Override
    public CompletableFuture<Versioned<T>> getVersionedAsync(long id) {
      return async(() -> api.executeAsync(getRequest(id, IotQuery.none())).thenApply(r -> versioned(r, id)));
    }

    @Override
    public PagedIterable<T> list() {
      return list(IotQuery.none());
    }

    @Override
    public PagedIterable<T> list(IotQuery query) {
      return listing(set, root + "/" + set.name(), query, "iot." + set.name() + ".list");
    }

    @Override
    public <R> PagedIterable<R> listRelated(long id, EntitySet<R> related) {
      return listRelated(id, related, IotQuery.none());
    }

    @Override
    public <R> PagedIterable<R> listRelated(long id, EntitySet<R> related, IotQuery query) {
      Objects.requireNonNull(related, "related");
      String nav = null;
      for (Map.Entry<String, EntitySet<?>> e : set.navigation().entrySet()) {
        if (e.getValue() == related && e.getKey().endsWith("s")) {
          nav = e.getKey();
        }
      }
      if (nav == null) {
        throw new IllegalArgumentException(set.name() + " has no " + related.name() + " collection; its navigation "
            + "properties are " + set.navigation().keySet());
      }
      return listing(related, entityPath(id) + "/" + nav, query, "iot." + set.name() + "." + nav + ".list");
    }

    <R> PagedIterable<R> listing(EntitySet<R> of, String path, IotQuery query, String operation) {
      Objects.requireNonNull(query, "query");
      IotAccess.queries().validate(query, of);
      int pageSize = query.pageSize() != null ? query.pageSize() : DEFAULT_PAGE;
      return PagedIterable.of(new PagedIterable.PageSource<R>() {
        @Override
        public Page<R> fetch(String token, int limit) {
          Token t = token == null ? null : Token.decode(token, path);
          return page(api.execute(pageRequest(t, limit)), t, of.type());
        }

        @Override
        public CompletableFuture<Page<R>> fetchAsync(String token, int limit) {
          return async(() -> {
            Token t = token == null ? null : Token.decode(token, path);
            return api.executeAsync(pageRequest(t, limit)).thenApply(r -> page(r, t, of.type()));
          });
        }

        private ApiRequest pageRequest(Token t, int limit) {
          Integer remaining = t == null ? query.top() : t.remaining();
          int n = remaining == null ? limit : Math.min(limit, remaining);
          ApiRequest.Builder b = ApiRequest.builder(operation, "GET", path).options(options);
          if (t == null) {
            IotAccess.queries().parameters(query, n).forEach(p -> b.query(p[0], p[1]));
            return b.build();
          }
          // the next link's query goes back as the platform wrote it (never decoded and re-encoded: a '+' in a
          // $filter such as a +08:00 offset keeps its meaning); only $top is set again, to the page's bound
          int q = t.link().indexOf('?');
          b.linkQuery(q < 0 ? null : t.link().substring(q + 1), "$top");
          b.query("$top", Integer.toString(n));
          return b.build();
        }

        private Page<R> page(ApiResponse r, Token t, Class<R> type) {
          ListingBody<R> body = type == Observation.class ? fastObservations(r.body()) : null;
          if (body == null) {
            try {
              body = IotJson.mapper().readValue(r.body(),
                  IotJson.mapper().getTypeFactory().constructParametricType(ListingBody.class, type));
            } catch (java.io.IOException e) {
              throw r.unreadable("iot listing: could not read a page of " + type.getSimpleName() + ": "
                  + e.getMessage(), e);
            }
          }
          if (body.value() == null) {
            throw r.unreadable("iot listing: the platform's answer has no value array", null);
          }
          List<R> items = body.value();
          Integer remaining = t == null ? query.top() : t.remaining();
          String next = relativeLink(r, body.nextLink());
          if (remaining != null) {
            if (items.size() >= remaining) {
              items = items.subList(0, remaining);
              next = null;
            }
            remaining = remaining - items.size();
          }
          return new Page<>(items, next == null ? null : new Token(next, remaining).encode());
        }
      }, pageSize);
    }

    /** A page of Observations by the streaming reader (the bulk of every listing), or null to bind it generally. */
    @SuppressWarnings("unchecked")
    private static <R> ListingBody<R> fastObservations(byte[] body) {
      return (ListingBody<R>) (ListingBody<?>) ObservationPages.read(body);
    }

    ApiRequest countRequest(Expr filter) {
      IotQuery.Builder qb = IotQuery.builder().count(true).top(1).select("id");
      if (filter != null) {
        qb.filter(filter);
      }
      IotQuery q = qb.build();
      IotAccess.queries().validate(q, set);
      ApiRequest.Builder b = req("count", "GET", root + "/" + set.name());
      IotAccess.queries().parameters(q, null).forEach(p -> b.query(p[0], p[1]));
      return b.build();
    }

    static long countOf(ApiResponse r) {
      JsonNode n = tree(r).get("@iot.count");
      if (n == null || !n.canConvertToLong()) {
        throw r.unreadable("iot count: the platform's answer has no @iot.count", null);
      }
      return n.asLong();
    }

    @Override
    public long count(Expr filter) {
      return countOf(api.execute(countRequest(filter)));
    }

    @Override
    public CompletableFuture<Long> countAsync(Expr filter) {
      return async(() -> api.executeAsync(countRequest(filter)).thenApply(Entities::countOf));
    }

    // ---------------------------------------------------------------- writes

    ApiRequest createRequest(String path, Object entity) {
      Objects.requireNonNull(entity, "entity");
      checkCreate(entity);
      return req("create", "POST", path).json(entity).build();
    }

    @Override
    public T create(T entity) {
      return api.call(createRequest(root + "/" + set.name(), entity), set.type());
    }

    @Override
    public CompletableFuture<T> createAsync(T entity) {
      return async(() -> api.callAsync(createRequest(root + "/" + set.name(), entity), set.type()));
    }

    ApiRequest updateRequest(long id, JsonNode patch, String ifMatch) {
      if (!(patch instanceof ObjectNode o)) {
        throw new IllegalArgumentException("update needs at least one member to change");
      }
      o.remove("@iot.id");
      o.remove("@iot.selfLink");
      if (o.isEmpty()) {
        throw new IllegalArgumentException("update needs at least one member to change besides the id, such as "
            + "Thing.ref(id).withName(\"new name\")");
      }
      checkIfMatch(ifMatch);
      try {
        return req("update", "PATCH", entityPath(id))
            .body(IotJson.mapper().writeValueAsBytes(o), "application/merge-patch+json")
            .header("If-Match", ifMatch).build();
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("could not serialise the update: " + e.getOriginalMessage(), e);
      }
    }

    private ApiRequest changesRequest(long id, T changes, String ifMatch) {
      Objects.requireNonNull(changes, "changes");
      return updateRequest(id, IotJson.mapper().valueToTree(changes), ifMatch);
    }

    private ApiRequest membersRequest(long id, Map<String, ?> members, String ifMatch) {
      Objects.requireNonNull(members, "members");
      ObjectNode node = NODES.objectNode();
      members.forEach((k, v) -> node.set(k, v == null ? NODES.nullNode() : IotJson.mapper().valueToTree(v)));
      return updateRequest(id, node, ifMatch);
    }

    @Override
    public T update(long id, T changes, String ifMatch) {
      return api.call(changesRequest(id, changes, ifMatch), set.type());
    }

    @Override
    public CompletableFuture<T> updateAsync(long id, T changes, String ifMatch) {
      return async(() -> api.callAsync(changesRequest(id, changes, ifMatch), set.type()));
    }

    @Override
    public T patch(long id, Map<String, ?> members, String ifMatch) {
      return api.call(membersRequest(id, members, ifMatch), set.type());
    }

    @Override
    public CompletableFuture<T> patchAsync(long id, Map<String, ?> members, String ifMatch) {
      return async(() -> api.callAsync(membersRequest(id, members, ifMatch), set.type()));
    }

    private ApiRequest deleteRequest(long id, String ifMatch) {
      checkIfMatch(ifMatch);
      return req("delete", "DELETE", entityPath(id)).header("If-Match", ifMatch).build();
    }

    @Override
    public void delete(long id, String ifMatch) {
      api.execute(deleteRequest(id, ifMatch));
    }

    @Override
    public CompletableFuture<Void> deleteAsync(long id, String ifMatch) {
      return async(() -> api.executeAsync(deleteRequest(id, ifMatch)).thenApply(r -> null));
    }

    @Override
    public String toString() {
      return "IotEntities{" + set.name() + "}";
    }
  }

  private static void checkIfMatch(String ifMatch) {
    if (ifMatch != null && (ifMatch.isBlank() || ifMatch.indexOf('\n') >= 0 || ifMatch.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("ifMatch must be the ETag from getVersioned, such as \"12-3\", or null "
          + "for an unconditional call");
    }
  }

  static JsonNode tree(ApiResponse r) {
    try {
      return IotJson.mapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw r.unreadable("iot: the platform's answer is not JSON: " + e.getMessage(), e);
    }
  }

  private static void checkCreate(Object e) {
    if (e instanceof Thing t) {
      require(t.name(), "Thing.name");
    } else if (e instanceof Datastream d) {
      require(d.name(), "Datastream.name");
      require(d.unitOfMeasurement(), "Datastream.unitOfMeasurement");
      require(d.observationType(), "Datastream.observationType");
    } else if (e instanceof Observation o) {
      if (o.result() == null) {
        throw new IllegalArgumentException("Observation.result is required");
      }
    } else if (e instanceof Location l) {
      require(l.name(), "Location.name");
      require(l.location(), "Location.location");
    } else if (e instanceof Sensor s) {
      require(s.name(), "Sensor.name");
      require(s.encodingType(), "Sensor.encodingType");
      require(s.metadata(), "Sensor.metadata");
    } else if (e instanceof ObservedProperty p) {
      require(p.name(), "ObservedProperty.name");
      require(p.definition(), "ObservedProperty.definition");
    }
  }

  private static void require(Object v, String field) {
    if (v == null || (v instanceof String s && s.isBlank())) {
      throw new IllegalArgumentException(field + " is required to create the entity");
    }
  }

  // ------------------------------------------------------------------ observations

  /** Observations, with the time-series operations of a datastream. */
  public static final class Observations extends Entities<Observation> implements IotObservations {
    /**
     * Creates the observation operations.
     *
     * @param api the pipeline
     * @param root the service root path
     * @param options per-call options
     */
    public Observations(ApiClient api, String root, RequestOptions options) {
      super(api, root, EntitySet.OBSERVATIONS, options);
    }

    @Override
    public IotObservations withOptions(RequestOptions options) {
      return new Observations(api, root, Objects.requireNonNull(options, "options"));
    }

    private String inDatastream(long datastreamId) {
      return root + "/Datastreams(" + positive(datastreamId) + ")/Observations";
    }

    @Override
    public Observation create(long datastreamId, Observation observation) {
      return api.call(createRequest(inDatastream(datastreamId), observation), Observation.class);
    }

    @Override
    public CompletableFuture<Observation> createAsync(long datastreamId, Observation observation) {
      return async(() -> api.callAsync(createRequest(inDatastream(datastreamId), observation), Observation.class));
    }

    @Override
    public DataArrayResult createDataArray(long datastreamId, List<Observation> observations) {
      DataArray d = dataArray(datastreamId, observations);
      return d.result(api.execute(d.request));
    }

    @Override
    public CompletableFuture<DataArrayResult> createDataArrayAsync(long datastreamId,
        List<Observation> observations) {
      return async(() -> {
        DataArray d = dataArray(datastreamId, observations);
        return api.executeAsync(d.request).thenApply(d::result);
      });
    }

    /** A dataArray request and the index of the observation behind each row it sends, in order. */
    private record DataArray(ApiRequest request, int[] rowIndex) {
      DataArrayResult result(ApiResponse r) {
        JsonNode links = tree(r);
        if (!links.isArray() || links.size() != rowIndex.length) {
          throw r.unreadable("iot.CreateObservations: the platform answered " + links.size()
              + " results for " + rowIndex.length + " rows; expected one per row", null);
        }
        List<CreatedObservation> created = new ArrayList<>();
        List<RejectedObservation> rejected = new ArrayList<>();
        for (int i = 0; i < rowIndex.length; i++) {
          String s = links.get(i).asText("");
          int index = rowIndex[i];
          if (s.startsWith("error")) {
            String reason = s.substring("error".length()).replaceFirst("^[\\s:,-]+", "");
            rejected.add(new RejectedObservation(index, reason.isEmpty()
                ? "rejected by the platform, which names no reason for a dataArray row; check its phenomenonTime, "
                    + "result and FeatureOfInterest, or create it alone with observations().create(datastreamId, "
                    + "observation) to see the platform's problem"
                : reason));
            continue;
          }
          int open = s.lastIndexOf('(');
          int close = s.lastIndexOf(')');
          try {
            created.add(new CreatedObservation(index, Long.parseLong(s.substring(open + 1, close))));
          } catch (RuntimeException e) {
            throw r.unreadable("iot.CreateObservations: row " + index + " has an unreadable answer '" + s
                + "' (expected an Observations(id) selfLink or \"error\")", e);
          }
        }
        created.sort(java.util.Comparator.comparingInt(CreatedObservation::index));
        rejected.sort(java.util.Comparator.comparingInt(RejectedObservation::index));
        return new DataArrayResult(created, rejected);
      }
    }

    private DataArray dataArray(long datastreamId, List<Observation> observations) {
      Objects.requireNonNull(observations, "observations");
      positive(datastreamId);
      if (observations.isEmpty() || observations.size() > IotQuery.MAX_TOP) {
        throw new IllegalArgumentException("createDataArray takes 1 to " + IotQuery.MAX_TOP
            + " observations, got " + observations.size());
      }
      // rows that name a FeatureOfInterest go in a second block, which has that component
      List<Integer> plain = new ArrayList<>();
      List<Integer> withFeature = new ArrayList<>();
      for (int i = 0; i < observations.size(); i++) {
        Observation o = observations.get(i);
        if (o == null || o.phenomenonTime() == null || o.result() == null) {
          throw new IllegalArgumentException("observations[" + i + "] needs phenomenonTime and result");
        }
        FeatureOfInterest f = o.featureOfInterest();
        if (f != null && f.id() == null) {
          throw new IllegalArgumentException("observations[" + i + "]: a dataArray row refers to an existing "
              + "FeatureOfInterest by id (FeatureOfInterest.ref(id)); create new features first");
        }
        (f == null ? plain : withFeature).add(i);
      }
      ArrayNode body = NODES.arrayNode();
      int[] rowIndex = new int[observations.size()];
      int row = 0;
      for (List<Integer> block : List.of(plain, withFeature)) {
        if (block.isEmpty()) {
          continue;
        }
        boolean feature = block == withFeature;
        boolean quality = block.stream().anyMatch(i -> observations.get(i).resultQuality() != null);
        boolean valid = block.stream().anyMatch(i -> observations.get(i).validTime() != null);
        boolean params = block.stream().anyMatch(i -> observations.get(i).parameters() != null);
        ObjectNode item = body.addObject();
        item.putObject("Datastream").put("@iot.id", datastreamId);
        ArrayNode components = item.putArray("components").add("phenomenonTime").add("resultTime").add("result");
        if (quality) {
          components.add("resultQuality");
        }
        if (valid) {
          components.add("validTime");
        }
        if (params) {
          components.add("parameters");
        }
        if (feature) {
          components.add("FeatureOfInterest/id");
        }
        item.put("dataArray@iot.count", block.size());
        ArrayNode rows = item.putArray("dataArray");
        for (int i : block) {
          Observation o = observations.get(i);
          ArrayNode r = rows.addArray();
          r.add(o.phenomenonTime().toString());
          if (o.resultTime() == null) {
            r.addNull();
          } else {
            r.add(o.resultTime().toString());
          }
          r.add(IotJson.mapper().<JsonNode>valueToTree(o.result()));
          if (quality) {
            r.add(IotJson.mapper().<JsonNode>valueToTree(o.resultQuality()));
          }
          if (valid) {
            if (o.validTime() == null) {
              r.addNull();
            } else {
              r.add(o.validTime().toString());
            }
          }
          if (params) {
            r.add(IotJson.mapper().<JsonNode>valueToTree(o.parameters()));
          }
          if (feature) {
            r.add(o.featureOfInterest().id());
          }
          rowIndex[row++] = i;
        }
      }
      ApiRequest request = ApiRequest.builder("iot.CreateObservations", "POST", root + "/CreateObservations")
          .json(body).options(options).build();
      return new DataArray(request, rowIndex);
    }

    @Override
    public PagedIterable<Observation> ofDatastream(long datastreamId) {
      return ofDatastream(datastreamId, IotQuery.none());
    }

    @Override
    public PagedIterable<Observation> ofDatastream(long datastreamId, IotQuery query) {
      return listing(EntitySet.OBSERVATIONS, inDatastream(datastreamId), query, "iot.Datastreams.Observations.list");
    }

    @Override
    public PagedIterable<Observation> history(long datastreamId, Instant from, Instant to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("history: from (" + from + ") must be before to (" + to + ")");
      }
      return ofDatastream(datastreamId, IotQuery.builder()
          .filter(Expr.PHENOMENON_TIME.ge(from).and(Expr.PHENOMENON_TIME.lt(to)))
          .orderBy(Expr.PHENOMENON_TIME, false).build());
    }

    private PagedIterable<Observation> newest(long datastreamId) {
      return ofDatastream(datastreamId, IotQuery.builder().orderBy(Expr.PHENOMENON_TIME, true).top(1).build());
    }

    @Override
    public Optional<Observation> latest(long datastreamId) {
      return newest(datastreamId).firstPage().items().stream().findFirst();
    }

    @Override
    public CompletableFuture<Optional<Observation>> latestAsync(long datastreamId) {
      return async(() -> newest(datastreamId).toListAsync().thenApply(l -> l.stream().findFirst()));
    }

    @Override
    public String toString() {
      return "IotObservations";
    }
  }

  // ------------------------------------------------------------------ feeds

  /** The programme's feeds. */
  public static final class Feeds implements IotFeeds {
    private final ApiClient api;
    private final String root;
    private final RequestOptions options;
    private final Entities<Thing> things;
    private final Entities<Datastream> datastreams;

    /**
     * Creates the feed operations.
     *
     * @param api the pipeline
     * @param root the service root path
     * @param options per-call options of the catalogue reads
     */
    public Feeds(ApiClient api, String root, RequestOptions options) {
      this.api = api;
      this.root = root;
      this.options = options;
      this.things = new Entities<>(api, root, EntitySet.THINGS, options);
      this.datastreams = new Entities<>(api, root, EntitySet.DATASTREAMS, options);
    }

    @Override
    public IotFeeds withOptions(RequestOptions options) {
      return new Feeds(api, root, Objects.requireNonNull(options, "options"));
    }

    @Override
    public PagedIterable<Thing> things(ProgrammeFeed feed) {
      Objects.requireNonNull(feed, "feed");
      return things.list(IotQuery.builder()
          .filter(Expr.property("properties/feed").eq(feed.feedName())).expand("Locations").build());
    }

    @Override
    public PagedIterable<Datastream> datastreams(ProgrammeFeed feed, String observedPropertyName) {
      Objects.requireNonNull(feed, "feed");
      Objects.requireNonNull(observedPropertyName, "observedPropertyName");
      return datastreams.list(IotQuery.builder()
          .filter(Expr.property("Thing/properties/feed").eq(feed.feedName())
              .and(Expr.property("ObservedProperty/name").eq(observedPropertyName)))
          .expand("Thing").build());
    }

    @Override
    public FeedSubscription subscribe(ProgrammeFeed feed, FeedOptions options, FeedHandler<Observation> handler) {
      Objects.requireNonNull(feed, "feed");
      return subscribe(feed.feedName(), List.of(), options, handler);
    }

    @Override
    public FeedSubscription subscribe(String feed, List<Long> datastreamIds, FeedOptions options,
        FeedHandler<Observation> handler) {
      Objects.requireNonNull(datastreamIds, "datastreamIds");
      List<String> keys = datastreamIds.stream().map(id -> Long.toString(positive(id))).toList();
      return FeedClient.subscribe(api, feed, keys, Observation.class, options, handler);
    }

    private IotQuery withThing() {
      return IotQuery.builder().expand("Thing").build();
    }

    @Override
    public FeedSubscription subscribeDatastream(long datastreamId, FeedOptions options,
        FeedHandler<Observation> handler) {
      Datastream ds = datastreams.get(datastreamId, withThing());
      return subscribe(feedOf(ds), List.of(datastreamId), options, handler);
    }

    @Override
    public CompletableFuture<FeedSubscription> subscribeDatastreamAsync(long datastreamId, FeedOptions options,
        FeedHandler<Observation> handler) {
      return datastreams.getAsync(datastreamId, withThing())
          .thenApply(ds -> subscribe(feedOf(ds), List.of(datastreamId), options, handler));
    }

    @Override
    public String toString() {
      return "IotFeeds";
    }
  }
}
