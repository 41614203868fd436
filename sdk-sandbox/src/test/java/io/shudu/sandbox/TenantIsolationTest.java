package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.FeedClient;
import io.shudu.core.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenants apart, for every kind of resource, over real loopback HTTP with two tenants' API keys. Tenant A ("alpha")
 * creates one of everything; tenant B ("beta") then tries to read, list, write, delete, subscribe to and publish on
 * each of A's resources. Every attempt on something of A's is refused with 404 or 403 problem+json (a reference to
 * A's data inside a request body gets the same 400 as a reference to nothing), every refusal is the one B gets for
 * the same request on ids that never existed (same status, code and detail but for the id: existence does not leak),
 * no answer to B carries A's data, B's lists never contain A's items, and after every attempt A re-reads everything
 * it has (including a seeded entity A deleted and seeded data B changes in its own copy) and finds it unchanged.
 * Writes to data that every tenant starts with (the seeded twin, SensorThings data, the board's series, the settings)
 * land in B's own copy: A's copy stays as it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationTest {
  /** Text only A's data contains: it must never reach B. */
  private static final String SECRET = "s3cr3t-alpha";
  /** A Location for a new Thing, so that its Observations get a FeatureOfInterest. */
  private static final String LOCATION = "\"Locations\":[{\"name\":\"l\",\"description\":\"l\","
      + "\"encodingType\":\"application/vnd.geo+json\",\"location\":{\"type\":\"Point\","
      + "\"coordinates\":[121.9,30.9]}}],";
  /** A's own Location: its name reaches the Location, the generated FeatureOfInterest and the HistoricalLocation. */
  private static final String ALPHA_LOCATION = LOCATION.replace("\"name\":\"l\",\"description\":\"l\"",
      "\"name\":\"" + SECRET + "-loc\",\"description\":\"" + SECRET + "-loc\"");
  /** A seeded twin entity A deletes: B's copy of it stays, A's stays deleted. */
  private static final String DELETED_SEED = "lg-bldg-0003";
  /** A seeded twin entity B deletes in its own copy: A's copy stays. */
  private static final String BETA_DELETES = "lg-bldg-0005";
  /** A's idempotent request, which B then sends with A's Idempotency-Key. */
  private static final String ECHO = "{\"note\":\"the same body\"}";
  private static final OkHttpClient HTTP = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20)).build();

  static Sandbox sandbox;
  static Http alpha;
  static Http beta;
  /** Ids of A's resources, by name. */
  static final Map<String, String> A = new LinkedHashMap<>();
  /** What A reads before B's attempts: request -> answer. */
  static Map<String, String> before;
  /** Events A's own subscriptions receive after the set-up. */
  static final List<String> alphaEvents = new CopyOnWriteArrayList<>();
  static final List<FeedSubscription> subs = new ArrayList<>();
  /** A's lists of SensorThings entities that hold A's marker in A's own view (newest first). */
  static final List<String> IOT_LISTS = List.of(
      "/iot/v1.1/Sensors?$top=100&$orderby=id%20desc",
      "/iot/v1.1/ObservedProperties?$top=100&$orderby=id%20desc",
      "/iot/v1.1/Locations?$top=100&$orderby=id%20desc",
      "/iot/v1.1/FeaturesOfInterest?$top=100&$orderby=id%20desc",
      "/iot/v1.1/HistoricalLocations?$top=100&$orderby=id%20desc&$expand=Locations,Thing");
  /** The SensorThings entity sets of A's numeric ids, by the name the ids have in {@link #A}. */
  static final Map<String, String> IOT_SETS = Map.of("thing", "Things", "datastream", "Datastreams",
      "observation", "Observations", "sensor", "Sensors", "observedProperty", "ObservedProperties",
      "location", "Locations", "historicalLocation", "HistoricalLocations", "featureOfInterest", "FeaturesOfInterest");
  /** The numeric SensorThings id that never exists. */
  static final String NEVER_IOT_ID = "999999";
  /** A's string ids, each with an id of the same shape that never existed. */
  static final Map<String, String> NEVER = new LinkedHashMap<>();
  /** Rewrites a request on A's resources into the same request on resources that never existed. */
  static UnaryOperator<String> never;

  /** An answer: status, media type, body (not read for a 200 event stream), and whether it was a replay. */
  record Answer(int status, String type, String body, boolean replayed) {
    JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + type + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
  }

  /** One tenant's raw HTTP access with its API key. */
  record Http(SandboxTenant tenant, UnaryOperator<String> rewrite) {
    Http(SandboxTenant tenant) {
      this(tenant, UnaryOperator.identity());
    }

    /** The same tenant, sending every path, body and header value through {@code r} first. */
    Http rewriting(UnaryOperator<String> r) {
      return new Http(tenant, r);
    }

    Answer get(String path) {
      return send("GET", path, null, null, Map.of());
    }

    Answer post(String path, String json) {
      return send("POST", path, json, "application/json", Map.of());
    }

    Answer send(String method, String rawPath, String rawBody, String contentType, Map<String, String> rawHeaders) {
      String path = rewrite.apply(rawPath);
      String body = rawBody == null ? null : rewrite.apply(rawBody);
      Map<String, String> headers = new LinkedHashMap<>();
      rawHeaders.forEach((k, v) -> headers.put(k, rewrite.apply(v)));
      Request.Builder b = new Request.Builder().url(sandbox.baseUrl() + path).header("X-Api-Key", tenant.apiKey());
      headers.forEach(b::header);
      b.method(method, body == null ? (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
          ? RequestBody.create(new byte[0], null) : null) : RequestBody.create(body, MediaType.get(contentType)));
      try (Response r = HTTP.newCall(b.build()).execute()) {
        String type = r.header("Content-Type", "");
        boolean stream = r.code() == 200 && type.startsWith("text/event-stream");
        return new Answer(r.code(), type, stream ? "" : r.body().string(), "true".equals(r.header(
            "Idempotent-Replayed")));
      } catch (IOException e) {
        throw new AssertionError(method + " " + path + " failed: " + e, e);
      }
    }
  }

  @BeforeAll
  static void aliceSetsUpOneOfEverything() throws Exception {
    sandbox = Sandbox.builder().simulationRate(0).start();
    alpha = new Http(sandbox.tenant("alpha"));
    beta = new Http(sandbox.tenant("beta"));
    // --- twin: an entity with history, a relationship, a change to a seeded entity; the change feed has events
    ok(alpha.send("PUT", "/twin/v1/entities/alpha-sensor-1", "{\"type\":\"sensor\",\"properties\":{\"owner\":"
        + "{\"value\":\"" + SECRET + "-owner\"}},\"geometry\":{\"type\":\"Point\",\"coordinates\":[121.905,30.923]}}",
        "application/json", Map.of()));
    ok(alpha.send("PATCH", "/twin/v1/entities/alpha-sensor-1", "{\"properties\":{\"owner\":{\"value\":\"" + SECRET
        + "-owner-2\"}}}", "application/merge-patch+json", Map.of()));
    ok(alpha.send("PATCH", "/twin/v1/entities/lg-bldg-0001", "{\"properties\":{\"note\":{\"value\":\"" + SECRET
        + "-note\"}}}", "application/merge-patch+json", Map.of()));
    A.put("relationship", ok(alpha.post("/twin/v1/relationships", "{\"type\":\"observes\",\"source\":"
        + "\"alpha-sensor-1\",\"target\":\"lg-bldg-0001\"}")).json().get("id").asText());
    ok(alpha.send("DELETE", "/twin/v1/entities/" + DELETED_SEED, null, null, Map.of()));
    A.put("twinFeed", ok(alpha.get("/twin/v1/changes")).json().get("feed").asText());
    assertThat(A.get("twinFeed")).isEqualTo("twin-changes.alpha");
    // --- SensorThings: a Thing with its own feed, a Datastream, an Observation; a change to a seeded Thing
    JsonNode thing = ok(alpha.post("/iot/v1.1/Things", "{\"name\":\"" + SECRET + "-thing\",\"description\":\"x\","
        + ALPHA_LOCATION + "\"properties\":{\"feed\":\"alpha-sensors\"},\"Datastreams\":[{\"name\":\"" + SECRET + "-ds\","
        + "\"description\":\"d\",\"unitOfMeasurement\":{\"name\":\"n\",\"symbol\":\"\",\"definition\":\"d\"},"
        + "\"observationType\":\"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation\","
        + "\"Sensor\":{\"name\":\"" + SECRET + "-sensor\",\"description\":\"s\",\"encodingType\":"
        + "\"application/pdf\",\"metadata\":\"m\"},\"ObservedProperty\":{\"name\":\"" + SECRET + "-op\",\"definition\":\"d\","
        + "\"description\":\"d\"}}]}")).json();
    A.put("thing", thing.get("@iot.id").asText());
    A.put("datastream", ok(alpha.get("/iot/v1.1/Things(" + A.get("thing") + ")/Datastreams")).json()
        .at("/value/0/@iot.id").asText());
    A.put("observation", ok(alpha.post("/iot/v1.1/Datastreams(" + A.get("datastream") + ")/Observations",
        "{\"result\":\"" + SECRET + "-reading\"}")).json().get("@iot.id").asText());
    String dsPath = "/iot/v1.1/Datastreams(" + A.get("datastream") + ")";
    A.put("sensor", ok(alpha.get(dsPath + "/Sensor")).json().get("@iot.id").asText());
    A.put("observedProperty", ok(alpha.get(dsPath + "/ObservedProperty")).json().get("@iot.id").asText());
    A.put("location", ok(alpha.get("/iot/v1.1/Things(" + A.get("thing") + ")/Locations")).json()
        .at("/value/0/@iot.id").asText());
    A.put("historicalLocation", ok(alpha.get("/iot/v1.1/Things(" + A.get("thing") + ")/HistoricalLocations")).json()
        .at("/value/0/@iot.id").asText());
    A.put("featureOfInterest", ok(alpha.get("/iot/v1.1/Observations(" + A.get("observation")
        + ")/FeatureOfInterest")).json().get("@iot.id").asText());
    for (String kind : List.of("sensor", "observedProperty", "location", "historicalLocation", "featureOfInterest")) {
      assertThat(A.get(kind)).as(kind).matches("[0-9]+");
    }
    // A's lists hold A's marker, so B's lists not holding it means something
    for (String list : IOT_LISTS) {
      assertThat(ok(alpha.get(list)).body()).as(list).contains(SECRET);
    }
    ok(alpha.send("PATCH", "/iot/v1.1/Things(1)", "{\"properties\":{\"note\":\"" + SECRET + "-seed\"}}",
        "application/merge-patch+json", Map.of()));
    // --- exchange: settings, an order with a delivery, its receipt and audit chain, a webhook
    ok(alpha.send("PUT", "/exchange/v1/sandbox/settings", "{\"autoProgress\":true,\"merchantDelayMs\":7,"
        + "\"exchangeDelayMs\":3}", "application/json", Map.of()));
    String offer = ok(alpha.get("/exchange/v1/offers")).json().at("/items/0/id").asText();
    A.put("offer", offer);
    String orderBody = "{\"offerId\":\"" + offer + "\",\"intendedUse\":{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}";
    A.put("orderBody", orderBody);
    String order = ok(alpha.send("POST", "/exchange/v1/orders", orderBody, "application/json",
        Map.of("Idempotency-Key", "order-key-1"))).json().get("id").asText();
    A.put("order", order);
    ok(alpha.get("/exchange/v1/orders/" + order + "/await?state=OFFERED&timeoutMs=5000"));
    ok(alpha.post("/exchange/v1/orders/" + order + "/transitions", "{\"action\":\"agree\"}"));
    ok(alpha.get("/exchange/v1/orders/" + order + "/await?state=FINALIZED&timeoutMs=5000"));
    String delivery = ok(alpha.post("/exchange/v1/orders/" + order + "/deliveries", "{}")).json().get("id").asText();
    A.put("delivery", delivery);
    assertThat(ok(alpha.get("/exchange/v1/deliveries/" + delivery + "/await?state=STARTED&timeoutMs=5000")).json()
        .get("state").asText()).isEqualTo("STARTED");
    A.put("webhook", ok(alpha.post("/exchange/v1/webhooks", "{\"url\":\"https://hooks.alpha.example/" + SECRET
        + "\",\"events\":[\"delivery.completed\"]}")).json().get("id").asText());
    // --- an idempotent answer under a key
    ok(alpha.send("POST", "/v1/echo", ECHO, "application/json",
        Map.of("Idempotency-Key", "shared-key-1")));
    // --- the board: A's own collection and claim, a claim of the series given from one account to another
    A.put("collection", ok(alpha.post("/exchange/v1/board/collections", "{\"name\":\"alpha works\","
        + "\"supply\":3}")).json().get("id").asText());
    A.put("collectionAsset", ok(alpha.post("/exchange/v1/board/collections/" + A.get("collection") + "/claims",
        "{\"account\":\"alice\"}")).json().at("/asset/id").asText());
    String seriesAsset = ok(alpha.post("/exchange/v1/board/collections/shen-sheng-bu-xi/claims",
        "{\"account\":\"alice\"}")).json().at("/asset/id").asText();
    A.put("seriesAsset", seriesAsset);
    ok(alpha.post("/exchange/v1/board/transfers", "{\"assetId\":\"" + seriesAsset + "\",\"fromAccount\":\"alice\","
        + "\"toAccount\":\"bob\",\"memo\":\"" + SECRET + "-gift\"}"));

    // A listens to its own feeds from here on: B must never get an event into them
    ApiClient api = new ApiClient(sandbox.tenant("alpha").clientConfig(), "isolation-test");
    for (String feed : List.of(A.get("twinFeed"), "alpha-sensors")) {
      FeedSubscription s = FeedClient.subscribe(api, feed, List.of(), JsonNode.class, FeedOptions.builder().build(),
          e -> alphaEvents.add(e.feed() + "#" + e.id() + " " + e.payload()));
      subs.add(s);
      assertThat(s.awaitConnected(Duration.ofSeconds(10))).isTrue();
    }
    before = alphaView();
    before.forEach((request, answer) -> assertThat(answer).as(request).startsWith(request.equals("GET "
        + "/twin/v1/entities/" + DELETED_SEED) ? "404 " : request.startsWith("GET ") ? "200 " : "201 replayed=true"));
    never = neverExisting();
  }

  @AfterAll
  static void stop() {
    subs.forEach(FeedSubscription::close);
    if (sandbox != null) {
      sandbox.close();
    }
  }

  /** Builds {@link #never}: A's ids, wherever a request names them, become ids of the same shape that never existed. */
  static UnaryOperator<String> neverExisting() {
    NEVER.put("alpha-sensor-1", "never-sensor-1");
    NEVER.put("alpha-sensors", "never-sensors");
    NEVER.put(A.get("twinFeed"), "twin-changes.nobody");
    NEVER.put(A.get("relationship"), "rel-999999");
    NEVER.put(A.get("order"), "ord_never000");
    NEVER.put(A.get("delivery"), "dlv_never000");
    NEVER.put(A.get("webhook"), "wh_never000");
    NEVER.put(A.get("collection"), "alpha-works-00000"); // A's collection asset is "<collection>-1"
    List<Pattern> iot = new ArrayList<>();
    IOT_SETS.forEach((name, set) -> iot.add(Pattern.compile("(?<![A-Za-z])" + set + "\\(" + A.get(name) + "\\)")));
    Pattern dsReference = Pattern.compile("\"Datastream\":\\{\"@iot\\.id\":" + A.get("datastream") + "(?![0-9])");
    return text -> {
      String out = text;
      for (Map.Entry<String, String> e : NEVER.entrySet()) {
        out = out.replace(e.getKey(), e.getValue());
      }
      for (Pattern p : iot) {
        out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group().replaceAll("\\([0-9]+\\)",
            "(" + NEVER_IOT_ID + ")")));
      }
      return dsReference.matcher(out).replaceAll(Matcher.quoteReplacement("\"Datastream\":{\"@iot.id\":"
          + NEVER_IOT_ID));
    };
  }

  /** B's attempt on ids that never existed: the same request with A's ids replaced (it must name one of them). */
  static Answer forNothing(Attempt attempt) {
    boolean[] named = {false};
    Answer control = attempt.call().apply(beta.rewriting(text -> {
      String out = never.apply(text);
      named[0] |= !out.equals(text);
      return out;
    }));
    assertThat(named[0]).as("%s names one of A's ids", attempt).isTrue();
    return control;
  }

  /**
   * B's refusal of a request on A's resource tells B nothing: it is the refusal of the same request on a resource
   * that never existed (the same status and code, the same detail but for the id).
   */
  static void refusedAsForNothing(String what, int status, JsonNode problem, int controlStatus, JsonNode control) {
    assertThat(status).as("%s: status (the answer for a never-existing id was %s %s)", what, controlStatus, control)
        .isEqualTo(controlStatus);
    assertThat(problem.path("code").asText()).as("%s: code", what).isEqualTo(control.path("code").asText());
    String detail = control.path("detail").asText();
    List<String> nevers = new ArrayList<>(NEVER.values());
    nevers.add(NEVER_IOT_ID);
    List<String> ids = new ArrayList<>(NEVER.keySet());
    IOT_SETS.keySet().forEach(k -> ids.add(A.get(k)));
    StringBuilder anyId = new StringBuilder("(?:");
    ids.stream().sorted((x, y) -> y.length() - x.length()).forEach(id -> anyId.append(Pattern.quote(id)).append('|'));
    anyId.setLength(anyId.length() - 1);
    anyId.append(')');
    String marked = detail;
    for (String n : nevers) {
      marked = marked.replace(n, "\u0000");
    }
    StringBuilder regex = new StringBuilder();
    for (String piece : marked.split("\u0000", -1)) {
      regex.append(regex.length() == 0 ? "" : anyId).append(Pattern.quote(piece));
    }
    assertThat(problem.path("detail").asText()).as("%s: detail (for a never-existing id: %s)", what, detail)
        .matches(Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  /** Everything A has, as A reads it. */
  static Map<String, String> alphaView() {
    Map<String, String> v = new LinkedHashMap<>();
    List<String> paths = new ArrayList<>(IOT_LISTS);
    paths.addAll(List.of(
        "/twin/v1/entities/alpha-sensor-1",
        "/twin/v1/entities/alpha-sensor-1/history?property=owner&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z",
        "/twin/v1/entities/lg-bldg-0001",
        "/twin/v1/entities/lg-bldg-0001/relationships?direction=incoming&type=observes",
        "/twin/v1/relationships/" + A.get("relationship"),
        "/feeds/v1",
        "/iot/v1.1/Things(" + A.get("thing") + ")?$expand=Datastreams",
        "/iot/v1.1/Datastreams(" + A.get("datastream") + ")/Observations",
        "/iot/v1.1/Things(1)",
        "/iot/v1.1/Things(2)",
        "/iot/v1.1/Sensors(" + A.get("sensor") + ")?$expand=Datastreams",
        "/iot/v1.1/ObservedProperties(" + A.get("observedProperty") + ")?$expand=Datastreams",
        "/iot/v1.1/Locations(" + A.get("location") + ")?$expand=Things,HistoricalLocations",
        "/iot/v1.1/HistoricalLocations(" + A.get("historicalLocation") + ")?$expand=Thing,Locations",
        "/iot/v1.1/FeaturesOfInterest(" + A.get("featureOfInterest") + ")?$expand=Observations",
        "/twin/v1/entities/" + DELETED_SEED,
        "/twin/v1/entities/" + BETA_DELETES,
        "/exchange/v1/sandbox/settings",
        "/exchange/v1/orders",
        "/exchange/v1/orders/" + A.get("order"),
        "/exchange/v1/orders/" + A.get("order") + "/audit",
        "/exchange/v1/deliveries/" + A.get("delivery"),
        "/exchange/v1/deliveries/" + A.get("delivery") + "/receipt",
        "/exchange/v1/webhooks",
        "/exchange/v1/webhooks/" + A.get("webhook"),
        "/exchange/v1/board/collections",
        "/exchange/v1/board/collections/" + A.get("collection"),
        "/exchange/v1/board/assets/" + A.get("collectionAsset"),
        "/exchange/v1/board/assets/" + A.get("seriesAsset"),
        "/exchange/v1/board/accounts/alice/assets",
        "/exchange/v1/board/accounts/bob/assets"));
    for (String path : paths) {
      Answer a = alpha.get(path);
      // a problem's request id differs on every request: the rest of it is what A reads
      v.put("GET " + path, a.status() + " " + a.body().replaceAll("\"requestId\":\"[^\"]*\"", "\"requestId\":\"…\""));
    }
    // A's idempotent answer is still A's (replayed, same body)
    Answer echo = alpha.send("POST", "/v1/echo", ECHO, "application/json",
        Map.of("Idempotency-Key", "shared-key-1"));
    v.put("POST /v1/echo (replay)", echo.status() + " replayed=" + echo.replayed() + " " + echo.body());
    return v;
  }

  // ------------------------------------------------------------------ what B tries

  /** What B's attempt must produce. */
  enum Expect {
    /** 404 or 403 problem+json. */
    REFUSED,
    /** A reference to A's data in a body: the 400 problem+json a reference to nothing gets. */
    REFERENCE_REFUSED,
    /**
     * A SensorThings {@code $batch} naming A's ids: 200, and every request in it refused with 404 or 403, as the same
     * request on ids that never existed.
     */
    BATCH_REFUSED,
    /** Succeeds on B's own data (its own list, its own copy, its own feed): checked by the given assertion. */
    OWN
  }

  record Attempt(String resource, String action, Expect expect, Function<Http, Answer> call,
      Consumer<Answer> check) {
    @Override
    public String toString() {
      return resource + ": " + action;
    }
  }

  static Attempt refused(String resource, String action, Function<Http, Answer> call) {
    return new Attempt(resource, action, Expect.REFUSED, call, a -> { });
  }

  static Attempt own(String resource, String action, Function<Http, Answer> call, Consumer<Answer> check) {
    return new Attempt(resource, action, Expect.OWN, call, check);
  }

  /**
   * B's answer for a reference to A's resource must be the answer for a reference to one that never existed (the
   * same status, code and detail, the id aside): it tells B nothing about A.
   */
  static Consumer<Answer> sameAsForNothing(String aId, String neverId, Function<Http, Answer> control) {
    return a -> {
      Answer c = control.apply(beta);
      assertThat(a.status()).isEqualTo(c.status());
      assertThat(a.json().get("code")).isEqualTo(c.json().get("code"));
      assertThat(a.json().get("detail").asText().replace(aId, "<id>"))
          .isEqualTo(c.json().get("detail").asText().replace(neverId, "<id>"));
    };
  }

  static Answer stream(Http h, String feed, String lastEventId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "text/event-stream");
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    return h.send("GET", "/feeds/v1/" + feed, null, null, headers);
  }

  static Answer patch(Http h, String path, String json) {
    return h.send("PATCH", path, json, "application/merge-patch+json", Map.of());
  }

  static Stream<Arguments> attempts() {
    String ent = "/twin/v1/entities/alpha-sensor-1";
    String thing = "/iot/v1.1/Things(" + A.get("thing") + ")";
    String ds = "/iot/v1.1/Datastreams(" + A.get("datastream") + ")";
    String order = "/exchange/v1/orders/" + A.get("order");
    String delivery = "/exchange/v1/deliveries/" + A.get("delivery");
    String webhook = "/exchange/v1/webhooks/" + A.get("webhook");
    String collection = "/exchange/v1/board/collections/" + A.get("collection");
    String sensor = "/iot/v1.1/Sensors(" + A.get("sensor") + ")";
    String op = "/iot/v1.1/ObservedProperties(" + A.get("observedProperty") + ")";
    String loc = "/iot/v1.1/Locations(" + A.get("location") + ")";
    String hl = "/iot/v1.1/HistoricalLocations(" + A.get("historicalLocation") + ")";
    String foi = "/iot/v1.1/FeaturesOfInterest(" + A.get("featureOfInterest") + ")";
    List<Attempt> all = List.of(
        // twin entities
        refused("twin entity", "read", h -> h.get(ent)),
        own("twin entity", "list", h -> h.get("/twin/v1/entities?type=sensor&limit=1000"),
            a -> assertThat(a.body()).doesNotContain("alpha-sensor-1")),
        refused("twin entity", "write (merge patch)", h -> patch(h, ent, "{\"properties\":{\"x\":{\"value\":1}}}")),
        refused("twin entity", "write (batch patch)", h -> h.post("/twin/v1/batch", "{\"operations\":[{\"op\":"
            + "\"update\",\"id\":\"alpha-sensor-1\",\"patch\":{\"properties\":{\"x\":{\"value\":1}}}}]}")),
        refused("twin entity", "delete", h -> h.send("DELETE", ent, null, null, Map.of())),
        refused("twin entity", "write (batch replace)", h -> h.post("/twin/v1/batch", "{\"operations\":[{\"op\":"
            + "\"replace\",\"id\":\"alpha-sensor-1\",\"entity\":{\"type\":\"sensor\"}}]}")),
        refused("twin entity", "delete (batch delete)", h -> h.post("/twin/v1/batch", "{\"operations\":[{\"op\":"
            + "\"delete\",\"id\":\"alpha-sensor-1\"}]}")),
        refused("twin entity", "read (traverse)", h -> h.get(ent + "/traverse?hops=3&direction=both")),
        own("twin entity", "traverse (B's own copy of a seeded entity A linked)", h -> h.get(
            "/twin/v1/entities/lg-bldg-0001/traverse?hops=3&direction=both"),
            a -> assertThat(a.body()).doesNotContain("alpha-sensor-1").doesNotContain(A.get("relationship"))),
        own("twin entity", "read B's own copy of a seeded entity A deleted", h -> h.get("/twin/v1/entities/"
            + DELETED_SEED), a -> assertThat(a.status()).isEqualTo(200)),
        own("twin entity", "write B's own copy of a seeded entity A deleted", h -> patch(h, "/twin/v1/entities/"
            + DELETED_SEED, "{\"properties\":{\"note\":{\"value\":\"beta was here\"}}}"),
            a -> assertThat(a.status()).isEqualTo(200)),
        own("twin entity", "delete B's own copy of a seeded entity", h -> h.send("DELETE", "/twin/v1/entities/"
            + BETA_DELETES, null, null, Map.of()), a -> assertThat(a.status()).isEqualTo(204)),
        own("twin entity", "read B's own copy of a seeded entity A changed",
            h -> h.get("/twin/v1/entities/lg-bldg-0001"), a -> assertThat(a.status()).isEqualTo(200)),
        own("twin entity", "write B's own copy of a seeded entity", h -> patch(h, "/twin/v1/entities/lg-bldg-0001",
            "{\"properties\":{\"note\":{\"value\":\"beta was here\"}}}"), a -> assertThat(a.status()).isEqualTo(200)),
        // relationships
        refused("twin relationship", "read", h -> h.get("/twin/v1/relationships/" + A.get("relationship"))),
        refused("twin relationship", "list (of A's entity)", h -> h.get(ent + "/relationships")),
        own("twin relationship", "list (of a seeded entity)",
            h -> h.get("/twin/v1/entities/lg-bldg-0001/relationships?direction=incoming"),
            a -> assertThat(a.body()).doesNotContain(A.get("relationship")).doesNotContain("alpha-sensor-1")),
        new Attempt("twin relationship", "write (link A's entity)", Expect.REFERENCE_REFUSED,
            h -> h.post("/twin/v1/relationships", "{\"type\":\"observes\",\"source\":\"alpha-sensor-1\","
                + "\"target\":\"lg-bldg-0001\"}"), sameAsForNothing("alpha-sensor-1", "never-existed-1",
                h -> h.post("/twin/v1/relationships", "{\"type\":\"observes\",\"source\":\"never-existed-1\","
                    + "\"target\":\"lg-bldg-0001\"}"))),
        refused("twin relationship", "delete", h -> h.send("DELETE", "/twin/v1/relationships/"
            + A.get("relationship"), null, null, Map.of())),
        // history
        refused("twin history", "read", h -> h.get(ent + "/history?property=owner")),
        refused("twin history", "read (snapshot)", h -> h.get(ent + "/snapshot?at=2100-01-01T00:00:00Z")),
        own("twin history", "read B's own history of a seeded entity A changed",
            h -> h.get("/twin/v1/entities/lg-bldg-0001/history?property=note"), a -> { }),
        // change feeds and checkpoints
        refused("twin change feed", "subscribe", h -> stream(h, A.get("twinFeed"), null)),
        refused("twin change feed", "subscribe from A's checkpoint", h -> stream(h, A.get("twinFeed"), "1")),
        own("twin change feed", "list", h -> h.get("/feeds/v1"),
            a -> assertThat(a.body()).doesNotContain(A.get("twinFeed")).doesNotContain("alpha-sensors")),
        own("twin change feed", "describe (B's own feed)", h -> h.get("/twin/v1/changes"),
            a -> assertThat(a.json().get("feed").asText()).isEqualTo("twin-changes.beta")),
        refused("twin change feed", "delete", h -> h.send("DELETE", "/feeds/v1/" + A.get("twinFeed"), null, null,
            Map.of())),
        // SensorThings entities
        refused("IoT entity", "read", h -> h.get(thing)),
        refused("IoT entity", "read (navigation)", h -> h.get(ds + "/Observations")),
        refused("IoT entity", "read (Observation)", h -> h.get("/iot/v1.1/Observations(" + A.get("observation")
            + ")")),
        own("IoT entity", "list", h -> h.get("/iot/v1.1/Things?$top=1000&$expand=Datastreams"),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list (filter on A's name)", h -> h.get("/iot/v1.1/Things?$filter="
            + "startswith(name,'s3cr3t')&$count=true"), a -> assertThat(a.json().get("@iot.count").asLong()).isZero()),
        own("IoT entity", "list Observations", h -> h.get("/iot/v1.1/Observations?$top=1000&$orderby=id%20desc"),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "read B's own copy of a seeded Thing A changed", h -> h.get("/iot/v1.1/Things(1)"),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        refused("IoT entity", "read (Sensor)", h -> h.get(sensor)),
        refused("IoT entity", "read (Sensor's Datastreams)", h -> h.get(sensor + "/Datastreams")),
        refused("IoT entity", "read (ObservedProperty's Datastreams)", h -> h.get(op + "/Datastreams")),
        refused("IoT entity", "read (Location's Things)", h -> h.get(loc + "/Things")),
        refused("IoT entity", "read (Location's HistoricalLocations)", h -> h.get(loc + "/HistoricalLocations")),
        refused("IoT entity", "read (HistoricalLocation's Thing)", h -> h.get(hl + "/Thing")),
        refused("IoT entity", "read (FeatureOfInterest's Observations)", h -> h.get(foi + "/Observations")),
        refused("IoT entity", "read (Thing's HistoricalLocations)", h -> h.get(thing + "/HistoricalLocations")),
        refused("IoT entity", "read (Datastream's Sensor)", h -> h.get(ds + "/Sensor")),
        own("IoT entity", "list Sensors", h -> h.get(IOT_LISTS.get(0)), a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list ObservedProperties", h -> h.get(IOT_LISTS.get(1)),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list Locations", h -> h.get(IOT_LISTS.get(2)),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list FeaturesOfInterest", h -> h.get(IOT_LISTS.get(3)),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list HistoricalLocations", h -> h.get(IOT_LISTS.get(4)),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list (B's own seeded Sensor's Datastreams)", h -> h.get("/iot/v1.1/Sensors(3)/Datastreams"
            + "?$top=1000&$expand=Thing,ObservedProperty"), a -> assertThat(a.body()).doesNotContain(SECRET)),
        own("IoT entity", "list (B's own seeded ObservedProperty's Datastreams)", h -> h.get(
            "/iot/v1.1/ObservedProperties(1)/Datastreams?$top=1000&$expand=Sensor,Thing/Locations"),
            a -> assertThat(a.body()).doesNotContain(SECRET)),
        refused("IoT entity", "write (PATCH)", h -> patch(h, thing, "{\"name\":\"mine\"}")),
        refused("IoT entity", "write (PUT)", h -> h.send("PUT", thing, "{\"name\":\"mine\",\"description\":\"x\"}",
            "application/json", Map.of())),
        refused("IoT entity", "write (link)", h -> h.post(thing + "/Locations/$ref", "{\"@iot.id\":1}")),
        refused("IoT entity", "delete (link)", h -> h.send("DELETE", thing + "/Locations(" + A.get("location")
            + ")/$ref", null, null, Map.of())),
        refused("IoT entity", "delete (link of A's Location from B's own seeded Thing)", h -> h.send("DELETE",
            "/iot/v1.1/Things(1)/Locations(" + A.get("location") + ")/$ref", null, null, Map.of())),
        new Attempt("IoT entity", "read, write and delete ($batch)", Expect.BATCH_REFUSED, h -> h.post(
            "/iot/v1.1/$batch", "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"get\",\"url\":\"Things(" + A.get("thing") + ")\"},"
                + "{\"id\":\"2\",\"method\":\"get\",\"url\":\"Sensors(" + A.get("sensor") + ")/Datastreams\"},"
                + "{\"id\":\"3\",\"method\":\"patch\",\"url\":\"Datastreams(" + A.get("datastream") + ")\","
                + "\"body\":{\"name\":\"mine\"}},"
                + "{\"id\":\"4\",\"method\":\"post\",\"url\":\"Datastreams(" + A.get("datastream")
                + ")/Observations\",\"body\":{\"result\":1}},"
                + "{\"id\":\"5\",\"method\":\"delete\",\"url\":\"Things(" + A.get("thing") + ")/Locations("
                + A.get("location") + ")/$ref\"},"
                + "{\"id\":\"6\",\"method\":\"delete\",\"url\":\"Observations(" + A.get("observation") + ")\"},"
                + "{\"id\":\"7\",\"method\":\"delete\",\"url\":\"Things(" + A.get("thing") + ")\"}]}"),
            a -> { }),
        refused("IoT entity", "delete", h -> h.send("DELETE", thing, null, null, Map.of())),
        refused("IoT entity", "delete (Observation)", h -> h.send("DELETE", "/iot/v1.1/Observations("
            + A.get("observation") + ")", null, null, Map.of())),
        // SensorThings feeds
        refused("IoT feed", "subscribe", h -> stream(h, "alpha-sensors", null)),
        refused("IoT feed", "delete", h -> h.send("DELETE", "/feeds/v1/alpha-sensors", null, null, Map.of())),
        refused("IoT feed", "subscribe from A's checkpoint", h -> stream(h, "alpha-sensors", "1")),
        refused("IoT feed", "publish (into A's Datastream)", h -> h.post(ds + "/Observations", "{\"result\":1}")),
        new Attempt("IoT feed", "publish (Observation referring to A's Datastream)", Expect.REFERENCE_REFUSED,
            h -> h.post("/iot/v1.1/Observations", "{\"result\":1,\"Datastream\":{\"@iot.id\":" + A.get("datastream")
                + "}}"), sameAsForNothing(A.get("datastream"), "999999", h -> h.post("/iot/v1.1/Observations",
                "{\"result\":1,\"Datastream\":{\"@iot.id\":999999}}"))),
        new Attempt("IoT feed", "publish (CreateObservations into A's Datastream)", Expect.REFERENCE_REFUSED,
            h -> h.post("/iot/v1.1/CreateObservations", "[{\"Datastream\":{\"@iot.id\":" + A.get("datastream")
                + "},\"components\":[\"result\"],\"dataArray\":[[1]]}]"), sameAsForNothing(A.get("datastream"),
                "999999", h -> h.post("/iot/v1.1/CreateObservations", "[{\"Datastream\":{\"@iot.id\":999999},"
                    + "\"components\":[\"result\"],\"dataArray\":[[1]]}]"))),
        // exchange orders, deliveries, receipts, audit chains
        refused("order", "read", h -> h.get(order)),
        refused("order", "read (await)", h -> h.get(order + "/await?state=FINALIZED&timeoutMs=10")),
        own("order", "list", h -> h.get("/exchange/v1/orders"), a -> assertThat(a.body()).doesNotContain(
            A.get("order")).doesNotContain(SECRET)),
        refused("order", "write (transition)", h -> h.post(order + "/transitions", "{\"action\":\"terminate\"}")),
        refused("order", "write (new delivery)", h -> h.post(order + "/deliveries", "{}")),
        refused("delivery", "list (of A's order)", h -> h.get(order + "/deliveries")),
        refused("delivery", "read", h -> h.get(delivery)),
        refused("delivery", "read (manifest)", h -> h.get(delivery + "/manifest")),
        refused("delivery", "read (content)", h -> h.get(delivery + "/content")),
        refused("delivery", "read (await)", h -> h.get(delivery + "/await?state=COMPLETED&timeoutMs=10")),
        refused("delivery", "write (transition)", h -> h.post(delivery + "/transitions", "{\"action\":\"terminate\"}")),
        refused("delivery", "write (content fault)", h -> h.post("/exchange/v1/sandbox/delivery-faults",
            "{\"deliveryId\":\"" + A.get("delivery") + "\",\"kind\":\"cut\",\"atByte\":1}")),
        refused("receipt", "read", h -> h.get(delivery + "/receipt")),
        refused("audit chain", "read", h -> h.get(order + "/audit")),
        // webhooks and settings
        refused("webhook", "read", h -> h.get(webhook)),
        own("webhook", "list", h -> h.get("/exchange/v1/webhooks"), a -> assertThat(a.body())
            .doesNotContain(A.get("webhook")).doesNotContain(SECRET)),
        refused("webhook", "write (ping)", h -> h.post(webhook + "/ping", "{}")),
        refused("webhook", "delete", h -> h.send("DELETE", webhook, null, null, Map.of())),
        own("settings", "read (B's own)", h -> h.get("/exchange/v1/sandbox/settings"),
            a -> assertThat(a.json().get("merchantDelayMs").asLong()).isNotEqualTo(7)),
        own("settings", "write (B's own)", h -> h.send("PUT", "/exchange/v1/sandbox/settings",
            "{\"autoProgress\":false,\"merchantDelayMs\":0,\"exchangeDelayMs\":0}", "application/json", Map.of()),
            a -> assertThat(a.status()).isEqualTo(200)),
        // idempotency keys
        own("idempotency key", "write (A's key, A's body)", h -> h.send("POST", "/v1/echo", ECHO, "application/json", Map.of("Idempotency-Key", "shared-key-1")), a -> {
              assertThat(a.status()).isEqualTo(201);
              assertThat(a.replayed()).as("B must not get A's stored answer").isFalse();
              assertThat(a.json().get("tenant").asText()).isEqualTo("beta");
            }),
        own("idempotency key", "write (A's order key, A's body)", h -> h.send("POST", "/exchange/v1/orders",
            A.get("orderBody"), "application/json", Map.of("Idempotency-Key", "order-key-1")), a -> {
              assertThat(a.status()).isEqualTo(201);
              assertThat(a.replayed()).isFalse();
              assertThat(a.json().get("id").asText()).isNotEqualTo(A.get("order"));
            }),
        // board collections, claims, transfers
        refused("board collection", "read", h -> h.get(collection)),
        refused("board collection", "list (its assets)", h -> h.get(collection + "/assets")),
        own("board collection", "list", h -> h.get("/exchange/v1/board/collections"),
            a -> assertThat(a.body()).doesNotContain(A.get("collection")).doesNotContain(SECRET)),
        refused("claim", "write (claim in A's collection)", h -> h.post(collection + "/claims",
            "{\"account\":\"alice\"}")),
        refused("claim", "read (A's claimed asset)", h -> h.get("/exchange/v1/board/assets/"
            + A.get("collectionAsset"))),
        own("claim", "read (B's own issue of the series)", h -> h.get("/exchange/v1/board/assets/"
            + A.get("seriesAsset")), a -> {
              assertThat(a.json().get("claimed").asBoolean()).as("A's claim is not visible to B").isFalse();
              assertThat(a.body()).doesNotContain(SECRET).doesNotContain("bob");
            }),
        own("claim", "list (an account name A uses)", h -> h.get("/exchange/v1/board/accounts/bob/assets"),
            a -> assertThat(a.json().get("items")).isEmpty()),
        refused("transfer", "write (A's collection asset)", h -> h.post("/exchange/v1/board/transfers",
            "{\"assetId\":\"" + A.get("collectionAsset") + "\",\"fromAccount\":\"alice\",\"toAccount\":\"eve\"}")),
        // every tenant has the series: the asset id is B's own too, so the refusal must be the one for an account
        // name nobody ever used in B's board
        new Attempt("transfer", "write (the series asset A's bob owns)", Expect.REFERENCE_REFUSED,
            h -> h.post("/exchange/v1/board/transfers", "{\"assetId\":\"" + A.get("seriesAsset") + "\","
                + "\"fromAccount\":\"bob\",\"toAccount\":\"eve\"}"), sameAsForNothing("bob", "nobodyever",
                h -> h.post("/exchange/v1/board/transfers", "{\"assetId\":\"" + A.get("seriesAsset") + "\","
                    + "\"fromAccount\":\"nobodyever\",\"toAccount\":\"eve\"}"))),
        own("claim", "write (A's account name in B's own board, after the transfers)", h -> h.post(
            "/exchange/v1/board/collections/shen-sheng-bu-xi/claims", "{\"account\":\"bob\"}"),
            a -> assertThat(a.status()).isEqualTo(201)),
        // publishing under A's feed names, last: it creates B's own SensorThings data
        own("IoT feed", "publish (B's Datastream names A's feed)", h -> h.post("/iot/v1.1/Things", "{\"name\":\"b\","
            + "\"description\":\"b\"," + LOCATION + "\"properties\":{\"feed\":\"alpha-sensors\"},\"Datastreams\":[{\"name\":\"b\","
            + "\"description\":\"b\",\"unitOfMeasurement\":{\"name\":\"n\",\"symbol\":\"\",\"definition\":\"d\"},"
            + "\"observationType\":\"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement\","
            + "\"Sensor\":{\"@iot.id\":3},\"ObservedProperty\":{\"@iot.id\":1},\"Observations\":[{\"result\":1}]}]}"),
            a -> assertThat(a.status()).isEqualTo(201)),
        own("twin change feed", "publish (B's Datastream names A's twin change feed)", h -> h.post("/iot/v1.1/Things",
            "{\"name\":\"b2\",\"description\":\"b\"," + LOCATION + "\"properties\":{\"feed\":\"" + A.get("twinFeed") + "\"},"
            + "\"Datastreams\":[{\"name\":\"b\",\"description\":\"b\",\"unitOfMeasurement\":{\"name\":\"n\","
            + "\"symbol\":\"\",\"definition\":\"d\"},\"observationType\":"
            + "\"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement\",\"Sensor\":{\"@iot.id\":3},"
            + "\"ObservedProperty\":{\"@iot.id\":1},\"Observations\":[{\"result\":1}]}]}"),
            a -> assertThat(a.status()).isEqualTo(201)),
        own("IoT entity", "write B's own copy of a seeded Thing", h -> patch(h, "/iot/v1.1/Things(1)",
            "{\"name\":\"beta's thing\"}"), a -> assertThat(a.status()).isEqualTo(200)),
        own("IoT entity", "delete B's own copy of a seeded Thing", h -> h.send("DELETE", "/iot/v1.1/Things(2)", null,
            null, Map.of()), a -> assertThat(a.status()).isBetween(200, 204)));
    return all.stream().map(a -> Arguments.of(a.resource(), a.action(), a));
  }

  @Order(1)
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("attempts")
  void tenantBCannotReachTenantAsResource(String resource, String action, Attempt attempt) {
    Answer a = attempt.call().apply(beta);
    switch (attempt.expect()) {
      case REFUSED -> {
        assertThat(a.status()).as("%s", a).isIn(403, 404);
        assertThat(a.type()).as("%s", a).startsWith("application/problem+json");
        Answer control = forNothing(attempt);
        assertThat(control.type()).as("%s", control).startsWith("application/problem+json");
        refusedAsForNothing(attempt.toString(), a.status(), a.json(), control.status(), control.json());
      }
      case BATCH_REFUSED -> {
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        Answer control = forNothing(attempt);
        assertThat(control.status()).as("%s", control).isEqualTo(200);
        JsonNode answers = a.json().get("responses");
        JsonNode controls = control.json().get("responses");
        assertThat(answers).hasSize(controls.size()).isNotEmpty();
        for (int i = 0; i < answers.size(); i++) {
          JsonNode one = answers.get(i);
          assertThat(one.get("status").asInt()).as("%s", one).isIn(403, 404);
          refusedAsForNothing(attempt + " requests[" + i + "]", one.get("status").asInt(), one.path("body"),
              controls.get(i).get("status").asInt(), controls.get(i).path("body"));
        }
      }
      case REFERENCE_REFUSED -> {
        assertThat(a.status()).as("%s", a).isIn(400, 403, 404);
        assertThat(a.type()).as("%s", a).startsWith("application/problem+json");
        attempt.check().accept(a);
      }
      case OWN -> {
        assertThat(a.status()).as("%s", a).isBetween(200, 299);
        attempt.check().accept(a);
      }
      default -> throw new IllegalStateException();
    }
    assertThat(a.body()).as("B's answer carries none of A's data").doesNotContain(SECRET);
    Map<String, String> after = alphaView();
    List<String> changed = new ArrayList<>();
    before.forEach((request, answer) -> {
      if (!answer.equals(after.get(request))) {
        changed.add(request + "\n  before: " + answer + "\n  after:  " + after.get(request));
      }
    });
    assertThat(changed).as("what A reads after B's attempt").isEmpty();
  }

  @Order(2)
  @Test
  void alphasFeedsReceivedNothingFromBeta() throws Exception {
    // A's own marker change: once it has arrived, everything sent before it has arrived too
    ok(patch(alpha, "/twin/v1/entities/alpha-sensor-1", "{\"properties\":{\"marker\":{\"value\":1}}}"));
    ok(alpha.post("/iot/v1.1/Datastreams(" + A.get("datastream") + ")/Observations", "{\"result\":\"marker\"}"));
    await("A's markers", () -> alphaEvents.stream().filter(e -> e.contains("marker")).count() >= 2);
    // counted once A's subscriptions have stopped: nothing can arrive after the count
    subs.subList(0, 2).forEach(FeedSubscription::close);
    assertThat(alphaEvents).as("A's feeds carry A's two changes, nothing else").hasSize(2)
        .allMatch(e -> e.contains("marker"));
  }

  /**
   * The attack from the report: B picks the name of a tenant's change feed before that tenant exists, opens a stream
   * on it and waits for the victim's changes. The name reaches B's own feed; the victim's changes never arrive.
   */
  @Order(3)
  @Test
  void aFeedNamePickedBeforeItsOwnerExistsNeverCarriesTheOwnersEvents() throws Exception {
    String victimFeed = "twin-changes.gamma";
    ok(beta.post("/iot/v1.1/Things", "{\"name\":\"trap\",\"description\":\"t\"," + LOCATION + "\"properties\":{\"feed\":\""
        + victimFeed + "\"},\"Datastreams\":[{\"name\":\"t\",\"description\":\"t\",\"unitOfMeasurement\":"
        + "{\"name\":\"n\",\"symbol\":\"\",\"definition\":\"d\"},\"observationType\":"
        + "\"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement\",\"Sensor\":{\"@iot.id\":3},"
        + "\"ObservedProperty\":{\"@iot.id\":1},\"Observations\":[{\"result\":1}]}]}"));
    List<String> seenByBeta = new CopyOnWriteArrayList<>();
    ApiClient betaApi = new ApiClient(sandbox.tenant("beta").clientConfig(), "isolation-test");
    FeedSubscription trap = FeedClient.subscribe(betaApi, victimFeed, List.of(), JsonNode.class,
        FeedOptions.builder().start(FeedOptions.StartPosition.earliest()).build(),
        e -> seenByBeta.add(e.id() + " " + e.type() + " " + e.payload()));
    subs.add(trap);
    await("B's own event", () -> seenByBeta.size() >= 1);

    Http gamma = new Http(sandbox.tenant("gamma"));
    assertThat(ok(gamma.get("/twin/v1/changes")).json().get("feed").asText()).isEqualTo(victimFeed);
    ok(gamma.send("PUT", "/twin/v1/entities/gamma-private", "{\"type\":\"sensor\",\"properties\":{\"secret\":"
        + "{\"value\":\"gamma-secret\"}}}", "application/json", Map.of()));
    ok(patch(gamma, "/twin/v1/entities/lg-bldg-0002", "{\"properties\":{\"secret\":{\"value\":\"gamma-secret\"}}}"));
    // the victim's feed has its two changes; B's stream, after its own marker, has only B's data
    JsonNode gammaFeeds = ok(gamma.get("/feeds/v1")).json().get("feeds");
    JsonNode own = null;
    for (JsonNode f : gammaFeeds) {
      if (f.get("name").asText().equals(victimFeed)) {
        own = f;
      }
    }
    assertThat(own).as("gamma lists its own change feed").isNotNull();
    assertThat(own.get("lastId").asLong()).isEqualTo(2);
    ok(beta.post("/iot/v1.1/Datastreams(" + firstDatastreamOf(beta, "trap") + ")/Observations",
        "{\"result\":2}"));
    await("B's marker", () -> seenByBeta.size() >= 2);
    trap.close(); // counted once the subscription has stopped
    assertThat(seenByBeta).hasSize(2).allMatch(e -> e.contains(" observation ")).noneMatch(e -> e.contains("gamma"));
  }

  /** Open mode's tenant (requests without credentials) has its own twin change feed, not the demo tenant's. */
  @Order(4)
  @Test
  void openModeDoesNotShareTheDemoTenantsChangeFeed() throws Exception {
    try (Sandbox open = Sandbox.builder().openMode(true).simulationRate(0).start()) {
      Function<Request.Builder, Answer> anonymous = b -> {
        try (Response r = HTTP.newCall(b.build()).execute()) {
          return new Answer(r.code(), r.header("Content-Type", ""), r.body().string(), false);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      };
      Answer changes = anonymous.apply(new Request.Builder().url(open.baseUrl() + "/twin/v1/changes"));
      assertThat(ok(changes).json().get("feed").asText()).isEqualTo("twin-changes.open");
      // the demo tenant changes its twin: its feed has the event, open mode can neither see nor read that feed
      try (Response r = HTTP.newCall(new Request.Builder().url(open.baseUrl() + "/twin/v1/entities/demo-only")
          .header("X-Api-Key", open.tenant(Sandbox.DEFAULT_TENANT).apiKey())
          .put(RequestBody.create("{\"type\":\"sensor\"}", MediaType.get("application/json"))).build()).execute()) {
        assertThat(r.code()).isEqualTo(201);
      }
      assertThat(open.context().feeds().lastIdOwned(Sandbox.DEFAULT_TENANT, "twin-changes")).isEqualTo(1);
      Answer list = ok(anonymous.apply(new Request.Builder().url(open.baseUrl() + "/feeds/v1")));
      assertThat(list.json().get("feeds").findValuesAsText("name")).contains("twin-changes.open")
          .doesNotContain("twin-changes");
      Answer subscribe = anonymous.apply(new Request.Builder().url(open.baseUrl() + "/feeds/v1/twin-changes")
          .header("Last-Event-ID", "0"));
      assertThat(subscribe.status()).isEqualTo(404);
      assertThat(subscribe.type()).startsWith("application/problem+json");
      assertThat(open.context().feeds().lastIdOwned("open", "twin-changes.open")).isZero();
    }
  }

  private static String firstDatastreamOf(Http h, String thingName) {
    return ok(h.get("/iot/v1.1/Things?$filter=name%20eq%20'" + thingName + "'&$expand=Datastreams")).json()
        .at("/value/0/Datastreams/0/@iot.id").asText();
  }

  private static Answer ok(Answer a) {
    assertThat(a.status()).as("%s", a).isBetween(200, 299);
    return a;
  }

  static void await(String what, Callable<Boolean> condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition);
  }
}
