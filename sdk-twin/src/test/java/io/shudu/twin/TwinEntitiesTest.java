package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.NotFoundException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.ServiceException;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Entity CRUD, merge patch, ETags, batches and bad input, against the sandbox over loopback. */
class TwinEntitiesTest {
  static Sandbox sandbox;
  static TwinClient twin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start();
    twin = TwinClient.create(sandbox.tenant("entities").clientConfig());
  }

  @AfterAll
  static void stop() {
    twin.close();
    sandbox.close();
  }

  static Entity building(String id, double height) {
    return Entity.builder(id, EntityType.BUILDING)
        .property("height", height, "m")
        .property("use", "office")
        .property("floors", 12)
        .geometry(Geometry.box(121.9001, 30.9201, 121.9004, 30.9203))
        .externalRefs(new ExternalRefs("2O2Fr$t4X7Zf8NOew3FLOH", "test-b-1"))
        .build();
  }

  @Test
  void createGetReplaceDeleteRoundTrip() {
    Entity created = twin.entities().create(building("t-crud-1", 40));
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.etag()).isNotBlank();
    assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());
    assertThat(created.property("height")).contains(Property.of(40.0, "m"));
    assertThat(created.property("floors").orElseThrow().asLong()).isEqualTo(12);
    assertThat(created.externalRefs().ifcGlobalId()).isEqualTo("2O2Fr$t4X7Zf8NOew3FLOH");
    assertThat(created.geometry()).isInstanceOf(Geometry.Polygon.class);
    assertThat(created.crs()).isEqualTo(Crs.WGS84);

    Entity read = twin.entities().get("t-crud-1");
    assertThat(read).isEqualTo(created);
    assertThat(twin.entities().getIfChanged("t-crud-1", read.etag())).isEmpty();

    Entity replaced = twin.entities().replace(read.toBuilder().property("height", 44.5, "m").removeProperty("use")
        .crs(Crs.CGCS2000).build());
    assertThat(replaced.version()).isEqualTo(2);
    assertThat(replaced.etag()).isNotEqualTo(read.etag());
    assertThat(replaced.number("height")).isEqualTo(44.5);
    assertThat(replaced.property("use")).isEmpty();
    assertThat(replaced.crs()).isEqualTo(Crs.CGCS2000);
    assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
    assertThat(replaced.updatedAt()).isAfter(created.updatedAt());
    assertThat(twin.entities().getIfChanged("t-crud-1", read.etag())).contains(replaced);

    twin.entities().delete("t-crud-1", replaced.etag());
    assertThatThrownBy(() -> twin.entities().get("t-crud-1")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("t-crud-1");
  }

  @Test
  void mergePatchSetsAndRemovesOnlyWhatItNames() {
    Entity e = twin.entities().create(building("t-patch-1", 30));
    Entity patched = twin.entities().update("t-patch-1", EntityPatch.builder()
        .setProperty("height", Property.of(31.5, "m"))
        .setProperty("energyClass", Property.of("A"))
        .removeProperty("use")
        .build(), e.etag());
    assertThat(patched.number("height")).isEqualTo(31.5);
    assertThat(patched.text("energyClass")).isEqualTo("A");
    assertThat(patched.property("use")).isEmpty();
    assertThat(patched.property("floors")).contains(Property.of(12));
    assertThat(patched.geometry()).isEqualTo(e.geometry());
    assertThat(patched.externalRefs()).isEqualTo(e.externalRefs());
    assertThat(patched.version()).isEqualTo(2);

    Entity moved = twin.entities().update("t-patch-1", EntityPatch.builder().geometry(Geometry.point(121.91, 30.92))
        .build(), null);
    assertThat(moved.geometry()).isEqualTo(Geometry.point(121.91, 30.92));
    Entity noGeometry = twin.entities().update("t-patch-1", EntityPatch.builder().removeGeometry().build(), null);
    assertThat(noGeometry.geometry()).isNull();
  }

  @Test
  void twoWritersWithTheSameEtagOneGets412() throws Exception {
    Entity e = twin.entities().create(building("t-race-1", 20));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        double h = 21 + i;
        results.add(pool.submit(() -> {
          go.await();
          try {
            return twin.entities().update("t-race-1", EntityPatch.builder().setProperty("height", Property.of(h, "m"))
                .build(), e.etag());
          } catch (PreconditionFailedException ex) {
            return ex;
          }
        }));
      }
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get());
      }
      assertThat(outcomes).filteredOn(o -> o instanceof Entity).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof PreconditionFailedException).hasSize(1)
          .first().satisfies(o -> assertThat(((PreconditionFailedException) o).status()).isEqualTo(412));
      Entity winner = (Entity) outcomes.stream().filter(o -> o instanceof Entity).findFirst().orElseThrow();
      assertThat(twin.entities().get("t-race-1")).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
    // replace and delete with a stale ETag fail too, and change nothing
    assertThatThrownBy(() -> twin.entities().replace(e)).isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("changed by someone else");
    assertThatThrownBy(() -> twin.entities().delete("t-race-1", e.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(twin.entities().get("t-race-1").version()).isEqualTo(2);
  }

  @Test
  void createIsCreateOnlyAndUpsertIsNot() {
    Entity first = twin.entities().create(building("t-once-1", 10));
    assertThatThrownBy(() -> twin.entities().create(building("t-once-1", 11)))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("already exists");
    assertThat(twin.entities().get("t-once-1")).isEqualTo(first);
    Entity upserted = twin.entities().upsert(building("t-once-1", 12));
    assertThat(upserted.version()).isEqualTo(2);
    assertThat(upserted.number("height")).isEqualTo(12);
  }

  @Test
  void batchIsAllOrNothing() {
    twin.entities().create(building("t-batch-existing", 10));
    List<BatchOperation> ops = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ops.add(BatchOperation.create(building("t-batch-" + i, 10 + i)));
    }
    ops.add(BatchOperation.update("t-batch-0", EntityPatch.builder().setProperty("height", Property.of(99.0, "m"))
        .build(), null));
    ops.add(BatchOperation.delete("t-batch-1", null));
    ops.add(BatchOperation.create(building("t-batch-existing", 1))); // fails: exists
    assertThatThrownBy(() -> twin.entities().batch(ops)).isInstanceOf(ConflictException.class)
        .hasMessageContaining("operations[7]")
        .satisfies(ex -> assertThat(((ServiceException) ex).extensions()).containsEntry("failedIndex", 7));
    for (int i = 0; i < 5; i++) {
      String id = "t-batch-" + i;
      assertThatThrownBy(() -> twin.entities().get(id)).isInstanceOf(NotFoundException.class);
    }
    assertThat(twin.entities().get("t-batch-existing").version()).isEqualTo(1);

    BatchResult ok = twin.entities().batch(ops.subList(0, 7));
    assertThat(ok.results()).extracting(BatchResult.Item::status).containsExactly(201, 201, 201, 201, 201, 200, 204);
    assertThat(twin.entities().get("t-batch-0").number("height")).isEqualTo(99.0);
    assertThatThrownBy(() -> twin.entities().get("t-batch-1")).isInstanceOf(NotFoundException.class);
    assertThat(twin.entities().get("t-batch-4").etag()).isEqualTo(ok.results().get(4).etag());
  }

  @Test
  void batchOfAThousandWorksAndAThousandAndOneIsRejected() {
    List<BatchOperation> ops = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ops.add(BatchOperation.upsert(Entity.builder("t-k-" + i, EntityType.SENSOR).property("n", i).build()));
    }
    assertThat(twin.entities().batch(ops).results()).hasSize(1000);
    List<BatchOperation> tooMany = new ArrayList<>(ops);
    tooMany.add(BatchOperation.delete("t-k-0", null));
    assertThatThrownBy(() -> twin.entities().batch(tooMany)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 1,000 operations");
    // the platform enforces the bound too
    StringBuilder body = new StringBuilder("{\"operations\":[");
    for (int i = 0; i < 1001; i++) {
      body.append(i == 0 ? "" : ",").append("{\"op\":\"delete\",\"id\":\"t-k-").append(i % 1000).append("\"}");
    }
    body.append("]}");
    ApiClient raw = new ApiClient(sandbox.tenant("entities").clientConfig(), "test");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "POST", "/twin/v1/batch")
        .body(body.toString().getBytes(StandardCharsets.UTF_8), "application/json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("at most 1,000");
    assertThat(twin.entities().get("t-k-0").version()).isEqualTo(1);
  }

  @Test
  void badInputGetsClearErrors() {
    ApiClient raw = new ApiClient(sandbox.tenant("entities").clientConfig(), "test");
    // wrong media type for PATCH
    twin.entities().upsert(building("t-bad-1", 10));
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PATCH", "/twin/v1/entities/t-bad-1")
        .json(java.util.Map.of("properties", java.util.Map.of())).build()))
        .isInstanceOf(ServiceException.class).hasMessageContaining("application/merge-patch+json")
        .satisfies(e -> assertThat(((ServiceException) e).status()).isEqualTo(415));
    // unknown type, bad geometry, bad property shape, read-only member in a patch
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PUT", "/twin/v1/entities/x1")
        .body("{\"type\":\"castle\"}".getBytes(StandardCharsets.UTF_8), "application/json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("type must be one of");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PUT", "/twin/v1/entities/x1")
        .body("{\"type\":\"building\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[30.9,121.9]}}"
            .getBytes(StandardCharsets.UTF_8), "application/json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("longitude first");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PUT", "/twin/v1/entities/x1")
        .body("{\"type\":\"building\",\"properties\":{\"height\":45}}".getBytes(StandardCharsets.UTF_8),
            "application/json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("{\"value\"");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PATCH", "/twin/v1/entities/t-bad-1")
        .body("{\"id\":\"other\"}".getBytes(StandardCharsets.UTF_8), "application/merge-patch+json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("cannot be patched");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PUT", "/twin/v1/entities/x2")
        .body("{\"type\":\"pipeSegment\",\"properties\":{\"network\":{\"value\":\"steam\"}}}"
            .getBytes(StandardCharsets.UTF_8), "application/json").build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("network");
    assertThatThrownBy(() -> raw.execute(ApiRequest.builder("raw", "PUT", "/twin/v1/entities/x3")
        .body("{\"type\":\"building\",\"crs\":\"EPSG:3857\"}".getBytes(StandardCharsets.UTF_8), "application/json")
        .build())).isInstanceOf(BadRequestException.class).hasMessageContaining("EPSG:4490");
    // type change is refused
    assertThatThrownBy(() -> twin.entities().upsert(Entity.builder("t-bad-1", EntityType.ROAD).build()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("cannot change");
    // client-side validation names the field
    assertThatThrownBy(() -> Entity.builder("bad id!", EntityType.BUILDING).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id must be");
    assertThatThrownBy(() -> Property.of(Double.NaN, "m")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> new ExternalRefs("not-a-guid", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ifcGlobalId");
    assertThatThrownBy(() -> Position.of(30.9, 181)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lat");
    assertThatThrownBy(() -> twin.entities().replace(building("t-bad-2", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("entity.etag is null");
    assertThatThrownBy(() -> EntityPatch.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("changes nothing");
  }

  @Test
  void asyncVariantsBehaveLikeTheBlockingOnes() {
    Entity e = twin.entities().createAsync(building("t-async-1", 10)).join();
    assertThat(twin.entities().getAsync("t-async-1").join()).isEqualTo(e);
    Entity u = twin.entities().updateAsync("t-async-1", EntityPatch.builder().setProperty("floors",
        Property.of(3)).build(), e.etag()).join();
    assertThat(u.property("floors").orElseThrow().asLong()).isEqualTo(3);
    assertThatThrownBy(() -> twin.entities().updateAsync("t-async-1", EntityPatch.builder().setProperty("floors",
        Property.of(4)).build(), e.etag()).join()).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(PreconditionFailedException.class);
    assertThat(twin.entities().replaceAsync(u.toBuilder().property("floors", 5).build()).join().version())
        .isEqualTo(3);
    assertThat(twin.entities().batchAsync(List.of(BatchOperation.create(building("t-async-2", 1)))).join()
        .results()).hasSize(1);
    twin.entities().deleteAsync("t-async-1", null).join();
    assertThatThrownBy(() -> twin.entities().getAsync("t-async-1").join()).hasCauseInstanceOf(
        NotFoundException.class);
    assertThat(twin.entities().upsertAsync(building("t-async-1", 2)).join().version()).isEqualTo(1);
  }
}
