package io.shudu.kafka.connect;

import static io.shudu.kafka.connect.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.kafka.connect.Fixtures.Event;
import io.shudu.kafka.connect.Fixtures.Publisher;
import io.shudu.kafka.connect.Fixtures.Rec;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connector on a real Kafka Connect cluster (Kafka's EmbeddedConnectCluster: three workers, one broker) with
 * exactly-once source support enabled, fed by the in-process sandbox over loopback. Every check compares what a
 * read_committed consumer finds in Kafka, after the connector has stopped, with the sandbox's own event log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceClusterTest {
  static final List<String> FEEDS = List.of("traffic", "fire-alarms", "dispatch");

  EmbeddedConnectCluster connect;

  @BeforeAll
  void startCluster() {
    connect = Fixtures.connect("shudu-eos", 3, true);
  }

  @AfterAll
  void stopCluster() {
    if (connect != null) {
      connect.stop();
    }
  }

  private Map<String, String> eosProps(Sandbox sandbox, String prefix, int tasks) {
    Map<String, String> p = Fixtures.connectorProps(sandbox, prefix, tasks);
    p.put("feeds", String.join(",", FEEDS));
    p.put("exactly.once.support", "required");
    p.put("transaction.boundary", "poll");
    return p;
  }

  private static List<String> topics(String prefix) {
    return FEEDS.stream().map(f -> prefix + "." + f).toList();
  }

  /** Waits until Kafka holds (read_committed) at least every id of the sandbox's log, per feed. */
  private void awaitAllCommitted(Sandbox sandbox, String prefix) {
    await("every event of the sandbox's log committed to Kafka", Duration.ofSeconds(90), () -> {
      try {
        Map<String, Long> expected = new HashMap<>();
        for (String f : FEEDS) {
          expected.put(f, (long) Fixtures.sandboxLog(sandbox, f).size());
        }
        Map<String, Long> have = Fixtures.distinctIds(Fixtures.readAll(connect, topics(prefix).toArray(String[]::new)));
        return FEEDS.stream().allMatch(f -> have.getOrDefault(f, 0L) >= expected.get(f));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  /** Kafka's content equals the sandbox's log: each event once, with its key, in id order per key. */
  private void assertExactlyTheLog(Sandbox sandbox, String prefix) throws Exception {
    List<Rec> recs = Fixtures.readAll(connect, topics(prefix).toArray(String[]::new));
    for (String feed : FEEDS) {
      List<Event> log = Fixtures.sandboxLog(sandbox, feed);
      assertThat(log).as("sandbox log of %s", feed).isNotEmpty();
      List<Rec> mine = recs.stream().filter(r -> r.topic().equals(prefix + "." + feed)).toList();
      List<Event> carried = mine.stream().map(r -> new Event(r.feed(), r.id(), r.key()))
          .sorted(java.util.Comparator.comparingLong(Event::id)).toList();
      assertThat(carried).as("feed %s: every event of the sandbox's log exactly once", feed).isEqualTo(log);
      // per key, ids increase along each Kafka partition (order per key holds)
      Map<String, Long> lastByKey = new HashMap<>();
      mine.stream().sorted(java.util.Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset))
          .forEach(r -> {
            Long prev = lastByKey.put(r.partition() + "/" + r.key(), r.id());
            assertThat(prev == null || prev < r.id()).as("feed %s key %s: id %s after %s", feed, r.key(), r.id(),
                prev).isTrue();
          });
      Set<String> keysPerPartition = new HashSet<>();
      mine.forEach(r -> keysPerPartition.add(r.key() + "@" + r.partition()));
      assertThat(keysPerPartition.stream().map(s -> s.substring(0, s.indexOf('@'))).distinct().count())
          .as("each key lives in one partition").isEqualTo(keysPerPartition.size());
    }
  }

  @Test
  void threeFeedsSixTasksThreeWorkersAWorkerStoppedMidStreamEveryEventExactlyOnce() throws Exception {
    String name = "eos-workers";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, FEEDS)) {
      publisher.publish(30, 10); // history from before the connector starts
      Map<String, String> props = eosProps(sandbox, name, 6);
      props.put("keys", publisher.keyFilters());
      connect.configureConnector(name, props);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 6, "six tasks should run");
      ConnectorStateInfo status = connect.connectorStatus(name);
      assertThat(status.tasks().stream().map(t -> t.workerId()).distinct().count())
          .as("the six tasks are spread over the three workers").isEqualTo(3);

      publisher.start();
      await("records flowing", Duration.ofSeconds(60),
          () -> Fixtures.readAll(connect, topics(name).toArray(String[]::new)).size() > 300);
      WorkerHandle victim = connect.workers().iterator().next();
      connect.removeWorker(victim); // mid-stream: its tasks move to the other two workers
      connect.assertions().assertExactlyNumWorkersAreUp(2, "a worker should have left");
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 6, "the tasks should move");
      long before = publisher.published();
      await("more events published after the worker left", Duration.ofSeconds(30),
          () -> publisher.published() > before + 300);
      publisher.stop();

      awaitAllCommitted(sandbox, name);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");
      assertExactlyTheLog(sandbox, name);
      connect.deleteConnector(name);
    } finally {
      if (connect.workers().size() < 3) {
        connect.addWorker();
        connect.assertions().assertExactlyNumWorkersAreUp(3, "worker back");
      }
    }
  }

  @Test
  void sandboxRestartedAndStreamsCutWhileTheConnectorRunsNothingLostOrDuplicated() throws Exception {
    String name = "eos-restart";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, FEEDS)) {
      Map<String, String> props = eosProps(sandbox, name, 3);
      connect.configureConnector(name, props); // whole feeds, one per task
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 3, "three tasks should run");
      publisher.start();
      await("records flowing", Duration.ofSeconds(60),
          () -> Fixtures.readAll(connect, topics(name).toArray(String[]::new)).size() > 200);

      publisher.pause(true);
      sandbox.stop(); // every stream is cut; reconnects are refused while it is down
      sandbox.restart();
      sandbox.injectFault(Fault.connectionReset().onPath("/feeds/").times(3));
      sandbox.injectFault(Fault.status(503, Duration.ofMillis(100)).onPath("/feeds/").times(3));
      publisher.pause(false);
      long before = publisher.published();
      await("more events after the restart", Duration.ofSeconds(30), () -> publisher.published() > before + 300);
      publisher.pause(true);
      sandbox.stop();
      sandbox.restart();
      publisher.pause(false);
      long again = publisher.published();
      await("more events after the second restart", Duration.ofSeconds(30),
          () -> publisher.published() > again + 150);
      publisher.stop();

      awaitAllCommitted(sandbox, name);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");
      assertExactlyTheLog(sandbox, name);
      connect.deleteConnector(name);
    }
  }

  static List<Long> ids(List<Rec> recs) {
    List<Long> out = new ArrayList<>();
    recs.forEach(r -> out.add(r.id()));
    return out;
  }

  static Map<Long, Long> counts(List<Rec> recs) {
    return recs.stream().collect(Collectors.groupingBy(Rec::id, Collectors.counting()));
  }
}
