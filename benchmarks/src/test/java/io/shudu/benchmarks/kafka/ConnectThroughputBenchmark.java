package io.shudu.benchmarks.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Observation;
import io.shudu.kafka.connect.ShuduSourceConnector;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Events per second from the sandbox into Kafka through Kafka Connect (the Shudu source connector on an embedded
 * one-worker cluster with one broker, exactly-once and at-least-once), beside a direct SDK subscription, in the same
 * run: the same {@code N} observations, already published to the sandbox's traffic feed, read from the first event.
 * Connect's figure is from the first record a read_committed consumer sees to the last. Not part of the test run: it
 * runs only with {@code -Dshudu.bench=connect} (see docs/performance.md).
 */
class ConnectThroughputBenchmark {
  static final int N = Integer.getInteger("shudu.bench.events", 60_000);
  static final int ROUNDS = Integer.getInteger("shudu.bench.rounds", 2);

  @Test
  void sandboxToKafkaThroughConnectBesideADirectSubscription() throws Exception {
    Assumptions.assumeTrue("connect".equals(System.getProperty("shudu.bench")), "run with -Dshudu.bench=connect");
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      publish(sandbox, N);
      List<String> lines = new ArrayList<>();
      for (boolean exactlyOnce : new boolean[] {true, false}) {
        EmbeddedConnectCluster connect = cluster(exactlyOnce);
        try {
          for (int round = 1; round <= ROUNDS; round++) {
            double direct = direct(sandbox);
            double viaConnect = viaConnect(connect, sandbox, (exactlyOnce ? "eos" : "alo") + round);
            lines.add(String.format("%s round %d: direct SDK subscription %,.0f events/s; through Connect %,.0f "
                + "events/s (%.2f of direct)", exactlyOnce ? "exactly-once" : "at-least-once", round, direct,
                viaConnect, viaConnect / direct));
          }
        } finally {
          connect.stop();
        }
      }
      System.out.println("=== ConnectThroughputBenchmark: " + N + " traffic observations, JDK "
          + System.getProperty("java.version") + ", load average " + loadAverage());
      lines.forEach(System.out::println);
    }
  }

  static String loadAverage() {
    return String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage());
  }

  static void publish(Sandbox sandbox, int n) {
    IotClient iot = IotClient.create(sandbox.clientConfig());
    List<Long> streams = new ArrayList<>();
    for (Datastream d : iot.datastreams().list(IotQuery.builder()
        .filter(Expr.property("Thing/properties/feed").eq("traffic")).build())) {
      streams.add(d.id());
    }
    int left = n;
    int i = 0;
    while (left > 0) {
      int batch = Math.min(2_000, left);
      List<Observation> obs = new ArrayList<>();
      for (int k = 0; k < batch; k++) {
        obs.add(Observation.of(Instant.now(), k * 0.5));
      }
      if (!iot.observations().createDataArray(streams.get(i++ % streams.size()), obs).allCreated()) {
        throw new IllegalStateException("the platform rejected rows of the benchmark data");
      }
      left -= batch;
    }
  }

  static double direct(Sandbox sandbox) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong first = new AtomicLong();
    AtomicLong last = new AtomicLong();
    AtomicLong count = new AtomicLong();
    FeedOptions options = FeedOptions.builder().start(FeedOptions.StartPosition.earliest()).build();
    try (FeedSubscription sub = FeedSubscription.open(sandbox.clientConfig(), "traffic", List.of(), JsonNode.class,
        options, e -> {
          long c = count.incrementAndGet();
          if (c == 1) {
            first.set(System.nanoTime());
          }
          if (c == N) {
            last.set(System.nanoTime());
            done.countDown();
          }
        })) {
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new AssertionError("direct subscription got " + count.get() + " of " + N + " (" + sub.state() + ")");
      }
    }
    return (N - 1) / ((last.get() - first.get()) / 1e9);
  }

  static EmbeddedConnectCluster cluster(boolean exactlyOnce) {
    Map<String, String> w = new HashMap<>();
    w.put("exactly.once.source.support", exactlyOnce ? "enabled" : "disabled");
    w.put("plugin.discovery", "service_load");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    broker.put("auto.create.topics.enable", "false");
    EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name("bench").numWorkers(1).numBrokers(1)
        .workerProps(w).brokerProps(broker).build();
    c.start();
    return c;
  }

  static double viaConnect(EmbeddedConnectCluster connect, Sandbox sandbox, String prefix) {
    String topic = prefix + ".traffic";
    connect.kafka().createTopic(topic, 3);
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = connect.kafka().createConsumer(props)) {
      List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
          new TopicPartition(topic, 2));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<String, String> c = new HashMap<>();
      c.put("connector.class", ShuduSourceConnector.class.getName());
      c.put("tasks.max", "1");
      c.put("shudu.endpoint", sandbox.baseUrl().toString());
      c.put("shudu.api.key", sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey());
      c.put("feeds", "traffic");
      c.put("topic.template", prefix + ".${feed}");
      c.put("start.position", "earliest");
      c.put("batch.max.records", "2000");
      c.put("buffer.capacity", "10000");
      c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
      c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
      c.put("value.converter.schemas.enable", "false");
      connect.configureConnector(prefix, c);
      long count = 0;
      long first = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (count < N) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Connect carried " + count + " of " + N);
        }
        ConsumerRecords<byte[], byte[]> rs = consumer.poll(Duration.ofMillis(100));
        if (!rs.isEmpty() && first == 0) {
          first = System.nanoTime();
        }
        count += rs.count();
      }
      long last = System.nanoTime();
      connect.deleteConnector(prefix);
      return (N - 1) / ((last - first) / 1e9);
    }
  }
}
