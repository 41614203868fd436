package io.shudu.examples.springguide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.FeedListenerContainer;
import io.shudu.spring.JdbcCheckpointStore;
import io.shudu.twin.TwinClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs the Spring guide's snippets (SpringGuideSnippets) on the sandbox. */
class SpringGuideSnippetsTest {

  /** A bare application with the guide's beans. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void feedConsumerBeanListenerAndCustomizer() {
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class,
        SpringGuideSnippets.WaterQualityConfig.class).web(org.springframework.boot.WebApplicationType.NONE)
        .run("--shudu.sandbox.enabled=true", "--shudu.sandbox.simulation-rate=0", "--spring.main.banner-mode=off",
            "--spring.datasource.url=jdbc:h2:mem:guide-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "--shudu.feeds.restart-delay=100ms")) {
      Sandbox sandbox = app.getBean(Sandbox.class);
      SpringGuideSnippets.WaterQualityConfig config = app.getBean(SpringGuideSnippets.WaterQualityConfig.class);
      FeedListenerContainer container = app.getBean(FeedListenerContainer.class);
      assertThat(container.consumers()).contains("river-watch/water-quality");
      assertThat(container.transactional("river-watch/water-quality")).isTrue();
      try (IotClient iot = IotClient.create(sandbox.clientConfig())) {
        Datastream oxygen = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").iterator().next();
        iot.observations().create(oxygen.id(), Observation.of(Instant.now(), 6.8));
        await().atMost(Duration.ofSeconds(60)).until(() -> config.latest.containsKey(Long.toString(oxygen.id())));
      }
      app.getBean(TwinClient.class).entities().get("lg-bldg-0001");
      assertThat(config.operations).contains("twin.entities.get");
      container.stop();
      assertThat(app.getBean(JdbcCheckpointStore.class).load("river-watch/water-quality")).isPresent();
    }
  }

  @Test
  void jdbcStoreCommitsWithTheWrites() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:guide-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    DataSource dataSource = ds;
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.execute("CREATE TABLE road_closures (event_id BIGINT, observation_id BIGINT, road VARCHAR(40), "
        + "closed BOOLEAN, announced_at TIMESTAMP)");
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    assertThat(SpringGuideSnippets.manualCheckpoint(dataSource, tx, 42)).isEqualTo(42);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM road_closures", Long.class)).isEqualTo(1);
  }
}
