package io.shudu.sandbox.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SensorThings temporal functions ({@code before}, {@code after}, {@code meets}, {@code during},
 * {@code overlaps}, {@code starts}, {@code finishes}) and interval literals in {@code $filter}, over raw HTTP.
 *
 * <p>One datastream holds six observations whose result is their label: 1 = instant 08:00, 2 = instant 10:00,
 * 3 = interval 08:00/10:00, 4 = interval 10:00/12:00, 5 = interval 09:00/11:00, 6 = instant 12:00 (2024-05-01, UTC).
 */
class IotTemporalFilterTest {
  static Sandbox sandbox;
  static final OkHttpClient HTTP = new OkHttpClient();
  static long datastream;

  static final String W = "2024-05-01T08:00:00Z/2024-05-01T10:00:00Z";

  /** A finished answer. */
  record Answer(int statusCode, String contentType, String body) {}

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.builder().openMode(true).simulationRate(0).start();
    String thing = """
        {"name": "temporal buoy", "description": "temporal filter test",
         "Locations": [{"name": "temporal point", "description": "p", "encodingType": "application/geo+json",
           "location": {"type": "Point", "coordinates": [120.95, 31.11]}}],
         "Datastreams": [{"name": "temporal DO", "description": "d",
           "unitOfMeasurement": {"name": "milligram per litre", "symbol": "mg/L",
             "definition": "http://unitsofmeasure.org/ucum.html#mg/L"},
           "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
           "Sensor": {"name": "s", "description": "s", "encodingType": "text/plain", "metadata": "m"},
           "ObservedProperty": {"name": "temporal DO", "definition": "http://example.org/do", "description": "d"},
           "Observations": [
             {"phenomenonTime": "2024-05-01T08:00:00Z", "result": 1},
             {"phenomenonTime": "2024-05-01T10:00:00Z", "result": 2},
             {"phenomenonTime": "2024-05-01T08:00:00Z/2024-05-01T10:00:00Z", "result": 3},
             {"phenomenonTime": "2024-05-01T10:00:00Z/2024-05-01T12:00:00Z", "result": 4},
             {"phenomenonTime": "2024-05-01T09:00:00Z/2024-05-01T11:00:00Z", "result": 5},
             {"phenomenonTime": "2024-05-01T12:00:00Z", "result": 6}]}]}
        """;
    try (okhttp3.Response r = HTTP.newCall(new Request.Builder().url(sandbox.baseUrl() + "/iot/v1.1/Things")
        .post(RequestBody.create(thing, MediaType.get("application/json"))).build()).execute()) {
      assertThat(r.code()).as(r.body().string()).isEqualTo(201);
    }
    JsonNode ds = Json.mapper().readTree(get("/Datastreams?$filter=" + enc("name eq 'temporal DO'")).body());
    datastream = ds.get("value").get(0).get("@iot.id").asLong();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static Answer get(String pathAndQuery) throws Exception {
    try (okhttp3.Response r = HTTP.newCall(new Request.Builder().url(sandbox.baseUrl() + "/iot/v1.1" + pathAndQuery)
        .build()).execute()) {
      return new Answer(r.code(), r.header("Content-Type"), r.body().string());
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The labels (results) of the test observations matching a filter, in label order. */
  static List<Integer> labels(String filter) throws Exception {
    Answer a = get("/Datastreams(" + datastream + ")/Observations?$orderby=result&$filter=" + enc(filter));
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    List<Integer> out = new ArrayList<>();
    Json.mapper().readTree(a.body()).get("value").forEach(o -> out.add(o.get("result").asInt()));
    return out;
  }

  /** The 400 problem for a filter on Observations. */
  static JsonNode problem(String filter) throws Exception {
    Answer a = get("/Observations?$filter=" + enc(filter));
    assertThat(a.statusCode()).as(a.body()).isEqualTo(400);
    assertThat(a.contentType()).isEqualTo("application/problem+json");
    return Json.mapper().readTree(a.body());
  }

  @Test
  void beforeAndAfterAgainstAnInstantAndAnInterval() throws Exception {
    // two instants compare strictly; an interval ending at the instant is before it
    assertThat(labels("before(phenomenonTime, 2024-05-01T10:00:00Z)")).containsExactly(1, 3);
    assertThat(labels("before(phenomenonTime, " + W + ")")).containsExactly(1);
    assertThat(labels("after(phenomenonTime, 2024-05-01T10:00:00Z)")).containsExactly(4, 6);
    assertThat(labels("after(phenomenonTime, " + W + ")")).containsExactly(2, 4, 6);
  }

  @Test
  void meetsDuringOverlapsStartsFinishes() throws Exception {
    assertThat(labels("meets(phenomenonTime, " + W + ")")).containsExactly(1, 2, 4);
    assertThat(labels("during(phenomenonTime, " + W + ")")).containsExactly(1, 2, 3);
    assertThat(labels("during(phenomenonTime, 2024-05-01T08:00:00Z/2024-05-01T11:00:00Z)"))
        .containsExactly(1, 2, 3, 5);
    assertThat(labels("overlaps(phenomenonTime, " + W + ")")).containsExactly(1, 2, 3, 5);
    assertThat(labels("starts(phenomenonTime, " + W + ")")).containsExactly(1, 3);
    assertThat(labels("finishes(phenomenonTime, " + W + ")")).containsExactly(2, 3);
    assertThat(labels("finishes(phenomenonTime, 2024-05-01T12:00:00Z)")).containsExactly(4, 6);
  }

  @Test
  void intervalsMayBeWrittenWithADurationAnOffsetOrAsAQuotedStringAndArgumentsMaySwap() throws Exception {
    assertThat(labels("during(phenomenonTime, 2024-05-01T08:00:00Z/PT2H)")).containsExactly(1, 2, 3);
    assertThat(labels("during(phenomenonTime, 2024-05-01T16:00:00+08:00/2024-05-01T18:00:00+08:00)"))
        .containsExactly(1, 2, 3);
    assertThat(labels("during(phenomenonTime, '" + W + "')")).containsExactly(1, 2, 3);
    assertThat(labels("during(2024-05-01T09:30:00Z, phenomenonTime)")).containsExactly(3, 5);
    assertThat(labels("not during(phenomenonTime, " + W + ") and result lt 6")).containsExactly(4, 5);
    assertThat(labels("starts(phenomenonTime, " + W + ") or finishes(phenomenonTime, " + W + ")"))
        .containsExactly(1, 2, 3);
    // interval literals also work with comparison operators
    assertThat(labels("phenomenonTime lt 2024-05-01T10:30:00Z/2024-05-01T11:00:00Z")).containsExactly(1, 2, 3);
  }

  @Test
  void temporalFunctionsFollowNavigationPaths() throws Exception {
    JsonNode things = Json.mapper().readTree(get("/Things?$filter=" + enc(
        "during(Datastreams/Observations/phenomenonTime, 2024-05-01T11:30:00Z/2024-05-01T12:30:00Z)")).body());
    assertThat(things.get("value")).extracting(t -> t.get("name").asText()).containsExactly("temporal buoy");
  }

  @Test
  void anIntervalEndingBeforeItStartsIs400AtItsPosition() throws Exception {
    JsonNode p = problem("during(phenomenonTime, 2024-05-01T10:00:00Z/2024-05-01T08:00:00Z)");
    assertThat(p.get("position").asInt()).isEqualTo(23);
    assertThat(p.get("detail").asText()).contains("position 23")
        .contains("it ends (2024-05-01T08:00:00Z) before it starts (2024-05-01T10:00:00Z)");
    JsonNode quoted = problem("during(phenomenonTime, '2024-05-01T10:00:00Z/2024-05-01T08:00:00Z')");
    assertThat(quoted.get("position").asInt()).isEqualTo(23);
    assertThat(quoted.get("detail").asText()).contains("argument 2 of during").contains("ends before it starts");
  }

  @Test
  void aMalformedIntervalEndOrDateOnlyBoundIs400() throws Exception {
    JsonNode end = problem("during(phenomenonTime, 2024-05-01T08:00:00Z/tomorrow)");
    assertThat(end.get("position").asInt()).isEqualTo(44);
    assertThat(end.get("detail").asText()).contains("tomorrow").contains("expected an end date-time");
    JsonNode date = problem("before(phenomenonTime, 2024-05-01/2024-05-02)");
    assertThat(date.get("position").asInt()).isEqualTo(23);
    assertThat(date.get("detail").asText()).contains("date-times with offset");
    JsonNode noOffset = problem("before(phenomenonTime, 2024-05-01T08:00:00Z/2024-05-01T09:00:00)");
    assertThat(noOffset.get("position").asInt()).isEqualTo(44);
    assertThat(noOffset.get("detail").asText()).contains("offset");
    JsonNode negative = problem("before(phenomenonTime, 2024-05-01T08:00:00Z/-PT1H)");
    assertThat(negative.get("position").asInt()).isEqualTo(44);
  }

  @Test
  void argumentsThatAreNotTimesAre400NamingTheArgument() throws Exception {
    JsonNode number = problem("before(phenomenonTime, 5)");
    assertThat(number.get("position").asInt()).isEqualTo(23);
    assertThat(number.get("detail").asText()).contains("argument 2 of before").contains("not a time");
    JsonNode text = problem("after(phenomenonTime, 'yesterday')");
    assertThat(text.get("position").asInt()).isEqualTo(22);
    assertThat(text.get("detail").asText()).contains("yesterday").contains("ISO 8601");
    JsonNode property = problem("meets(Datastream/name, " + W + ")");
    assertThat(property.get("position").asInt()).isEqualTo(6);
    assertThat(property.get("detail").asText()).contains("Datastream/name").contains("not a time");
    JsonNode date = problem("starts(phenomenonTime, 2024-05-01)");
    assertThat(date.get("detail").asText()).contains("2024-05-01T00:00:00Z");
    JsonNode arity = problem("overlaps(phenomenonTime)");
    assertThat(arity.get("detail").asText()).contains("overlaps takes 2 argument(s), got 1");
    JsonNode condition = problem("finishes(phenomenonTime, result gt 5)");
    assertThat(condition.get("detail").asText()).contains("condition");
    assertThat(problem("during(phenomenonTime, " + W + ") add 1").get("detail").asText()).isNotEmpty();
  }
}
