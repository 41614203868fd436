package io.shudu.examples.twin;

import io.shudu.core.ClientConfig;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.twin.BatchOperation;
import io.shudu.twin.BatchResult;
import io.shudu.core.geo.Coordinates;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityPatch;
import io.shudu.twin.EntitySnapshot;
import io.shudu.twin.EntityType;
import io.shudu.twin.ExternalRefs;
import io.shudu.core.geo.Geometry;
import io.shudu.twin.IsolationResult;
import io.shudu.twin.NetworkPath;
import io.shudu.twin.NetworkTrace;
import io.shudu.core.geo.Position;
import io.shudu.twin.Property;
import io.shudu.twin.PropertyHistory;
import io.shudu.twin.Relationship;
import io.shudu.twin.Traversal;
import io.shudu.twin.TraversalResult;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinEntities;
import io.shudu.twin.TwinQuery;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The code of docs/guide-twin.md, compiled and run by a test so that the guide cannot rot. Each region between
 * {@code snippet:start} and {@code snippet:end} appears verbatim in the guide.
 */
public final class TwinGuideSnippets {
  private TwinGuideSnippets() {}

  /**
   * Runs every snippet against a platform (or sandbox).
   *
   * @param config client configuration
   * @param out report
   * @throws Exception if a snippet fails
   */
  public static void run(ClientConfig config, PrintStream out) throws Exception {
    // snippet:start client
    TwinClient twin = TwinClient.create(config);   // thread-safe: one per application, close() at shutdown
    Entity b = twin.entities().get("lg-bldg-0001");
    out.println(b.text("name") + " " + b.number("height") + " m, IFC " + b.externalRefs().ifcGlobalId());
    // snippet:end client
    try {
      crud(twin, out);
      queries(twin, out);
      batch(twin, out);
      graph(twin, out);
      networks(twin, out);
      changes(twin, out);
      coordinates(out);
      contract(twin, out);
    } finally {
      twin.close();
    }
  }

  static void crud(TwinClient twin, PrintStream out) {
    // snippet:start crud
    Entity sensor = Entity.builder("my-pressure-1", EntityType.SENSOR)
        .property("phenomenon", "pressure")
        .property("datastreamIds", List.of("ds-my-pressure-1"))
        .geometry(Geometry.point(121.8977, 30.9195))
        .build();
    Entity stored = twin.entities().create(sensor);          // If-None-Match: * (create only)

    Entity building = twin.entities().get("lg-bldg-0002");
    Entity changed = twin.entities().update(building.id(),   // JSON Merge Patch with If-Match
        EntityPatch.builder()
            .setProperty("height", Property.of(building.number("height") + 3.5, "m"))
            .setProperty("energyClass", Property.of("A"))
            .build(),
        building.etag());
    try {
      twin.entities().update(building.id(), EntityPatch.builder()
          .setProperty("floors", Property.of(99)).build(), building.etag());   // stale ETag
    } catch (PreconditionFailedException e) {
      Entity fresh = twin.entities().get(building.id());     // read again, re-apply, retry
      twin.entities().replace(fresh.toBuilder().property("floors", 40)
          .externalRefs(new ExternalRefs(fresh.externalRefs().ifcGlobalId(), "lingang-b-2-v2")).build());
    }
    twin.entities().delete(stored.id(), null);
    // snippet:end crud
    out.println("crud: " + changed.id() + " is now version " + twin.entities().get(changed.id()).version());
  }

  static void contract(TwinClient twin, PrintStream out) {
    // snippet:start contract
    TwinEntities entities = twin.entities()
        .withOptions(RequestOptions.builder().timeout(Duration.ofSeconds(10)).build());   // per-call options: a view

    Versioned<Entity> v = entities.getVersioned("lg-bldg-0003");       // the value and its ETag
    entities.update("lg-bldg-0003", EntityPatch.builder()
        .setProperty("energyClass", Property.of("B")).build(), v.etag());   // If-Match: 412 if it changed

    entities.getVersionedAsync(" ")                                     // never throws: the bad id ...
        .thenAccept(found -> out.println("unexpected"))
        .exceptionally(e -> {                                           // ... arrives through the future
          out.println("contract: async failed with " + e.getCause().getClass().getSimpleName());
          return null;
        })
        .join();

    PagedIterable<Entity> buildings = entities.query(TwinQuery.builder()
        .types(EntityType.BUILDING).pageSize(50).build())              // page size
        .withMaxItems(120);                                             // a cap on the total
    String token = null;
    int pages = 0;
    for (Page<Entity> page : buildings.pages()) {
      pages++;
      token = page.continuationToken();                                 // opaque; null after the last page
    }
    // later, even in another process: buildings.resumeFrom(token) continues with item 121
    // snippet:end contract
    out.println("contract: " + pages + " pages, resumable " + (token != null));
  }

  static void queries(TwinClient twin, PrintStream out) {
    // snippet:start query
    TwinQuery q = TwinQuery.builder()
        .types(EntityType.UNDERGROUND_STRUCTURE)
        .where("kind", TwinQuery.Op.EQ, "substation")
        .near(Position.of(121.9040, 30.9230), 600)    // metres, geodesic
        .depthBetween(0, 8)                           // overlaps 0-8 m below ground
        .pageSize(200)
        .build();
    for (Entity s : twin.entities().query(q)) {       // pages load lazily, keyset cursors
      out.println(s.id() + " " + s.number("depthTop") + "-" + s.number("depthBottom") + " m");
    }
    long offices = twin.entities().query(TwinQuery.builder()
        .types(EntityType.BUILDING)
        .where("use", TwinQuery.Op.EQ, "office")
        .where("height", TwinQuery.Op.GE, 60)
        .within(Geometry.box(121.895, 30.915, 121.905, 30.925))
        .build()).stream().count();
    // snippet:end query
    out.println("query: " + offices + " tall offices in the west of the zone");
  }

  static void batch(TwinClient twin, PrintStream out) {
    // snippet:start batch
    List<BatchOperation> ops = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      ops.add(BatchOperation.upsert(Entity.builder("survey-point-" + i, EntityType.SENSOR)
          .property("surveyed", true)
          .geometry(Geometry.point(121.896 + i * 1e-4, 30.916))
          .build()));
    }
    ops.add(BatchOperation.update("lg-bldg-0003", EntityPatch.builder()
        .setProperty("surveyed", Property.of(true)).build(), null));
    BatchResult result = twin.entities().batch(ops);  // up to 1,000, all or nothing
    // snippet:end batch
    out.println("batch: " + result.results().size() + " operations applied");
  }

  static void graph(TwinClient twin, PrintStream out) {
    // snippet:start graph
    twin.relationships().create(Relationship.of("observes", "survey-point-1", "lg-bldg-0003"));
    TraversalResult zoneBuildings = twin.relationships().traverse("newtown-nanhui",
        new Traversal(3, Traversal.Direction.OUTGOING, Set.of("contains"), Set.of(EntityType.BUILDING), 5000));
    Instant launch = Instant.parse("2022-08-24T02:00:00Z");
    PropertyHistory heights = twin.history().property("lg-bldg-0002", "height", launch, Instant.now());
    EntitySnapshot atLaunch = twin.history().asOf("lg-bldg-0002", launch);
    // snippet:end graph
    out.println("graph: " + zoneBuildings.nodes().size() + " buildings in Nanhui; lg-bldg-0002 height had "
        + heights.values().size() + " values, " + atLaunch.entity().number("height") + " m at launch");
  }

  static void networks(TwinClient twin, PrintStream out) throws Exception {
    // snippet:start networks
    IsolationResult burst = twin.networks().isolate("w-seg-00036");
    burst.valvesToClose().forEach(v -> out.println("close " + v.id() + " at " + v.coordinates()));
    out.println(burst.affectedBuildings().size() + " buildings and " + burst.affectedStructures().size()
        + " structures lose water; " + burst.isolatedLengthMeters() + " m to drain");

    NetworkTrace fed = twin.networks().downstream("w-node-00034");
    NetworkPath path = twin.networks().shortestPath("w-node-00001", "w-node-00034");
    CompletableFuture<NetworkTrace> upstream = twin.networks().upstreamAsync("w-seg-00036");
    // snippet:end networks
    out.println("networks: downstream feeds " + fed.consumers().size() + ", path " + path.lengthMeters()
        + " m, upstream " + upstream.get().segments().size() + " segments");
  }

  static void changes(TwinClient twin, PrintStream out) throws Exception {
    // snippet:start changes
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FeedSubscription sub = twin.changes().subscribe(List.of("lg-bldg-0004"), FeedOptions.defaults(),
        event -> seen.add(event.payload().kind() + " v" + event.payload().version()))) {
      if (!sub.awaitConnected(Duration.ofSeconds(10))) {     // throws instead if the subscription has ended
        throw new IllegalStateException("the change feed did not connect within 10 s: " + sub);
      }
      twin.entities().update("lg-bldg-0004", EntityPatch.builder()
          .setProperty("occupancy", Property.of(0.82)).build(), null);
      // ... the handler runs on the subscription's thread; resume later with FeedOptions.StartPosition.after(id)
      // snippet:end changes
      for (int i = 0; i < 200 && seen.isEmpty(); i++) {
        Thread.sleep(50);
      }
    }
    out.println("changes: " + seen);
  }

  static void coordinates(PrintStream out) {
    // snippet:start coordinates
    Position gps = Position.of(121.8977, 30.9195);
    Position amap = Coordinates.wgs84ToGcj02(gps);     // for AMap / Tencent maps
    Position baidu = Coordinates.wgs84ToBd09(gps);     // for Baidu maps
    Position back = Coordinates.gcj02ToWgs84(amap);    // iterative inverse, < 1 mm round trip
    double offset = Coordinates.distanceMeters(gps, amap);
    // snippet:end coordinates
    out.printf("coordinates: GCJ-02 offset %.0f m, BD-09 %s, round trip %.1e m%n", offset, baidu,
        Coordinates.distanceMeters(gps, back));
  }
}
