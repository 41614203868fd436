package io.shudu.spring.internal;

import io.shudu.core.CheckpointStore;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.ShuduException;
import io.shudu.spring.JdbcCheckpointStore;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event's handler and {@link JdbcCheckpointStore#save} in one Spring transaction: both commit, or neither
 * does. Not an API.
 */
public final class TransactionalFeedHandlers implements FeedHandlerDecorator {
  private final TransactionTemplate tx;

  /**
   * Creates the decorator.
   *
   * @param transactionManager the transaction manager of the store's data source
   */
  public TransactionalFeedHandlers(PlatformTransactionManager transactionManager) {
    this.tx = new TransactionTemplate(transactionManager);
  }

  @Override
  public boolean supports(CheckpointStore store) {
    return store instanceof JdbcCheckpointStore;
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
