package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RetryPolicy;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client puts on the wire and how it reads scripted answers, against MockWebServer. */
class TwinClientWireTest {
  static final String ENTITY = "{\"id\":\"b-1\",\"type\":\"building\",\"properties\":{\"height\":{\"value\":45.5,"
      + "\"unit\":\"m\"},\"tags\":{\"value\":[\"a\",\"b\"]}},\"geometry\":{\"type\":\"Point\",\"coordinates\":"
      + "[121.9,30.92,4.5]},\"crs\":\"EPSG:4490\",\"version\":3,\"etag\":\"\\\"7-3\\\"\",\"createdAt\":"
      + "\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\",\"futureMember\":{\"x\":1}}";

  MockWebServer server;
  TwinClient twin;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    twin = TwinClient.create(ClientConfig.builder().endpoint(server.url("/").uri())
        .credentials(Credentials.apiKey("test-key-0123456789")).retryPolicy(RetryPolicy.none()).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void readsEntitiesTolerantly() throws Exception {
    server.enqueue(json(200, ENTITY));
    Entity e = twin.entities().get("b 1/x");
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getUrl().encodedPath()).isEqualTo("/twin/v1/entities/b%201%2Fx");
    assertThat(e.crs()).isEqualTo(Crs.CGCS2000);
    assertThat(e.geometry()).isEqualTo(Geometry.point(121.9, 30.92));
    assertThat(e.property("tags").orElseThrow().asStringList()).containsExactly("a", "b");
    assertThat(e.etag()).isEqualTo("\"7-3\"");
    assertThat(e.number("height")).isEqualTo(45.5);
  }

  @Test
  void conditionalWritesSendTheRightHeadersAndBodies() throws Exception {
    server.enqueue(json(201, ENTITY));
    server.enqueue(json(200, ENTITY));
    server.enqueue(new MockResponse.Builder().code(412).setHeader("Content-Type", "application/problem+json")
        .body("{\"status\":412,\"code\":\"precondition_failed\",\"title\":\"Precondition failed\","
            + "\"detail\":\"Entity 'b-1' was changed by someone else.\"}").build());
    twin.entities().create(Entity.builder("b-1", EntityType.BUILDING).property("height", 45.5, "m").build());
    twin.entities().update("b-1", EntityPatch.builder().removeProperty("tags")
        .setProperty("height", Property.of(50.0, "m")).build(), "\"7-3\"");
    assertThatThrownBy(() -> twin.entities().delete("b-1", "\"7-2\""))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("changed by someone else");

    RecordedRequest put = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getHeaders().get("If-None-Match")).isEqualTo("*");
    assertThat(put.getHeaders().get("If-Match")).isNull();
    assertThat(put.getBody().utf8()).contains("\"type\":\"building\"", "\"height\":{\"value\":45.5,\"unit\":\"m\"}");
    RecordedRequest patch = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(patch.getMethod()).isEqualTo("PATCH");
    assertThat(patch.getHeaders().get("Content-Type")).startsWith("application/merge-patch+json");
    assertThat(patch.getHeaders().get("If-Match")).isEqualTo("\"7-3\"");
    assertThat(patch.getHeaders().get("Idempotency-Key")).isNotBlank();
    // the removal is an explicit null, as RFC 7396 requires
    assertThat(patch.getBody().utf8()).isEqualTo("{\"properties\":{\"tags\":null,\"height\":{\"value\":50.0,"
        + "\"unit\":\"m\"}}}");
    RecordedRequest delete = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(delete.getHeaders().get("If-Match")).isEqualTo("\"7-2\"");
  }

  @Test
  void queriesEncodeEveryPredicateAndFollowTokens() throws Exception {
    server.enqueue(json(200, "{\"items\":[" + ENTITY + "],\"continuationToken\":\"tok-1\"}"));
    server.enqueue(json(200, "{\"items\":[" + ENTITY.replace("b-1", "b-2") + "]}"));
    TwinQuery q = TwinQuery.builder().types(EntityType.BUILDING, EntityType.FACILITY)
        .where("use", TwinQuery.Op.EQ, "office").where("height", TwinQuery.Op.GE, 30)
        .bbox(121.8, 30.8, 122.0, 31.0).near(Position.of(121.9, 30.9), 250).depthBetween(0, 6)
        .intersects(Geometry.box(121.89, 30.91, 121.9, 30.92)).pageSize(1).build();
    List<String> ids = twin.entities().query(q).stream().map(Entity::id).toList();
    assertThat(ids).containsExactly("b-1", "b-2");
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getUrl().queryParameterValues("type")).containsExactly("building", "facility");
    assertThat(first.getUrl().queryParameterValues("filter")).containsExactly("use=='office'", "height>=30");
    assertThat(first.getUrl().queryParameter("bbox")).isEqualTo("121.8,30.8,122.0,31.0");
    assertThat(first.getUrl().queryParameter("near")).isEqualTo("121.9,30.9");
    assertThat(first.getUrl().queryParameter("distance")).isEqualTo("250.0");
    assertThat(first.getUrl().queryParameter("minDepth")).isEqualTo("0.0");
    assertThat(first.getUrl().queryParameter("intersects")).startsWith("{\"type\":\"Polygon\",\"coordinates\":[[[");
    assertThat(first.getUrl().queryParameter("limit")).isEqualTo("1");
    assertThat(first.getUrl().queryParameter("cursor")).isNull();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().queryParameter("cursor")).isEqualTo("tok-1");
  }

  @Test
  void batchBodiesKeepPatchNullsAndOrder() throws Exception {
    server.enqueue(json(200, "{\"results\":[{\"index\":0,\"op\":\"update\",\"id\":\"b-1\",\"status\":200,"
        + "\"version\":4,\"etag\":\"\\\"7-4\\\"\"},{\"index\":1,\"op\":\"delete\",\"id\":\"b-2\",\"status\":204}]}"));
    BatchResult r = twin.entities().batch(List.of(
        BatchOperation.update("b-1", EntityPatch.builder().removeProperty("tags").build(), "\"7-3\""),
        BatchOperation.delete("b-2", null)));
    assertThat(r.results()).extracting(BatchResult.Item::status).containsExactly(200, 204);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()).isEqualTo("{\"operations\":["
        + "{\"op\":\"update\",\"id\":\"b-1\",\"patch\":{\"properties\":{\"tags\":null}},\"ifMatch\":\"\\\"7-3\\\"\"},"
        + "{\"op\":\"delete\",\"id\":\"b-2\"}]}");
  }

  @Test
  void everySubApiViewSendsItsOptionsAndRelationshipDeletesSendIfMatch() throws Exception {
    io.shudu.core.RequestOptions opts = io.shudu.core.RequestOptions.builder().header("X-Partner-Tag", "p-7").build();
    server.enqueue(json(200, "{\"id\":\"r-1\",\"type\":\"feeds\",\"source\":\"a\",\"target\":\"b\"}"));
    server.enqueue(new MockResponse.Builder().code(204).build());
    server.enqueue(json(200, "{\"at\":\"2026-01-01T00:00:00Z\",\"entity\":" + ENTITY
        + ",\"outgoing\":[],\"incoming\":[]}"));
    server.enqueue(json(200, "{\"feed\":\"twin-changes\"}"));
    server.enqueue(json(200, ENTITY));
    twin.relationships().withOptions(opts).get("r-1");
    twin.relationships().withOptions(opts).delete("r-1", "\"r-9\"");
    twin.history().withOptions(opts).asOf("b-1", java.time.Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(twin.changes().withOptions(opts).feedNameAsync().get(5, TimeUnit.SECONDS)).isEqualTo("twin-changes");
    twin.entities().withOptions(opts).get("b-1");
    for (int i = 0; i < 5; i++) {
      RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(r.getHeaders().get("X-Partner-Tag")).as(r.getMethod() + " " + r.getUrl()).isEqualTo("p-7");
      if (i == 1) {
        assertThat(r.getMethod()).isEqualTo("DELETE");
        assertThat(r.getHeaders().get("If-Match")).isEqualTo("\"r-9\"");
      }
    }
    // without a view, no such header
    server.enqueue(json(200, "{\"segments\":0}"));
    twin.networks().statsAsync().exceptionally(e -> null).get(5, TimeUnit.SECONDS);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("X-Partner-Tag")).isNull();
  }

  @Test
  void getVersionedNeedsAnEtag() {
    server.enqueue(json(200, "{\"id\":\"r-1\",\"type\":\"feeds\",\"source\":\"a\",\"target\":\"b\"}"));
    assertThatThrownBy(() -> twin.relationships().getVersioned("r-1"))
        .isInstanceOf(io.shudu.core.ClientException.class).hasMessageContaining("no ETag");
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .setHeader("ETag", "\"r-1\"")
        .body("{\"id\":\"r-1\",\"type\":\"feeds\",\"source\":\"a\",\"target\":\"b\"}").build());
    assertThat(twin.relationships().getVersioned("r-1").etag()).isEqualTo("\"r-1\"");
  }

  @Test
  void aQueryExposesWhatItMeansNotItsWireForm() {
    TwinQuery q = TwinQuery.builder().types(EntityType.BUILDING).where("use", TwinQuery.Op.EQ, "office")
        .where("height", TwinQuery.Op.GE, 30).bbox(121.8, 30.8, 122.0, 31.0).near(Position.of(121.9, 30.9), 250)
        .depthBetween(1, 6).pageSize(50).build();
    assertThat(q.types()).containsExactly(EntityType.BUILDING);
    assertThat(q.filters()).containsExactly(new TwinQuery.Filter("use", TwinQuery.Op.EQ, "office"),
        new TwinQuery.Filter("height", TwinQuery.Op.GE, 30));
    assertThat(q.bbox()).hasValueSatisfying(b -> assertThat(b).containsExactly(121.8, 30.8, 122.0, 31.0));
    q.bbox().orElseThrow()[0] = 0;   // a copy: the query stays as built
    assertThat(q.bbox().orElseThrow()[0]).isEqualTo(121.8);
    assertThat(q.near()).contains(Position.of(121.9, 30.9));
    assertThat(q.nearMeters()).isEqualTo(250.0);
    assertThat(q.minDepth()).hasValue(1.0);
    assertThat(q.maxDepth()).hasValue(6.0);
    assertThat(q.within()).isEmpty();
    assertThat(q.types()).isUnmodifiable();
    assertThat(q.filters()).isUnmodifiable();
    assertThat(q.toString()).contains("height>=30", "pageSize=50").doesNotContain("'office'");
    assertThat(java.util.Arrays.stream(TwinQuery.class.getMethods()).map(java.lang.reflect.Method::getName))
        .doesNotContain("parameters");
  }
}
