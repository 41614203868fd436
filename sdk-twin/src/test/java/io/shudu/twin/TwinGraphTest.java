package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.NotFoundException;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Sandbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Relationships, traversal and history, against the sandbox over loopback. */
class TwinGraphTest {
  /** The sandbox's clock: real time plus an offset the test moves forward, so that writes get distinct times. */
  static final class SteppedClock extends java.time.Clock {
    private volatile java.time.Duration offset = java.time.Duration.ZERO;

    synchronized void advance(java.time.Duration d) {
      offset = offset.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  static final SteppedClock clock = new SteppedClock();
  static Sandbox sandbox;
  static TwinClient twin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().clock(clock).start();
    twin = TwinClient.create(sandbox.tenant("graph").clientConfig());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void relationshipsCanBeCreatedListedAndDeleted() {
    twin.entities().upsert(Entity.builder("g-sensor-1", EntityType.SENSOR)
        .property("datastreamIds", List.of("ds-g-1")).geometry(Geometry.point(121.9, 30.92)).build());
    Relationship r = twin.relationships().create(new Relationship(null, "observes", "g-sensor-1", "lg-bldg-0001",
        Map.of("since", Property.of("2026-01")), null));
    assertThat(r.id()).isNotBlank();
    assertThat(r.createdAt()).isNotNull();
    assertThat(twin.relationships().get(r.id())).isEqualTo(r);
    assertThat(twin.relationships().outgoing("g-sensor-1").stream().toList()).containsExactly(r);
    assertThat(twin.relationships().incoming("lg-bldg-0001", "observes").stream().toList()).contains(r);
    assertThat(twin.relationships().incoming("lg-bldg-0001", "contains").stream().map(Relationship::source))
        .containsExactly("lingang-synergy-zone");
    twin.relationships().delete(r.id(), null);
    assertThat(twin.relationships().outgoing("g-sensor-1").stream().toList()).isEmpty();
    assertThatThrownBy(() -> twin.relationships().get(r.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> twin.relationships().create(Relationship.of("observes", "g-sensor-1", "nope")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("target 'nope'");
    assertThatThrownBy(() -> Relationship.of("Not-Camel", "a", "b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lowerCamelCase");
    // deleting an entity removes its relationships
    Relationship again = twin.relationships().create(Relationship.of("observes", "g-sensor-1", "lg-bldg-0002"));
    twin.entities().delete("g-sensor-1", null);
    assertThatThrownBy(() -> twin.relationships().get(again.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void listingsPageThroughManyRelationships() {
    List<Relationship> contains = twin.relationships().outgoing("lingang-synergy-zone", "contains").stream().toList();
    long buildings = contains.stream().filter(c -> c.target().startsWith("lg-bldg-")).count();
    long structures = contains.stream().filter(c -> c.target().startsWith("lg-ug-")).count();
    assertThat(structures).isEqualTo(881);
    assertThat(buildings).isEqualTo(twin.networks().stats().byType().get("building"));
    assertThat(contains).extracting(Relationship::id).doesNotHaveDuplicates();
  }

  @Test
  void traversalFollowsTypesDirectionAndHops() {
    // Nanhui new town contains the Lingang digital-twin city demo zone, which contains the synergy zone, which
    // contains the buildings
    TraversalResult r = twin.relationships().traverse("newtown-nanhui", new Traversal(3, Traversal.Direction.OUTGOING,
        Set.of("contains"), Set.of(EntityType.BUILDING), 10_000));
    assertThat(r.nodes()).isNotEmpty().allSatisfy(n -> {
      assertThat(n.entity().type()).isEqualTo(EntityType.BUILDING);
      assertThat(n.depth()).isEqualTo(3);
    });
    assertThat(r.nodes()).hasSize(twin.networks().stats().byType().get("building").intValue());
    TraversalResult two = twin.relationships().traverse("newtown-nanhui", new Traversal(2,
        Traversal.Direction.OUTGOING, Set.of("contains"), Set.of(EntityType.BUILDING), 10_000));
    assertThat(two.nodes()).isEmpty();
    // incoming: from a building up to its zones
    TraversalResult up = twin.relationships().traverse("lg-bldg-0001", new Traversal(3, Traversal.Direction.INCOMING,
        Set.of("contains"), Set.of(), 100));
    assertThat(up.nodes()).extracting(n -> n.entity().id()).containsExactly("lingang-synergy-zone",
        "demo-lingang-digital-twin-city", "newtown-nanhui");
    // along the water network's connectsTo relationships, two hops from a segment reach the next segment
    TraversalResult flow = twin.relationships().traverse("w-seg-00100", new Traversal(2,
        Traversal.Direction.OUTGOING, Set.of("connectsTo"), Set.of(EntityType.PIPE_SEGMENT), 100));
    assertThat(flow.nodes()).isNotEmpty().allSatisfy(n -> assertThat(n.entity().text("fromNode"))
        .isEqualTo(twin.entities().get("w-seg-00100").text("toNode")));
    assertThat(twin.relationships().traverseAsync("lg-bldg-0001", Traversal.outgoing(1)).join().start())
        .isEqualTo("lg-bldg-0001");
    assertThatThrownBy(() -> new Traversal(11, null, null, null, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hops");
  }

  @Test
  void propertyHistoryAndSnapshotsAsOfAPastTime() throws Exception {
    Entity v1 = twin.entities().create(Entity.builder("g-hist-1", EntityType.BUILDING).property("height", 10.0, "m")
        .property("use", "office").build());
    clock.advance(java.time.Duration.ofSeconds(1)); // instead of waiting: the next times are strictly later
    Instant afterV1 = clock.instant();
    clock.advance(java.time.Duration.ofSeconds(1));
    twin.entities().update("g-hist-1", EntityPatch.builder().setProperty("height", Property.of(20.0, "m")).build(),
        null);
    twin.entities().update("g-hist-1", EntityPatch.builder().setProperty("use", Property.of("lab")).build(), null);
    Relationship rel = twin.relationships().create(Relationship.of("locatedIn", "g-hist-1", "lingang-synergy-zone"));
    clock.advance(java.time.Duration.ofSeconds(1));
    Instant afterV3 = clock.instant();
    clock.advance(java.time.Duration.ofSeconds(1));
    twin.entities().update("g-hist-1", EntityPatch.builder().setProperty("height", Property.of(30.0, "m")).build(),
        null);
    twin.relationships().delete(rel.id(), null);

    PropertyHistory h = twin.history().property("g-hist-1", "height", v1.createdAt().minusSeconds(1),
        clock.instant().plusSeconds(1));
    assertThat(h.values()).extracting(PropertyHistory.Value::value).containsExactly(10.0, 20.0, 30.0);
    assertThat(h.values()).extracting(PropertyHistory.Value::unit).containsOnly("m");
    assertThat(h.values().get(0).validTo()).isEqualTo(h.values().get(1).validFrom());
    assertThat(h.values().get(1).version()).isEqualTo(2);
    assertThat(h.values().get(2).validTo()).isNull();
    // a range inside the second value's interval returns just that value
    PropertyHistory mid = twin.history().property("g-hist-1", "height", afterV3, afterV3);
    assertThat(mid.values()).extracting(PropertyHistory.Value::value).containsExactly(20.0);

    EntitySnapshot then = twin.history().asOf("g-hist-1", afterV1);
    assertThat(then.entity().number("height")).isEqualTo(10.0);
    assertThat(then.entity().text("use")).isEqualTo("office");
    assertThat(then.outgoing()).isEmpty();
    EntitySnapshot later = twin.history().asOfAsync("g-hist-1", afterV3).join();
    assertThat(later.entity().number("height")).isEqualTo(20.0);
    assertThat(later.entity().text("use")).isEqualTo("lab");
    assertThat(later.outgoing()).extracting(Relationship::id).containsExactly(rel.id());
    assertThat(twin.history().asOf("g-hist-1", clock.instant()).outgoing()).isEmpty();

    twin.entities().delete("g-hist-1", null);
    assertThat(twin.history().asOf("g-hist-1", afterV3).entity().number("height")).isEqualTo(20.0);
    assertThatThrownBy(() -> twin.history().asOf("g-hist-1", clock.instant())).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("did not exist");
    assertThatThrownBy(() -> twin.history().asOf("g-hist-1", v1.createdAt().minusSeconds(60)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> twin.history().property("g-hist-1", "height", clock.instant(), afterV1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be after");
    // seeded entities have history from the programme's launch
    assertThat(twin.history().property("lg-bldg-0001", "height", Instant.parse("2022-01-01T00:00:00Z"),
        clock.instant()).values().get(0).validFrom()).isEqualTo(Instant.parse("2022-08-24T02:00:00Z"));
  }
}
