package io.shudu.spring.internal;

import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.ShuduException;
import io.shudu.spring.JdbcCheckpointStore;
import java.lang.reflect.Method;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event's handler and {@link JdbcCheckpointStore#save} in one Spring transaction: both commit, or neither
 * does. Only when the transaction manager manages the store's {@link DataSource}: otherwise the checkpoint would be
 * written on a connection of its own and the promise would not hold, so {@link #supports} fails start-up instead.
 * Not an API.
 */
public final class TransactionalFeedHandlers implements FeedHandlerDecorator {
  private final PlatformTransactionManager transactionManager;
  private final TransactionTemplate tx;

  /**
   * Creates the decorator.
   *
   * @param transactionManager the transaction manager of the store's data source
   */
  public TransactionalFeedHandlers(PlatformTransactionManager transactionManager) {
    this.transactionManager = transactionManager;
    this.tx = new TransactionTemplate(transactionManager);
  }

  /**
   * Whether the handler and checkpoint can commit in one transaction: the store is a {@link JdbcCheckpointStore} on
   * the data source the transaction manager manages.
   *
   * @param store the checkpoint store
   * @return true for a JDBC store on the managed data source, false for any other store
   * @throws IllegalStateException for a JDBC store on a data source the transaction manager does not manage
   */
  @Override
  public boolean supports(CheckpointStore store) {
    if (!(store instanceof JdbcCheckpointStore jdbc)) {
      return false;
    }
    DataSource storeSource = unwrap(jdbc.dataSource());
    DataSource managed = managedDataSource(transactionManager);
    if (managed != null && unwrap(managed) == storeSource) {
      return true;
    }
    throw new IllegalStateException("The feed consumers' JdbcCheckpointStore keeps its checkpoints in data source "
        + describe(storeSource) + ", but the transaction manager " + transactionManager.getClass().getName()
        + (managed == null ? " manages no JDBC data source" : " manages data source " + describe(managed))
        + ", so a handler's writes and its checkpoint cannot commit in one transaction (exactly-once). Fix one of: "
        + "make the application's single PlatformTransactionManager manage the store's data source (for example "
        + "new DataSourceTransactionManager(dataSource)); define the CheckpointStore bean yourself on the data source "
        + "the transaction manager manages (JdbcCheckpointStore.builder(dataSource).build()); or accept "
        + "at-least-once delivery for this consumer with @ShuduFeedListener(transactional = false) or "
        + "FeedConsumer.Builder.transactional(false).");
  }

  /** The JDBC data source a transaction manager binds connections for, or null when it has none. */
  static DataSource managedDataSource(PlatformTransactionManager tm) {
    if (tm instanceof ResourceTransactionManager rtm && rtm.getResourceFactory() instanceof DataSource ds) {
      return ds;
    }
    // JpaTransactionManager and HibernateTransactionManager expose their JDBC connection for this data source
    try {
      Method m = tm.getClass().getMethod("getDataSource");
      return m.invoke(tm) instanceof DataSource ds ? ds : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The data source whose connections a transaction binds: Spring's transaction managers unwrap a
   * {@link TransactionAwareDataSourceProxy} to its target, and {@code DataSourceUtils} reaches the target through it.
   */
  private static DataSource unwrap(DataSource ds) {
    DataSource d = ds;
    while (d instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
      d = proxy.getTargetDataSource();
    }
    return d;
  }

  private static String describe(DataSource ds) {
    return ds.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(ds));
  }

  @Override
  public <T> FeedHandler<T> decorate(FeedHandler<T> handler, CheckpointStore store, String consumer) {
    return new FeedHandler<>() {
      @Override
      public void onEvent(FeedEvent<T> event) throws Exception {
        try {
          tx.executeWithoutResult(status -> {
            try {
              handler.onEvent(event);
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new Checked(e);
            }
            store.save(consumer, event.id());
          });
        } catch (Checked e) {
          throw (Exception) e.getCause();
        }
      }

      @Override
      public void onGap(FeedGapException gap) {
        tx.executeWithoutResult(status -> {
          handler.onGap(gap);
          store.save(consumer, gap.oldestAvailable() - 1);
        });
      }

      @Override
      public void onError(ShuduException error) {
        handler.onError(error);
      }
    };
  }

  /** Carries a checked exception through the transaction callback. */
  private static final class Checked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Checked(Exception cause) {
      super(cause);
    }
  }
}
