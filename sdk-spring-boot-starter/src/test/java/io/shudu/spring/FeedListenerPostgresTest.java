package io.shudu.spring;

import javax.sql.DataSource;

/** Feed listeners with the JDBC checkpoint store on PostgreSQL, when SHUDU_TEST_POSTGRES_URL is set. */
@org.junit.jupiter.api.extension.ExtendWith(TestDatabases.RequiresPostgres.class)
class FeedListenerPostgresTest extends FeedListenerContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.postgres();
  }
}
