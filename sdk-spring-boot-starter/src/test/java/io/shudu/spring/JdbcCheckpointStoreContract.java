package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.ClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What every database must do for {@link JdbcCheckpointStore}; run against H2 and PostgreSQL. */
abstract class JdbcCheckpointStoreContract {
  DataSource dataSource;
  JdbcCheckpointStore store;
  JdbcTemplate jdbc;
  TransactionTemplate tx;
  String effects;

  abstract DataSource dataSource();

  @BeforeEach
  void setUp() {
    dataSource = dataSource();
    store = JdbcCheckpointStore.builder(dataSource).table(TestDatabases.uniqueTable("cp")).build().createSchema();
    jdbc = new JdbcTemplate(dataSource);
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    effects = TestDatabases.uniqueTable("effects");
    jdbc.execute("CREATE TABLE " + effects + " (event_id BIGINT NOT NULL)");
  }

  @Test
  void savesLoadsMovesAndResets() {
    assertThat(store.load("rider/traffic")).isEmpty();
    store.save("rider/traffic", 41);
    store.save("rider/traffic", 42);
    store.save("other", 7);
    assertThat(store.load("rider/traffic")).hasValue(42);
    assertThat(store.load("other")).hasValue(7);
    store.reset("rider/traffic");
    assertThat(store.load("rider/traffic")).isEmpty();
    assertThat(store.load("other")).hasValue(7);
  }

  @Test
  void hostileConsumerNamesAreDataNotSql() {
    String name = "x'); DROP TABLE " + store.table() + "; -- 数都";
    store.save(name, 9);
    assertThat(store.load(name)).hasValue(9);
    assertThat(store.load("x")).isEmpty();
    assertThatThrownBy(() -> store.save("bad\nname", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consumer");
  }

  @Test
  void checkpointCommitsWithTheHandlersWrites() {
    tx.executeWithoutResult(s -> {
      jdbc.update("INSERT INTO " + effects + " VALUES (?)", 5L);
      store.save("c", 5);
    });
    assertThat(store.load("c")).hasValue(5);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + effects, Long.class)).isEqualTo(1);
  }

  @Test
  void checkpointRollsBackWithTheHandlersWrites() {
    store.save("c", 4);
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
      jdbc.update("INSERT INTO " + effects + " VALUES (?)", 5L);
      store.save("c", 5);
      assertThat(store.load("c")).as("visible inside the transaction").hasValue(5);
      throw new IllegalStateException("crash before commit");
    })).hasMessage("crash before commit");
    assertThat(store.load("c")).hasValue(4);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + effects, Long.class)).isZero();
  }

  @Test
  void firstCheckpointOfAConsumerAlsoRollsBack() {
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
      store.save("new", 1);
      throw new IllegalStateException("crash");
    })).hasMessage("crash");
    assertThat(store.load("new")).isEmpty();
  }

  @Test
  void schemaIsIdempotentAndAvailableAsSql() {
    store.createSchema();
    assertThat(JdbcCheckpointStore.schemaSql("my_schema.cps")).startsWith("CREATE TABLE IF NOT EXISTS my_schema.cps");
    assertThatThrownBy(() -> JdbcCheckpointStore.builder(dataSource).table("cp; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SQL identifier");
  }

  @Test
  void missingTableFailsWithAClearMessage() {
    JdbcCheckpointStore absent = JdbcCheckpointStore.builder(dataSource).table(TestDatabases.uniqueTable("none"))
        .build();
    assertThatThrownBy(() -> absent.load("c")).isInstanceOf(ClientException.class)
        .hasMessageContaining("could not load the checkpoint of consumer 'c'")
        .hasMessageContaining("initialize-schema");
  }

  @Test
  void concurrentConsumersKeepTheirOwnCheckpoints() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String consumer = "consumer-" + c;
        done.add(pool.submit(() -> {
          for (long id = 1; id <= 50; id++) {
            store.save(consumer, id);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int c = 0; c < 4; c++) {
      assertThat(store.load("consumer-" + c)).isEqualTo(OptionalLong.of(50));
    }
  }
}
