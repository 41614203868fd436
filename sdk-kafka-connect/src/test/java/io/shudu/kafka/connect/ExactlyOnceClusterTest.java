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
      publisher.publish(10, 10); // the feeds exist once they have events
      Map<String, String> props = eosProps(sandbox, name, 3);
      props.put("value.format", "observation"); // the Connect struct, written as JSON without its schema
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
      for (Rec r : Fixtures.readAll(connect, name + ".traffic").subList(0, 5)) {
        com.fasterxml.jackson.databind.JsonNode v = Fixtures.JSON.readTree(r.value());
        assertThat(v.path("datastream").asText()).as("observation struct: %s", r.value()).isEqualTo(r.key());
        assertThat(v.path("resultNumber").isNumber()).as("resultNumber: %s", r.value()).isTrue();
        assertThat(v.path("result").asText()).isEqualTo(v.path("resultNumber").decimalValue().stripTrailingZeros()
            .toPlainString());
        assertThat(v.path("id").asLong()).isPositive();
        assertThat(v.path("phenomenonTime").asText()).isNotEmpty();
      }
      connect.deleteConnector(name);
    }
  }


  private Map<String, String> trafficOnly(Sandbox sandbox, String name) {
    Map<String, String> p = eosProps(sandbox, name, 1);
    p.put("feeds", "traffic");
    return p;
  }

  private String taskTrace(String name) {
    ConnectorStateInfo status = connect.connectorStatus(name);
    return status.tasks().isEmpty() ? "" : String.valueOf(status.tasks().get(0).trace());
  }

  private static Map<Long, Long> idCounts(List<Rec> recs) {
    return recs.stream().collect(Collectors.groupingBy(Rec::id, java.util.TreeMap::new, Collectors.counting()));
  }

  private static Map<Long, Long> expect(long from, long to, long times, Map<Long, Long> into) {
    for (long id = from; id <= to; id++) {
      into.merge(id, times, Long::sum);
    }
    return into;
  }

  @Test
  void aStoredOffsetAheadOfThePlatformFailsOrRestartsFromEarliestOrLatestAsConfigured() throws Exception {
    String name = "eos-ahead";
    String topic = name + ".traffic";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, List.of("traffic"))) {
      publisher.publish(40, 10);
      connect.configureConnector(name, trafficOnly(sandbox, name));
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running");
      await("the first 40 events", Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topic).size() >= 40);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");

      // fail (the default): the task fails and says which setting decides
      connect.alterSourceConnectorOffset(name, Map.of("feed", "traffic"), Map.of("id", 1000));
      connect.resumeConnector(name);
      connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(name, 1, "the task should fail");
      assertThat(taskTrace(name)).contains("offset.ahead.policy=fail").contains("1000")
          .contains("beyond the newest event 40");

      // earliest: everything still in the window again
      connect.patchConnectorConfig(name, Map.of("offset.ahead.policy", "earliest"));
      connect.restartConnectorAndTasks(name, false, true, false);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running again");
      await("the window again", Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topic).size() >= 80);

      // latest: only what is published after the restart
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");
      connect.alterSourceConnectorOffset(name, Map.of("feed", "traffic"), Map.of("id", 5000));
      connect.patchConnectorConfig(name, Map.of("offset.ahead.policy", "latest"));
      connect.resumeConnector(name);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running with latest");
      publisher.publish(10, 10);
      await("the new events", Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topic).size() >= 90);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");

      Map<Long, Long> expected = expect(1, 40, 2, new java.util.TreeMap<>());
      expect(41, 50, 1, expected);
      assertThat(idCounts(Fixtures.readAll(connect, topic))).isEqualTo(expected);
      connect.deleteConnector(name);
    }
  }

  @Test
  void aGapFailsTheTaskOrIsWrittenToTheGapTopicAsConfigured() throws Exception {
    String name = "eos-gap";
    String topic = name + ".traffic";
    String gaps = name + ".gaps";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).feedWindow(50).start();
        Publisher publisher = new Publisher(sandbox, List.of("traffic"))) {
      publisher.publish(20, 10);
      Map<String, String> props = trafficOnly(sandbox, name);
      props.put("gap.topic", gaps);
      connect.configureConnector(name, props);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running");
      await("the first 20 events", Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topic).size() >= 20);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");
      publisher.publish(100, 50); // ids 21..120; the window keeps 71..120: 21..70 are lost

      connect.resumeConnector(name);
      connect.assertions().assertConnectorIsRunningAndTasksHaveFailed(name, 1, "the gap should fail the task");
      assertThat(taskTrace(name)).contains("gap.policy=fail").contains("events after id 20 were lost");

      connect.patchConnectorConfig(name, Map.of("gap.policy", "continue"));
      connect.restartConnectorAndTasks(name, false, true, false);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running again");
      await("the events after the gap", Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topic).size() >= 70);
      connect.stopConnector(name);
      connect.assertions().assertConnectorIsStopped(name, "stopped");

      Map<Long, Long> expected = expect(1, 20, 1, new java.util.TreeMap<>());
      expect(71, 120, 1, expected);
      assertThat(idCounts(Fixtures.readAll(connect, topic))).isEqualTo(expected);
      List<Rec> gapRecords = Fixtures.readAll(connect, gaps);
      assertThat(gapRecords).hasSize(1);
      assertThat(gapRecords.get(0).key()).isEqualTo("traffic");
      com.fasterxml.jackson.databind.JsonNode gap = Fixtures.JSON.readTree(gapRecords.get(0).value());
      assertThat(gap.path("feed").asText()).isEqualTo("traffic");
      assertThat(gap.path("lostAfter").asLong()).isEqualTo(20);
      assertThat(gap.path("resumedAfter").asLong()).isEqualTo(70);
      assertThat(gap.path("oldestAvailable").asLong()).isEqualTo(71);
      connect.deleteConnector(name);
    }
  }

  @Test
  void badConfigurationIsReportedByValidateOnTheSettingItIsAbout() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      Map<String, String> props = trafficOnly(sandbox, "eos-bad");
      props.put("name", "eos-bad");
      props.remove("shudu.api.key");
      props.put("keys", "water:1");
      org.apache.kafka.connect.runtime.rest.entities.ConfigInfos infos =
          connect.validateConnectorConfig(ShuduSourceConnector.class.getSimpleName(), props);
      Map<String, List<String>> errors = new HashMap<>();
      infos.configs().forEach(c -> {
        if (!c.configValue().errors().isEmpty()) {
          errors.put(c.configValue().name(), c.configValue().errors());
        }
      });
      assertThat(errors).containsKey("keys");
      assertThat(errors.get("keys").get(0)).contains("water:1").contains("feeds");

      props.put("keys", "");
      props.put("shudu.endpoint", "ftp://example");
      infos = connect.validateConnectorConfig(ShuduSourceConnector.class.getSimpleName(), props);
      errors.clear();
      infos.configs().forEach(c -> {
        if (!c.configValue().errors().isEmpty()) {
          errors.put(c.configValue().name(), c.configValue().errors());
        }
      });
      assertThat(errors).containsOnlyKeys("shudu.endpoint");
      assertThat(errors.get("shudu.endpoint").get(0)).contains("http(s) URL");

      props.put("shudu.endpoint", sandbox.baseUrl().toString());
      infos = connect.validateConnectorConfig(ShuduSourceConnector.class.getSimpleName(), props);
      errors.clear();
      infos.configs().forEach(c -> {
        if (!c.configValue().errors().isEmpty()) {
          errors.put(c.configValue().name(), c.configValue().errors());
        }
      });
      assertThat(errors).containsOnlyKeys("shudu.api.key");
      assertThat(errors.get("shudu.api.key").get(0)).contains("shudu.api.key is required");
    }
  }


  @Test
  void aConsumerGroupOfThreeReadsTheTrafficTopicOncePerEvent() throws Exception {
    String name = "eos-group";
    String topic = name + ".traffic";
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, List.of("traffic"))) {
      publisher.publish(150, 10); // round-robin over the traffic datastreams: many keys, three partitions
      connect.kafka().createTopic(topic, 3);
      try (io.shudu.kafka.connect.example.TrafficConsumerGroup group = new io.shudu.kafka.connect.example
          .TrafficConsumerGroup(connect.kafka().bootstrapServers(), topic, "rider-router", 3)) {
        // the group has settled (each consumer holds one of the three partitions) before the connector writes, so
        // no consumer can drain the topic alone before a rebalance
        await("each of the three consumers holds a partition", Duration.ofSeconds(60),
            () -> partitionsPerMember("rider-router").equals(List.of(1, 1, 1)));
        connect.configureConnector(name, trafficOnly(sandbox, name));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "running");
        await("the group handled every event", Duration.ofSeconds(60),
            () -> new HashSet<>(group.handledIds()).size() >= 150);
        connect.stopConnector(name);
        connect.assertions().assertConnectorIsStopped(name, "stopped");
        group.stop();
        List<Long> handled = group.handledIds();
        assertThat(handled).hasSize(150).doesNotHaveDuplicates();
        assertThat(new java.util.TreeSet<>(handled)).isEqualTo(new java.util.TreeSet<>(
            Fixtures.sandboxLog(sandbox, "traffic").stream().map(Event::id).toList()));
        assertThat(group.handledByConsumer()).as("each of the three consumers got a share").hasSize(3);
        assertThat(group.handledByConsumer().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(150);
      }
      connect.deleteConnector(name);
    }
  }


  /** How many partitions each member of a consumer group holds, sorted (empty while the group has no members). */
  private List<Integer> partitionsPerMember(String group) {
    try (org.apache.kafka.clients.admin.Admin admin = connect.kafka().createAdminClient()) {
      return admin.describeConsumerGroups(List.of(group)).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
          .get(group).members().stream().map(m -> m.assignment().topicPartitions().size()).sorted().toList();
    } catch (Exception e) {
      return List.of(); // not known yet: asked again until the deadline
    }
  }

  /**
   * The guide's standalone worker and connector properties, run as written on a standalone worker in this JVM: a
   * standalone worker delivers at least once. It is then restarted with its offsets file lost (what a crash before
   * the offset flush leaves), so it writes events again: every duplicate carries an id at or below one already
   * written for its key, and the consumer rule of the guide (skip ids not above the last one per key) gives exactly
   * the sandbox's log.
   */
  @Test
  void theGuidesStandaloneWorkerPropertiesWorkAsWrittenAtLeastOnce(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, FEEDS)) {
      publisher.publish(20, 5);
      java.nio.file.Path secrets = dir.resolve("shudu-secrets.properties");
      java.nio.file.Files.writeString(secrets, "api.key=" + sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey() + "\n");
      java.nio.file.Files.createDirectories(dir.resolve("plugins"));
      Map<String, String> worker = Fixtures.properties(Fixtures.guideBlock("standalone-worker"));
      // only the machine-specific values change: where Kafka, the REST port, the plugins and the offsets file are
      worker.put("bootstrap.servers", connect.kafka().bootstrapServers());
      worker.put("listeners", "http://127.0.0.1:0");
      worker.put("plugin.path", dir.resolve("plugins").toString());
      java.nio.file.Path offsets = dir.resolve("shudu.offsets");
      worker.put("offset.storage.file.filename", offsets.toString());
      Map<String, String> connector = new HashMap<>();
      Fixtures.properties(Fixtures.guideBlock("standalone-connector")).forEach((k, v) -> connector.put(k,
          v.replace("http://127.0.0.1:8080", sandbox.baseUrl().toString())
              .replace("/etc/kafka/shudu-secrets.properties", secrets.toString())));
      connector.put("topic.template", "guide-standalone.${feed}");
      String[] topics = FEEDS.stream().map(f -> "guide-standalone." + f).toArray(String[]::new);

      runStandalone(worker, connector, () -> {
        await("the guide's standalone connector carried every event", Duration.ofSeconds(60), () -> {
          Map<String, Long> have = Fixtures.distinctIds(Fixtures.readAll(connect, topics));
          return FEEDS.stream().allMatch(f -> have.getOrDefault(f, 0L) >= 20);
        });
      });
      int firstRun = Fixtures.readAll(connect, topics).size();
      assertThat(firstRun).as("a clean stop writes nothing twice").isEqualTo(60);

      java.nio.file.Files.delete(offsets); // as if the worker had crashed before flushing any offset
      publisher.publish(10, 5);
      runStandalone(worker, connector, () -> await("the restarted worker wrote everything again",
          Duration.ofSeconds(60), () -> Fixtures.readAll(connect, topics).size() >= firstRun + 90));

      List<Rec> recs = Fixtures.readAll(connect, topics);
      assertThat(recs.size()).as("duplicates were written").isGreaterThan(90);
      for (String feed : FEEDS) {
        List<Rec> mine = recs.stream().filter(r -> r.feed().equals(feed))
            .sorted(java.util.Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset)).toList();
        Map<String, Long> lastByKey = new HashMap<>();
        List<Event> kept = new ArrayList<>();
        Map<Long, String> traceparents = new HashMap<>();
        for (Rec r : mine) {
          String tp = traceparents.putIfAbsent(r.id(), r.traceparent());
          assertThat(tp == null || tp.equals(r.traceparent())).as("every copy of event %s has the same traceparent",
              r.id()).isTrue();
          assertThat(r.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
          Long last = lastByKey.get(r.key());
          if (last != null && r.id() <= last) {
            continue; // a duplicate: at or below an id already seen for its key
          }
          lastByKey.put(r.key(), r.id());
          kept.add(new Event(feed, r.id(), r.key()));
        }
        kept.sort(java.util.Comparator.comparingLong(Event::id));
        assertThat(kept).as("feed %s after the consumer rule", feed).isEqualTo(Fixtures.sandboxLog(sandbox, feed));
      }
    }
  }

  private void runStandalone(Map<String, String> worker, Map<String, String> connector, Runnable whileRunning)
      throws Exception {
    org.apache.kafka.connect.runtime.Connect<org.apache.kafka.connect.runtime.standalone.StandaloneHerder> w =
        new org.apache.kafka.connect.cli.ConnectStandalone().startConnect(worker);
    try {
      org.apache.kafka.connect.util.FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<
          org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>> created =
          new org.apache.kafka.connect.util.FutureCallback<>();
      w.herder().putConnectorConfig(connector.get("name"), connector, false, created);
      created.get(30, java.util.concurrent.TimeUnit.SECONDS);
      whileRunning.run();
    } finally {
      w.stop();
    }
  }

  /** The guide's REST JSON, posted as written to the distributed (exactly-once) cluster. */
  @Test
  void theGuidesRestJsonWorksAsWrittenAndTheApiKeyStaysHidden(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
        Publisher publisher = new Publisher(sandbox, FEEDS)) {
      publisher.publish(20, 10);
      String apiKey = sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey();
      java.nio.file.Path secrets = dir.resolve("shudu-secrets.properties");
      java.nio.file.Files.writeString(secrets, "api.key=" + apiKey + "\n");
      String json = Fixtures.guideBlock("rest")
          .replace("http://127.0.0.1:8080", sandbox.baseUrl().toString())
          .replace("/etc/kafka/shudu-secrets.properties", secrets.toString())
          .replace("\"shudu.${feed}\"", "\"guide-rest.${feed}\"");
      jakarta.ws.rs.core.Response res = connect.requestPost(connect.endpointForResource("connectors"), json,
          Map.of("Content-Type", "application/json"));
      assertThat(res.getStatus()).as("POST /connectors: %s", res.getEntity()).isEqualTo(201);
      connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("shudu-feeds", 3, "three whole feeds");
      String config = connect.requestGet(connect.endpointForResource("connectors/shudu-feeds/config"))
          .getEntity().toString();
      assertThat(config).contains("${file:").doesNotContain(apiKey);
      List<String> topics = FEEDS.stream().map(f -> "guide-rest." + f).toList();
      await("the guide's connector carried every event", Duration.ofSeconds(60), () -> {
        Map<String, Long> have = Fixtures.distinctIds(Fixtures.readAll(connect, topics.toArray(String[]::new)));
        return FEEDS.stream().allMatch(f -> have.getOrDefault(f, 0L) >= 20);
      });
      connect.stopConnector("shudu-feeds");
      connect.assertions().assertConnectorIsStopped("shudu-feeds", "stopped");
      List<Rec> recs = Fixtures.readAll(connect, topics.toArray(String[]::new));
      for (String feed : FEEDS) {
        assertThat(recs.stream().filter(r -> r.feed().equals(feed)).map(Rec::id).sorted().toList())
            .as("exactly once").isEqualTo(Fixtures.sandboxLog(sandbox, feed).stream().map(Event::id).toList());
      }
      connect.deleteConnector("shudu-feeds");
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
