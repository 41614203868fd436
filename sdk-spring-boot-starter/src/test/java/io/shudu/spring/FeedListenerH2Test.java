package io.shudu.spring;

import javax.sql.DataSource;

/** Feed listeners with the JDBC checkpoint store on H2, in every build. */
class FeedListenerH2Test extends FeedListenerContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.h2();
  }
}
