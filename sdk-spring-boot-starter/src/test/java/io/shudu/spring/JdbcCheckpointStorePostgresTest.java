package io.shudu.spring;

import javax.sql.DataSource;

/** {@link JdbcCheckpointStore} on PostgreSQL, when SHUDU_TEST_POSTGRES_URL is set (.ci/run sets it). */
@org.junit.jupiter.api.extension.ExtendWith(TestDatabases.RequiresPostgres.class)
class JdbcCheckpointStorePostgresTest extends JdbcCheckpointStoreContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.postgres();
  }
}
