package io.shudu.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.iot.Expr;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Observation;
import io.shudu.sandbox.Sandbox;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** Test fixtures: a Connect cluster, a publisher into the sandbox's IoT feeds, the sandbox's event log, read-back. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** An event as the sandbox logged it, or as a Kafka record carries it. */
  record Event(String feed, long id, String key) {}

  /** A record read back from Kafka. */
  record Rec(String topic, int partition, long offset, String key, long id, String feed, String type, String value,
      String traceparent) {}

  /**
   * An embedded Connect cluster on one broker.
   *
   * @param workers the number of workers
   * @param exactlyOnce whether the workers run with exactly.once.source.support=enabled
   */
  static EmbeddedConnectCluster connect(String name, int workers, boolean exactlyOnce) {
    Map<String, String> w = new HashMap<>();
    w.put("exactly.once.source.support", exactlyOnce ? "enabled" : "disabled");
    w.put("scheduled.rebalance.max.delay.ms", "500");
    w.put("offset.flush.interval.ms", "500");
    w.put("plugin.discovery", "service_load");
    w.put("config.providers", "file");
    w.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
    java.util.Properties broker = new java.util.Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    broker.put("offsets.topic.replication.factor", "1");
    broker.put("auto.create.topics.enable", "false");
    EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
        .workerProps(w).brokerProps(broker).build();
    c.start();
    return c;
  }

  /** The connector settings every test starts from. */
  static Map<String, String> connectorProps(Sandbox sandbox, String topicPrefix, int tasks) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("connector.class", ShuduSourceConnector.class.getName());
    p.put("tasks.max", Integer.toString(tasks));
    p.put("shudu.endpoint", sandbox.baseUrl().toString());
    p.put("shudu.api.key", sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey());
    p.put("topic.template", topicPrefix + ".${feed}");
    p.put("start.position", "earliest");
    p.put("heartbeat.ms", "500");
    p.put("reconnect.backoff.min.ms", "20");
    p.put("reconnect.backoff.max.ms", "500");
    p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    p.put("value.converter.schemas.enable", "false");
    p.put("topic.creation.default.replication.factor", "1");
    p.put("topic.creation.default.partitions", "3");
    return p;
  }

  /** Waits until a condition holds, polling; fails after the deadline. */
  static void await(String what, Duration max, BooleanSupplier condition) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + max + " waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** The block of docs/guide-kafka.md that follows {@code <!-- config: name -->}. */
  static String guideBlock(String name) throws IOException {
    java.nio.file.Path p = java.nio.file.Path.of("").toAbsolutePath();
    while (p != null && !java.nio.file.Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    String doc = java.nio.file.Files.readString(p.resolve("docs/guide-kafka.md"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<!-- config: " + java.util.regex.Pattern.quote(name)
        + " -->\\s*\\R```\\w+\\R(.*?)\\R```", java.util.regex.Pattern.DOTALL).matcher(doc);
    if (!m.find()) {
      throw new AssertionError("docs/guide-kafka.md has no block marked config: " + name);
    }
    return m.group(1);
  }

  /** Properties text as a map, in order. */
  static Map<String, String> properties(String text) throws IOException {
    java.util.Properties p = new java.util.Properties();
    p.load(new java.io.StringReader(text));
    Map<String, String> out = new LinkedHashMap<>();
    text.lines().filter(l -> l.contains("=") && !l.startsWith("#"))
        .forEach(l -> out.put(l.substring(0, l.indexOf('=')).trim(), p.getProperty(l.substring(0, l.indexOf('='))
            .trim())));
    return out;
  }

  // ---------------------------------------------------------------- publishing

  /** Publishes observations into the sandbox's IoT feeds over HTTP (CreateObservations), round-robin by datastream. */
  static final class Publisher implements AutoCloseable {
    private final IotClient iot;
    final Map<String, List<Long>> datastreams = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong published = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private Thread thread;
    private long seq;
    private final Map<String, Integer> next = new HashMap<>();

    Publisher(Sandbox sandbox, List<String> feeds) {
      this.iot = IotClient.create(sandbox.clientConfig());
      for (String feed : feeds) {
        List<Long> ids = new ArrayList<>();
        for (Datastream d : iot.datastreams().list(IotQuery.builder()
            .filter(Expr.property("Thing/properties/feed").eq(feed)).build())) {
          ids.add(d.id());
        }
        if (ids.isEmpty()) {
          throw new IllegalStateException("no datastreams for feed " + feed);
        }
        datastreams.put(feed, ids);
      }
    }

    /** The keys (datastream ids) of a feed, as "feed:key" items. */
    String keyFilters() {
      List<String> items = new ArrayList<>();
      datastreams.forEach((f, ids) -> ids.forEach(id -> items.add(f + ":" + id)));
      return String.join(",", items);
    }

    /** Publishes {@code perFeed} observations to each feed, in batches of up to {@code batch} per request. */
    synchronized void publish(int perFeed, int batch) {
      for (Map.Entry<String, List<Long>> e : datastreams.entrySet()) {
        int left = perFeed;
        while (left > 0) {
          int n = Math.min(batch, left);
          int i = next.merge(e.getKey(), 1, Integer::sum);
          long ds = e.getValue().get(i % e.getValue().size());
          List<Observation> obs = new ArrayList<>();
          for (int k = 0; k < n; k++) {
            obs.add(Observation.of(Instant.now(), ++seq));
          }
          if (!iot.observations().createDataArray(ds, obs).allCreated()) {
            throw new IllegalStateException("the sandbox rejected observations of the fixture");
          }
          published.addAndGet(n);
          left -= n;
        }
      }
    }

    /** Publishes in the background, a few events per feed per round, until {@link #stop()}. */
    void start() {
      running.set(true);
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            if (paused.get()) {
              Thread.sleep(5);
              continue;
            }
            publish(5, 5);
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            // the sandbox is restarting: the event log, not this count, is the reference
          }
        }
      }, "test-publisher");
      thread.setDaemon(true);
      thread.start();
    }

    void pause(boolean p) {
      paused.set(p);
    }

    long published() {
      return published.get();
    }

    void stop() {
      running.set(false);
      if (thread != null) {
        try {
          thread.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void close() {
      stop();
    }
  }

  // ---------------------------------------------------------------- the sandbox's own event log

  /**
   * Reads a feed's whole event log from the sandbox with a plain HTTP client (not the SDK's subscription): every
   * event from id 1 to the feed's newest id, in id order.
   */
  static List<Event> sandboxLog(Sandbox sandbox, String feed) throws IOException, InterruptedException {
    long lastId = FeedSubscription.describe(sandbox.clientConfig(), feed).lastId();
    List<Event> out = new ArrayList<>();
    if (lastId == 0) {
      return out;
    }
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/feeds/v1/" + feed
            + "?heartbeat=200"))
        .header("X-Api-Key", sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKey())
        .header("Last-Event-ID", "0")
        .header("Accept", "text/event-stream").build();
    HttpResponse<java.io.InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      throw new IOException("GET /feeds/v1/" + feed + " answered " + res.statusCode());
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      long id = -1;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4).trim());
        } else if (line.startsWith("data: ") && id > 0) {
          JsonNode env = JSON.readTree(line.substring(6));
          if (env.has("specversion")) {
            out.add(new Event(feed, id, env.path("subject").isMissingNode() ? null : env.path("subject").asText()));
          }
          if (id >= lastId) {
            break;
          }
          id = -1;
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- reading Kafka back

  /** Every record of the topics, read with a read_committed consumer from the beginning to the current end. */
  static List<Rec> readAll(EmbeddedConnectCluster connect, String... topics) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Rec> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = connect.kafka().createConsumer(props)) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        List<PartitionInfo> infos = c.partitionsFor(t, Duration.ofSeconds(10));
        if (infos == null) {
          continue;
        }
        infos.forEach(i -> parts.add(new TopicPartition(t, i.partition())));
      }
      if (parts.isEmpty()) {
        return out;
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts); // read_committed: the last stable offset
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + List.of(topics) + " to its end");
        }
        ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : rs) {
          out.add(rec(r));
        }
      }
    }
    return out;
  }

  static Rec rec(ConsumerRecord<byte[], byte[]> r) {
    return new Rec(r.topic(), r.partition(), r.offset(), str(r.key()), Long.parseLong(header(r, "shudu.id", "-1")),
        header(r, "shudu.feed", null), header(r, "shudu.type", null), str(r.value()),
        header(r, "traceparent", null));
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name, String dflt) {
    Header h = r.headers().lastHeader(name);
    return h == null ? dflt : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** The distinct event ids per feed found in records. */
  static Map<String, Long> distinctIds(List<Rec> recs) {
    Map<String, java.util.Set<Long>> ids = new TreeMap<>();
    for (Rec r : recs) {
      ids.computeIfAbsent(r.feed(), f -> new java.util.HashSet<>()).add(r.id());
    }
    Map<String, Long> out = new TreeMap<>();
    ids.forEach((f, s) -> out.put(f, (long) s.size()));
    return out;
  }
}
