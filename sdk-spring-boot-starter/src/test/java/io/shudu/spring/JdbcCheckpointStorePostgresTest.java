package io.shudu.spring;

import javax.sql.DataSource;

/** {@link JdbcCheckpointStore} on PostgreSQL, when SHUDU_TEST_POSTGRES_URL is set (.ci/run sets it). */
class JdbcCheckpointStorePostgresTest extends JdbcCheckpointStoreContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.postgres();
  }
}
