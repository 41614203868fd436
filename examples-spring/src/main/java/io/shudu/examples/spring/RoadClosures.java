package io.shudu.examples.spring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shudu.core.FeedEvent;
import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.spring.FeedConsumer;
import io.shudu.spring.ShuduFeedListener;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records the road closures announced on the live traffic feed in the {@code road_closures} table. The starter runs
 * {@link #onTraffic} in a transaction that also saves the feed checkpoint (JDBC checkpoint store, same data source),
 * so each closure is written exactly once, whatever crash or restart happens in between.
 */
@Component
public class RoadClosures {
  private final JdbcTemplate jdbc;
  private final Map<Long, String> roadOfDatastream = new HashMap<>();
  private final Counter recorded;

  /**
   * Loads which traffic datastreams announce closures, and of which road.
   *
   * @param iot the IoT client bean
   * @param jdbc the application's database
   * @param meters the metrics registry ({@code rider.closures.recorded} on /actuator/metrics)
   */
  public RoadClosures(IotClient iot, JdbcTemplate jdbc, MeterRegistry meters) {
    this.jdbc = jdbc;
    for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.TRAFFIC, "Road closure")) {
      roadOfDatastream.put(d.id(), String.valueOf(d.thing().properties().get("code")));
    }
    this.recorded = Counter.builder("rider.closures.recorded").description("road closure announcements recorded")
        .register(meters);
  }

  // snippet:start listener
  /**
   * Handles one traffic event: closure announcements go to the table, other traffic observations are skipped (their
   * checkpoint still moves on).
   *
   * @param event a traffic observation; its key is the Datastream id
   */
  @ShuduFeedListener(feed = "traffic", consumer = "rider-routing/road-closures", start = FeedConsumer.Start.EARLIEST)
  public void onTraffic(FeedEvent<Observation> event) {
    String road = roadOfDatastream.get(Long.parseLong(event.key()));
    if (road == null || !(event.payload().result() instanceof Boolean closed)) {
      return;
    }
    jdbc.update("INSERT INTO road_closures (event_id, observation_id, road, closed, announced_at) "
        + "VALUES (?, ?, ?, ?, ?)", event.id(), event.payload().id(), road, closed,
        Timestamp.from(event.publishedAt()));
    recorded.increment();
  }
  // snippet:end listener

  /**
   * The roads closed now: those whose latest announcement says closed.
   *
   * @return the IoT codes of the closed roads, such as {@code JD-R01}
   */
  public List<String> closedRoads() {
    return jdbc.queryForList("SELECT c.road FROM road_closures c WHERE c.event_id = (SELECT MAX(l.event_id) FROM "
        + "road_closures l WHERE l.road = c.road) AND c.closed = TRUE ORDER BY c.road", String.class);
  }
}
