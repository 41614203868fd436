package io.shudu.spring;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Feed checkpoints in a table of any JDBC database ({@code consumer} primary key, {@code event_id}). Connections are
 * taken through Spring's {@link DataSourceUtils}: inside a Spring-managed transaction on the same {@link DataSource}
 * (for example {@code @Transactional} or a {@code TransactionTemplate} with a {@code DataSourceTransactionManager}),
 * {@link #save} joins that transaction, so the checkpoint commits or rolls back together with the handler's own
 * writes. Feed listeners run by the starter do exactly that (see {@link ShuduFeedListener}), which makes their effects
 * exactly-once across crashes. Outside a transaction each call commits on its own. Thread-safe.
 *
 * <pre>{@code
 * CheckpointStore store = JdbcCheckpointStore.builder(dataSource).table("shudu_feed_checkpoints").build();
 * store.createSchema();   // or run JdbcCheckpointStore.schemaSql("shudu_feed_checkpoints") in your migrations
 * }</pre>
 */
public final class JdbcCheckpointStore implements CheckpointStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "shudu_feed_checkpoints";
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private final DataSource dataSource;
  private final String table;
  private final String select;
  private final String update;
  private final String insert;
  private final String delete;

  private JdbcCheckpointStore(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
    this.select = "SELECT event_id FROM " + table + " WHERE consumer = ?";
    this.update = "UPDATE " + table + " SET event_id = ?, updated_at = CURRENT_TIMESTAMP WHERE consumer = ?";
    this.insert = "INSERT INTO " + table + " (consumer, event_id, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)";
    this.delete = "DELETE FROM " + table + " WHERE consumer = ?";
  }

  /**
   * A store on a data source, with the default table.
   *
   * @param dataSource the data source
   * @return the store
   */
  public static JdbcCheckpointStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * A builder.
   *
   * @param dataSource the data source
   * @return the builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * The DDL of the checkpoint table, portable across H2, PostgreSQL, MySQL and other SQL databases; run it in your
   * migrations (Flyway, Liquibase) when the application must not create tables itself.
   *
   * @param table the table name
   * @return the {@code CREATE TABLE IF NOT EXISTS} statement
   */
  public static String schemaSql(String table) {
    return "CREATE TABLE IF NOT EXISTS " + checkTable(table) + " (\n"
        + "  consumer   VARCHAR(200) NOT NULL PRIMARY KEY,\n"
        + "  event_id   BIGINT       NOT NULL,\n"
        + "  updated_at TIMESTAMP    NOT NULL\n"
        + ")";
  }

  /**
   * Creates the table if it does not exist.
   *
   * @return this store
   * @throws ClientException if the statement fails
   */
  public JdbcCheckpointStore createSchema() {
    Connection c = DataSourceUtils.getConnection(dataSource);
    try (Statement s = c.createStatement()) {
      s.execute(schemaSql(table));
    } catch (SQLException e) {
      throw failure("could not create the checkpoint table " + table, e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
    return this;
  }

  /**
   * The table name.
   *
   * @return the table
   */
  public String table() {
    return table;
  }

  /**
   * The data source.
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public OptionalLong load(String consumer) {
    CheckpointStore.checkConsumer(consumer);
    Connection c = DataSourceUtils.getConnection(dataSource);
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, consumer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw failure("could not load the checkpoint of consumer '" + consumer + "' from " + table, e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Joins the current Spring-managed transaction on this store's data source, if any: the checkpoint is then
   * visible only when that transaction commits.
   */
  @Override
  public void save(String consumer, long eventId) {
    CheckpointStore.checkConsumer(consumer);
    Connection c = DataSourceUtils.getConnection(dataSource);
    try {
      if (updated(c, consumer, eventId)) {
        return;
      }
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        ps.setString(1, consumer);
        ps.setLong(2, eventId);
        ps.executeUpdate();
      } catch (SQLException e) {
        // another writer inserted the row first (unique key); our value wins as in a plain upsert
        if (!updated(c, consumer, eventId)) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw failure("could not save the checkpoint of consumer '" + consumer + "' to " + table, e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  /**
   * Forgets a consumer's checkpoint, so that its next subscription starts from its configured start position.
   * Joins the current Spring-managed transaction, as {@link #save} does.
   *
   * @param consumer the consumer name
   */
  @Override
  public void reset(String consumer) {
    CheckpointStore.checkConsumer(consumer);
    Connection c = DataSourceUtils.getConnection(dataSource);
    try (PreparedStatement ps = c.prepareStatement(delete)) {
      ps.setString(1, consumer);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("could not reset the checkpoint of consumer '" + consumer + "' in " + table, e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  private boolean updated(Connection c, String consumer, long eventId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(update)) {
      ps.setLong(1, eventId);
      ps.setString(2, consumer);
      return ps.executeUpdate() > 0;
    }
  }

  private static ClientException failure(String what, SQLException e) {
    return new ClientException("JdbcCheckpointStore: " + what + ": " + e.getMessage() + " (SQLState "
        + e.getSQLState() + "). Check the data source and that the table exists (shudu.checkpoints.initialize-schema "
        + "or JdbcCheckpointStore.schemaSql).", e, false);
  }

  private static String checkTable(String table) {
    if (table == null || !TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be an SQL identifier (letters, digits, underscores; optionally "
          + "schema.table), got '" + table + "'");
    }
    return table;
  }

  @Override
  public String toString() {
    return "JdbcCheckpointStore{table=" + table + "}";
  }

  /** Builds a {@link JdbcCheckpointStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = DEFAULT_TABLE;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The table (default {@value JdbcCheckpointStore#DEFAULT_TABLE}).
     *
     * @param name an SQL identifier, optionally schema-qualified
     * @return this builder
     */
    public Builder table(String name) {
      this.table = checkTable(name);
      return this;
    }

    /**
     * Builds the store (without touching the database).
     *
     * @return the store
     */
    public JdbcCheckpointStore build() {
      return new JdbcCheckpointStore(dataSource, table);
    }
  }
}
