package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shudu.core.FeedEvent;
import io.shudu.core.FeedSubscription;
import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.autoconfigure.ShuduActuatorAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduJdbcAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduSandboxAutoConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Feed listeners run by the context against the sandbox's traffic feed, with the JDBC checkpoint store in the
 * handler's transaction: each published observation is written exactly once, through handler failures and a context
 * stop in the middle of an event. Run on H2 and PostgreSQL.
 */
abstract class FeedListenerContract {
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static Sandbox sandbox;
  static IotClient iot;
  static long datastream;

  DataSource dataSource;
  JdbcTemplate jdbc;
  String consumer;
  ApplicationContextRunner runner;

  abstract DataSource dataSource();

  @BeforeAll
  static void startSandbox() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    iot = IotClient.create(sandbox.clientConfig());
    Datastream closures = iot.feeds().datastreams(ProgrammeFeed.TRAFFIC, "Road closure").iterator().next();
    datastream = closures.id();
    // the sandbox opens a feed with its first event (no simulated events here: simulationRate 0)
    iot.observations().create(datastream, Observation.of(Instant.now(), false));
  }

  @AfterAll
  static void stopSandbox() {
    iot.close();
    sandbox.close();
  }

  @BeforeEach
  void setUp() {
    dataSource = dataSource();
    jdbc = new JdbcTemplate(dataSource);
    consumer = TestDatabases.uniqueTable("closures");
    jdbc.execute("CREATE TABLE " + consumer + " (event_id BIGINT NOT NULL, marker BIGINT NOT NULL)");
    runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ShuduSandboxAutoConfiguration.class,
            ShuduJdbcAutoConfiguration.class, ShuduAutoConfiguration.class, ShuduActuatorAutoConfiguration.class))
        .withPropertyValues("shudu.endpoint=" + sandbox.baseUrl(), "shudu.api-key=" + sandbox.tenant("demo").apiKey(),
            "shudu.feeds.restart-delay=100ms", "shudu.checkpoints.table=" + consumer + "_cp")
        .withBean(DataSource.class, () -> dataSource)
        .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(dataSource))
        .withBean("closures", Closures.class, () -> new Closures(jdbc, consumer));
  }

  /** A partner's listener: writes each closure observation's marker to its table. */
  static class Closures {
    final JdbcTemplate jdbc;
    final String table;
    final Map<Long, AtomicInteger> attempts = new ConcurrentHashMap<>();
    volatile long failOnceAt = -1;
    volatile long blockAt = -1;
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    Closures(JdbcTemplate jdbc, String table) {
      this.jdbc = jdbc;
      this.table = table;
    }

    @ShuduFeedListener(feed = "traffic", start = FeedConsumer.Start.EARLIEST)
    void onTraffic(FeedEvent<Observation> event) throws InterruptedException {
      if (!(event.payload().result() instanceof Number n)) {
        return; // not one of the test's markers
      }
      long marker = n.longValue();
      jdbc.update("INSERT INTO " + table + " (event_id, marker) VALUES (?, ?)", event.id(), marker);
      int attempt = attempts.computeIfAbsent(marker, m -> new AtomicInteger()).incrementAndGet();
      if (marker == failOnceAt && attempt == 1) {
        throw new IllegalStateException("crash after the write, before the commit");
      }
      if (marker == blockAt) {
        blocked.countDown();
        release.await(30, TimeUnit.SECONDS);
      }
    }
  }

  static void publish(long fromMarker, long toMarker) {
    for (long m = fromMarker; m <= toMarker; m++) {
      iot.observations().create(datastream, Observation.of(Instant.now(), m));
    }
  }

  String consumerName(ConfigurableApplicationContext context) {
    return context.getBean(FeedListenerContainer.class).consumers().get(0);
  }

  void awaitConnected(ConfigurableApplicationContext context) throws InterruptedException {
    FeedSubscription s = context.getBean(FeedListenerContainer.class).subscription(consumerName(context)).orElseThrow();
    assertThat(s.awaitConnected(DEADLINE)).isTrue();
  }

  long count(long fromMarker, long toMarker) {
    return jdbc.queryForObject("SELECT COUNT(DISTINCT marker) FROM " + consumer + " WHERE marker BETWEEN ? AND ?",
        Long.class, fromMarker, toMarker);
  }

  List<Map<String, Object>> duplicates() {
    return jdbc.queryForList("SELECT marker, COUNT(*) AS n FROM " + consumer + " GROUP BY marker HAVING COUNT(*) > 1");
  }

  long markerBase() {
    return System.nanoTime() & 0xFFFFFFFFL << 8;
  }

  @Test
  void eachEventIsWrittenOnceWithItsCheckpointInTheSameTransaction() {
    long base = markerBase();
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      FeedListenerContainer container = context.getBean(FeedListenerContainer.class);
      String name = consumerName(context);
      assertThat(name).isEqualTo("closures.onTraffic");
      assertThat(container.transactional(name)).isTrue();
      awaitConnected(context);
      publish(base + 1, base + 20);
      await().atMost(DEADLINE).until(() -> count(base + 1, base + 20) == 20);
      container.stop();
      long lastWritten = jdbc.queryForObject("SELECT MAX(event_id) FROM " + consumer, Long.class);
      assertThat(context.getBean(JdbcCheckpointStore.class).load(name)).hasValue(lastWritten);
      assertThat(duplicates()).isEmpty();
    });
  }

  @Test
  void aFailedHandlerRollsBackAndGetsTheEventAgain() {
    long base = markerBase();
    runner.run(context -> {
      Closures closures = context.getBean(Closures.class);
      closures.failOnceAt = base + 7;
      awaitConnected(context);
      publish(base + 1, base + 15);
      await().atMost(DEADLINE).until(() -> count(base + 1, base + 15) == 15);
      context.getBean(FeedListenerContainer.class).stop();
      assertThat(closures.attempts.get(base + 7)).hasValue(2);
      assertThat(duplicates()).as("the failed attempt's write was rolled back").isEmpty();
    });
  }

  @Test
  void stoppingTheContextFinishesTheEventInHandAndARestartContinuesAfterIt() throws Exception {
    long base = markerBase();
    runner.run(context -> {
      Closures closures = context.getBean(Closures.class);
      closures.blockAt = base + 5;
      awaitConnected(context);
      publish(base + 1, base + 10);
      assertThat(closures.blocked.await(30, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(context::close, "closer");
      closer.start();
      FeedListenerContainer container = context.getBean(FeedListenerContainer.class);
      await().atMost(DEADLINE).until(() -> !container.isRunning()); // stop() began and waits for the event in hand
      closures.release.countDown();
      closer.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(closer.isAlive()).isFalse();
      assertThat(count(base + 5, base + 5)).as("the event in hand finished and committed").isEqualTo(1);
    });
    long fifth = jdbc.queryForObject("SELECT event_id FROM " + consumer + " WHERE marker = ?", Long.class, base + 5);
    assertThat(JdbcCheckpointStore.builder(dataSource).table(consumer + "_cp").build().load("closures.onTraffic")
        .orElseThrow()).as("checkpoint saved at stop").isGreaterThanOrEqualTo(fifth);
    publish(base + 11, base + 12); // published while the application is down
    runner.run(context -> {
      await().atMost(DEADLINE).until(() -> count(base + 1, base + 12) == 12);
      context.getBean(FeedListenerContainer.class).stop();
      assertThat(duplicates()).isEmpty();
    });
  }

  @Test
  void feedConsumerBeansAndPayloadParameters() {
    long base = markerBase();
    Map<Long, Integer> seenByBean = new ConcurrentHashMap<>();
    Map<Long, Integer> seenByMethod = new ConcurrentHashMap<>();
    runner.withBean("waterWatch", FeedConsumer.class, () -> FeedConsumer.builder("traffic", Observation.class,
            e -> seenByBean.merge(((Number) e.payload().result()).longValue(), 1, Integer::sum))
            .keys(List.of(Long.toString(datastream))).transactional(false).build())
        .withBean(PayloadOnly.class, () -> new PayloadOnly(seenByMethod))
        .run(context -> {
          FeedListenerContainer container = context.getBean(FeedListenerContainer.class);
          assertThat(container.consumers()).contains("waterWatch", "payload-only");
          assertThat(container.transactional("waterWatch")).isFalse();
          for (String name : container.consumers()) {
            assertThat(container.subscription(name).orElseThrow().awaitConnected(DEADLINE)).isTrue();
          }
          publish(base + 1, base + 5);
          await().atMost(DEADLINE).until(() -> seenByBean.keySet().containsAll(markers(base, 5))
              && seenByMethod.keySet().containsAll(markers(base, 5)));
          container.stop();
          assertThat(context.getBean(JdbcCheckpointStore.class).load("waterWatch")).isPresent();
          assertThat(context.getBean(JdbcCheckpointStore.class).load("payload-only")).isPresent();
        });
  }

  static List<Long> markers(long base, int n) {
    return java.util.stream.LongStream.rangeClosed(base + 1, base + n).boxed().toList();
  }

  /** A listener taking the payload only. */
  static class PayloadOnly {
    final Map<Long, Integer> seen;

    PayloadOnly(Map<Long, Integer> seen) {
      this.seen = seen;
    }

    @ShuduFeedListener(feed = "traffic", consumer = "payload-only")
    void on(Observation o) {
      if (o.result() instanceof Number n) {
        seen.merge(n.longValue(), 1, Integer::sum);
      }
    }
  }
}
