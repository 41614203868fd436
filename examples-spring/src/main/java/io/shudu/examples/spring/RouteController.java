package io.shudu.examples.spring;

import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Geometry;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /route}: the shortest open route between two junctions of Jiading new town, from the city twin. */
@RestController
public class RouteController {
  private final TwinClient twin;
  private final RoadClosures closures;

  /**
   * The answer.
   *
   * @param from start junction
   * @param to end junction
   * @param roads twin ids of the roads to ride, in order
   * @param meters length
   * @param avoided twin ids of the closed roads left out
   */
  public record Route(String from, String to, List<String> roads, double meters, Set<String> avoided) {}

  private record Road(String id, String from, String to, double meters, String iotCode) {}

  /**
   * Creates the controller.
   *
   * @param twin the twin client bean
   * @param closures the recorded closures
   */
  public RouteController(TwinClient twin, RoadClosures closures) {
    this.twin = twin;
    this.closures = closures;
  }

  /**
   * Plans a route around today's closures.
   *
   * @param from start junction, such as {@code jd-j12}
   * @param to end junction, such as {@code jd-j08}
   * @return the route
   */
  @GetMapping("/route")
  public Route route(@RequestParam(defaultValue = "jd-j12") String from, @RequestParam(defaultValue = "jd-j08") String to) {
    List<Road> roads = new ArrayList<>();
    for (Entity e : twin.entities().query(TwinQuery.builder().types(EntityType.ROAD)
        .bbox(121.23, 31.33, 121.28, 31.40).build())) {
      if (e.geometry() instanceof Geometry.LineString && e.property("fromJunction").isPresent()) {
        roads.add(new Road(e.id(), e.text("fromJunction"), e.text("toJunction"), e.number("length"),
            e.property("iotThingId").map(p -> String.valueOf(p.value())).orElse(null)));
      }
    }
    Set<String> closedCodes = new HashSet<>(closures.closedRoads());
    Set<String> avoided = new java.util.TreeSet<>();
    for (Road r : roads) {
      if (r.iotCode() != null && closedCodes.contains(r.iotCode())) {
        avoided.add(r.id());
      }
    }
    List<String> path = shortestPath(roads, avoided, from, to);
    double meters = roads.stream().filter(r -> path.contains(r.id())).mapToDouble(Road::meters).sum();
    return new Route(from, to, path, meters, avoided);
  }

  private static List<String> shortestPath(List<Road> roads, Set<String> closed, String from, String to) {
    Map<String, List<Road>> adjacent = new HashMap<>();
    for (Road r : roads) {
      if (!closed.contains(r.id())) {
        adjacent.computeIfAbsent(r.from(), k -> new ArrayList<>()).add(r);
        adjacent.computeIfAbsent(r.to(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, Double> dist = new HashMap<>(Map.of(from, 0.0));
    Map<String, Road> via = new HashMap<>();
    PriorityQueue<Map.Entry<String, Double>> queue = new PriorityQueue<>(Map.Entry.comparingByValue());
    queue.add(Map.entry(from, 0.0));
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
    if (!dist.containsKey(to)) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no open route from " + from + " to " + to);
    }
    List<String> path = new ArrayList<>();
    for (String at = to; !at.equals(from); ) {
      Road r = via.get(at);
      path.add(r.id());
      at = r.from().equals(at) ? r.to() : r.from();
    }
    Collections.reverse(path);
    return path;
  }
}
