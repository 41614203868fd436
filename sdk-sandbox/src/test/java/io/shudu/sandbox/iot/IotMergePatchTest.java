package io.shudu.sandbox.iot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** PATCH of a Thing: RFC 7396 merge with application/merge-patch+json, member replacement with application/json. */
class IotMergePatchTest {
  private static final OkHttpClient HTTP = new OkHttpClient();

  @Test
  void mergePatchMergesNestedPropertiesAndJsonPatchReplacesThem() throws Exception {
    try (Sandbox sandbox = Sandbox.builder().openMode(true).simulationRate(0).start()) {
      String things = sandbox.baseUrl() + "/iot/v1.1/Things";
      JsonNode created = send(new Request.Builder().url(things).post(RequestBody.create(
          "{\"name\":\"buoy\",\"description\":\"test buoy\",\"properties\":{\"feed\":\"water-quality\",\"code\":\"QP-T1\","
              + "\"status\":\"active\",\"owner\":{\"team\":\"river\",\"phone\":\"110\"}}}",
          MediaType.get("application/json"))).build());
      String self = things + "(" + created.get("@iot.id").asLong() + ")";

      JsonNode merged = send(new Request.Builder().url(self).patch(RequestBody.create(
          "{\"properties\":{\"status\":\"retired\",\"owner\":{\"phone\":null}}}",
          MediaType.get("application/merge-patch+json"))).build());
      assertThat(merged.at("/properties/status").asText()).isEqualTo("retired");
      assertThat(merged.at("/properties/feed").asText()).isEqualTo("water-quality");
      assertThat(merged.at("/properties/code").asText()).isEqualTo("QP-T1");
      assertThat(merged.at("/properties/owner/team").asText()).isEqualTo("river");
      assertThat(merged.at("/properties/owner").has("phone")).isFalse();
      assertThat(merged.get("name").asText()).isEqualTo("buoy");

      JsonNode replaced = send(new Request.Builder().url(self).patch(RequestBody.create(
          "{\"properties\":{\"status\":\"active\"}}", MediaType.get("application/json"))).build());
      assertThat(replaced.get("properties").size()).isEqualTo(1);
      assertThat(replaced.at("/properties/status").asText()).isEqualTo("active");
    }
  }

  private static JsonNode send(Request request) throws Exception {
    try (Response response = HTTP.newCall(request).execute()) {
      String body = response.body().string();
      assertThat(response.code()).as(body).isBetween(200, 201);
      assertThat(body).as("the answer carries the entity").isNotEmpty();
      return Json.mapper().readTree(body);
    }
  }
}
