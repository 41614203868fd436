package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.Page;
import io.shudu.core.geo.Coordinates;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Property filters, every spatial predicate, depth ranges and cursor stability under concurrent writes. */
class TwinQueryTest {
  static Sandbox sandbox;
  static TwinClient twin;

  @BeforeAll
  static void start() {
    // the cursor test loads 100,000 entities beside the seeded datasets: above the default per-tenant cap
    sandbox = Sandbox.builder().limits(SandboxLimits.builder().maxTwinEntitiesPerTenant(200_000).build()).start();
    twin = TwinClient.create(sandbox.tenant("query").clientConfig());
    // a small known layout far from the seeded Lingang data (around 100E 25N)
    twin.entities().batch(List.of(
        BatchOperation.upsert(Entity.builder("q-p1", EntityType.SENSOR).property("kind", "probe")
            .property("height", 10.0, "m").geometry(Geometry.point(100.000, 25.000)).build()),
        BatchOperation.upsert(Entity.builder("q-p2", EntityType.SENSOR).property("kind", "probe")
            .property("height", 30.0, "m").geometry(Geometry.point(100.010, 25.000)).build()),
        BatchOperation.upsert(Entity.builder("q-l1", EntityType.ROAD).property("lanes", 4)
            .geometry(new Geometry.LineString(List.of(Position.of(99.995, 25.005), Position.of(100.005, 25.005))))
            .build()),
        BatchOperation.upsert(Entity.builder("q-a1", EntityType.BUILDING).property("height", 55.0, "m")
            .property("use", "office").geometry(Geometry.box(100.02, 25.02, 100.03, 25.03)).build()),
        BatchOperation.upsert(Entity.builder("q-u1", EntityType.UNDERGROUND_STRUCTURE).property("kind", "garage")
            .property("depthTop", 2.0, "m").property("depthBottom", 5.0, "m")
            .geometry(Geometry.box(100.0008, 25.0008, 100.0012, 25.0012)).build()),
        BatchOperation.upsert(Entity.builder("q-u2", EntityType.UNDERGROUND_STRUCTURE).property("kind", "shelter")
            .property("depthTop", 8.0, "m").property("depthBottom", 12.0, "m")
            .geometry(Geometry.box(100.0018, 25.0018, 100.0022, 25.0022)).build())));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static List<String> ids(TwinQuery q) {
    return twin.entities().query(q).stream().map(Entity::id).filter(id -> id.startsWith("q-")).toList();
  }

  @Test
  void boundingBox() {
    assertThat(ids(TwinQuery.builder().bbox(99.99, 24.99, 100.005, 25.01).build()))
        .containsExactly("q-p1", "q-l1", "q-u1", "q-u2");
    assertThat(ids(TwinQuery.builder().bbox(100.025, 25.025, 100.026, 25.026).build())).containsExactly("q-a1");
    assertThat(ids(TwinQuery.builder().bbox(100.0, 25.004, 100.001, 25.006).build())).containsExactly("q-l1");
  }

  @Test
  void withinPolygonNeedsTheWholeGeometryInside() {
    assertThat(ids(TwinQuery.builder().within(Geometry.box(99.99, 24.99, 100.0065, 25.01)).build()))
        .containsExactly("q-p1", "q-l1", "q-u1", "q-u2");
    // the road pokes out of this one: within excludes it, intersects keeps it
    Geometry.Polygon half = Geometry.box(99.999, 24.99, 100.011, 25.01);
    assertThat(ids(TwinQuery.builder().within(half).build())).containsExactly("q-p1", "q-p2", "q-u1", "q-u2");
    assertThat(ids(TwinQuery.builder().intersects(half).build())).containsExactly("q-p1", "q-p2", "q-l1", "q-u1",
        "q-u2");
    // a triangle (not a box) that holds p2 but not p1
    Geometry.Polygon tri = new Geometry.Polygon(List.of(List.of(Position.of(100.005, 24.99),
        Position.of(100.02, 24.99), Position.of(100.005, 25.01), Position.of(100.005, 24.99))));
    assertThat(ids(TwinQuery.builder().within(tri).build())).containsExactly("q-p2");
  }

  @Test
  void intersectsALine() {
    Geometry.LineString cut = new Geometry.LineString(List.of(Position.of(100.015, 25.025),
        Position.of(100.035, 25.026)));
    assertThat(ids(TwinQuery.builder().intersects(cut).build())).containsExactly("q-a1");
    Geometry.LineString crossRoad = new Geometry.LineString(List.of(Position.of(100.0, 25.0),
        Position.of(100.0, 25.01)));
    assertThat(ids(TwinQuery.builder().intersects(crossRoad).types(EntityType.ROAD).build())).containsExactly("q-l1");
  }

  @Test
  void aGeometryCollectionIsPlacedAndSearchedByItsMembers() {
    // a hydrant (point) and its pump house (square) as one entity, around 101E 26N (away from the other layouts)
    Geometry gc = new Geometry.GeometryCollection(List.of(Geometry.point(101.000, 26.000),
        Geometry.box(101.010, 26.010, 101.012, 26.012)));
    twin.entities().upsert(Entity.builder("gc-1", EntityType.FACILITY).geometry(gc).build());
    assertThat(twin.entities().get("gc-1").geometry()).isEqualTo(gc);
    java.util.function.Function<TwinQuery, List<String>> found = q -> twin.entities().query(q).stream()
        .map(Entity::id).filter(id -> id.startsWith("gc-")).toList();
    assertThat(found.apply(TwinQuery.builder().bbox(101.0105, 26.0105, 101.0106, 26.0106).build()))
        .as("a box inside the square").containsExactly("gc-1");
    assertThat(found.apply(TwinQuery.builder().bbox(100.9999, 25.9999, 101.0001, 26.0001).build()))
        .as("a box around the point").containsExactly("gc-1");
    assertThat(found.apply(TwinQuery.builder().bbox(101.004, 26.004, 101.006, 26.006).build()))
        .as("a box between the members, inside their bounding box").isEmpty();
    assertThat(found.apply(TwinQuery.builder().intersects(new Geometry.LineString(List.of(Position.of(101.011, 26.0),
        Position.of(101.011, 26.02)))).build())).as("a line across the square").containsExactly("gc-1");
    assertThat(found.apply(TwinQuery.builder().intersects(new Geometry.LineString(List.of(Position.of(101.005, 26.0),
        Position.of(101.005, 26.02)))).build())).as("a line through the gap").isEmpty();
    assertThat(found.apply(TwinQuery.builder().within(Geometry.box(100.99, 25.99, 101.02, 26.02)).build()))
        .containsExactly("gc-1");
    assertThat(found.apply(TwinQuery.builder().within(Geometry.box(101.009, 26.009, 101.02, 26.02)).build()))
        .as("the point is outside").isEmpty();
    assertThat(found.apply(TwinQuery.builder().near(Position.of(101.005, 26.005), 300).build()))
        .as("the gap is far from both members").isEmpty();
    assertThat(found.apply(TwinQuery.builder().near(Position.of(101.011, 26.011), 0).build()))
        .as("inside the square").containsExactly("gc-1");
  }

  @Test
  void nearUsesGeodesicDistance() {
    Position p1 = Position.of(100.000, 25.000);
    double toP2 = Coordinates.distanceMeters(p1, Position.of(100.010, 25.000));
    assertThat(toP2).isBetween(1000.0, 1015.0);
    assertThat(ids(TwinQuery.builder().near(p1, toP2 - 1).types(EntityType.SENSOR).build())).containsExactly("q-p1");
    assertThat(ids(TwinQuery.builder().near(p1, toP2 + 1).types(EntityType.SENSOR).build()))
        .containsExactly("q-p1", "q-p2");
    // the road runs 553 m north of p1
    double toRoad = Coordinates.distanceMeters(p1, Position.of(100.000, 25.005));
    assertThat(ids(TwinQuery.builder().near(p1, toRoad - 2).types(EntityType.ROAD).build())).isEmpty();
    assertThat(ids(TwinQuery.builder().near(p1, toRoad + 2).types(EntityType.ROAD).build())).containsExactly("q-l1");
  }

  @Test
  void depthRangeForUndergroundAssets() {
    TwinQuery.Builder base = TwinQuery.builder().bbox(99.99, 24.99, 100.01, 25.01);
    assertThat(ids(TwinQuery.builder().bbox(99.99, 24.99, 100.01, 25.01).depthBetween(0, 6).build()))
        .containsExactly("q-u1");
    assertThat(ids(TwinQuery.builder().bbox(99.99, 24.99, 100.01, 25.01).depthBetween(6, 20).build()))
        .containsExactly("q-u2");
    assertThat(ids(base.depthBetween(4.5, 9).build())).containsExactly("q-u1", "q-u2");
    // on the seeded dataset: every match really overlaps the range
    List<Entity> deep = twin.entities().query(TwinQuery.builder().types(EntityType.UNDERGROUND_STRUCTURE)
        .depthBetween(10, 40).build()).stream().toList();
    assertThat(deep).isNotEmpty().allSatisfy(e -> assertThat(e.number("depthBottom")).isGreaterThanOrEqualTo(10));
    assertThat(deep).allSatisfy(e -> assertThat(e.number("depthTop")).isLessThanOrEqualTo(40));
  }

  @Test
  void propertyFiltersCombineWithTypesAndSpace() {
    assertThat(ids(TwinQuery.builder().where("height", TwinQuery.Op.GE, 30).bbox(99.9, 24.9, 100.1, 25.1).build()))
        .containsExactly("q-p2", "q-a1");
    assertThat(ids(TwinQuery.builder().types(EntityType.SENSOR).where("kind", TwinQuery.Op.EQ, "probe")
        .where("height", TwinQuery.Op.LT, 20).build())).containsExactly("q-p1");
    assertThat(ids(TwinQuery.builder().types(EntityType.UNDERGROUND_STRUCTURE).where("kind", TwinQuery.Op.NE,
        "garage").bbox(99.9, 24.9, 100.1, 25.1).build())).containsExactly("q-u2");
    // seeded: tall offices in Lingang
    List<Entity> tall = twin.entities().query(TwinQuery.builder().types(EntityType.BUILDING)
        .where("use", TwinQuery.Op.EQ, "office").where("floors", TwinQuery.Op.GE, 20).build()).stream().toList();
    assertThat(tall).isNotEmpty().allSatisfy(e -> {
      assertThat(e.text("use")).isEqualTo("office");
      assertThat(e.number("floors")).isGreaterThanOrEqualTo(20);
    });
  }

  @Test
  void badQueriesAreRejectedClearly() {
    ApiClient raw = new ApiClient(sandbox.tenant("query").clientConfig(), "test");
    Map<String, String> cases = new HashMap<>();
    cases.put("bbox=100,25,99,24", "min <= max");
    cases.put("bbox=1,2,3", "4 comma-separated numbers");
    cases.put("filter=height%3D%3D", "must look like");
    cases.put("near=100,25", "needs distance");
    cases.put("near=100,25&distance=60000", "between 0 and 50000");
    cases.put("within=%7B%22type%22:%22Point%22,%22coordinates%22:[100,25]%7D", "Polygon or MultiPolygon");
    cases.put("within=nonsense", "GeoJSON geometry");
    cases.put("type=castle", "unknown");
    cases.put("minDepth=5&maxDepth=1", "must not exceed");
    cases.put("colour=red", "Unknown query parameter");
    cases.put("limit=5000", "between 1 and 1000");
    cases.put("cursor=bm9wZQ", "continuation token");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      ApiRequest.Builder b = ApiRequest.builder("raw", "GET", "/twin/v1/entities");
      for (String kv : c.getKey().split("&")) {
        String[] p = kv.split("=", 2);
        b.query(p[0], java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThatThrownBy(() -> raw.execute(b.build())).as(c.getKey()).isInstanceOf(BadRequestException.class)
          .hasMessageContaining(c.getValue());
    }
    // a cursor of one query cannot resume another
    Page<Entity> first = twin.entities().query(TwinQuery.builder().types(EntityType.BUILDING).pageSize(5).build())
        .firstPage();
    assertThatThrownBy(() -> twin.entities().query(TwinQuery.builder().types(EntityType.ROAD).pageSize(5).build())
        .resumeFrom(first.continuationToken()).firstPage()).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("different query");
    // client-side validation
    assertThatThrownBy(() -> TwinQuery.builder().pageSize(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageSize");
    assertThatThrownBy(() -> TwinQuery.builder().within(Geometry.point(1, 2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("within");
    assertThatThrownBy(() -> TwinQuery.builder().depthBetween(5, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("depthBetween");
    assertThatThrownBy(() -> TwinQuery.builder().bbox(10, 10, 5, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bbox");
    assertThatThrownBy(() -> TwinQuery.builder().near(Position.of(1, 1), -3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distance");
    assertThatThrownBy(() -> TwinQuery.builder().where("a b", TwinQuery.Op.EQ, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("property name");
    assertThatThrownBy(() -> TwinQuery.builder().where("ok", TwinQuery.Op.GT, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("booleans");
  }

  @Test
  void cursorsNeitherRepeatNorSkipUnderConcurrentWritesAt100kEntities() throws Exception {
    TwinClient c = TwinClient.create(sandbox.tenant("cursor").clientConfig());
    int total = 100_000;
    for (int b = 0; b < total / 1000; b++) {
      List<BatchOperation> ops = new ArrayList<>(1000);
      for (int i = b * 1000; i < (b + 1) * 1000; i++) {
        ops.add(BatchOperation.create(Entity.builder("load-" + i, EntityType.SENSOR).property("group", "load")
            .property("n", i).geometry(Geometry.point(120.0 + (i % 1000) * 1e-4, 30.0 + (i / 1000) * 1e-4)).build()));
      }
      c.entities().batch(ops);
    }
    // entities n % 10 == 3 may be deleted while we page; every other one exists throughout and must appear once
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < total; i++) {
      if (i % 10 != 3) {
        stable.add("load-" + i);
      }
    }
    AtomicBoolean paging = new AtomicBoolean(true);
    AtomicInteger background = new AtomicInteger();
    Thread writer = new Thread(() -> {
      int k = 0;
      while (paging.get()) {
        int victim = ((k * 7919) % (total / 10)) * 10 + 3;
        try {
          c.entities().delete("load-" + victim, null);
        } catch (io.shudu.core.NotFoundException alreadyGone) {
          // deleted by the pager's own writes
        }
        c.entities().create(Entity.builder("new-" + k, EntityType.SENSOR).property("group", "load")
            .geometry(Geometry.point(120.05, 30.005)).build());
        c.entities().update("load-" + (k * 31 % total / 10 * 10), EntityPatch.builder()
            .setProperty("touched", Property.of(k)).build(), null);
        background.incrementAndGet();
        k++;
      }
    }, "twin-concurrent-writer");
    writer.start();
    Map<String, Integer> seen = new HashMap<>();
    int pages = 0;
    TwinQuery q = TwinQuery.builder().types(EntityType.SENSOR).where("group", TwinQuery.Op.EQ, "load")
        .pageSize(1000).build();
    try {
      for (Page<Entity> page : c.entities().query(q).pages()) {
        pages++;
        for (Entity e : page.items()) {
          seen.merge(e.id(), 1, Integer::sum);
        }
        // between pages, also delete ahead of and behind the cursor, and insert
        for (int j = 0; j < 5; j++) {
          int victim = ((pages * 5 + j) * 104729 % (total / 10)) * 10 + 3;
          c.entities().batch(List.of(BatchOperation.upsert(Entity.builder("between-" + pages + "-" + j,
              EntityType.SENSOR).property("group", "load").build())));
          try {
            c.entities().delete("load-" + victim, null);
          } catch (io.shudu.core.NotFoundException alreadyGone) {
            // deleted by the background writer
          }
        }
      }
    } finally {
      paging.set(false);
      writer.join();
    }
    assertThat(background.get()).as("concurrent writes happened while paging").isPositive();
    assertThat(pages).isGreaterThanOrEqualTo(90);
    assertThat(seen.entrySet()).filteredOn(e -> e.getValue() > 1).as("duplicates").isEmpty();
    Set<String> missing = new HashSet<>(stable);
    missing.removeAll(seen.keySet());
    assertThat(missing).as("stable entities dropped").isEmpty();
  }
}
