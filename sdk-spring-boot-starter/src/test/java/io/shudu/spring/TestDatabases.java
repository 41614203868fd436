package io.shudu.spring;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Databases for the JDBC tests: H2 in memory in every build; PostgreSQL when {@code SHUDU_TEST_POSTGRES_URL} (a JDBC
 * URL with user and password) is set in the environment or as a system property, as .ci/run does after starting a
 * cluster from Debian's postgresql package.
 */
final class TestDatabases {
  static final String POSTGRES_URL_VARIABLE = "SHUDU_TEST_POSTGRES_URL";

  private static volatile boolean skipReported;

  private TestDatabases() {}

  /** A new, empty H2 database in memory that lives until the JVM ends. */
  static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return ds;
  }

  /** The PostgreSQL database of {@code SHUDU_TEST_POSTGRES_URL}; skips the calling test when it is not set. */
  static DataSource postgres() {
    String url = postgresUrl();
    if (url == null) {
      String message = "PostgreSQL tests SKIPPED: " + POSTGRES_URL_VARIABLE + " is not set. .ci/run starts PostgreSQL "
          + "from Debian's package and sets it; locally: " + POSTGRES_URL_VARIABLE
          + "=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres ./mvnw -pl sdk-spring-boot-starter -am verify";
      if (!skipReported) {
        skipReported = true;
        System.out.println("[WARNING] " + message); // the console shows it: test output is not redirected here
      }
      Assumptions.abort(message);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    return ds;
  }

  static String postgresUrl() {
    String url = System.getProperty(POSTGRES_URL_VARIABLE, System.getenv(POSTGRES_URL_VARIABLE));
    return url == null || url.isBlank() ? null : url;
  }

  /** Skips a whole test class (before its @BeforeAll) when PostgreSQL is not configured, and says so. */
  static final class RequiresPostgres implements org.junit.jupiter.api.extension.ExecutionCondition {
    @Override
    public org.junit.jupiter.api.extension.ConditionEvaluationResult evaluateExecutionCondition(
        org.junit.jupiter.api.extension.ExtensionContext context) {
      if (postgresUrl() != null) {
        return org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("PostgreSQL configured");
      }
      String message = "PostgreSQL tests SKIPPED: " + POSTGRES_URL_VARIABLE + " is not set. .ci/run starts PostgreSQL "
          + "from Debian's package and sets it; locally: " + POSTGRES_URL_VARIABLE
          + "=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres ./mvnw -pl sdk-spring-boot-starter -am verify";
      if (!skipReported) {
        skipReported = true;
        System.out.println("[WARNING] " + message); // the console shows it: test output is not redirected here
      }
      return org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled(message);
    }
  }

  /** A table name no other test uses (PostgreSQL is shared between runs). */
  static String uniqueTable(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
