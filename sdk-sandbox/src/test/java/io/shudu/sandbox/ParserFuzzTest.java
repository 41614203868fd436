package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.core.internal.Signing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * A seeded, bounded fuzz test of the sandbox's parsers over real loopback HTTP: OData query options and expressions,
 * twin filters, spatial, traverse and history parameters, JSON bodies of every service, SSE parameters on the
 * tenant's real feeds, the signing headers, raw header bytes (Authorization, X-Shudu-*, X-Api-Key, Idempotency-Key,
 * If-Match, traceparent) and request targets that are not valid URIs (malformed percent-encodings, raw spaces, control
 * characters and non-ASCII bytes, sent over a raw socket), which must be a 4xx problem. Every answer must come within
 * {@link #CASE_LIMIT} (no closed connection without an answer, no hang), must not be a 5xx, every 4xx must be
 * {@code application/problem+json}, and every JSON 2xx must be complete JSON. Each generator must get a least share of
 * 2xx answers, so that it exercises the parsers rather than the 404 path.
 *
 * <p>The case count, never the wall clock, decides the coverage. Replay a failure with the seed it prints:
 * {@code -Dshudu.fuzz.seed=<seed>}; explore with other seeds, or more cases with {@code -Dshudu.fuzz.cases=<n>}
 * (default 2500).
 */
class ParserFuzzTest {
  static final long SEED = Long.decode(System.getProperty("shudu.fuzz.seed", "0x5eed0010"));
  /** How many random cases run: the count, never the wall clock, decides what is covered. */
  static final int CASES = Integer.getInteger("shudu.fuzz.cases", 2500);
  /**
   * The longest any one case may take to be answered (a documented bound with a generous margin for a loaded 2-core
   * CI machine; typical cases take milliseconds).
   */
  static final Duration CASE_LIMIT = Duration.ofSeconds(Long.getLong("shudu.fuzz.caseSeconds", 5));
  /** The least share of 2xx answers each generator must get: it exercises the parsers, not the 404 path. */
  static final double MIN_2XX_SHARE = 0.10;
  /** Generators whose every case is malformed on purpose (a 2xx would be the bug). */
  static final java.util.Set<String> ALL_MALFORMED = java.util.Set.of("malformedTarget");
  static final MediaType JSON = MediaType.get("application/json");
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  static final String[] SETS = {"Things", "Observations", "Datastreams", "Locations", "HistoricalLocations",
      "Sensors", "ObservedProperties", "FeaturesOfInterest", "MultiDatastreams"};
  static final String[] PATHS = {"Things", "Observations", "Datastreams", "Locations", "Things(1)",
      "Datastreams(1)/Observations", "Things(1)/Datastreams", "Things(1)/name", "Things(1)/properties/feed/$value",
      "Observations(1)/Datastream/Thing", "Things(99999999999999999999)", "Things(1)/$ref", "Datastreams/$ref",
      "Things(1)/Locations(1)", "Observations(2)/FeatureOfInterest", "Gadgets", "Things(x)", "Things(1)/nope",
      "MultiDatastreams", "FeaturesOfInterest", "Sensors(1)/Datastreams"};
  static final String[] COLLECTIONS = {"Things", "Observations", "Datastreams", "Locations", "Sensors",
      "ObservedProperties", "FeaturesOfInterest", "HistoricalLocations", "Datastreams(1)/Observations",
      "Things(1)/Datastreams", "Things(1)/Locations"};
  static final String[] PROPS = {"id", "@iot.id", "name", "description", "properties/feed", "properties/code",
      "result", "phenomenonTime", "resultTime", "validTime", "Datastream/id", "Datastream/name",
      "Datastreams/Observations/result", "Thing/name", "Thing/properties/type", "location", "feature",
      "Locations/location", "observedArea", "properties/0", "parameters/x", "unitOfMeasurement/symbol", "nope",
      "Datastream/Thing/Locations/location", "resultQuality"};
  static final String[] FUNCTIONS = {"substringof", "contains", "startswith", "endswith", "length", "indexof",
      "substring", "tolower", "toupper", "trim", "concat", "year", "month", "day", "hour", "minute", "second",
      "fractionalseconds", "date", "time", "totaloffsetminutes", "now", "mindatetime", "maxdatetime", "round",
      "floor", "ceiling", "geo.distance", "geo.length", "geo.intersects", "st_equals", "st_disjoint", "st_touches",
      "st_within", "st_overlaps", "st_crosses", "st_intersects", "st_contains", "before", "after", "meets", "during",
      "overlaps", "starts", "finishes", "nosuchfn"};
  static final String[] OPS = {"eq", "ne", "gt", "ge", "lt", "le", "add", "sub", "mul", "div", "mod", "and", "or"};
  static final String[] NAVS = {"Datastreams", "Datastream", "Thing", "Things", "Locations", "HistoricalLocations",
      "Observations", "FeatureOfInterest", "Sensor", "ObservedProperty", "MultiDatastreams", "Nope"};
  static final String JUNK = "()',/ -$%&=;:@!*~\\\"\u0000\u00e9\u4e2d\n\t\r#?+[]{}<>";

  final Random rnd = new Random(SEED);
  /** A hang is cut off soon after the case limit (and fails as one). */
  final OkHttpClient http = new OkHttpClient.Builder().callTimeout(CASE_LIMIT.plusSeconds(5))
      .readTimeout(CASE_LIMIT.plusSeconds(5)).retryOnConnectionFailure(false).followRedirects(false).build();
  Sandbox sandbox;
  SandboxTenant tenant;
  /** The generator of the case {@link #next} made last. */
  String generator;
  /** The tenant's real feeds (so most SSE cases reach parameter parsing) and a building's real properties. */
  List<String> feeds = List.of();
  List<String> buildingProperties = List.of();
  /** Real pipe network ids: nodes, then segments. */
  List<String> pipeNodes = List.of();
  List<String> pipeSegments = List.of();
  /** Real offer ids of the exchange. */
  List<String> offers = List.of();

  /** One fuzz case. */
  record Case(String method, HttpUrl url, Map<String, String> headers, byte[] body) {
    @Override
    public String toString() {
      String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      return method + " " + url + " " + headers + (b.isEmpty() ? "" : " body=" + (b.length() > 400
          ? b.substring(0, 400) + "…(" + b.length() + " chars)" : b));
    }
  }

  /** Every malformed piece, at the start, middle and end of every target, once, before the random cases. */
  @Test
  void everyMalformedTargetPieceGetsA4xxProblem() throws IOException {
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      sandbox = s;
      tenant = s.tenant("fuzz");
      int n = 0;
      for (String target : TARGETS) {
        for (byte[] bad : BAD) {
          for (int pos : new int[] {1, target.indexOf('?') > 0 ? target.indexOf('?') : target.length() / 2,
              target.length()}) {
            if (pos < target.length() && hex(target.charAt(pos))) {
              continue;
            }
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.writeBytes(ascii("GET " + target.substring(0, pos)));
            req.writeBytes(bad);
            req.writeBytes(ascii(target.substring(pos) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: "
                + tenant.apiKey() + "\r\nConnection: close\r\n\r\n"));
            try {
              checkRaw(req.toByteArray());
            } catch (AssertionError e) {
              throw new AssertionError("target " + target + " with " + java.util.Arrays.toString(bad) + " at " + pos
                  + ": " + e.getMessage(), e);
            }
            n++;
          }
        }
      }
      assertThat(n).isGreaterThan(300);
    }
  }

  @Test
  void parsersAnswerEveryInputWithA2xxOrAProblem() throws IOException {
    System.out.println("ParserFuzzTest seed " + SEED + " (replay with -Dshudu.fuzz.seed=" + SEED + "), " + CASES
        + " cases");
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      sandbox = s;
      tenant = s.tenant("fuzz");
      learnRealNames();
      Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
      long slowestMs = -1;
      String slowest = "";
      for (int n = 0; n < CASES; n++) {
        Case c = next(n);
        String gen = generator;
        String failure;
        int status;
        long t0 = System.nanoTime();
        try {
          status = check(c);
          failure = null;
        } catch (IOException | RuntimeException e) {
          status = -1;
          failure = "no complete answer: " + e;
        } catch (AssertionError e) {
          status = -1;
          failure = e.getMessage();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (failure == null && ms > CASE_LIMIT.toMillis()) {
          failure = "answered after " + ms + " ms, more than the " + CASE_LIMIT.toMillis() + " ms a case may take";
        }
        if (failure != null) {
          throw new AssertionError("fuzz case #" + n + " (" + gen + ") failed with seed " + SEED + " (replay: "
              + "-Dshudu.fuzz.seed=" + SEED + "): " + c + " -> " + failure);
        }
        statuses.computeIfAbsent(gen, g -> new TreeMap<>()).merge(status, 1, Integer::sum);
        if (ms > slowestMs) {
          slowestMs = ms;
          slowest = "#" + n + " (" + gen + ")";
        }
      }
      System.out.println("ParserFuzzTest: " + CASES + " cases, statuses by generator " + statuses + "; slowest case "
          + slowest + " took " + slowestMs + " ms");
      statuses.forEach((gen, byStatus) -> {
        int all = byStatus.values().stream().mapToInt(Integer::intValue).sum();
        int ok = byStatus.entrySet().stream().filter(e -> e.getKey() < 300).mapToInt(Map.Entry::getValue).sum();
        int refused = all - ok;
        if (ALL_MALFORMED.contains(gen)) {
          assertThat(ok).as("%s: malformed inputs are never accepted %s", gen, byStatus).isZero();
        } else {
          assertThat((double) ok / all).as("%s: share of accepted inputs %s (seed %s)", gen, byStatus, SEED)
              .isGreaterThanOrEqualTo(MIN_2XX_SHARE);
          assertThat(refused).as("%s: some inputs are refused %s (seed %s)", gen, byStatus, SEED).isPositive();
        }
      });
      assertThat(statuses.keySet()).as("every generator ran").containsExactlyInAnyOrder("odataGet", "odataWrite",
          "twinQuery", "twinWrite", "exchangeWrite", "sse", "signed", "rawHeaders", "malformedTarget");
    }
  }

  /** Reads the tenant's feed names and a seeded building's property names, as a partner would before asking. */
  void learnRealNames() throws IOException {
    Request.Builder b = new Request.Builder().header("X-Api-Key", tenant.apiKey());
    try (okhttp3.Response r = http.newCall(b.url(sandbox.baseUrl() + "/feeds/v1").build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      feeds = Json.mapper().readTree(r.body().string()).get("feeds").findValuesAsText("name");
    }
    try (okhttp3.Response r = http.newCall(b.url(sandbox.baseUrl() + "/twin/v1/entities/lg-bldg-0001").build())
        .execute()) {
      assertThat(r.code()).isEqualTo(200);
      List<String> names = new ArrayList<>();
      Json.mapper().readTree(r.body().string()).get("properties").fieldNames().forEachRemaining(names::add);
      buildingProperties = names;
    }
    for (String type : List.of("pipeNode", "pipeSegment")) {
      try (okhttp3.Response r = http.newCall(b.url(sandbox.baseUrl() + "/twin/v1/entities?type=" + type
          + "&limit=20").build()).execute()) {
        assertThat(r.code()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.mapper().readTree(r.body().string()).get("items").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).as(type).isNotEmpty();
        if (type.equals("pipeNode")) {
          pipeNodes = ids;
        } else {
          pipeSegments = ids;
        }
      }
    }
    try (okhttp3.Response r = http.newCall(b.url(sandbox.baseUrl() + "/exchange/v1/offers").build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      Json.mapper().readTree(r.body().string()).get("items").forEach(e -> ids.add(e.get("id").asText()));
      offers = ids;
    }
    assertThat(offers).as("the exchange's offers").isNotEmpty();
    assertThat(feeds).as("the tenant's feeds").hasSizeGreaterThanOrEqualTo(2);
    assertThat(buildingProperties).as("lg-bldg-0001's properties").isNotEmpty();
  }

  /** Sends a case and checks the answer; returns its status. */
  int check(Case c) throws IOException {
    if (c.method().equals("RAW")) {
      return checkRaw(c.body());
    }
    if (c.method().equals("RAW-ANY")) {
      return checkRawAnswered(c.body());
    }
    Request.Builder b = new Request.Builder().url(c.url());
    c.headers().forEach(b::header);
    String type = c.headers().get("Content-Type");
    b.method(c.method(), c.body() == null ? null : RequestBody.create(c.body(), type == null ? JSON
        : MediaType.get(type)));
    try (okhttp3.Response r = http.newCall(b.build()).execute()) {
      int code = r.code();
      String ct = r.header("Content-Type", "");
      if (code >= 500) {
        throw new AssertionError("status " + code + ": " + r.body().string());
      }
      if (ct.startsWith("text/event-stream")) {
        assertThat(code).isEqualTo(200);
        String first = r.body().source().readUtf8LineStrict();
        assertThat(first).startsWith("retry:");
        return code; // a live stream: closing it ends the subscription
      }
      String body = r.body().string();
      if (code >= 400) {
        assertThat(ct).as("a %d must be a problem: %s", code, body).isEqualTo("application/problem+json");
        JsonNode p = Json.mapper().readTree(body);
        assertThat(p.get("status").asInt()).isEqualTo(code);
        assertThat(p.get("detail").asText()).isNotBlank();
      } else if (ct.startsWith("application/json") && !body.isEmpty()) {
        Json.mapper().readTree(body); // complete JSON
        if (r.header("Content-Length") != null) {
          assertThat(Long.parseLong(r.header("Content-Length")))
              .isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        }
      }
      return code;
    }
  }

  // ------------------------------------------------------------------ case generation

  Case next(int n) {
    generator = switch (n % 11) {
      case 0, 1, 2 -> "odataGet";
      case 3 -> "odataWrite";
      case 4, 5 -> "twinQuery";
      case 6 -> "twinWrite";
      case 7 -> "exchangeWrite";
      case 8 -> "sse";
      case 9 -> "rawHeaders";
      default -> n % 22 == 21 ? "malformedTarget" : "signed";
    };
    return switch (generator) {
      case "odataGet" -> odataGet();
      case "odataWrite" -> odataWrite();
      case "twinQuery" -> twinQuery();
      case "twinWrite" -> twinWrite();
      case "exchangeWrite" -> exchangeWrite();
      case "sse" -> sse();
      case "rawHeaders" -> rawHeaders();
      case "malformedTarget" -> malformedTarget();
      default -> signed();
    };
  }

  // ---- request targets that are not valid URIs (sent over a raw socket: HTTP clients refuse to send them)

  static final String[] TARGETS = {"/iot/v1.1/Things", "/iot/v1.1/Things?$filter=name%20eq%20'x'&$top=2",
      "/iot/v1.0/Datastreams(1)/Observations?$orderby=phenomenonTime%20desc", "/twin/v1/entities?type=building",
      "/twin/v1/entities/lg-bldg-0001", "/twin/v1/entities?near=121.9,30.9,500", "/feeds/v1/traffic?heartbeat=1000",
      "/feeds/v1", "/exchange/v1/products?q=water", "/exchange/v1/orders", "/v1/whoami"};
  /** Malformed percent-encodings, raw spaces, control characters and non-ASCII bytes. */
  static final byte[][] BAD = {ascii("%ZZ"), ascii("%"), ascii("%4"), ascii("%G1"), ascii("%%"), ascii("%-1"),
      ascii(" "), ascii("a b"), {0x01}, {0x00}, {0x7f}, {'\t'}, {0x1b}, {(byte) 0x80}, {(byte) 0xa0}, {(byte) 0xe9},
      {(byte) 0xff}, "\u4e2d".getBytes(StandardCharsets.UTF_8), "\u00e9".getBytes(StandardCharsets.UTF_8)};

  static byte[] ascii(String ascii) {
    return ascii.getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether a character can continue a percent-encoding (then inserting before it could make a valid one). */
  static boolean hex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  /**
   * A request whose target holds one or two malformed pieces at random places (never before a hex digit, so
   * that {@code %4} stays malformed). Marked {@code RAW}: its body is the whole request.
   */
  Case malformedTarget() {
    String target = pick(TARGETS);
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    int pieces = 1 + rnd.nextInt(2);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < pieces; i++) {
      int pos;
      do {
        pos = 1 + rnd.nextInt(target.length());
      } while (pos < target.length() && hex(target.charAt(pos)));
      at.add(pos);
    }
    for (int i = 0; i <= target.length(); i++) {
      for (int p : at) {
        if (p == i) {
          t.writeBytes(pick(BAD));
        }
      }
      if (i < target.length()) {
        t.write(target.charAt(i));
      }
    }
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(ascii(pick(new String[] {"GET", "POST", "DELETE"}) + " "));
    req.writeBytes(t.toByteArray());
    req.writeBytes(ascii(" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: " + tenant.apiKey()
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    return new Case("RAW", HttpUrl.get(sandbox.baseUrl().toString()), Map.of(), req.toByteArray());
  }

  /** A malformed target must get a 4xx problem (never an HTML page, never a closed connection without answer). */
  int checkRaw(byte[] request) throws IOException {
    RawHttp.Answer a = RawHttp.send(sandbox.baseUrl(), request);
    assertThat(a.status()).as("an answer to a malformed request target: %s", a.text()).isBetween(400, 499);
    assertThat(a.head()).as(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
    JsonNode p = Json.mapper().readTree(a.body());
    assertThat(p.get("status").asInt()).isEqualTo(a.status());
    assertThat(p.get("detail").asText()).isNotBlank();
    return a.status();
  }

  boolean chance(double p) {
    return rnd.nextDouble() < p;
  }

  <T> T pick(T[] a) {
    return a[rnd.nextInt(a.length)];
  }

  /**
   * A URL of the sandbox. Characters that make the request line an invalid URI ({@code % [ ] { } | \ ^ `}) are
   * percent-encoded: malformed request lines are the HTTP server's concern, tested with the server's limits.
   */
  HttpUrl.Builder url(String path) {
    StringBuilder p = new StringBuilder(path.startsWith("/") ? "" : "/");
    for (char c : path.toCharArray()) {
      if ("%[]{}|\\^`\"<> ".indexOf(c) >= 0) {
        p.append('%').append(String.format("%02X", (int) c));
      } else {
        p.append(c);
      }
    }
    return HttpUrl.get(sandbox.baseUrl().toString()).newBuilder().encodedPath(p.toString());
  }

  Map<String, String> auth() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Api-Key", tenant.apiKey());
    return h;
  }

  Case get(HttpUrl url) {
    return new Case("GET", url, auth(), null);
  }

  // ---- OData

  Case odataGet() {
    if (chance(0.25)) { // well-formed options on a collection that exists: the parsers' accepting paths
      HttpUrl.Builder u = url("/iot/v1.1/" + pick(COLLECTIONS));
      u.addQueryParameter("$filter", pick(new String[] {"id gt " + rnd.nextInt(100), "id eq 1 or id eq 2",
          "not (id lt " + rnd.nextInt(9) + ")", "id add 1 gt " + rnd.nextInt(50), "id mod 2 eq 0"}));
      if (chance(0.5)) {
        u.addQueryParameter("$orderby", pick(new String[] {"id", "id desc", "id asc"}));
      }
      if (chance(0.5)) {
        u.addQueryParameter("$top", Integer.toString(rnd.nextInt(20)));
      }
      if (chance(0.3)) {
        u.addQueryParameter("$count", chance(0.5) ? "true" : "false");
      }
      return get(u.build());
    }
    // mostly collections that exist (the query options are then parsed), else any path, else a mutated one
    String path = chance(0.5) ? pick(COLLECTIONS) : chance(0.7) ? pick(PATHS)
        : pick(SETS) + mutate(pick(new String[] {"", "(1)", "(2)/Datastreams"}));
    HttpUrl.Builder u = url("/iot/" + (chance(0.9) ? "v1.1" : "v1.0") + "/" + path);
    if (chance(0.7)) {
      u.addQueryParameter("$filter", maybeMutate(expr(0)));
    }
    if (chance(0.25)) {
      u.addQueryParameter("$orderby", maybeMutate(expr(1) + pick(new String[] {"", " asc", " desc", " sideways"})
          + (chance(0.3) ? "," + expr(2) : "")));
    }
    if (chance(0.25)) {
      u.addQueryParameter("$select", maybeMutate(String.join(",", randomList(PROPS, 1 + rnd.nextInt(4)))));
    }
    if (chance(0.3)) {
      u.addQueryParameter("$expand", maybeMutate(expand(0)));
    }
    if (chance(0.2)) {
      u.addQueryParameter("$top", number());
    }
    if (chance(0.15)) {
      u.addQueryParameter("$skip", number());
    }
    if (chance(0.15)) {
      u.addQueryParameter("$count", pick(new String[] {"true", "false", "yes", "", " true"}));
    }
    if (chance(0.05)) {
      u.addQueryParameter("$skiptoken", number());
    }
    if (chance(0.05)) {
      u.addQueryParameter("$resultFormat", pick(new String[] {"dataArray", "default", "csv"}));
    }
    if (chance(0.03)) {
      u.addQueryParameter(pick(new String[] {"$foo", "$search", "custom", "$FILTER"}), expr(2));
    }
    return get(u.build());
  }

  String expand(int depth) {
    StringBuilder sb = new StringBuilder(pick(NAVS));
    if (chance(0.2)) {
      sb.append('/').append(pick(NAVS));
    }
    if (depth < 8 && chance(0.5)) {
      List<String> opts = new ArrayList<>();
      if (chance(0.5)) {
        opts.add("$filter=" + expr(2));
      }
      if (chance(0.4)) {
        opts.add("$expand=" + expand(depth + 1));
      }
      if (chance(0.3)) {
        opts.add("$top=" + number());
      }
      if (chance(0.2)) {
        opts.add("$orderby=" + expr(3));
      }
      if (chance(0.2)) {
        opts.add("$select=" + pick(PROPS));
      }
      if (chance(0.1)) {
        opts.add("$count=true");
      }
      sb.append('(').append(String.join(";", opts)).append(')');
    }
    if (chance(0.2)) {
      sb.append(',').append(expand(depth + 1));
    }
    return sb.toString();
  }

  String expr(int depth) {
    if (depth == 0 && chance(0.03)) {
      int k = 10 + rnd.nextInt(1500);
      return switch (rnd.nextInt(4)) {
        case 0 -> "(".repeat(k) + "id eq 1" + ")".repeat(k);
        case 1 -> "id eq 1" + " or id eq 2".repeat(k);
        case 2 -> "not ".repeat(k) + "id eq 1";
        default -> "length(" + "concat(name,".repeat(Math.min(k, 200)) + "name" + ")".repeat(Math.min(k, 200))
            + ") gt 0";
      };
    }
    if (depth > 5 || chance(0.3)) {
      return chance(0.5) ? pick(PROPS) : literal();
    }
    return switch (rnd.nextInt(7)) {
      case 0, 1 -> expr(depth + 1) + " " + pick(OPS) + " " + expr(depth + 1);
      case 2 -> "(" + expr(depth + 1) + ")";
      case 3 -> "not " + expr(depth + 1);
      case 4 -> "-" + expr(depth + 1);
      default -> {
        String fn = pick(FUNCTIONS);
        int args = rnd.nextInt(4);
        List<String> a = new ArrayList<>();
        for (int i = 0; i < args; i++) {
          a.add(expr(depth + 1));
        }
        yield fn + "(" + String.join(",", a) + ")";
      }
    };
  }

  String literal() {
    return switch (rnd.nextInt(16)) {
      case 0 -> Long.toString(rnd.nextLong());
      case 1 -> pick(new String[] {"9223372036854775807", "-9223372036854775808", "99999999999999999999", "0",
          "-1", "1e308", "1e400", "-1e400", "4.9e-324", "1e-400", "0.5", "1.", ".5", "1e", "--1", "NaN", "INF"});
      case 2 -> Double.toString(rnd.nextGaussian() * 1e6);
      case 3 -> "'" + text(rnd.nextInt(12)).replace("'", "''") + "'";
      case 4 -> "'unclosed";
      case 5 -> pick(new String[] {"2024-05-01T00:00:00Z", "2024-05-01", "2024-13-45T99:99:99Z",
          "2024-05-01T00:00:00+08:00", "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z", "2024-05-01T00:00:00Z/PT1H",
          "2024-05-02T00:00:00Z/2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z/P-1D", "+999999999-12-31T23:59:59Z",
          "0000-01-01T00:00:00Z", "2024-05-01T00:00:00Z/", "2024-05-01/2024-05-02"});
      case 6 -> "duration'" + pick(new String[] {"P1D", "PT1H", "P999999999999D", "-P1D", "PX", "P1Y"}) + "'";
      case 7 -> "geography'" + pick(new String[] {"POINT(121.2 31.3)", "POINT(1)", "POLYGON((0 0,1 0,1 1,0 0))",
          "LINESTRING(0 0,1 1)", "POLYGON((0 0))", "MULTIPOINT((1 2))", "POINT(1e400 0)", "POINT(NaN NaN)",
          "POLYGON((" + "0 0,".repeat(rnd.nextInt(300)) + "0 0))", "garbage"}) + "'";
      case 8 -> pick(new String[] {"true", "false", "null"});
      case 9 -> "now()";
      case 10 -> Integer.toString(rnd.nextInt(100));
      default -> pick(PROPS);
    };
  }

  /** A small count, mostly in the range a parameter such as {@code hops} or {@code limit} accepts. */
  String small() {
    return chance(0.7) ? Integer.toString(1 + rnd.nextInt(10)) : number();
  }

  String number() {
    return pick(new String[] {Integer.toString(rnd.nextInt(50)), Integer.toString(rnd.nextInt(20_000)), "-1",
        "2147483648", "99999999999999999999", "1e3", "", "abc", "0", "10000", "10001"});
  }

  // ---- twin

  Case twinQuery() {
    int kind = rnd.nextInt(10);
    if (kind < 6) {
      HttpUrl.Builder u = url("/twin/v1/entities");
      if (chance(0.3)) {
        u.addQueryParameter("type", maybeMutate(pick(new String[] {"building", "sensor", "undergroundStructure",
            "building,sensor", "nope", ""})));
      }
      int filters = chance(0.05) ? 15 + rnd.nextInt(10) : rnd.nextInt(3);
      for (int i = 0; i < filters; i++) {
        u.addQueryParameter("filter", twinFilter());
      }
      if (chance(0.2)) {
        u.addQueryParameter("bbox", maybeMutate(coords(4)));
      }
      if (chance(0.15)) {
        u.addQueryParameter("near", maybeMutate(coords(2)));
        if (chance(0.8)) {
          u.addQueryParameter("distance", number());
        }
      }
      if (chance(0.15)) {
        u.addQueryParameter(chance(0.5) ? "within" : "intersects", maybeMutate(geoJson()));
      }
      if (chance(0.1)) {
        u.addQueryParameter(chance(0.5) ? "minDepth" : "maxDepth", number());
      }
      if (chance(0.15)) {
        u.addQueryParameter("limit", number());
      }
      if (chance(0.1)) {
        u.addQueryParameter("cursor", chance(0.5) ? text(10) : java.util.Base64.getUrlEncoder().encodeToString(
            ("c1." + number() + "." + text(4)).getBytes(StandardCharsets.UTF_8)));
      }
      if (chance(0.05)) {
        u.addQueryParameter(text(4), text(4));
      }
      return get(u.build());
    }
    String id = chance(0.85) ? String.format("lg-bldg-%04d", 1 + rnd.nextInt(9)) : mutate("lg-bldg-0001");
    HttpUrl.Builder u = switch (kind) {
      case 6 -> {
        HttpUrl.Builder t = url("/twin/v1/entities/" + enc(id) + "/traverse").addQueryParameter("hops", small());
        if (chance(0.5)) {
          t.addQueryParameter("direction", pick(new String[] {"outgoing", "incoming", "both", "sideways", ""}));
        }
        if (chance(0.3)) {
          t.addQueryParameter("limit", small());
        }
        if (chance(0.2)) {
          t.addQueryParameter("relationshipType", maybeMutate(pick(new String[] {"contains", "feeds", "a,b", ""})));
        }
        if (chance(0.2)) {
          t.addQueryParameter("entityType", maybeMutate(pick(new String[] {"building", "sensor", "nope"})));
        }
        yield t;
      }
      case 7 -> url("/twin/v1/entities/" + enc(id) + "/history").addQueryParameter("property",
          chance(0.9) ? pick(buildingProperties.toArray(new String[0])) : text(4))
          .addQueryParameter("from", maybeMutate(pick(new String[] {"2020-01-01T00:00:00Z", "2024-05-01T00:00:00Z",
              "2024-05-01", "now"}))).addQueryParameter("to", maybeMutate("2099-01-01T00:00:00Z"));
      case 8 -> url("/twin/v1/networks/" + pick(new String[] {"path", "connected", "upstream", "isolation"}))
          .addQueryParameter("from", maybeMutate(pick(pipeNodes.toArray(new String[0]))))
          .addQueryParameter("to", maybeMutate(pick(pipeNodes.toArray(new String[0]))))
          .addQueryParameter("segment", maybeMutate(pick(pipeSegments.toArray(new String[0]))));
      default -> url("/twin/v1/entities/" + enc(id) + "/snapshot").addQueryParameter("at", maybeMutate(
          "2024-05-01T00:00:00Z"));
    };
    return get(u.build());
  }

  String twinFilter() {
    if (chance(0.03)) {
      return "a==x" + " ".repeat(rnd.nextInt(1200)) + "y";
    }
    String f = pick(new String[] {"height", "use", "kind", "name", "floors", "_x", "a1", "1a", ""})
        + pick(new String[] {"", " ", "  "}) + pick(new String[] {"==", "!=", ">=", "<=", ">", "<", "=", "=>", "~"})
        + pick(new String[] {"", " "}) + pick(new String[] {"30", "'office'", "\"office\"", "true", "x y", "",
            "1e400", "-0", "'", "'unclosed", text(5)}) + pick(new String[] {"", " ", "\t", "\n"});
    return maybeMutate(f);
  }

  String coords(int count) {
    List<String> c = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      c.add(pick(new String[] {"121.9", "30.9", "-180", "180.0001", "NaN", "Infinity", "1e400", "", "x",
          Double.toString(rnd.nextGaussian() * 100)}));
    }
    return String.join(",", c);
  }

  String geoJson() {
    if (chance(0.3)) {
      return randomJson(0);
    }
    StringBuilder ring = new StringBuilder("[");
    int points = rnd.nextInt(chance(0.1) ? 2000 : 8);
    for (int i = 0; i < points; i++) {
      ring.append(i == 0 ? "" : ",").append('[').append(121.9 + rnd.nextGaussian() * 0.01).append(',')
          .append(30.9 + rnd.nextGaussian() * 0.01).append(']');
    }
    ring.append(']');
    return "{\"type\":\"" + pick(new String[] {"Polygon", "MultiPolygon", "Point", "LineString", "Nope"})
        + "\",\"coordinates\":" + pick(new String[] {"[" + ring + "]", ring.toString(), "[[" + ring + "]]",
            "[121.9,30.9]", "[]", "null"}) + "}";
  }

  Case twinWrite() {
    String id = chance(0.5) ? "fz-" + rnd.nextInt(20) : String.format("lg-bldg-%04d", 10 + rnd.nextInt(20));
    String type = chance(0.8) ? (id.startsWith("fz-") ? "sensor" : "building") : pick(new String[] {"sensor", "nope"});
    String doc = "{\"type\":\"" + type + "\",\"properties\":{\""
        + pick(new String[] {"note", "use", "x", ""}) + "\":{\"value\":" + value() + "}}"
        + (chance(0.5) ? ",\"geometry\":" + geoJson() : "") + "}";
    return switch (rnd.nextInt(4)) {
      case 0 -> new Case("PUT", url("/twin/v1/entities/" + id).build(), auth(), bytes(maybeMutate(doc)));
      case 1 -> new Case("PATCH", url("/twin/v1/entities/" + String.format("lg-bldg-%04d", 1 + rnd.nextInt(9)))
          .build(), headers("Content-Type", "application/merge-patch+json"), bytes(maybeMutate(chance(0.6)
          ? "{\"properties\":{\"" + pick(new String[] {"note", "use", "x"}) + "\":{\"value\":" + value()
          + "}}}" : randomJson(0))));
      case 2 -> new Case("POST", url("/twin/v1/relationships").build(), auth(), bytes(maybeMutate(
          "{\"id\":\"r-" + rnd.nextInt(9) + "\",\"source\":\"" + id + "\",\"target\":\"lg-bldg-0001\",\"type\":\""
              + pick(new String[] {"contains", "feeds", "Bad Type", ""}) + "\",\"properties\":" + randomJson(1)
              + "}")));
      default -> new Case("POST", url("/twin/v1/batch").build(), auth(), bytes(maybeMutate(
          "{\"operations\":[" + (chance(0.6) ? "{\"op\":\"upsert\",\"id\":\"" + id + "\",\"entity\":" + doc + "},"
          + "{\"op\":\"update\",\"id\":\"lg-bldg-0001\",\"patch\":{\"properties\":{\"note\":{\"value\":"
          + value() + "}}}}" : randomJson(1) + "," + randomJson(1)) + "]}")));
    };
  }

  Map<String, String> headers(String name, String value) {
    Map<String, String> h = auth();
    h.put(name, value);
    return h;
  }

  // ---- IoT writes

  Case odataWrite() {
    String thing = "{\"name\":\"fz\",\"description\":\"d\",\"properties\":" + (chance(0.6) ? "{\"k\":" + value()
        + "}" : randomJson(1))
        + ",\"Locations\":[{\"name\":\"l\",\"description\":\"d\",\"encodingType\":\"application/geo+json\","
        + "\"location\":" + (chance(0.5) ? "{\"type\":\"Point\",\"coordinates\":[121.9,30.9]}" : geoJson()) + "}]}";
    String observation = "{\"result\":" + randomJson(2) + ",\"phenomenonTime\":\"" + pick(new String[] {
        "2024-05-01T00:00:00Z", "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z", "yesterday", ""}) + "\","
        + "\"Datastream\":{\"@iot.id\":" + pick(new String[] {"1", "2", "1", "2", "999999", "\"1\"", "null", "-1"})
        + "}}";
    return switch (rnd.nextInt(6)) {
      case 0 -> new Case("POST", url("/iot/v1.1/Things").build(), auth(), bytes(maybeMutate(thing)));
      case 1 -> new Case("POST", url("/iot/v1.1/Observations").build(), auth(), bytes(maybeMutate(observation)));
      case 2 -> new Case(chance(0.5) ? "PATCH" : "PUT", url("/iot/v1.1/Things(" + (1 + rnd.nextInt(3)) + ")")
          .build(), headers("Content-Type", chance(0.5) ? "application/merge-patch+json" : "application/json"),
          bytes(maybeMutate(chance(0.5) ? "{\"name\":" + Json.mapper().valueToTree(text(8)) + ",\"description\":\"d\","
              + "\"properties\":{\"k\":" + value() + "}}" : randomJson(0))));
      case 3 -> new Case("POST", url("/iot/v1.1/CreateObservations").build(), auth(), bytes(maybeMutate(
          "[{\"Datastream\":{\"@iot.id\":1},\"components\":[\"phenomenonTime\",\"result\"],\"dataArray\":["
              + "[\"2024-05-01T00:00:00Z\"," + randomJson(2) + "]," + randomJson(1) + "]}]")));
      case 4 -> {
        // a delete names an entity the seed never has: deleting seeded Things or Datastreams would turn later
        // cases into 404s, and the generators must keep reaching the parsers
        String method = pick(new String[] {"get", "post", "patch", "delete", "x"});
        String target = method.equals("delete") ? "Things(" + (100_000 + rnd.nextInt(9)) + ")" : pick(PATHS);
        yield new Case("POST", url("/iot/v1.1/$batch").build(), auth(), bytes(maybeMutate(
          "{\"requests\":[{\"id\":\"1\",\"method\":\"" + method
              + "\",\"url\":\"" + target + "?$top=" + number() + "\",\"body\":" + randomJson(1) + "},"
              + "{\"id\":\"2\",\"method\":\"get\",\"url\":\"$1" + pick(new String[] {"", "/Datastreams", "?$x"})
              + "\"}]}")));
      }
      default -> new Case("POST", url("/iot/v1.1/Things(1)/Locations/$ref").build(), auth(),
          bytes(maybeMutate("{\"@iot.id\":" + (chance(0.5) ? Integer.toString(1 + rnd.nextInt(3)) : number()) + "}")));
    };
  }

  // ---- exchange

  Case exchangeWrite() {
    return switch (rnd.nextInt(8)) {
      case 0 -> new Case("POST", url("/exchange/v1/orders").build(), auth(), bytes(maybeMutate(
          "{\"offerId\":\"" + (chance(0.8) ? pick(offers.toArray(new String[0])) : pick(new String[] {"of-nope", ""}))
              + "\",\"intendedUse\":{\"purpose\":\"" + pick(new String[] {"research", "research", "commercial", "x"})
              + "\",\"durationDays\":" + (chance(0.6) ? Integer.toString(1 + rnd.nextInt(30)) : number())
              + ",\"territory\":\"CN\"}}")));
      case 1 -> new Case("POST", url("/exchange/v1/offers/" + enc(pick(offers.toArray(new String[0])))
          + "/dry-run").build(), auth(), bytes(maybeMutate(chance(0.6) ? "{\"purpose\":\"research\","
          + "\"durationDays\":" + small() + ",\"territory\":\"" + pick(new String[] {"CN", "EU", "x"}) + "\"}"
          : randomJson(0))));
      case 2 -> new Case("POST", url("/exchange/v1/board/collections").build(), auth(), bytes(maybeMutate(
          "{\"name\":\"" + text(6) + "\",\"supply\":" + (chance(0.5) ? small() : number()) + "}")));
      case 3 -> chance(0.5) ? new Case("POST", url("/exchange/v1/board/collections/shen-sheng-bu-xi/claims").build(),
          auth(), bytes(maybeMutate("{\"account\":\"" + pick(new String[] {"alice", "bob", "a b", ""}) + "\"}")))
          : new Case("POST", url("/exchange/v1/board/transfers").build(), auth(), bytes(maybeMutate(randomJson(0))));
      case 4 -> new Case("PUT", url("/exchange/v1/sandbox/settings").build(), auth(), bytes(maybeMutate(
          "{\"autoProgress\":" + pick(new String[] {"true", "false", "1", "\"x\""}) + ",\"merchantDelayMs\":"
              + (chance(0.5) ? small() : number()) + "}")));
      case 5 -> new Case("POST", url("/exchange/v1/webhooks").build(), auth(), bytes(maybeMutate(
          "{\"url\":\"" + pick(new String[] {"http://127.0.0.1:9/h", "https://partner.invalid/h", "ftp://x",
              "http://[::1]/h", "http://10.1.2.3/h", "http://" + text(4) + ".invalid/", "http://169.254.169.254/",
              "not a url"}) + "\",\"events\":" + (chance(0.6) ? "[\"delivery.completed\"]" : randomJson(1)) + "}")));
      case 6 -> get(url("/exchange/v1/products").addQueryParameter("q", maybeMutate("traffic"))
          .addQueryParameter("cursor", text(8)).addQueryParameter("limit", number()).build());
      default -> new Case("POST", url("/exchange/v1/orders/" + enc(mutate("ord_1")) + "/transitions").build(),
          auth(), bytes(maybeMutate("{\"action\":\"" + pick(new String[] {"agree", "terminate", "x"}) + "\"}")));
    };
  }

  // ---- SSE

  Case sse() {
    String real = pick(feeds.toArray(new String[0]));
    String feed = chance(0.85) ? real : mutate(real);
    HttpUrl.Builder u = url("/feeds/v1/" + enc(feed));
    Map<String, String> h = auth();
    if (chance(0.4)) {
      h.put("Last-Event-ID", headerSafe(eventId()));
    } else if (chance(0.3)) {
      u.addQueryParameter("lastEventId", eventId());
    }
    if (chance(0.3)) {
      u.addQueryParameter("start", pick(new String[] {"latest", "earliest", "middle", ""}));
    }
    // a short heartbeat lets the sandbox notice soon that the test closed the stream
    u.addQueryParameter("heartbeat", chance(0.2) ? number() : "100");
    int keys = chance(0.05) ? 95 + rnd.nextInt(10) : rnd.nextInt(3);
    for (int i = 0; i < keys; i++) {
      u.addQueryParameter("key", chance(0.02) ? "k".repeat(201) : text(3));
    }
    if (chance(0.1)) {
      return get(url("/twin/v1/changes").build());
    }
    return new Case("GET", u.build(), h, null);
  }

  String eventId() {
    return pick(new String[] {"0", "1", "-1", "99999999999999999999", "9223372036854775807", " 5 ", "", "abc",
        "1e3", "0x10", "\u0661", text(3)});
  }

  // ---- signing

  /** Valid signing headers (Authorization, date, nonce, content hash) for a request. */
  Map<String, String> signingHeaders(String method, HttpUrl u, byte[] body) {
    String date = STAMP.format(Instant.now());
    String nonce = "n" + rnd.nextLong();
    String sha = Signing.sha256Hex(body);
    TreeMap<String, String> signedHeaders = new TreeMap<>();
    signedHeaders.put("host", u.host() + ":" + u.port());
    signedHeaders.put("x-shudu-date", date);
    signedHeaders.put("x-shudu-nonce", nonce);
    signedHeaders.put("x-shudu-content-sha256", sha);
    String canonical = Signing.canonicalRequest(method, u.encodedPath(), u.encodedQuery(), signedHeaders, sha);
    String signature = Signing.signature(tenant.secretAccessKey(), Signing.stringToSign(date, nonce, canonical));
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Authorization", Signing.authorizationHeader(tenant.accessKeyId(), signedHeaders.keySet(), signature));
    h.put(Signing.DATE_HEADER, date);
    h.put(Signing.NONCE_HEADER, nonce);
    h.put(Signing.CONTENT_SHA256_HEADER, sha);
    return h;
  }

  Case signed() {
    HttpUrl u = url("/iot/v1.1/Things").addQueryParameter("$top", Integer.toString(1 + rnd.nextInt(3))).build();
    Map<String, String> h = signingHeaders("GET", u, new byte[0]);
    String authorization = h.get("Authorization");
    String date = h.get(Signing.DATE_HEADER);
    String sha = h.get(Signing.CONTENT_SHA256_HEADER);
    switch (rnd.nextInt(12) - 3) {
      case -3, -2, -1, 0 -> { } // valid
      case 1 -> h.put("Authorization", headerSafe(mutate(authorization)));
      case 2 -> h.put(Signing.DATE_HEADER, headerSafe(pick(new String[] {"", "20240824T105913Z", "99999999T999999Z",
          "2024-08-24T10:59:13Z", "+1000000101T000000Z", "00000000T000000Z", "20241324T256161Z",
          mutate(date)})));
      case 3 -> h.put(Signing.NONCE_HEADER, headerSafe(chance(0.5) ? "" : "n".repeat(rnd.nextInt(5000))));
      case 4 -> h.put(Signing.CONTENT_SHA256_HEADER, headerSafe(mutate(sha)));
      case 5 -> h.put("Authorization", Signing.ALGORITHM + " " + headerSafe(pick(new String[] {"", ",,,",
          "Credential=", "Credential=x, SignedHeaders=;;;, Signature=", "SignedHeaders=host",
          "Credential=" + tenant.accessKeyId() + ", SignedHeaders=host;x-nope, Signature=00"})));
      case 6 -> h.put("Authorization", "Bearer " + headerSafe(text(rnd.nextInt(40))));
      case 7 -> {
        h.clear();
        h.put("X-Api-Key", headerSafe(mutate(tenant.apiKey())));
      }
      default -> {
        return new Case("POST", url("/oauth2/token").build(), Map.of("Content-Type",
            "application/x-www-form-urlencoded", "Authorization", "Basic " + headerSafe(text(12))),
            bytes(maybeMutate("grant_type=client_credentials&client_id=" + tenant.clientId() + "&client_secret="
                + text(6))));
      }
    }
    return new Case("GET", u, h, null);
  }

  // ---- raw headers: any bytes in the values of the signing, idempotency, precondition and trace headers

  /** Bytes no client library would put in a header value (never CR or LF: those end the header). */
  static final byte[][] HEADER_JUNK = {{(byte) 0x80}, {(byte) 0xff}, {(byte) 0xe9}, {0x01}, {0x7f}, {'\t'},
      {0x1b}, ascii(" "), ascii(","), ascii("="), ascii("\""), ascii(";"), ascii("%00"),
      "\u4e2d".getBytes(StandardCharsets.UTF_8), {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};

  /** A header value with raw bytes inserted, cut, repeated or replaced. */
  byte[] rawMutate(String value) {
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (rnd.nextInt(6)) {
      case 0 -> { // insert junk
        int at = rnd.nextInt(v.length + 1);
        out.write(v, 0, at);
        out.writeBytes(pick(HEADER_JUNK));
        out.write(v, at, v.length - at);
      }
      case 1 -> out.write(v, 0, rnd.nextInt(v.length + 1)); // cut
      case 2 -> out.writeBytes(ascii("")); // empty
      case 3 -> { // long
        for (int i = 1 + rnd.nextInt(chance(0.2) ? 200 : 4); i > 0; i--) {
          out.writeBytes(v);
        }
      }
      case 4 -> out.writeBytes(ascii(headerSafe(mutate(value)))); // printable edits
      default -> { // one byte replaced
        out.writeBytes(v);
        byte[] b = out.toByteArray();
        if (b.length > 0) {
          b[rnd.nextInt(b.length)] = pick(HEADER_JUNK)[0];
        }
        out.reset();
        out.writeBytes(b);
      }
    }
    return out.toByteArray();
  }

  /**
   * A request (sent over a raw socket) whose authentication is valid, by API key or by signature, and whose
   * Authorization, X-Shudu-*, X-Api-Key, Idempotency-Key, If-Match or traceparent values carry mutated raw bytes;
   * sometimes a header is repeated. Marked {@code RAW-ANY}: any 2xx or a 4xx problem is a right answer.
   */
  Case rawHeaders() {
    String method;
    HttpUrl u;
    byte[] body;
    Map<String, String> h = new LinkedHashMap<>();
    switch (rnd.nextInt(3)) {
      case 0 -> {
        method = "GET";
        u = url("/iot/v1.1/Things").addQueryParameter("$top", "1").build();
        body = new byte[0];
      }
      case 1 -> {
        method = "POST";
        u = url("/v1/echo").build();
        body = bytes("{\"n\":" + rnd.nextInt(5) + "}");
        h.put("Idempotency-Key", "k-" + rnd.nextInt(50));
      }
      default -> {
        method = "PATCH";
        u = url("/twin/v1/entities/" + String.format("lg-bldg-%04d", 1 + rnd.nextInt(9))).build();
        body = bytes("{\"properties\":{\"note\":{\"value\":" + rnd.nextInt(9) + "}}}");
        h.put("Content-Type", "application/merge-patch+json");
        h.put("If-Match", chance(0.5) ? "*" : "\"" + rnd.nextInt(9) + "\"");
      }
    }
    if (chance(0.5)) {
      h.putAll(signingHeaders(method, u, body));
    } else {
      h.put("X-Api-Key", tenant.apiKey());
    }
    h.put("traceparent", "00-" + "0af7651916cd43dd8448eb211c80319c" + "-" + "b7ad6b7169203331" + "-01");
    List<String> names = new ArrayList<>(h.keySet());
    names.remove("Content-Type");
    java.util.Set<String> mutated = new java.util.HashSet<>();
    for (int i = chance(0.8) ? 1 : 2; i > 0; i--) {
      mutated.add(names.get(rnd.nextInt(names.size())));
    }
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(ascii(method + " " + u.encodedPath() + (u.encodedQuery() == null ? "" : "?" + u.encodedQuery())
        + " HTTP/1.1\r\nHost: " + u.host() + ":" + u.port() + "\r\n"));
    for (Map.Entry<String, String> e : h.entrySet()) {
      int times = mutated.contains(e.getKey()) && chance(0.15) ? 2 : 1;
      for (int t = 0; t < times; t++) {
        req.writeBytes(ascii(e.getKey() + ": "));
        req.writeBytes(mutated.contains(e.getKey()) ? rawMutate(e.getValue())
            : e.getValue().getBytes(StandardCharsets.ISO_8859_1));
        req.writeBytes(ascii("\r\n"));
      }
    }
    if (!h.containsKey("Content-Type") && body.length > 0) {
      req.writeBytes(ascii("Content-Type: application/json\r\n"));
    }
    req.writeBytes(ascii("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n"));
    req.writeBytes(body);
    return new Case("RAW-ANY", u, Map.of("mutated", String.join(",", mutated)), req.toByteArray());
  }

  /** Any request gets an answer: a 2xx, or a 4xx problem; never a 5xx, never a closed connection without one. */
  int checkRawAnswered(byte[] request) throws IOException {
    return checkRawAnswered(request, false);
  }

  /** The same, with the request side shut after the bytes when {@code halfClose} (a body cut short then ends). */
  int checkRawAnswered(byte[] request, boolean halfClose) throws IOException {
    RawHttp.Answer a = raw(request, halfClose);
    assertThat(a.status()).as("an answer (none is a closed connection without one): %s", a.text())
        .isBetween(200, 499);
    if (a.status() >= 300) {
      assertThat(a.head()).as(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
      JsonNode p = Json.mapper().readTree(a.body());
      assertThat(p.get("status").asInt()).isEqualTo(a.status());
      assertThat(p.get("detail").asText()).isNotBlank();
    }
    return a.status();
  }

  /**
   * Sends raw bytes and reads the answer until the server closes the connection (every raw case asks for
   * {@code Connection: close}); with {@code halfClose} the request side is shut after the bytes, so a server waiting
   * for more sees the end of the stream. A server that neither answers nor closes within the case limit fails.
   */
  RawHttp.Answer raw(byte[] request, boolean halfClose) throws IOException {
    java.net.URI base = sandbox.baseUrl();
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout((int) CASE_LIMIT.toMillis() + 5_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      if (halfClose) {
        s.shutdownOutput();
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = s.getInputStream().read(buf)) != -1) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError("no end of the answer within " + CASE_LIMIT.plusSeconds(5) + "; got so far: "
            + got.toString(StandardCharsets.ISO_8859_1), e);
      } catch (java.net.SocketException e) {
        // a reset after the answer: what arrived is the answer
      }
      byte[] bytes = got.toByteArray();
      String text = new String(bytes, StandardCharsets.UTF_8);
      int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
      int split = text.indexOf("\r\n\r\n");
      return new RawHttp.Answer(bytes, status, split < 0 ? text : text.substring(0, split),
          split < 0 ? "" : text.substring(split + 4));
    }
  }

  // ---- chunked framing

  /** A chunked POST of {@code framing} (the bytes after the head) to the echo endpoint. */
  byte[] chunkedPost(String framing, String extraHeaders) {
    return ascii("POST /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: " + tenant.apiKey() + "\r\n"
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + extraHeaders
        + "Connection: close\r\n\r\n" + framing);
  }

  /**
   * Broken chunked framings, each with the reason it is broken. (Bare LF line ends and unknown chunk extensions are
   * not here: RFC 9112 lets a recipient accept the one and ignore the other.)
   */
  static final String[][] BROKEN_CHUNKS = {
      {"zz\r\n{}\r\n0\r\n\r\n", "a chunk size that is not hex"},
      {"-2\r\n{}\r\n0\r\n\r\n", "a negative chunk size"},
      {"\r\n{}\r\n0\r\n\r\n", "an empty chunk size"},
      {"ffffffffffffffffff\r\n{}\r\n0\r\n\r\n", "a chunk size beyond 64 bits"},
      {"7fffffffffffffff\r\n{}\r\n0\r\n\r\n", "a chunk size far beyond the body limit"},
      {"2 2\r\n{}\r\n0\r\n\r\n", "a space inside the chunk size"},
      {"0x2\r\n{}\r\n0\r\n\r\n", "a 0x prefix"},
      {"2\r\n{}}}\r\n0\r\n\r\n", "more data than the chunk size"},
      {"2\r\n{}0\r\n\r\n", "no CRLF after the chunk data"},
      {"9\r\n{}", "the body ends inside a chunk"},
      {"2\r\n{}\r\n", "the body ends before the last chunk"},
      {"2\r\n{}\r\n0\r\nX-Trailer: \u0001\r\n", "the body ends inside the trailer"},
  };

  /**
   * Broken chunked framing gets a 4xx problem, never a 5xx or a closed connection without an answer; then random
   * seeded edits of a valid chunked body get a 2xx or a 4xx problem.
   *
   */
  @Test
  void chunkedFramingErrorsGetA4xxProblem() throws IOException {
    System.out.println("ParserFuzzTest chunked seed " + SEED + " (replay with -Dshudu.fuzz.seed=" + SEED + ")");
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      sandbox = s;
      tenant = s.tenant("fuzz");
      // the valid framing is accepted: the cases below reach the chunk parser
      RawHttp.Answer valid = raw(chunkedPost("2\r\n{}\r\n0\r\n\r\n", ""), true);
      assertThat(valid.status()).as(valid.text()).isBetween(200, 299);
      List<String[]> broken = new ArrayList<>(List.of(BROKEN_CHUNKS));
      broken.add(new String[] {"2\r\n{}\r\n0\r\n\r\n", "Content-Length as well as Transfer-Encoding",
          "Content-Length: 2\r\n"});
      broken.add(new String[] {"2\r\n{}\r\n0\r\n\r\n", "a transfer coding other than chunked",
          "Transfer-Encoding: gzip\r\n"});
      List<String> wrong = new ArrayList<>(); // every broken framing is tried, all failures reported at once
      for (String[] b : broken) {
        long t0 = System.nanoTime();
        RawHttp.Answer a = raw(chunkedPost(b[0], b.length > 2 ? b[2] : ""), true);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        boolean problem = a.head().toLowerCase(java.util.Locale.ROOT).contains(
            "content-type: application/problem+json");
        if (a.status() < 400 || a.status() > 499 || !problem || ms > CASE_LIMIT.toMillis()) {
          wrong.add(b[1] + ": got " + (a.status() == 0 ? "no answer" : a.head().lines().findFirst().orElse(""))
              + " after " + ms + " ms");
        } else {
          assertThat(Json.mapper().readTree(a.body()).get("status").asInt()).isEqualTo(a.status());
        }
      }
      assertThat(wrong).as("broken chunked framings that did not get a 4xx problem within %s", CASE_LIMIT).isEmpty();
      String framing = "7\r\n{\"a\":1}\r\n3;ext=1\r\n   \r\n0\r\nX-Trailer: t\r\n\r\n";
      int accepted = 0;
      for (int n = 0; n < 300; n++) {
        String edited = chance(0.2) ? framing : mutate(framing);
        try {
          // the client ends its side after the request, as a client does whose body is all sent: a body cut
          // short by the edit then ends, and must be answered (a client that keeps its side open is a slow one)
          int status = checkRawAnswered(chunkedPost(edited, ""), true);
          accepted += status < 300 ? 1 : 0;
        } catch (AssertionError | IOException e) {
          throw new AssertionError("chunked case #" + n + " failed with seed " + SEED + ": "
              + Json.mapper().valueToTree(edited) + " -> " + e.getMessage(), e);
        }
      }
      assertThat(accepted).as("some edited framings are still valid").isPositive();
    }
  }

  // ---- random text and JSON

  String text(int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      if (chance(0.02)) {
        sb.append("\ud83d\ude00");
      } else {
        sb.append(chance(0.7) ? (char) ('a' + rnd.nextInt(26)) : JUNK.charAt(rnd.nextInt(JUNK.length())));
      }
    }
    return sb.toString();
  }

  /** Printable ASCII only (OkHttp refuses other header characters). */
  static String headerSafe(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }

  String mutate(String s) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + rnd.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = sb.length() == 0 ? 0 : rnd.nextInt(sb.length() + 1);
      switch (rnd.nextInt(5)) {
        case 0 -> sb.insert(at, JUNK.charAt(rnd.nextInt(JUNK.length())));
        case 1 -> {
          if (sb.length() > 0) {
            sb.delete(Math.min(at, sb.length() - 1), Math.min(sb.length(), at + 1 + rnd.nextInt(4)));
          }
        }
        case 2 -> sb.setLength(Math.min(sb.length(), at));
        case 3 -> {
          int from = sb.length() == 0 ? 0 : rnd.nextInt(sb.length());
          sb.insert(at, sb.substring(from, Math.min(sb.length(), from + rnd.nextInt(8))));
        }
        default -> sb.insert(at, pick(new String[] {" ", "''", "()", "%", "\\u", "9999999999", "\"", "{", "]"}));
      }
    }
    return sb.toString();
  }

  String maybeMutate(String s) {
    return chance(0.35) ? mutate(s) : s;
  }

  /** A twin property value: mostly a number, string, boolean or array of them, sometimes any JSON. */
  String value() {
    if (chance(0.2)) {
      return randomJson(2);
    }
    return switch (rnd.nextInt(4)) {
      case 0 -> Integer.toString(rnd.nextInt(1000));
      case 1 -> Json.mapper().valueToTree(text(rnd.nextInt(12))).toString();
      case 2 -> chance(0.5) ? "true" : "false";
      default -> "[" + rnd.nextInt(9) + ",\"" + (char) ('a' + rnd.nextInt(26)) + "\"]";
    };
  }

  String randomJson(int depth) {
    if (depth == 0 && chance(0.03)) {
      int k = 50 + rnd.nextInt(1000);
      return chance(0.5) ? "[".repeat(k) + "]".repeat(k) : "{\"a\":".repeat(k) + "1" + "}".repeat(k);
    }
    if (depth > 4 || chance(0.35)) {
      return switch (rnd.nextInt(10)) {
        case 0 -> "null";
        case 1 -> chance(0.5) ? "true" : "false";
        case 2 -> pick(new String[] {"1e999", "-0", "123456789012345678901234567890", "0.1e-400", "1E+2",
            "-9223372036854775809", "1.5", "NaN", "01", "1.", "-"});
        case 3 -> Long.toString(rnd.nextLong());
        case 4 -> "\"" + pick(new String[] {"\\ud800", "\\u0000", "\\udc00\\ud800", "\\uXYZW", "\\n\\t",
            "\ud83d\ude00", "x".repeat(rnd.nextInt(3) == 0 ? 20_000 : 5)}) + "\"";
        default -> Json.mapper().valueToTree(text(rnd.nextInt(10))).toString();
      };
    }
    if (chance(0.5)) {
      List<String> items = new ArrayList<>();
      for (int i = rnd.nextInt(4); i > 0; i--) {
        items.add(randomJson(depth + 1));
      }
      return "[" + String.join(",", items) + "]";
    }
    List<String> members = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      String key = pick(new String[] {"name", "description", "value", "type", "@iot.id", "properties", "result",
          "location", "coordinates", "url", "events", "supply", text(3)});
      members.add(Json.mapper().valueToTree(key).toString() + ":" + randomJson(depth + 1));
    }
    return "{" + String.join(",", members) + "}";
  }

  byte[] bytes(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (!chance(0.05) || b.length == 0) {
      return b;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = rnd.nextInt(b.length);
    out.write(b, 0, at);
    byte[] bad = {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
    out.write(bad, 0, 1 + rnd.nextInt(bad.length));
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  String[] randomList(String[] from, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = pick(from);
    }
    return out;
  }
}
