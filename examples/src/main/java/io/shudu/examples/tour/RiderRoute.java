package io.shudu.examples.tour;

import io.shudu.core.ClientConfig;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A delivery platform routes a rider across Jiading new town: it listens to the smart-traffic feed for road
 * closures, reads the road network from the city twin, and plans the shortest open route. Twin roads that the
 * traffic feed monitors carry the IoT Thing's code in {@code iotThingId}.
 */
public final class RiderRoute {
  /** Where the rider starts (junction 博乐路/西大街) and where the order goes (胜辛路/裕民南路). */
  static final String FROM = "jd-j12";
  static final String TO = "jd-j08";

  private RiderRoute() {}

  /**
   * What the step found.
   *
   * @param usualRoute the route with every road open
   * @param route the route avoiding the closed roads
   * @param closedRoads twin ids of the roads the feed reported closed
   * @param usualMeters length of the usual route
   * @param meters length of today's route
   * @param picture the SVG map
   */
  public record Result(List<String> usualRoute, List<String> route, Set<String> closedRoads, double usualMeters,
      double meters, Path picture) {}

  private record Road(String id, String name, String from, String to, double meters, String iotThingId,
      List<Position> line) {}

  /**
   * Runs the step.
   *
   * @param config client configuration
   * @param out folder for the picture
   * @param report where to print
   * @return what was found
   * @throws Exception on failure
   */
  public static Result run(ClientConfig config, Path out, PrintStream report) throws Exception {
    try (TwinClient twin = TwinClient.create(config); IotClient iot = IotClient.create(config)) {
      // 1. The road network of Jiading new town, from the twin.
      List<Road> roads = new ArrayList<>();
      for (Entity e : twin.entities().query(TwinQuery.builder().types(EntityType.ROAD)
          .bbox(121.23, 31.33, 121.28, 31.40).build())) {
        if (e.geometry() instanceof Geometry.LineString ls && e.property("fromJunction").isPresent()) {
          roads.add(new Road(e.id(), e.text("name"), e.text("fromJunction"), e.text("toJunction"),
              e.number("length"), e.property("iotThingId").map(p -> String.valueOf(p.value())).orElse(null),
              ls.coordinates()));
        }
      }
      report.println("road network of Jiading new town: " + roads.size() + " segments from the twin");

      // 2. The traffic feed's road-closure datastreams, keyed by the IoT Thing's code.
      Map<Long, String> closureStreams = new HashMap<>();
      for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.TRAFFIC, "Road closure")) {
        closureStreams.put(d.id(), String.valueOf(d.thing().properties().get("code")));
      }
      Map<String, Boolean> closed = new ConcurrentHashMap<>();
      CountDownLatch announced = new CountDownLatch(1);
      long[] announcedStream = new long[1];
      // 3. Listen to the live traffic feed for closures.
      try (FeedSubscription sub = iot.feeds().subscribe(ProgrammeFeed.TRAFFIC.feedName(), new ArrayList<>(closureStreams.keySet()),
          FeedOptions.builder().build(), event -> {
            String thing = closureStreams.get(Long.parseLong(event.key()));
            closed.put(thing, Boolean.TRUE.equals(event.payload().result()));
            if (Long.parseLong(event.key()) == announcedStream[0] && Boolean.TRUE.equals(event.payload().result())) {
              announced.countDown();
            }
          })) {
        List<String> usual = shortestPath(roads, Set.of());
        // 4. The traffic police announce works on 叶城路: a closure observation on its datastream.
        Map.Entry<Long, String> yecheng = closureStreams.entrySet().stream()
            .filter(en -> en.getValue().equals("JD-R01")).findFirst()
            .orElseThrow(() -> new IllegalStateException("the traffic feed has no closure datastream for JD-R01"));
        announcedStream[0] = yecheng.getKey();
        // the subscription starts at the latest event: it must be connected before the announcement
        if (!sub.awaitConnected(Duration.ofSeconds(30))) {   // throws instead if the subscription has ended
          throw new IllegalStateException("the live traffic feed did not connect within 30 s: " + sub);
        }
        iot.observations().create(yecheng.getKey(), Observation.of(Instant.now(), true));
        if (!announced.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the closure announcement did not arrive on the live traffic feed");
        }
        report.println("live traffic feed: road works close " + yecheng.getValue() + " (subscription " + sub.state() + ")");
        Set<String> closedRoads = new java.util.TreeSet<>();
        for (Road r : roads) {
          if (r.iotThingId() != null && Boolean.TRUE.equals(closed.get(r.iotThingId()))) {
            closedRoads.add(r.id());
          }
        }
        List<String> route = shortestPath(roads, closedRoads);
        double usualMeters = length(roads, usual);
        double meters = length(roads, route);
        report.printf("usual route %s: %.0f m%n", names(roads, usual), usualMeters);
        report.printf("today's route avoiding %s: %s, %.0f m (+%.0f m)%n", closedRoads, names(roads, route), meters,
            meters - usualMeters);
        Path picture = out.resolve("jiading-rider-route.svg");
        Files.writeString(picture, svg(roads, usual, route, closedRoads));
        return new Result(usual, route, closedRoads, usualMeters, meters, picture);
      }
    }
  }

  /** Dijkstra over the junction graph, skipping closed roads; returns road ids from FROM to TO. */
  static List<String> shortestPath(List<Road> roads, Set<String> closedRoads) {
    Map<String, List<Road>> adjacent = new HashMap<>();
    for (Road r : roads) {
      if (!closedRoads.contains(r.id())) {
        adjacent.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(r);
        adjacent.computeIfAbsent(r.to(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, Double> dist = new HashMap<>(Map.of(FROM, 0.0));
    Map<String, Road> via = new HashMap<>();
    PriorityQueue<Map.Entry<String, Double>> queue = new PriorityQueue<>(Map.Entry.comparingByValue());
    queue.add(Map.entry(FROM, 0.0));
    while (!queue.isEmpty()) {
      Map.Entry<String, Double> head = queue.poll();
      if (head.getValue() > dist.get(head.getKey())) {
        continue;
      }
      for (Road r : adjacent.getOrDefault(head.getKey(), List.of())) {
        String next = r.from().equals(head.getKey()) ? r.to() : r.from();
        double d = head.getValue() + r.meters();
        if (d < dist.getOrDefault(next, Double.MAX_VALUE)) {
          dist.put(next, d);
          via.put(next, r);
          queue.add(Map.entry(next, d));
        }
      }
    }
    if (!dist.containsKey(TO)) {
      throw new IllegalStateException("no open route from " + FROM + " to " + TO);
    }
    List<String> path = new ArrayList<>();
    for (String at = TO; !at.equals(FROM); ) {
      Road r = via.get(at);
      path.add(r.id());
      at = r.from().equals(at) ? r.to() : r.from();
    }
    Collections.reverse(path);
    return path;
  }

  private static double length(List<Road> roads, List<String> ids) {
    return roads.stream().filter(r -> ids.contains(r.id())).mapToDouble(Road::meters).sum();
  }

  private static String names(List<Road> roads, List<String> ids) {
    List<String> names = new ArrayList<>();
    for (String id : ids) {
      roads.stream().filter(r -> r.id().equals(id)).findFirst().ifPresent(r -> names.add(r.name()));
    }
    return String.join(" → ", names);
  }

  private static String svg(List<Road> roads, List<String> usual, List<String> route, Set<String> closed)
      throws IOException {
    Svg svg = new Svg(760, 760, 121.234, 31.337, 121.270, 31.398);
    svg.title("Jiading new town: a rider's route around today's road works");
    for (Road r : roads) {
      String colour = closed.contains(r.id()) ? "#d7263d" : route.contains(r.id()) ? "#1b998b"
          : usual.contains(r.id()) ? "#9aa5b1" : "#c9ced6";
      double width = closed.contains(r.id()) || route.contains(r.id()) ? 7 : 4;
      String dash = !route.contains(r.id()) && usual.contains(r.id()) && !closed.contains(r.id()) ? "8,6" : null;
      svg.line(r.line(), colour, width, dash, r.name());
    }
    Set<String> drawn = new java.util.HashSet<>();
    for (Road r : roads) {
      for (int end = 0; end < 2; end++) {
        String junction = end == 0 ? r.from() : r.to();
        Position at = end == 0 ? r.line().get(0) : r.line().get(r.line().size() - 1);
        if (!drawn.add(junction)) {
          continue;
        }
        if (junction.equals(FROM)) {
          svg.dot(at.lon(), at.lat(), 8, "#2e86ab", "rider (" + junction + ")");
        } else if (junction.equals(TO)) {
          svg.dot(at.lon(), at.lat(), 8, "#f18f01", "customer (" + junction + ")");
        }
      }
    }
    svg.legend(List.of(new String[] {"#1b998b", "today's route"}, new String[] {"#d7263d", "closed (live traffic feed)"},
        new String[] {"#9aa5b1", "usual route"}));
    return svg.toString();
  }
}
