package io.shudu.iot;

import io.shudu.core.Versioned;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.core.internal.FeedClient;
import io.shudu.iot.internal.IotJson;
import io.shudu.iot.internal.ListingBody;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Client of the programme's AIoT feeds over OGC SensorThings API 1.1 (1.0 supported): typed entities, queries,
 * listings that follow {@code @iot.nextLink}, create (with deep insert), update (JSON merge patch), delete, batch
 * creation of observations (dataArray), and live feeds that lose nothing. Thread-safe; create one and reuse it.
 *
 * <pre>{@code
 * try (IotClient iot = IotClient.create(config)) {
 *   // a week of dissolved oxygen at a Qingpu station, newest first
 *   Datastream dox = iot.datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").iterator().next();
 *   for (Observation o : iot.observations(dox.id(), IotQuery.builder()
 *       .filter(Expr.PHENOMENON_TIME.ge(Instant.now().minus(Duration.ofDays(7))))
 *       .orderBy(Expr.PHENOMENON_TIME, true).build())) {
 *     System.out.println(o.phenomenonTime() + " " + o.resultAsDouble() + " mg/L");
 *   }
 *   // live: every new traffic observation, exactly once, resumable with a CheckpointStore
 *   FeedSubscription sub = iot.subscribe(ProgrammeFeed.TRAFFIC, FeedOptions.defaults(),
 *       event -> System.out.println(event.key() + " " + event.payload().result()));
 * }
 * }</pre>
 *
 * <p>Writes after a failure: every create ({@code create}, {@code createObservation}, {@code createObservations}) and update has an overload whose last parameter is
 * {@link io.shudu.core.RequestOptions}. When a write fails and its exception's
 * {@link io.shudu.core.ShuduException#outcome() outcome()} is not {@code ANSWERED}, call the same method with the same
 * arguments and {@code RequestOptions.repeatOf(e)}: the platform applies the write at most once and answers with its
 * first result (docs/api/core.md, "Writes whose outcome you can always learn").
 */
public final class IotClient implements AutoCloseable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int DEFAULT_PAGE = 100;

  private final ApiClient api;
  private final SensorThingsVersion version;
  private final String root;

  private IotClient(ClientConfig config, SensorThingsVersion version) {
    this.api = new ApiClient(Objects.requireNonNull(config, "config"), "iot");
    this.version = Objects.requireNonNull(version, "version");
    this.root = "/iot/" + version.pathSegment();
  }

  /**
   * A client for SensorThings 1.1.
   *
   * @param config the client configuration
   * @return the client
   */
  public static IotClient create(ClientConfig config) {
    return new IotClient(config, SensorThingsVersion.V1_1);
  }

  /**
   * A client for a given SensorThings version.
   *
   * @param config the client configuration
   * @param version {@link SensorThingsVersion#V1_1} or {@link SensorThingsVersion#V1_0}
   * @return the client
   */
  public static IotClient create(ClientConfig config, SensorThingsVersion version) {
    return new IotClient(config, version);
  }

  /**
   * The SensorThings version this client speaks.
   *
   * @return the version
   */
  public SensorThingsVersion version() {
    return version;
  }

  // ------------------------------------------------------------------ reads

  /**
   * Reads one entity.
   *
   * @param set the entity set, such as {@link EntitySet#THINGS}
   * @param id the {@code @iot.id}
   * @param <T> the entity type
   * @return the entity
   * @throws io.shudu.core.NotFoundException if it does not exist
   */
  public <T> T get(EntitySet<T> set, long id) {
    return get(set, id, IotQuery.none());
  }

  /**
   * Reads one entity with {@code $select} / {@code $expand} options.
   *
   * @param set the entity set
   * @param id the id
   * @param query options (only select and expand apply)
   * @param <T> the entity type
   * @return the entity
   */
  public <T> T get(EntitySet<T> set, long id, IotQuery query) {
    return decode(api.execute(getRequest(set, id, query)), set.type());
  }

  /**
   * Reads one entity with its ETag, for a conditional {@link #update(EntitySet, long, Object, String)}.
   *
   * @param set the entity set
   * @param id the id
   * @param <T> the entity type
   * @return the entity and its ETag
   */
  public <T> Versioned<T> getVersioned(EntitySet<T> set, long id) {
    ApiResponse r = api.execute(getRequest(set, id, IotQuery.none()));
    String etag = r.etag();
    if (etag == null) {
      throw new ClientException("iot: the platform sent no ETag for " + set.name() + "(" + id + ")", null, false);
    }
    return new Versioned<>(decode(r, set.type()), etag);
  }

  /**
   * Reads one entity without blocking.
   *
   * @param set the entity set
   * @param id the id
   * @param query options
   * @param <T> the entity type
   * @return the future entity
   */
  public <T> CompletableFuture<T> getAsync(EntitySet<T> set, long id, IotQuery query) {
    try {
      return api.executeAsync(getRequest(set, id, query)).thenApply(r -> decode(r, set.type()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> ApiRequest getRequest(EntitySet<T> set, long id, IotQuery query) {
    Objects.requireNonNull(set, "set");
    Objects.requireNonNull(query, "query");
    query.validate(set);
    ApiRequest.Builder b = ApiRequest.builder("iot." + set.name() + ".get", "GET",
        root + "/" + set.name() + "(" + positive(id) + ")");
    query.parameters(null).forEach(p -> b.query(p[0], p[1]));
    return b.build();
  }

  /**
   * Lists an entity set lazily, following {@code @iot.nextLink}.
   *
   * @param set the entity set
   * @param query filter, order, expansion, page size...
   * @param <T> the entity type
   * @return the listing; use {@code withMaxItems}, {@code pages()}, {@code resumeFrom(token)}
   */
  public <T> PagedIterable<T> list(EntitySet<T> set, IotQuery query) {
    return listing(set, root + "/" + set.name(), query, "iot." + set.name() + ".list");
  }

  /**
   * Lists an entity set without options.
   *
   * @param set the entity set
   * @param <T> the entity type
   * @return the listing
   */
  public <T> PagedIterable<T> list(EntitySet<T> set) {
    return list(set, IotQuery.none());
  }

  /**
   * Lists related entities, such as {@code Datastreams(5)/Observations} or {@code Things(1)/Locations}.
   *
   * @param parent the parent's entity set
   * @param parentId the parent's id
   * @param related the related entity set (a plural navigation property of the parent)
   * @param query options
   * @param <T> the related entity type
   * @return the listing
   */
  public <T> PagedIterable<T> listRelated(EntitySet<?> parent, long parentId, EntitySet<T> related, IotQuery query) {
    String nav = null;
    for (Map.Entry<String, EntitySet<?>> e : parent.navigation().entrySet()) {
      if (e.getValue() == related && e.getKey().endsWith("s")) {
        nav = e.getKey();
      }
    }
    if (nav == null) {
      throw new IllegalArgumentException(parent.name() + " has no " + related.name() + " collection; its navigation "
          + "properties are " + parent.navigation().keySet());
    }
    return listing(related, root + "/" + parent.name() + "(" + positive(parentId) + ")/" + nav, query,
        "iot." + parent.name() + "." + nav + ".list");
  }

  /**
   * The observations of a datastream ({@code Datastreams(id)/Observations}).
   *
   * @param datastreamId the datastream
   * @param query options, such as a time filter and order
   * @return the listing
   */
  public PagedIterable<Observation> observations(long datastreamId, IotQuery query) {
    return listRelated(EntitySet.DATASTREAMS, datastreamId, EntitySet.OBSERVATIONS, query);
  }

  /**
   * The observations of a datastream within {@code [from, to)}, oldest first.
   *
   * @param datastreamId the datastream
   * @param from inclusive start
   * @param to exclusive end
   * @return the listing
   */
  public PagedIterable<Observation> history(long datastreamId, Instant from, Instant to) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("history: from (" + from + ") must be before to (" + to + ")");
    }
    return observations(datastreamId, IotQuery.builder()
        .filter(Expr.PHENOMENON_TIME.ge(from).and(Expr.PHENOMENON_TIME.lt(to)))
        .orderBy(Expr.PHENOMENON_TIME, false).build());
  }

  /**
   * The newest observation of a datastream (by phenomenonTime), if it has any.
   *
   * @param datastreamId the datastream
   * @return the newest observation, or empty
   */
  public java.util.Optional<Observation> latest(long datastreamId) {
    Page<Observation> page = observations(datastreamId, IotQuery.builder().orderBy(Expr.PHENOMENON_TIME, true)
        .top(1).build()).firstPage();
    return page.items().stream().findFirst();
  }

  /**
   * The newest observation of a datastream, without blocking.
   *
   * @param datastreamId the datastream
   * @return the future newest observation, or empty
   */
  public CompletableFuture<java.util.Optional<Observation>> latestAsync(long datastreamId) {
    return observations(datastreamId, IotQuery.builder().orderBy(Expr.PHENOMENON_TIME, true).top(1).build())
        .withMaxItems(1).toListAsync().thenApply(l -> l.stream().findFirst());
  }

  /**
   * Counts matching entities ({@code $count=true&$top=1}).
   *
   * @param set the entity set
   * @param filter a condition, or null for all
   * @return the count
   */
  public long count(EntitySet<?> set, Expr filter) {
    return countOf(api.execute(countRequest(set, filter)));
  }

  /**
   * Counts without blocking.
   *
   * @param set the entity set
   * @param filter a condition, or null
   * @return the future count
   */
  public CompletableFuture<Long> countAsync(EntitySet<?> set, Expr filter) {
    try {
      return api.executeAsync(countRequest(set, filter)).thenApply(IotClient::countOf);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ApiRequest countRequest(EntitySet<?> set, Expr filter) {
    IotQuery.Builder qb = IotQuery.builder().count(true).top(1).select("id");
    if (filter != null) {
      qb.filter(filter);
    }
    IotQuery q = qb.build();
    q.validate(set);
    ApiRequest.Builder b = ApiRequest.builder("iot." + set.name() + ".count", "GET", root + "/" + set.name());
    q.parameters(null).forEach(p -> b.query(p[0], p[1]));
    return b.build();
  }

  private static long countOf(ApiResponse r) {
    JsonNode n = tree(r).get("@iot.count");
    if (n == null || !n.canConvertToLong()) {
      throw new ClientException("iot count: the platform's answer has no @iot.count", null, false);
    }
    return n.asLong();
  }

  private <T> PagedIterable<T> listing(EntitySet<T> set, String path, IotQuery query, String operation) {
    Objects.requireNonNull(query, "query");
    query.validate(set);
    int pageSize = query.top() != null ? query.top() : DEFAULT_PAGE;
    return api.paginate(pageSize, (token, limit) -> {
      ApiRequest.Builder b;
      if (token == null) {
        b = ApiRequest.builder(operation, "GET", path);
        query.parameters(limit).forEach(p -> b.query(p[0], p[1]));
        return b.build();
      }
      return nextRequest(operation, token, limit);
    }, r -> page(r, set.type()));
  }

  /** The request for a continuation token, which is the platform's {@code @iot.nextLink}. */
  private ApiRequest nextRequest(String operation, String nextLink, int limit) {
    int at = nextLink.indexOf("/iot/v1.");
    if (at < 0) {
      throw new IllegalArgumentException("continuation token is not a SensorThings @iot.nextLink: " + nextLink);
    }
    String rest = nextLink.substring(at);
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> params = new LinkedHashMap<>();
    if (q >= 0) {
      for (String part : rest.substring(q + 1).split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    params.put("$top", Integer.toString(limit));
    ApiRequest.Builder b = ApiRequest.builder(operation, "GET", path);
    params.forEach(b::query);
    return b.build();
  }

  private static <T> Page<T> page(ApiResponse r, Class<T> type) {
    ListingBody<T> body;
    try {
      body = IotJson.mapper().readValue(r.body(),
          IotJson.mapper().getTypeFactory().constructParametricType(ListingBody.class, type));
    } catch (java.io.IOException e) {
      throw new ClientException("iot listing: could not read a page of " + type.getSimpleName() + ": "
          + e.getMessage(), e, false);
    }
    if (body.value() == null) {
      throw new ClientException("iot listing: the platform's answer has no value array", null, false);
    }
    return new Page<>(body.value(), body.nextLink());
  }

  private static JsonNode tree(ApiResponse r) {
    try {
      return IotJson.mapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new ClientException("iot: the platform's answer is not JSON: " + e.getMessage(), e, false);
    }
  }

  private static <T> T convert(JsonNode n, Class<T> type) {
    try {
      return IotJson.mapper().treeToValue(n, type);
    } catch (JsonProcessingException e) {
      throw new ClientException("iot: could not read a " + type.getSimpleName() + " from the platform's answer: "
          + e.getOriginalMessage(), e, false);
    }
  }

  private static <T> T decode(ApiResponse r, Class<T> type) {
    return convert(tree(r), type);
  }

  // ------------------------------------------------------------------ writes

  /**
   * Creates an entity, with deep insert of the related entities it holds (new ones are created, {@code ref(id)}
   * ones are linked).
   *
   * @param set the entity set
   * @param entity the entity to create (without id)
   * @param <T> the entity type
   * @return the created entity as stored
   */
  public <T> T create(EntitySet<T> set, T entity) {
    return create(set, entity, RequestOptions.defaults());
  }

  /**
   * Creates an entity with per-call options, such as {@link RequestOptions#repeatOf} to repeat a create that failed
   * with outcome MAYBE_PROCESSED: the platform answers a repeat of the same Idempotency-Key with the first result.
   *
   * @param set the entity set
   * @param entity the entity
   * @param options the options
   * @param <T> the entity type
   * @return the created entity
   */
  public <T> T create(EntitySet<T> set, T entity, RequestOptions options) {
    return decode(api.execute(createRequest(set, root + "/" + set.name(), entity, options)), set.type());
  }

  /**
   * Creates an entity without blocking, with per-call options.
   *
   * @param set the entity set
   * @param entity the entity
   * @param options the options
   * @param <T> the entity type
   * @return the future created entity
   */
  public <T> CompletableFuture<T> createAsync(EntitySet<T> set, T entity, RequestOptions options) {
    try {
      return api.executeAsync(createRequest(set, root + "/" + set.name(), entity, options))
          .thenApply(r -> decode(r, set.type()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Creates an entity without blocking.
   *
   * @param set the entity set
   * @param entity the entity
   * @param <T> the entity type
   * @return the future created entity
   */
  public <T> CompletableFuture<T> createAsync(EntitySet<T> set, T entity) {
    return createAsync(set, entity, RequestOptions.defaults());
  }

  /**
   * Adds an observation to a datastream ({@code POST Datastreams(id)/Observations}); the FeatureOfInterest is
   * generated from the Thing's location when the observation has none.
   *
   * @param datastreamId the datastream
   * @param observation the observation
   * @return the created observation
   */
  public Observation createObservation(long datastreamId, Observation observation) {
    return createObservation(datastreamId, observation, RequestOptions.defaults());
  }

  /**
   * Adds an observation with per-call options, such as {@link RequestOptions#repeatOf} after a failure.
   *
   * @param datastreamId the datastream
   * @param observation the observation
   * @param options the options
   * @return the created observation
   */
  public Observation createObservation(long datastreamId, Observation observation, RequestOptions options) {
    return decode(api.execute(createRequest(EntitySet.OBSERVATIONS, root + "/Datastreams(" + positive(datastreamId)
        + ")/Observations", observation, options)), Observation.class);
  }

  /**
   * Adds an observation without blocking.
   *
   * @param datastreamId the datastream
   * @param observation the observation
   * @return the future created observation
   */
  public CompletableFuture<Observation> createObservationAsync(long datastreamId, Observation observation) {
    try {
      return createObservationAsync(datastreamId, observation, RequestOptions.defaults());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Adds an observation without blocking, with per-call options.
   *
   * @param datastreamId the datastream
   * @param observation the observation
   * @param options the options
   * @return the future created observation
   */
  public CompletableFuture<Observation> createObservationAsync(long datastreamId, Observation observation,
      RequestOptions options) {
    try {
      return api.executeAsync(createRequest(EntitySet.OBSERVATIONS, root + "/Datastreams(" + positive(datastreamId)
          + ")/Observations", observation, options)).thenApply(r -> decode(r, Observation.class));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> ApiRequest createRequest(EntitySet<T> set, String path, T entity, RequestOptions options) {
    Objects.requireNonNull(entity, "entity");
    checkCreate(entity);
    return ApiRequest.builder("iot." + set.name() + ".create", "POST", path).json(entity).options(options).build();
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

  /**
   * Updates an entity with a JSON merge patch (RFC 7396) of the changes' non-null members: only those are changed.
   * To make the update conditional, pass {@code RequestOptions.builder().header("If-Match", etag)}.
   *
   * @param set the entity set
   * @param id the id
   * @param changes an entity with only the members to change set (related entities as {@code ref(id)})
   * @param <T> the entity type
   * @return the updated entity
   */
  public <T> T update(EntitySet<T> set, long id, T changes) {
    return update(set, id, changes, RequestOptions.defaults());
  }

  /**
   * Updates an entity with request options (for example {@code If-Match}).
   *
   * @param set the entity set
   * @param id the id
   * @param changes the members to change
   * @param options per-call options
   * @param <T> the entity type
   * @return the updated entity
   */
  public <T> T update(EntitySet<T> set, long id, T changes, RequestOptions options) {
    return decode(api.execute(updateRequest(set, id, IotJson.mapper().valueToTree(changes), options)), set.type());
  }

  /**
   * Updates an entity only if it still has the given ETag ({@code If-Match}), from {@link #getVersioned}.
   *
   * @param set the entity set
   * @param id the id
   * @param changes the members to change
   * @param ifMatch the ETag read before
   * @param <T> the entity type
   * @return the updated entity
   * @throws io.shudu.core.PreconditionFailedException if the entity changed in between
   */
  public <T> T update(EntitySet<T> set, long id, T changes, String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank()) {
      throw new IllegalArgumentException("ifMatch must be the ETag from getVersioned, such as \"12-3\"");
    }
    return update(set, id, changes, RequestOptions.builder().header("If-Match", ifMatch).build());
  }

  /**
   * Updates with an explicit merge patch, where a null value removes an optional member.
   *
   * @param set the entity set
   * @param id the id
   * @param patch member names and new values
   * @param <T> the entity type
   * @return the updated entity
   */
  public <T> T update(EntitySet<T> set, long id, Map<String, Object> patch) {
    ObjectNode node = NODES.objectNode();
    patch.forEach((k, v) -> node.set(k, v == null ? NODES.nullNode() : IotJson.mapper().valueToTree(v)));
    return decode(api.execute(updateRequest(set, id, node, RequestOptions.defaults())), set.type());
  }

  /**
   * Updates without blocking.
   *
   * @param set the entity set
   * @param id the id
   * @param changes the members to change
   * @param <T> the entity type
   * @return the future updated entity
   */
  public <T> CompletableFuture<T> updateAsync(EntitySet<T> set, long id, T changes) {
    try {
      return api.executeAsync(updateRequest(set, id, IotJson.mapper().valueToTree(changes), RequestOptions.defaults()))
          .thenApply(r -> decode(r, set.type()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ApiRequest updateRequest(EntitySet<?> set, long id, JsonNode patch, RequestOptions options) {
    if (!(patch instanceof ObjectNode o) || o.isEmpty()) {
      throw new IllegalArgumentException("update needs at least one member to change");
    }
    o.remove("@iot.id");
    o.remove("@iot.selfLink");
    try {
      return ApiRequest.builder("iot." + set.name() + ".update", "PATCH",
          root + "/" + set.name() + "(" + positive(id) + ")")
          .body(IotJson.mapper().writeValueAsBytes(o), "application/merge-patch+json").options(options).build();
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("could not serialise the update: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Deletes an entity (with the platform's cascades: a Datastream takes its Observations, a Thing its
   * Datastreams and HistoricalLocations).
   *
   * @param set the entity set
   * @param id the id
   */
  public void delete(EntitySet<?> set, long id) {
    api.execute(deleteRequest(set, id));
  }

  /**
   * Deletes without blocking.
   *
   * @param set the entity set
   * @param id the id
   * @return completes when deleted
   */
  public CompletableFuture<Void> deleteAsync(EntitySet<?> set, long id) {
    try {
      return api.executeAsync(deleteRequest(set, id)).thenApply(r -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ApiRequest deleteRequest(EntitySet<?> set, long id) {
    return ApiRequest.builder("iot." + set.name() + ".delete", "DELETE",
        root + "/" + set.name() + "(" + positive(id) + ")").build();
  }

  /**
   * Creates many observations of one datastream in one request (dataArray extension,
   * {@code POST CreateObservations}).
   *
   * @param datastreamId the datastream
   * @param observations at most 10,000 observations with phenomenonTime and result
   * @return the ids of the created observations, in order
   * @throws ClientException if the platform rejected some rows (the message counts them)
   */
  public List<Long> createObservations(long datastreamId, List<Observation> observations) {
    return createObservations(datastreamId, observations, RequestOptions.defaults());
  }

  /**
   * Creates many observations with per-call options, such as {@link RequestOptions#repeatOf} after a failure (the
   * batch is then applied once).
   *
   * @param datastreamId the datastream
   * @param observations the observations
   * @param options the options
   * @return the ids of the created observations, in order
   */
  public List<Long> createObservations(long datastreamId, List<Observation> observations, RequestOptions options) {
    return ids(api.execute(dataArrayRequest(datastreamId, observations, options)));
  }

  /**
   * Creates many observations without blocking.
   *
   * @param datastreamId the datastream
   * @param observations the observations
   * @return the future ids
   */
  public CompletableFuture<List<Long>> createObservationsAsync(long datastreamId, List<Observation> observations) {
    try {
      return createObservationsAsync(datastreamId, observations, RequestOptions.defaults());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Creates many observations without blocking, with per-call options.
   *
   * @param datastreamId the datastream
   * @param observations the observations
   * @param options the options
   * @return the future ids
   */
  public CompletableFuture<List<Long>> createObservationsAsync(long datastreamId, List<Observation> observations,
      RequestOptions options) {
    try {
      return api.executeAsync(dataArrayRequest(datastreamId, observations, options)).thenApply(IotClient::ids);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ApiRequest dataArrayRequest(long datastreamId, List<Observation> observations, RequestOptions options) {
    Objects.requireNonNull(observations, "observations");
    if (observations.isEmpty() || observations.size() > IotQuery.MAX_TOP) {
      throw new IllegalArgumentException("createObservations takes 1 to " + IotQuery.MAX_TOP
          + " observations, got " + observations.size());
    }
    ObjectNode item = NODES.objectNode();
    item.putObject("Datastream").put("@iot.id", positive(datastreamId));
    item.putArray("components").add("phenomenonTime").add("resultTime").add("result");
    item.put("dataArray@iot.count", observations.size());
    ArrayNode rows = item.putArray("dataArray");
    int i = 0;
    for (Observation o : observations) {
      if (o.phenomenonTime() == null || o.result() == null) {
        throw new IllegalArgumentException("observations[" + i + "] needs phenomenonTime and result");
      }
      ArrayNode row = rows.addArray();
      row.add(o.phenomenonTime().toString());
      if (o.resultTime() == null) {
        row.addNull();
      } else {
        row.add(o.resultTime().toString());
      }
      row.add(IotJson.mapper().<JsonNode>valueToTree(o.result()));
      i++;
    }
    return ApiRequest.builder("iot.CreateObservations", "POST", root + "/CreateObservations")
        .json(NODES.arrayNode().add(item)).options(options).build();
  }

  private static List<Long> ids(ApiResponse r) {
    JsonNode links = tree(r);
    List<Long> ids = new ArrayList<>();
    int errors = 0;
    for (JsonNode l : links) {
      String s = l.asText();
      int open = s.lastIndexOf('(');
      if (s.equals("error") || open < 0) {
        errors++;
        continue;
      }
      ids.add(Long.parseLong(s.substring(open + 1, s.length() - 1)));
    }
    if (errors > 0) {
      throw new ClientException("iot.CreateObservations: the platform rejected " + errors + " of " + links.size()
          + " observations (check their times and results); " + ids.size() + " were created", null, false);
    }
    return ids;
  }

  // ------------------------------------------------------------------ programme helpers

  /**
   * The Things of one of the programme's feeds, with their Locations.
   *
   * @param feed the feed
   * @return the listing
   */
  public PagedIterable<Thing> things(ProgrammeFeed feed) {
    return list(EntitySet.THINGS, IotQuery.builder()
        .filter(Expr.property("properties/feed").eq(feed.feedName())).expand("Locations").build());
  }

  /**
   * The Datastreams of a feed observing one property, such as the water-quality feed's
   * {@code Dissolved oxygen (DO)}, with their Thing.
   *
   * @param feed the feed
   * @param observedPropertyName the ObservedProperty's name
   * @return the listing
   */
  public PagedIterable<Datastream> datastreams(ProgrammeFeed feed, String observedPropertyName) {
    return list(EntitySet.DATASTREAMS, IotQuery.builder()
        .filter(Expr.property("Thing/properties/feed").eq(feed.feedName())
            .and(Expr.property("ObservedProperty/name").eq(observedPropertyName)))
        .expand("Thing").build());
  }

  // ------------------------------------------------------------------ live feeds

  /**
   * Subscribes to one of the programme's feeds: every new Observation, exactly once and in order per datastream,
   * resuming after disconnects (and after restarts with a {@link io.shudu.core.CheckpointStore} in the options).
   * Event keys are Datastream ids.
   *
   * @param feed the feed
   * @param options buffering, reconnect, gap and checkpoint options
   * @param handler receives the observations
   * @return the running subscription; close it to stop
   */
  public FeedSubscription subscribe(ProgrammeFeed feed, FeedOptions options, FeedHandler<Observation> handler) {
    return subscribe(feed.feedName(), List.of(), options, handler);
  }

  /**
   * Subscribes to a feed by name, optionally to some datastreams only.
   *
   * @param feed the feed name, such as {@code water-quality}
   * @param datastreamIds datastreams to receive (empty: all of the feed)
   * @param options options
   * @param handler receives the observations
   * @return the running subscription
   */
  public FeedSubscription subscribe(String feed, List<Long> datastreamIds, FeedOptions options,
      FeedHandler<Observation> handler) {
    List<String> keys = datastreamIds.stream().map(id -> Long.toString(positive(id))).toList();
    return FeedClient.subscribe(api, feed, keys, Observation.class, options, handler);
  }

  /**
   * Subscribes to the new observations of one datastream (its feed is looked up from its Thing).
   *
   * @param datastreamId the datastream
   * @param options options
   * @param handler receives the observations
   * @return the running subscription
   */
  public FeedSubscription subscribeDatastream(long datastreamId, FeedOptions options,
      FeedHandler<Observation> handler) {
    Datastream ds = get(EntitySet.DATASTREAMS, datastreamId, IotQuery.builder().expand("Thing").build());
    String feed = feedOf(ds);
    return subscribe(feed, List.of(datastreamId), options, handler);
  }

  static String feedOf(Datastream ds) {
    Object f = ds.properties() == null ? null : ds.properties().get("feed");
    if (f == null && ds.thing() != null && ds.thing().properties() != null) {
      f = ds.thing().properties().get("feed");
    }
    return f == null ? "observations" : f.toString();
  }

  private static long positive(long id) {
    if (id < 1) {
      throw new IllegalArgumentException("ids are positive integers, got " + id);
    }
    return id;
  }

  /** Releases nothing: the transport is shared through the configuration. */
  @Override
  public void close() {
    // the HTTP transport belongs to the ClientConfig; subscriptions are closed by their owners
  }
}
