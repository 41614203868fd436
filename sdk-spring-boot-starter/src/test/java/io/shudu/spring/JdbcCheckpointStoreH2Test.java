package io.shudu.spring;

import javax.sql.DataSource;

/** {@link JdbcCheckpointStore} on H2, in every build. */
class JdbcCheckpointStoreH2Test extends JdbcCheckpointStoreContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.h2();
  }
}
