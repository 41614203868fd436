package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.shudu.core.BadRequestException;
import io.shudu.core.geo.Coordinates;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Sandbox;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeded Lingang dataset (counts, lengths; determinism is tested in the sandbox module's TwinSandboxTest) and
 * every network analysis, with invariants checked against a graph the test builds itself from the entities.
 */
class TwinNetworksTest {
  static Sandbox sandbox;
  static TwinClient twin;
  static Map<String, Entity> segments = new HashMap<>();
  static Map<String, Entity> nodes = new HashMap<>();
  static Map<String, List<String>> adjacency = new HashMap<>();

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start();
    twin = TwinClient.create(sandbox.tenant("networks").clientConfig());
    twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_SEGMENT).pageSize(1000).build())
        .forEach(e -> segments.put(e.id(), e));
    twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_NODE).pageSize(1000).build())
        .forEach(e -> nodes.put(e.id(), e));
    for (Entity s : segments.values()) {
      adjacency.computeIfAbsent(s.text("fromNode"), k -> new ArrayList<>()).add(s.id());
      adjacency.computeIfAbsent(s.text("toNode"), k -> new ArrayList<>()).add(s.id());
    }
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void datasetHasTheAnnouncedShape() {
    TwinStats stats = twin.networks().stats();
    assertThat(stats.byType()).containsEntry("undergroundStructure", 881L).containsEntry("scene", 24L)
        .containsEntry("newTown", 5L).containsEntry("demonstrationZone", 8L).containsEntry("transitLine", 1L)
        .containsEntry("transitStation", 8L).containsEntry("facility", 5L);
    assertThat(stats.byType().get("building")).isBetween(150L, 400L);
    assertThat(stats.undergroundStructuresByKind().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(881);
    assertThat(stats.networks().networks()).extracting(TwinStats.NetworkSummary::network)
        .containsExactlyInAnyOrder(Network.values());
    assertThat(stats.networks().networks()).allSatisfy(n -> {
      assertThat(n.valves()).isPositive();
      assertThat(n.sources()).isPositive();
      assertThat(n.consumers()).isPositive();
    });
    // 225 km within 1%, summed independently from the entities; lengths agree with the geometry
    double total = 0;
    for (Entity s : segments.values()) {
      double len = s.number("length");
      total += len;
      assertThat(Coordinates.lengthMeters((Geometry.LineString) s.geometry())).isCloseTo(len, within(0.02));
    }
    assertThat(total / 1000).isCloseTo(225.0, within(2.25));
    assertThat(stats.networks().totalLengthMeters()).isCloseTo(total, within(1.0));
    // the synergy zone is about 3.2 km2 and holds every building and structure
    Entity zone = twin.entities().get("lingang-synergy-zone");
    assertThat(zone.number("area")).isCloseTo(3.2, within(0.1));
    List<Entity> inZone = twin.entities().query(TwinQuery.builder().types(EntityType.BUILDING)
        .within(zone.geometry()).pageSize(1000).build()).stream().toList();
    assertThat((long) inZone.size()).isEqualTo(stats.byType().get("building"));
    // scenes of the five new towns, with the names the announcement gives
    List<Entity> scenes = twin.entities().query(TwinQuery.ofType(EntityType.SCENE)).stream().toList();
    assertThat(scenes).extracting(s -> s.text("name")).contains("数字孪生中运量T1示范线", "数字孪生天文馆",
        "数字孪生昌强工厂", "智慧交通综合管理平台", "松江新城5G智慧急救平台");
    // Jiading new town contains its 7 scenes and the 16 road segments of its smart-traffic area
    assertThat(twin.relationships().outgoing("newtown-jiading", "contains").stream().count()).isEqualTo(23);
    assertThat(twin.entities().get("facility-planetarium").text("kind")).isEqualTo("planetarium");
    assertThat(twin.entities().query(TwinQuery.ofType(EntityType.SENSOR)).stream())
        .allSatisfy(s -> assertThat(s.property("datastreamIds").orElseThrow().asStringList()).isNotEmpty());
    // buildings carry IFC and 3D Tiles references
    assertThat(twin.entities().get("lg-bldg-0001").externalRefs().ifcGlobalId()).hasSize(22);
  }

  /** Nodes supplied from the network's open sources: closed valves pass nothing on, isolated pipes carry nothing. */
  static Set<String> supplied(Network net, Set<String> closed, Set<String> shut, Set<String> isolated) {
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> q = new ArrayDeque<>();
    for (Entity n : nodes.values()) {
      if (n.text("network").equals(net.wireName()) && "source".equals(n.text("kind")) && !shut.contains(n.id())) {
        seen.add(n.id());
        q.add(n.id());
      }
    }
    while (!q.isEmpty()) {
      String n = q.poll();
      if (closed.contains(n)) {
        continue;
      }
      for (String s : adjacency.getOrDefault(n, List.of())) {
        if (isolated.contains(s)) {
          continue;
        }
        Entity seg = segments.get(s);
        String o = seg.text("fromNode").equals(n) ? seg.text("toNode") : seg.text("fromNode");
        if (seen.add(o)) {
          q.add(o);
        }
      }
    }
    return seen;
  }

  @Test
  void isolationClosesEveryPathFromTheSourcesToTheBurst() {
    for (String burst : List.of("w-seg-00100", "w-seg-00350", "g-seg-00200", "h-seg-00040", "p-seg-00500",
        "d-seg-00300", "t-seg-00120")) {
      IsolationResult r = twin.networks().isolate(burst);
      Entity seg = segments.get(burst);
      assertThat(r.network().wireName()).isEqualTo(seg.text("network"));
      assertThat(r.isolatedSegments()).contains(burst);
      assertThat(r.valvesToClose()).as(burst).isNotEmpty();
      Set<String> closed = new HashSet<>();
      r.valvesToClose().forEach(v -> {
        closed.add(v.id());
        assertThat(nodes.get(v.id()).text("kind")).isEqualTo("valve");
        assertThat(v.coordinates()).isNotNull();
        // every closed valve touches the isolated part
        assertThat(adjacency.get(v.id())).anyMatch(r.isolatedSegments()::contains);
      });
      Set<String> supplied = supplied(r.network(), closed, Set.copyOf(r.sourcesToShut()),
          Set.copyOf(r.isolatedSegments()));
      for (String end : List.of(seg.text("fromNode"), seg.text("toNode"))) {
        if (!closed.contains(end)) {
          assertThat(supplied).as("no path from a source reaches %s of burst %s without a closed valve", end, burst)
              .doesNotContain(end);
        }
      }
      // isolated segments hold no open valve inside; cut-off segments are really cut off
      for (String s : r.cutOffSegments()) {
        Entity cs = segments.get(s);
        assertThat(supplied.contains(cs.text("fromNode")) && supplied.contains(cs.text("toNode"))).isFalse();
      }
      // who loses supply: every affected building's feeding nodes in this network are unsupplied
      for (String b : r.affectedBuildings()) {
        List<String> feeders = feeders(b, r.network());
        assertThat(feeders).as(b).isNotEmpty().allSatisfy(f -> assertThat(supplied).doesNotContain(f));
      }
      for (String st : r.affectedStructures()) {
        assertThat(feeders(st, r.network())).as(st).isNotEmpty()
            .allSatisfy(f -> assertThat(supplied).doesNotContain(f));
      }
    }
  }

  private static List<String> feeders(String consumer, Network net) {
    return twin.relationships().incoming(consumer).stream()
        .filter(r -> r.type().equals("feeds") || r.type().equals("drains"))
        .map(Relationship::source).filter(n -> nodes.containsKey(n) && nodes.get(n).text("network")
            .equals(net.wireName())).toList();
  }

  @Test
  void burstOnTheSingleGasFeederCutsOffTheWholeGasNetwork() {
    // g-seg-00001.. are mains; the feeder is emitted after them: pick a feeder segment next to the source
    Entity source = nodes.values().stream().filter(n -> "gas".equals(n.text("network"))
        && "source".equals(n.text("kind"))).findFirst().orElseThrow();
    String feederSeg = adjacency.get(source.id()).get(0);
    Entity valveNode = nodes.get(segments.get(feederSeg).text("toNode"));
    assertThat(valveNode.text("kind")).isEqualTo("valve");
    String next = adjacency.get(valveNode.id()).stream().filter(s -> !s.equals(feederSeg)).findFirst().orElseThrow();
    IsolationResult r = twin.networks().isolate(next);
    long gasConsumers = twin.networks().stats().networks().networks().stream()
        .filter(n -> n.network() == Network.GAS).findFirst().orElseThrow().consumers();
    assertThat(r.affectedBuildings().size() + r.affectedStructures().size() + r.affectedOther().size())
        .isEqualTo((int) gasConsumers);
    assertThat(r.cutOffLengthMeters()).isGreaterThan(10_000);
    // whereas a branch burst on the looped water mains affects only a few buildings
    IsolationResult water = twin.networks().isolate("w-seg-00100");
    assertThat(water.cutOffSegments()).isEmpty();
    assertThat(water.affectedBuildings().size()).isLessThan(20);
  }

  @Test
  void connectedUpstreamDownstreamAndShortestPath() {
    TwinStats stats = twin.networks().stats();
    for (Network net : Network.values()) {
      TwinStats.NetworkSummary sum = stats.networks().networks().stream().filter(n -> n.network() == net).findFirst()
          .orElseThrow();
      String anySeg = segments.values().stream().filter(s -> s.text("network").equals(net.wireName())).findFirst()
          .orElseThrow().id();
      NetworkTrace all = twin.networks().connected(anySeg);
      assertThat(all.segments()).hasSize(sum.segments());
      assertThat(all.lengthMeters()).isCloseTo(sum.lengthMeters(), within(1.0));
      // every segment is reached following the flow from some source (drainage: against it, from the outfall)
      Set<String> reached = new HashSet<>();
      nodes.values().stream().filter(n -> n.text("network").equals(net.wireName()) && "source".equals(n.text("kind")))
          .forEach(src -> reached.addAll(net == Network.DRAINAGE ? twin.networks().upstream(src.id()).segments()
              : twin.networks().downstream(src.id()).segments()));
      assertThat(reached).hasSize(sum.segments());
    }
    // a service connection: downstream feeds exactly its building, upstream reaches a source
    Entity service = segments.values().stream().filter(s -> "service".equals(s.text("level"))
        && "water".equals(s.text("network"))).findFirst().orElseThrow();
    NetworkTrace down = twin.networks().downstream(service.id());
    assertThat(down.segments()).containsExactly(service.id());
    assertThat(down.consumers()).hasSize(1).allMatch(c -> c.startsWith("lg-bldg-"));
    NetworkTrace up = twin.networks().upstreamAsync(service.id()).join();
    assertThat(up.nodes()).anyMatch(n -> "source".equals(nodes.get(n).text("kind")));
    // shortest path from a source to the service node: contiguous, length = sum of its segments
    String src = up.nodes().stream().filter(n -> "source".equals(nodes.get(n).text("kind"))).findFirst().orElseThrow();
    NetworkPath path = twin.networks().shortestPath(src, service.text("toNode"));
    assertThat(path.nodes().get(0)).isEqualTo(src);
    assertThat(path.nodes().get(path.nodes().size() - 1)).isEqualTo(service.text("toNode"));
    assertThat(path.segments()).hasSize(path.nodes().size() - 1);
    double sum = 0;
    for (int i = 0; i < path.segments().size(); i++) {
      Entity s = segments.get(path.segments().get(i));
      assertThat(Set.of(s.text("fromNode"), s.text("toNode"))).contains(path.nodes().get(i), path.nodes().get(i + 1));
      sum += s.number("length");
    }
    assertThat(path.lengthMeters()).isCloseTo(sum, within(0.1));
    assertThat(path.lengthMeters()).isLessThanOrEqualTo(up.lengthMeters() + 0.1);
    // bad input
    assertThatThrownBy(() -> twin.networks().shortestPath("w-seg-00001", "g-seg-00001"))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("within one network");
    assertThatThrownBy(() -> twin.networks().isolate("lg-bldg-0001")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("not a pipeSegment");
    assertThatThrownBy(() -> twin.networks().connected("nope")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> twin.networks().isolate(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(twin.networks().isolateAsync("w-seg-00100").join()).isEqualTo(twin.networks().isolate("w-seg-00100"));
  }
}
