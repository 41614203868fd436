package io.shudu.kafka.connect.example;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Example partner app: reads the Jiading traffic topic that the Shudu connector fills, with a consumer group of three
 * consumers (one thread each). Kafka spreads the topic's partitions over the three; a datastream's observations all
 * land in one partition, so each is handled by one consumer, in order. The consumers read only committed
 * transactions, and drop any record whose {@code shudu.id} is not above the last one handled for its key, which makes
 * them safe against the duplicates of an at-least-once (non exactly-once) Connect cluster too.
 *
 * <p>Run: {@code java ... TrafficConsumerGroup localhost:9092 shudu.traffic rider-router}. It lives beside the connector's
 * tests (not in {@code examples}) because it needs a Kafka cluster, which only these tests start; see
 * {@code ExactlyOnceClusterTest#aConsumerGroupOfThreeReadsTheTrafficTopicOncePerEvent}.
 */
public final class TrafficConsumerGroup implements AutoCloseable {
  private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch stopped;
  private final Map<String, Long> lastIdByKey = new HashMap<>(); // guarded by itself
  private final Map<Integer, AtomicLong> handledByConsumer = new ConcurrentHashMap<>();
  private final List<Long> handledIds = java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * Starts the group.
   *
   * @param bootstrapServers the Kafka bootstrap servers
   * @param topic the traffic topic, such as {@code shudu.traffic}
   * @param groupId the consumer group
   * @param size how many consumers (threads)
   */
  public TrafficConsumerGroup(String bootstrapServers, String topic, String groupId, int size) {
    this.stopped = new CountDownLatch(size);
    for (int i = 0; i < size; i++) {
      int consumerNo = i;
      // snippet:start consume
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);                  // the same group for all three
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");  // only committed Connect transactions
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      KafkaConsumer<String, String> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
      consumer.subscribe(List.of(topic));
      Thread thread = new Thread(() -> {
        try (consumer) {
          while (running.get()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
              long id = Long.parseLong(header(r, "shudu.id"));         // the platform's event id
              synchronized (lastIdByKey) {                             // check and record as one step: in a rebalance
                Long last = lastIdByKey.get(r.key());                  // two consumers can briefly hold the same key
                if (last != null && id <= last) {
                  continue;                                           // an at-least-once duplicate: already handled
                }
                lastIdByKey.put(r.key(), id);
              }
              handle(consumerNo, r.key(), id, r.value());             // key = datastream id, value = observation JSON
            }
            consumer.commitSync();                                    // the group's position, after handling
          }
        } catch (WakeupException e) {
          // closing
        } finally {
          stopped.countDown();
        }
      }, "traffic-consumer-" + consumerNo);
      // snippet:end consume
      consumers.add(consumer);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  private void handle(int consumerNo, String key, long id, String observationJson) {
    handledByConsumer.computeIfAbsent(consumerNo, n -> new AtomicLong()).incrementAndGet();
    handledIds.add(id);
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "0" : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * Events handled per consumer (consumer number to count).
   *
   * @return the counts
   */
  public Map<Integer, Long> handledByConsumer() {
    Map<Integer, Long> out = new HashMap<>();
    handledByConsumer.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * The ids handled, over all consumers.
   *
   * @return a copy
   */
  public List<Long> handledIds() {
    synchronized (handledIds) {
      return new ArrayList<>(handledIds);
    }
  }

  /** Stops the consumers and waits for them (idempotent). */
  public void stop() {
    running.set(false);
    consumers.forEach(KafkaConsumer::wakeup);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Runs the group until the process is stopped.
   *
   * @param args bootstrap servers, topic, group id
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    String bootstrap = args.length > 0 ? args[0] : "localhost:9092";
    String topic = args.length > 1 ? args[1] : "shudu.traffic";
    String group = args.length > 2 ? args[2] : "rider-router";
    TrafficConsumerGroup g = new TrafficConsumerGroup(bootstrap, topic, group, 3);
    Runtime.getRuntime().addShutdownHook(new Thread(g::stop));
    new CountDownLatch(1).await();
  }
}
