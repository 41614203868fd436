package io.shudu.spring.autoconfigure;

import io.shudu.core.CheckpointStore;
import io.shudu.spring.JdbcCheckpointStore;
import io.shudu.spring.ShuduProperties;
import io.shudu.spring.internal.FeedHandlerDecorator;
import io.shudu.spring.internal.TransactionalFeedHandlers;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * With a {@link DataSource} (and spring-jdbc), a {@link JdbcCheckpointStore} for the feed consumers, its table created
 * at start-up unless {@code shudu.checkpoints.initialize-schema=false}; with a {@link PlatformTransactionManager}
 * too, each feed handler and its checkpoint run in one transaction. Runs after Boot's data source and transaction
 * manager auto-configurations of both Boot lines (their packages differ).
 */
@AutoConfiguration(before = ShuduAutoConfiguration.class, afterName = {
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnClass({DataSourceUtils.class, PlatformTransactionManager.class})
@EnableConfigurationProperties(ShuduProperties.class)
public class ShuduJdbcAutoConfiguration {
  /** Creates the auto-configuration. */
  public ShuduJdbcAutoConfiguration() {}

  /**
   * The JDBC checkpoint store.
   *
   * @param dataSource the application's data source
   * @param properties the properties (shudu.checkpoints.*)
   * @return the store
   */
  @Bean
  @ConditionalOnMissingBean(CheckpointStore.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnProperty(prefix = "shudu.checkpoints", name = "enabled", matchIfMissing = true)
  public JdbcCheckpointStore shuduCheckpointStore(DataSource dataSource, ShuduProperties properties) {
    ShuduProperties.Checkpoints p = properties.getCheckpoints();
    JdbcCheckpointStore.Builder b = JdbcCheckpointStore.builder(dataSource);
    try {
      b.table(p.getTable());
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException("shudu.checkpoints.table", p.getTable(), e.getMessage());
    }
    JdbcCheckpointStore store = b.build();
    return p.isInitializeSchema() ? store.createSchema() : store;
  }

  /**
   * Runs feed handlers and their checkpoints in one transaction.
   *
   * @param transactionManager the transaction manager
   * @return the decorator
   */
  @Bean
  @ConditionalOnMissingBean(FeedHandlerDecorator.class)
  @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
  public FeedHandlerDecorator shuduTransactionalFeedHandlers(PlatformTransactionManager transactionManager) {
    return new TransactionalFeedHandlers(transactionManager);
  }
}
