package io.shudu.examples.tour;

import io.shudu.core.ClientConfig;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.iot.Thing;
import io.shudu.core.geo.Coordinates;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Geometry;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A carrier's 5G fire-alarm service: it consumes the live fire-alarm feed, locates the detector that went off, and
 * asks the city twin for the nearest ambulance station of the 5G emergency-dispatch platform.
 */
public final class EmergencyResponse {
  private EmergencyResponse() {}

  /**
   * What the step found.
   *
   * @param detector the detector that raised the alarm
   * @param alarmAt where it is
   * @param station the nearest ambulance station (twin id)
   * @param stationName its name
   * @param meters geodesic distance to it
   * @param picture the SVG map
   */
  public record Result(String detector, Position alarmAt, String station, String stationName, double meters,
      Path picture) {}

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
      Map<Long, Thing> detectorOf = new HashMap<>();
      for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.FIRE_ALARMS, "Fire alarm")) {
        detectorOf.put(d.id(), iot.things().get(d.thing().id(), IotQuery.builder().expand("Locations").build()));
      }
      BlockingQueue<FeedEvent<Observation>> alarms = new ArrayBlockingQueue<>(64);
      try (FeedSubscription sub = iot.feeds().subscribe(ProgrammeFeed.FIRE_ALARMS.feedName(), new ArrayList<>(detectorOf.keySet()),
          FeedOptions.builder().build(), event -> {
            if (Boolean.TRUE.equals(event.payload().result())) {
              alarms.offer(event);
            }
          })) {
        // A detector in 嘉定 保利大厦 goes off (in the sandbox we report it through the API, as the device would).
        long pressed = detectorOf.entrySet().stream()
            .filter(e -> e.getValue().name().contains("保利大厦")).findFirst().orElseThrow().getKey();
        // the subscription starts at the latest event: it must be connected before the alarm
        if (!sub.awaitConnected(Duration.ofSeconds(30))) {   // throws instead if the subscription has ended
          throw new IllegalStateException("the live fire-alarm feed did not connect within 30 s: " + sub);
        }
        iot.observations().create(pressed, Observation.of(Instant.now(), true));
        FeedEvent<Observation> alarm = alarms.poll(30, TimeUnit.SECONDS);
        if (alarm == null) {
          throw new IllegalStateException("no alarm arrived on the live fire-alarm feed (subscription " + sub.state() + ")");
        }
        Thing detector = detectorOf.get(Long.parseLong(alarm.key()));
        Geometry.Point p = (Geometry.Point) detector.locations().get(0).location();
        Position at = p.coordinates();
        report.println("FIRE ALARM on the live feed (event " + alarm.id() + "): " + detector.name() + " at " + at);

        // The twin knows the dispatch platform's ambulance stations: the nearest within 30 km.
        List<Entity> stations = new ArrayList<>();
        twin.entities().query(TwinQuery.builder().types(EntityType.FACILITY)
            .where("kind", TwinQuery.Op.EQ, "ambulance-station").near(at, 30_000).build()).forEach(stations::add);
        if (stations.isEmpty()) {
          throw new IllegalStateException("the twin has no ambulance station within 30 km of " + at);
        }
        stations.sort(Comparator.comparingDouble(s -> Coordinates.distanceMeters(at, point(s))));
        Entity nearest = stations.get(0);
        double meters = Coordinates.distanceMeters(at, point(nearest));
        report.printf("nearest ambulance station: %s (%s, IoT %s), %.0f m away; %d station(s) within 30 km%n",
            nearest.text("name"), nearest.id(), nearest.text("iotThingId"), meters, stations.size());
        Path picture = out.resolve("jiading-fire-alarm.svg");
        Svg svg = new Svg(760, 560, 121.15, 31.27, 121.40, 31.40);
        svg.title("5G fire alarm and the nearest ambulance station");
        for (Thing t : detectorOf.values()) {
          Geometry.Point q = (Geometry.Point) t.locations().get(0).location();
          boolean alarmed = t == detector;
          svg.dot(q.coordinates().lon(), q.coordinates().lat(), alarmed ? 9 : 5,
              alarmed ? "#d7263d" : "#f4a259", alarmed ? "ALARM " + t.name() : t.name());
        }
        for (Entity s : stations) {
          Position sp = point(s);
          svg.dot(sp.lon(), sp.lat(), s == nearest ? 9 : 6, "#1b998b", "ambulance station " + s.text("name"));
        }
        Position np = point(nearest);
        svg.line(List.of(at, np), "#1b998b", 2, "6,4", String.format("%.0f m", meters));
        Files.writeString(picture, svg.toString());
        return new Result(detector.name(), at, nearest.id(), nearest.text("name"), meters, picture);
      }
    }
  }

  private static Position point(Entity e) {
    if (e.geometry() instanceof Geometry.Point p) {
      return p.coordinates();
    }
    throw new IllegalStateException(e.id() + " has no point geometry");
  }
}
