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
      // a tenant's change feed is private: another tenant neither reads it nor sees it listed
      assertThatThrownBy(() -> b.execute(req("GET", "/feeds/v1/twin-changes.tenant-a").streaming().build()))
          .isInstanceOf(io.shudu.core.NotFoundException.class);
      assertThat(b.call(req("GET", "/feeds/v1").build(), JsonNode.class).toString()).doesNotContain("tenant-a");
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

  @Test
  void garbageNeverGetsA500() {
    try (Sandbox sandbox = Sandbox.start()) {
      ApiClient api = new ApiClient(sandbox.tenant("garbage").clientConfig(), "test");
      String[][] cases = {
          {"PUT", "/twin/v1/entities/g-1", "[]", "application/json"},
          {"PUT", "/twin/v1/entities/g-1", "{\"type\":\"building\",\"geometry\":{\"type\":\"Polygon\","
              + "\"coordinates\":[[[1,1],[2,1],[2,2],[1,2]]]}}", "application/json"},
          {"PUT", "/twin/v1/entities/g-1", "{\"type\":\"building\",\"properties\":{\"h\":{\"value\":{\"x\":1}}}}",
              "application/json"},
          {"PUT", "/twin/v1/entities/g-1", "{\"type\":\"building\",\"externalRefs\":{\"ifcGlobalId\":42}}",
              "application/json"},
          {"PUT", "/twin/v1/entities/g-1", "{\"type\":\"undergroundStructure\",\"properties\":{\"depthTop\":"
              + "{\"value\":5},\"depthBottom\":{\"value\":2}}}", "application/json"},
          {"PUT", "/twin/v1/entities/g-1", "{not json", "application/json"},
          {"POST", "/twin/v1/entities", "{\"type\":\"building\"}", "application/json"},
          {"POST", "/twin/v1/batch", "{\"operations\":{}}", "application/json"},
          {"POST", "/twin/v1/batch", "{\"operations\":[{\"op\":\"explode\",\"id\":\"x\"}]}", "application/json"},
          {"POST", "/twin/v1/batch", "{\"operations\":[{\"op\":\"update\",\"id\":\"lg-bldg-0001\","
              + "\"patch\":[1]}]}", "application/json"},
          {"POST", "/twin/v1/relationships", "{\"type\":7,\"source\":\"lg-bldg-0001\",\"target\":\"lg-bldg-0002\"}",
              "application/json"},
          {"POST", "/twin/v1/relationships", "{\"type\":\"observes\",\"source\":\"lg-bldg-0001\"}", "application/json"},
          {"GET", "/twin/v1/entities/lg-bldg-0001/traverse?hops=abc", null, null},
          {"GET", "/twin/v1/entities/lg-bldg-0001/traverse?direction=sideways", null, null},
          {"GET", "/twin/v1/entities/lg-bldg-0001/history?property=height&from=yesterday", null, null},
          {"GET", "/twin/v1/entities/lg-bldg-0001/history", null, null},
          {"GET", "/twin/v1/entities/lg-bldg-0001/snapshot", null, null},
          {"GET", "/twin/v1/entities?within=%7B%22type%22%3A%22Polygon%22%2C%22coordinates%22%3A%5B%5B%5B1%2C1%5D%5D%5D%7D",
              null, null},
          {"GET", "/twin/v1/entities?near=abc,def&distance=5", null, null},
          {"GET", "/twin/v1/networks/isolation", null, null},
          {"GET", "/twin/v1/networks/path?from=w-seg-00001", null, null},
      };
      for (String[] c : cases) {
        String[] pathAndQuery = c[1].split("\\?", 2);
        ApiRequest.Builder b = req(c[0], pathAndQuery[0]);
        if (pathAndQuery.length > 1) {
          for (String kv : pathAndQuery[1].split("&")) {
            String[] p = kv.split("=", 2);
            b.query(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
          }
        }
        if (c[2] != null) {
          b.body(json(c[2]), c[3]);
        }
        assertThatThrownBy(() -> api.execute(b.build())).as(c[0] + " " + c[1] + " " + c[2])
            .isInstanceOf(ServiceException.class).satisfies(e -> {
              ServiceException se = (ServiceException) e;
              assertThat(se.status()).isBetween(400, 499);
              assertThat(se.detail()).isPresent();
            });
      }
    }
  }
}
