package io.shudu.sandbox.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox SensorThings service over raw HTTP (open mode): URL grammar, errors, control information. */
class IotServiceTest {
  static Sandbox sandbox;
  static final OkHttpClient HTTP = new OkHttpClient();

  /** A finished answer. */
  record Answer(int statusCode, String contentType, String body) {}

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().openMode(true).simulationRate(0).start();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static Answer get(String pathAndQuery) throws Exception {
    return fetch(sandbox.baseUrl() + "/iot/v1.1" + pathAndQuery);
  }

  static Answer fetch(String url) throws Exception {
    try (okhttp3.Response r = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      return new Answer(r.code(), r.header("Content-Type"), r.body().string());
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void serviceRootListsTheEntitySetsAndConformance() throws Exception {
    JsonNode root = Json.mapper().readTree(get("").body());
    assertThat(root.get("value")).hasSize(9);
    assertThat(root.get("value").get(0).get("url").asText()).isEqualTo(sandbox.baseUrl() + "/iot/v1.1/Things");
    assertThat(root.path("serverSettings").path("conformance").toString()).contains("create-update-delete");
  }

  @Test
  void badFilterIs400ProblemNamingThePosition() throws Exception {
    Answer r = get("/Observations?$filter=" + enc("result gt 5 and (name eq 'x'"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    JsonNode p = Json.mapper().readTree(r.body());
    assertThat(p.get("detail").asText()).contains("position").contains("')'");
    assertThat(p.get("position").asInt()).isEqualTo(28);
    assertThat(p.get("detail").asText()).contains("'(' at position 16");
    Answer unknown = get("/Observations?$filter=" + enc("reslt gt 5"));
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(unknown.body()).get("detail").asText()).contains("position 0")
        .contains("reslt").contains("result");
    assertThat(get("/Observations?$filter=" + enc("result gt 'open")).statusCode()).isEqualTo(400);
    assertThat(get("/Things?$top=-1").statusCode()).isEqualTo(400);
    assertThat(get("/Things?$expand=Nope").statusCode()).isEqualTo(400);
    assertThat(get("/Things?$filter=" + enc("'just a value'")).statusCode()).isEqualTo(400);
    assertThat(get("/Things?$filter=" + enc("1 add 2")).statusCode()).isEqualTo(400);
    assertThat(get("/Things?$resultFormat=dataArray").statusCode()).isEqualTo(400);
    assertThat(get("/Things?$filter=" + enc("name eq 'x'") + "&$filter=" + enc("id eq 1")).statusCode())
        .isEqualTo(400);
    assertThat(get("/Things?$skiptoken=abc").statusCode()).isEqualTo(400);
    assertThat(get("/Locations?$filter=" + enc("geo.distance(location, geography'POINT(1)') lt 1")).statusCode())
        .isEqualTo(400);
    assertThat(get("/Gadgets").statusCode()).isEqualTo(404);
    assertThat(get("/Things(999999)").statusCode()).isEqualTo(404);
  }

  @Test
  void propertyValueRefAndNavigationPaths() throws Exception {
    JsonNode things = Json.mapper().readTree(get("/Things?$top=1").body());
    JsonNode thing = things.get("value").get(0);
    long id = thing.get("@iot.id").asLong();
    assertThat(thing.get("Datastreams@iot.navigationLink").asText()).endsWith("/Things(" + id + ")/Datastreams");
    assertThat(things.get("@iot.nextLink").asText()).contains("$top=1");
    assertThat(get("/Things(" + id + ")/name/$value").body()).isEqualTo(thing.get("name").asText());
    JsonNode name = Json.mapper().readTree(get("/Things(" + id + ")/name").body());
    assertThat(name.size()).isEqualTo(1);
    JsonNode refs = Json.mapper().readTree(get("/Things(" + id + ")/Datastreams/$ref").body());
    assertThat(refs.get("value").get(0).size()).isEqualTo(1);
    assertThat(refs.get("value").get(0).get("@iot.selfLink").asText()).contains("/Datastreams(");
    long ds = Json.mapper().readTree(get("/Things(" + id + ")/Datastreams").body()).get("value").get(0)
        .get("@iot.id").asLong();
    JsonNode obs = Json.mapper().readTree(get("/Things(" + id + ")/Datastreams(" + ds
        + ")/Observations?$count=true&$top=2&$orderby=phenomenonTime%20desc").body());
    assertThat(obs.get("@iot.count").asLong()).isEqualTo(24);
    assertThat(obs.get("value")).hasSize(2);
    assertThat(obs.get("@iot.nextLink").asText()).contains("$skip=2");
    assertThat(get("/Things(" + id + ")/Datastreams(" + (ds + 1000) + ")").statusCode()).isEqualTo(404);
    JsonNode foi = Json.mapper().readTree(get("/Datastreams(" + ds + ")/Observations?$top=1&$expand="
        + enc("FeatureOfInterest($select=feature)")).body()).get("value").get(0).get("FeatureOfInterest");
    assertThat(foi.get("feature").get("type").asText()).isIn("Point", "LineString");
    assertThat(foi.has("name")).isFalse();
  }

  @Test
  void jsonBatchRunsRequestsInOrderAndResolvesReferences() throws Exception {
    String batch = """
        {"requests": [
          {"id": "t", "method": "post", "url": "Things", "body": {"name": "batch thing", "description": "b"}},
          {"id": "l", "method": "post", "url": "$t/Locations", "body": {"name": "batch place", "description": "p",
            "encodingType": "application/geo+json", "location": {"type": "Point", "coordinates": [121.1, 31.1]}}},
          {"id": "g", "method": "get", "url": "$t?$expand=Locations($select=name),HistoricalLocations"},
          {"id": "bad", "method": "get", "url": "Things?$filter=name eq"}
        ]}""";
    String body;
    try (okhttp3.Response r = HTTP.newCall(new Request.Builder().url(sandbox.baseUrl() + "/iot/v1.1/$batch")
        .post(okhttp3.RequestBody.create(batch, okhttp3.MediaType.get("application/json"))).build()).execute()) {
      body = r.body().string();
      assertThat(r.code()).as(body).isEqualTo(200);
    }
    JsonNode responses = Json.mapper().readTree(body).get("responses");
    assertThat(responses).hasSize(4);
    assertThat(responses.get(0).get("status").asInt()).isEqualTo(201);
    assertThat(responses.get(1).get("status").asInt()).isEqualTo(201);
    JsonNode thing = responses.get(2).get("body");
    assertThat(thing.get("name").asText()).isEqualTo("batch thing");
    assertThat(thing.get("Locations").get(0).get("name").asText()).isEqualTo("batch place");
    assertThat(thing.get("HistoricalLocations")).hasSize(1);
    assertThat(responses.get(3).get("status").asInt()).isEqualTo(400);
    assertThat(responses.get(3).get("body").get("detail").asText()).contains("position");
  }

  @Test
  void dataArrayResultFormat() throws Exception {
    JsonNode r = Json.mapper().readTree(get("/Datastreams(1)/Observations?$top=3&$resultFormat=dataArray").body());
    JsonNode block = r.get("value").get(0);
    assertThat(block.get("components").toString()).isEqualTo("[\"id\",\"phenomenonTime\",\"resultTime\",\"result\"]");
    assertThat(block.get("dataArray")).hasSize(3);
  }

  @Test
  void simulatorsAddObservationsAtTheConfiguredRate() throws Exception {
    try (Sandbox live = Sandbox.builder().openMode(true).simulationRate(50).start()) {
      String url = live.baseUrl() + "/iot/v1.1/Observations?$count=true&$top=1&$filter="
          + enc("Datastream/Thing/properties/feed eq 'traffic'");
      long before = count(url);
      await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(50))
          .until(() -> count(url) >= before + 10);
    }
  }

  private static long count(String url) throws Exception {
    String body = fetch(url).body();
    return Json.mapper().readTree(body).get("@iot.count").asLong();
  }
}
