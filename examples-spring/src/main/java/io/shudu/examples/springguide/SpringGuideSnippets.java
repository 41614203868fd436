package io.shudu.examples.springguide;

import io.shudu.core.ClientListener;
import io.shudu.iot.Observation;
import io.shudu.spring.FeedConsumer;
import io.shudu.spring.JdbcCheckpointStore;
import io.shudu.spring.ShuduClientConfigCustomizer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Spring guide's (docs/guide-spring.md) code as compiled regions, run by SpringGuideSnippetsTest. Outside the
 * rider-routing application's package so that its component scan does not pick these beans up.
 */
public final class SpringGuideSnippets {
  private SpringGuideSnippets() {}

  /** A {@link FeedConsumer} declared as a bean, and the extension points of the client configuration. */
  @Configuration(proxyBeanMethods = false)
  public static class WaterQualityConfig {
    /** Dissolved-oxygen readings seen, by datastream (for the test). */
    public final Map<String, Object> latest = new ConcurrentHashMap<>();
    /** SDK operations that ended (for the test). */
    public final Set<String> operations = ConcurrentHashMap.newKeySet();

    // snippet:start feed-consumer-bean
    /**
     * The water-quality feed's readings, as a bean: its keys could be computed at start-up.
     *
     * @return the consumer, started and stopped with the context
     */
    @Bean
    public FeedConsumer<Observation> waterQuality() {
      return FeedConsumer.builder("water-quality", Observation.class,
              event -> latest.put(event.key(), event.payload().result()))
          .consumer("river-watch/water-quality")     // keys its checkpoint; keep it stable
          .start(FeedConsumer.Start.EARLIEST)        // without a checkpoint: from the oldest kept event
          .build();
    }
    // snippet:end feed-consumer-bean

    // snippet:start listener-bean
    /**
     * Every {@code ClientListener} bean is added to the clients' configuration (metrics and tracing modules plug in
     * the same way), and customizers adjust the rest.
     *
     * @return the listener
     */
    @Bean
    public ClientListener callLog() {
      return new ClientListener() {
        @Override
        public void callEnded(Call call) {
          operations.add(call.operation());
        }
      };
    }

    /**
     * Logs the values of fewer query parameters.
     *
     * @return the customizer
     */
    @Bean
    public ShuduClientConfigCustomizer quietLogs() {
      return builder -> builder.loggedQueryParameters(Set.of("limit"));
    }
    // snippet:end listener-bean
  }

  /**
   * The JDBC checkpoint store without the starter's feed listeners: the checkpoint commits with your writes.
   *
   * @param dataSource the database
   * @param tx a transaction template on the same data source
   * @param eventId the id of the event handled
   * @return the consumer's checkpoint after the transaction
   */
  public static long manualCheckpoint(DataSource dataSource, TransactionTemplate tx, long eventId) {
    // snippet:start jdbc-store
    JdbcCheckpointStore store = JdbcCheckpointStore.builder(dataSource)
        .table("shudu_feed_checkpoints")
        .build()
        .createSchema();   // or run JdbcCheckpointStore.schemaSql("shudu_feed_checkpoints") in your migrations
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    tx.executeWithoutResult(status -> {
      jdbc.update("INSERT INTO road_closures (event_id, road, closed, announced_at) VALUES (?, ?, ?, ?)",
          eventId, "JD-R01", true, java.sql.Timestamp.from(java.time.Instant.now()));
      store.save("rider-routing/manual", eventId);   // same transaction: both or neither
    });
    // snippet:end jdbc-store
    return store.load("rider-routing/manual").orElseThrow();
  }
}
