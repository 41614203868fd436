package io.shudu.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.sandbox.Sandbox;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The rider-routing service on the sandbox: the traffic feed keeps publishing closures while the service crashes
 * between a handler's write and its commit, is stopped mid-feed and started again; every closure is then in the table
 * exactly once, and the REST route avoids the road closed last.
 */
class RiderRoutingApplicationTest {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Sandbox sandbox;
  static IotClient iot;

  @BeforeAll
  static void startSandbox() {
    sandbox = Sandbox.builder().simulationRate(0).start(); // outlives the service's contexts, as a platform does
    iot = IotClient.create(sandbox.clientConfig());
  }

  @AfterAll
  static void stopSandbox() {
    iot.close();
    sandbox.close();
  }

  /** Makes the next commit of the service's database fail after rolling back, as a crash before the commit would. */
  @Configuration(proxyBeanMethods = false)
  static class CrashBeforeCommit {
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicInteger CRASHES = new AtomicInteger();

    @Bean
    static BeanPostProcessor crashingDataSource() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          return bean instanceof DataSource ds && !(bean instanceof DelegatingDataSource) ? new Crashing(ds) : bean;
        }
      };
    }

    static final class Crashing extends DelegatingDataSource {
      Crashing(DataSource target) {
        super(target);
      }

      @Override
      public Connection getConnection() throws SQLException {
        Connection c = super.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit") && ARMED.compareAndSet(true, false)) {
                c.rollback();
                CRASHES.incrementAndGet();
                throw new SQLException("simulated crash between the handler's write and the commit");
              }
              try {
                return method.invoke(c, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
      }
    }
  }

  ConfigurableApplicationContext startService(String database) {
    return new SpringApplicationBuilder(RiderRoutingApplication.class, CrashBeforeCommit.class).run(
        "--server.port=0", "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
        "--shudu.endpoint=" + sandbox.baseUrl(), "--shudu.api-key=" + sandbox.tenant("demo").apiKey(),
        "--shudu.feeds.restart-delay=100ms", "--spring.datasource.url=" + database);
  }

  static HttpResponse<String> get(ConfigurableApplicationContext app, String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyClosureIsRecordedExactlyOnceThroughACrashAndARestartMidFeed() throws Exception {
    Map<Long, String> roads = new ConcurrentHashMap<>();
    for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.TRAFFIC, "Road closure")) {
      roads.put(d.id(), String.valueOf(d.thing().properties().get("code")));
    }
    long yecheng = roads.entrySet().stream().filter(e -> e.getValue().equals("JD-R01")).findFirst().orElseThrow()
        .getKey();
    List<Long> streams = new ArrayList<>(roads.keySet());
    Set<Long> published = ConcurrentHashMap.newKeySet();
    // the sandbox opens the traffic feed with its first event
    published.add(iot.observations().create(yecheng, Observation.of(Instant.now(), false)).id());

    String database = "jdbc:h2:mem:rider-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    CountDownLatch firstServiceStopped = new CountDownLatch(1);
    Thread publisher = new Thread(() -> {
      try {
        for (int i = 0; i < 80; i++) {
          if (i == 40) {
            firstServiceStopped.await(60, TimeUnit.SECONDS); // the rest is published while it is down or restarting
          }
          long stream = i == 79 ? yecheng : streams.get(i % streams.size());
          boolean closed = i == 79 || i % 3 == 0;
          published.add(iot.observations().create(stream, Observation.of(Instant.now(), closed)).id());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "traffic-police");

    ConfigurableApplicationContext first = startService(database);
    JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
    publisher.start();
    await().atMost(DEADLINE).until(() -> rows(jdbc) >= 10);
    CrashBeforeCommit.ARMED.set(true);
    await().atMost(DEADLINE).until(() -> CrashBeforeCommit.CRASHES.get() == 1);
    first.close(); // mid-feed: the police keep announcing closures
    firstServiceStopped.countDown();

    try (ConfigurableApplicationContext second = startService(database)) {
      JdbcTemplate db = new JdbcTemplate(second.getBean(DataSource.class));
      publisher.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(publisher.isAlive()).isFalse();
      assertThat(published).hasSize(81);
      await().atMost(DEADLINE).until(() -> rows(db) >= published.size());

      List<Long> recorded = db.queryForList("SELECT observation_id FROM road_closures", Long.class);
      assertThat(recorded).as("every closure exactly once").hasSize(published.size())
          .containsExactlyInAnyOrderElementsOf(published);

      HttpResponse<String> route = get(second, "/route?from=jd-j12&to=jd-j08");
      assertThat(route.statusCode()).isEqualTo(200);
      assertThat(route.body()).contains("\"avoided\":[").contains("jd-");
      String closedRoad = second.getBean(io.shudu.twin.TwinClient.class).entities()
          .query(io.shudu.twin.TwinQuery.builder().types(io.shudu.twin.EntityType.ROAD)
              .bbox(121.23, 31.33, 121.28, 31.40).build()).stream()
          .filter(e -> e.property("iotThingId").map(p -> "JD-R01".equals(String.valueOf(p.value()))).orElse(false))
          .findFirst().orElseThrow().id();
      assertThat(route.body()).contains("\"avoided\":[\"" + closedRoad + "\"")
          .doesNotContain("\"roads\":[\"" + closedRoad + "\"");

      HttpResponse<String> metric = get(second, "/actuator/metrics/rider.closures.recorded");
      assertThat(metric.statusCode()).isEqualTo(200);
      assertThat(metric.body()).contains("\"name\":\"rider.closures.recorded\"");
      // the SDK's own meters (sdk-micrometer, switched on by the starter): calls and the traffic feed's events
      HttpResponse<String> names = get(second, "/actuator/metrics");
      assertThat(names.body()).contains("\"shudu.client.calls\"", "\"shudu.feed.events\"", "\"shudu.feed.lag\"");
      HttpResponse<String> calls = get(second, "/actuator/metrics/shudu.client.calls?tag=outcome:SUCCESS");
      assertThat(calls.statusCode()).isEqualTo(200);
      assertThat(calls.body()).contains("\"name\":\"shudu.client.calls\"", "\"tag\":\"service\"",
          "\"tag\":\"operation\"");
      HttpResponse<String> events = get(second, "/actuator/metrics/shudu.feed.events?tag=outcome:handled");
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.body()).contains("\"name\":\"shudu.feed.events\"", "\"tag\":\"feed\"",
          "\"traffic\"", "\"tag\":\"consumer\"", "\"rider-routing/road-closures\"");
      HttpResponse<String> health = get(second, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"shudu\":{\"status\":\"UP\"").contains("\"tenant\":\"demo\"")
          .doesNotContain(sandbox.tenant("demo").apiKey());
    }
  }

  static long rows(JdbcTemplate jdbc) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM road_closures", Long.class);
  }
}
