package io.shudu.sandbox.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.NotFoundException;
import io.shudu.core.RequestOptions;
import io.shudu.core.ServiceException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The twin service's wire contract, tenancy, determinism and restart behaviour, with the raw pipeline. */
class TwinSandboxTest {
  static ApiRequest.Builder req(String method, String path) {
    return ApiRequest.builder("raw", method, path);
  }

  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void wireContractOfEntities() {
    try (Sandbox sandbox = Sandbox.start()) {
      ApiClient api = new ApiClient(sandbox.tenant("wire").clientConfig(), "test");
      ApiResponse created = api.execute(req("PUT", "/twin/v1/entities/w-1").header("If-None-Match", "*")
          .body(json("{\"type\":\"sensor\",\"properties\":{\"a\":{\"value\":1},\"b\":{\"value\":\"x\"}}}"),
              "application/json").build());
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.header("Location")).isEqualTo("/twin/v1/entities/w-1");
      assertThat(created.header("Content-Type")).startsWith("application/json");
      JsonNode body = created.json(JsonNode.class);
      assertThat(created.etag()).isEqualTo(body.get("etag").asText());
      assertThat(body.get("crs").asText()).isEqualTo("EPSG:4326");

      ApiResponse notModified = api.execute(req("GET", "/twin/v1/entities/w-1").header("If-None-Match",
          created.etag()).build());
      assertThat(notModified.status()).isEqualTo(304);
      assertThat(notModified.etag()).isEqualTo(created.etag());

      JsonNode patched = api.execute(req("PATCH", "/twin/v1/entities/w-1").header("If-Match", created.etag())
          .body(json("{\"properties\":{\"a\":null,\"c\":{\"value\":true}}}"), "application/merge-patch+json").build())
          .json(JsonNode.class);
      assertThat(patched.get("properties").has("a")).isFalse();
      assertThat(patched.at("/properties/b/value").asText()).isEqualTo("x");
      assertThat(patched.at("/properties/c/value").asBoolean()).isTrue();

      assertThatThrownBy(() -> api.execute(req("GET", "/twin/v1/entities/none").build()))
          .isInstanceOf(NotFoundException.class).satisfies(e -> {
            ServiceException se = (ServiceException) e;
            assertThat(se.code()).contains("not_found");
            assertThat(se.requestId()).isPresent();
          });
      assertThatThrownBy(() -> api.execute(req("PUT", "/twin/v1/entities/w-1").header("If-Match", "\"zz-9\"")
          .body(json("{\"type\":\"sensor\"}"), "application/json").build()))
          .isInstanceOf(ServiceException.class).satisfies(e -> {
            assertThat(((ServiceException) e).status()).isEqualTo(412);
            assertThat(((ServiceException) e).extensions()).containsKey("currentEtag");
          });
      // a POST retried with the same Idempotency-Key is replayed, not a 409
      RequestOptions key = RequestOptions.builder().idempotencyKey("create-w-2").build();
      ApiRequest post = req("POST", "/twin/v1/entities").options(key)
          .body(json("{\"id\":\"w-2\",\"type\":\"sensor\"}"), "application/json").build();
      assertThat(api.execute(post).status()).isEqualTo(201);
      ApiResponse replay = api.execute(post);
      assertThat(replay.status()).isEqualTo(201);
      assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    }
  }

  @Test
  void tenantsHaveSeparateTwinsAndStateSurvivesARestart() {
    try (Sandbox sandbox = Sandbox.start()) {
      ApiClient a = new ApiClient(sandbox.tenant("tenant-a").clientConfig(), "test");
      ApiClient b = new ApiClient(sandbox.tenant("tenant-b").clientConfig(), "test");
      a.execute(req("PATCH", "/twin/v1/entities/lg-bldg-0001")
          .body(json("{\"properties\":{\"owner\":{\"value\":\"a\"}}}"), "application/merge-patch+json").build());
      assertThat(b.call(req("GET", "/twin/v1/entities/lg-bldg-0001").build(), JsonNode.class).at("/properties/owner")
          .isMissingNode()).isTrue();
      sandbox.stop();
      sandbox.restart();
      assertThat(a.call(req("GET", "/twin/v1/entities/lg-bldg-0001").build(), JsonNode.class)
          .at("/properties/owner/value").asText()).isEqualTo("a");
      assertThat(a.call(req("GET", "/twin/v1/changes").build(), JsonNode.class).get("feed").asText())
          .isEqualTo("twin-changes.tenant-a");
    }
  }

  @Test
  void theSeededDatasetIsDeterministicAndHasTheAnnouncedCounts() throws Exception {
    String d1;
    String d2;
    String d3;
    try (Sandbox s1 = Sandbox.builder().seed(42).start(); Sandbox s2 = Sandbox.builder().seed(42).start();
        Sandbox s3 = Sandbox.builder().seed(43).start()) {
      ApiClient api = new ApiClient(s1.clientConfig(), "test");
      JsonNode stats = api.call(req("GET", "/twin/v1/stats").build(), JsonNode.class);
      assertThat(stats.at("/byType/undergroundStructure").asInt()).isEqualTo(881);
      assertThat(stats.at("/networks/totalLengthMeters").asDouble()).isBetween(222_750.0, 227_250.0);
      d1 = digest(s1);
      d2 = digest(s2);
      d3 = digest(s3);
    }
    assertThat(d2).isEqualTo(d1);
    assertThat(d3).isNotEqualTo(d1);
  }

  /** A digest of every entity and every relationship of the synergy zone, page by page, as served. */
  private static String digest(Sandbox s) throws Exception {
    ApiClient api = new ApiClient(s.clientConfig(), "test");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (String path : new String[] {"/twin/v1/entities", "/twin/v1/entities/lingang-synergy-zone/relationships"}) {
      String cursor = null;
      do {
        ApiResponse r = api.execute(req("GET", path).query("limit", 1000).query("cursor", cursor).build());
        md.update(r.body());
        JsonNode page = r.json(JsonNode.class);
        cursor = page.hasNonNull("continuationToken") ? page.get("continuationToken").asText() : null;
      } while (cursor != null);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
