package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.exchange.ExchangeClient;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.autoconfigure.ShuduActuatorAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduJdbcAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduSandboxAutoConfiguration;
import io.shudu.twin.TwinClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.PlatformTransactionManager;

/** The shudu.* properties, the beans the starter creates, and start-up failures that name the property. */
class ShuduAutoConfigurationTest {
  static final String SECRET = "sk_live_TOPSECRET_0123456789";
  static Sandbox sandbox;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ShuduSandboxAutoConfiguration.class, ShuduJdbcAutoConfiguration.class,
          ShuduAutoConfiguration.class, ShuduActuatorAutoConfiguration.class));

  @BeforeAll
  static void startSandbox() {
    sandbox = Sandbox.builder().simulationRate(0).start();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  String[] sandboxProperties() {
    return new String[] {"shudu.endpoint=" + sandbox.baseUrl(), "shudu.api-key=" + sandbox.tenant("demo").apiKey()};
  }

  @Test
  void propertiesBecomeTheClientConfig() {
    runner.withPropertyValues("shudu.endpoint=https://api.shudu.example/", "shudu.api-key=" + SECRET,
        "shudu.connect-timeout=2s", "shudu.attempt-timeout=7s", "shudu.call-timeout=1m", "shudu.retry.max-attempts=5",
        "shudu.retry.base-delay=50ms", "shudu.user-agent-suffix=rider-routing/1.0").run(context -> {
          assertThat(context).hasNotFailed();
          ClientConfig config = context.getBean(ClientConfig.class);
          assertThat(config.endpoint()).isEqualTo(URI.create("https://api.shudu.example"));
          assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
          assertThat(config.attemptTimeout()).isEqualTo(Duration.ofSeconds(7));
          assertThat(config.callTimeout()).isEqualTo(Duration.ofMinutes(1));
          assertThat(config.retryPolicy().maxAttempts()).isEqualTo(5);
          assertThat(config.retryPolicy().baseDelay()).isEqualTo(Duration.ofMillis(50));
          assertThat(config.userAgentSuffix()).isEqualTo("rider-routing/1.0");
          assertThat(config.toString()).doesNotContain(SECRET);
          assertThat(context.getBean(ShuduProperties.class).toString()).doesNotContain(SECRET)
              .contains("apiKey=******");
        });
  }

  @Test
  void perServiceOverridesApplyToThatServiceOnly() {
    runner.withPropertyValues("shudu.endpoint=https://api.shudu.example", "shudu.api-key=" + SECRET,
        "shudu.call-timeout=1m", "shudu.iot.call-timeout=5m", "shudu.iot.retry.max-attempts=7",
        "shudu.exchange.endpoint=https://exchange.shudu.example").run(context -> {
          ShuduProperties p = context.getBean(ShuduProperties.class);
          ClientConfig base = context.getBean(ClientConfig.class);
          ClientConfig iot = p.forService("iot", base, true);
          assertThat(iot.callTimeout()).isEqualTo(Duration.ofMinutes(5));
          assertThat(iot.retryPolicy().maxAttempts()).isEqualTo(7);
          assertThat(iot.endpoint()).isEqualTo(base.endpoint());
          assertThat(p.forService("twin", base, true)).isSameAs(base);
          ClientConfig exchange = p.forService("exchange", base, true);
          assertThat(exchange.endpoint()).isEqualTo(URI.create("https://exchange.shudu.example"));
          assertThat(exchange.callTimeout()).isEqualTo(Duration.ofMinutes(1));
        });
  }

  @Test
  void eachCredentialSchemeIsBound() {
    runner.withPropertyValues("shudu.endpoint=" + sandbox.baseUrl(),
        "shudu.access-key.id=" + sandbox.tenant("demo").accessKeyId(),
        "shudu.access-key.secret=" + sandbox.tenant("demo").secretAccessKey()).run(context -> {
          assertThat(context.getBean(ShuduHealthCheck.class).check().details()).containsEntry("tenant", "demo")
              .containsEntry("authentication", "aksk");
          assertThat(context.getBean(ClientConfig.class).toString())
              .doesNotContain(sandbox.tenant("demo").secretAccessKey());
        });
    // OAuth2 without a token URL uses the platform's {endpoint}/oauth2/token
    runner.withPropertyValues("shudu.endpoint=" + sandbox.baseUrl(),
        "shudu.oauth2.client-id=" + sandbox.tenant("demo").clientId(),
        "shudu.oauth2.client-secret=" + sandbox.tenant("demo").clientSecret()).run(context ->
          assertThat(context.getBean(ShuduHealthCheck.class).check().details()).containsEntry("tenant", "demo")
              .containsEntry("authentication", "oauth2"));
    runner.withPropertyValues(sandboxProperties()).run(context ->
        assertThat(context.getBean(ShuduHealthCheck.class).check().details()).containsEntry("authentication",
            "api-key"));
  }

  @Test
  void clientBeansForEachModuleOnTheClassPathAndClosedAtShutdown() {
    TwinClient[] twin = new TwinClient[1];
    IotClient[] iot = new IotClient[1];
    ExchangeClient[] exchange = new ExchangeClient[1];
    runner.withPropertyValues(sandboxProperties()).run(context -> {
      assertThat(context).hasSingleBean(TwinClient.class).hasSingleBean(IotClient.class)
          .hasSingleBean(ExchangeClient.class);
      twin[0] = context.getBean(TwinClient.class);
      iot[0] = context.getBean(IotClient.class);
      exchange[0] = context.getBean(ExchangeClient.class);
      assertThat(twin[0].entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
      for (String name : List.of("twinClient", "iotClient", "exchangeClient")) {
        assertThat(((org.springframework.beans.factory.support.AbstractBeanDefinition) context.getBeanFactory()
            .getBeanDefinition(name)).getDestroyMethodNames()).containsExactly("close");
      }
    });
    // the context is closed: its clients refuse calls instead of working on after shutdown
    assertThatThrownBy(() -> twin[0].entities().get("lg-bldg-0001")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed twin client");
    assertThatThrownBy(() -> iot[0].things().get(1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed iot client");
    assertThatThrownBy(() -> exchange[0].catalog().merchants().firstPage()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed exchange client");
    runner.withPropertyValues(sandboxProperties()).withClassLoader(new FilteredClassLoader(TwinClient.class,
        ExchangeClient.class)).run(context -> assertThat(context).doesNotHaveBean("twinClient")
            .doesNotHaveBean("exchangeClient").hasSingleBean(IotClient.class));
    runner.withPropertyValues(sandboxProperties()).withPropertyValues("shudu.twin.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(TwinClient.class).hasSingleBean(IotClient.class));
  }

  @Test
  void listenerAndCustomizerBeansArePassedToTheClients() {
    runner.withPropertyValues(sandboxProperties()).withUserConfiguration(Listening.class).run(context -> {
      ClientConfig config = context.getBean(ClientConfig.class);
      assertThat(config.listeners()).contains(context.getBean(ClientListener.class));
      assertThat(config.loggedQueryParameters()).containsExactly("limit");
      context.getBean(TwinClient.class).entities().get("lg-bldg-0001");
      assertThat(context.getBean(Listening.class).operations).contains("twin.entities.get");
    });
  }

  @Test
  void anApplicationsOwnClientConfigWins() {
    runner.withUserConfiguration(OwnConfig.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ClientConfig.class).endpoint()).isEqualTo(URI.create("https://own.example"));
    });
  }

  @Test
  void invalidValuesFailStartUpNamingTheProperty() {
    failsNaming("shudu.endpoint", "shudu.api-key=" + SECRET);
    failsNaming("shudu.endpoint", "shudu.endpoint=ftp://files.example", "shudu.api-key=" + SECRET);
    failsNaming("shudu.endpoint", "shudu.endpoint=https://api.shudu.example?x=1", "shudu.api-key=" + SECRET);
    failsNaming("shudu.connect-timeout", "shudu.endpoint=https://a.example", "shudu.connect-timeout=-1s");
    failsNaming("shudu.connect-timeout", "shudu.endpoint=https://a.example", "shudu.connect-timeout=soon");
    failsNaming("shudu.retry.max-attempts", "shudu.endpoint=https://a.example", "shudu.retry.max-attempts=0");
    failsNaming("shudu.retry.max-attempts", "shudu.endpoint=https://a.example", "shudu.retry.max-attempts=many");
    failsNaming("shudu.iot.call-timeout", "shudu.endpoint=https://a.example", "shudu.iot.call-timeout=0s");
    failsNaming("shudu.twin.retry.max-attempts", "shudu.endpoint=https://a.example",
        "shudu.twin.retry.max-attempts=21");
    failsNaming("shudu.user-agent-suffix", "shudu.endpoint=https://a.example", "shudu.user-agent-suffix=数都");
    failsNaming("shudu.access-key.secret", "shudu.endpoint=https://a.example", "shudu.access-key.id=AKID");
    failsNaming("shudu.oauth2.client-secret", "shudu.endpoint=https://a.example", "shudu.oauth2.client-id=c");
    failsNaming("shudu.api-key", "shudu.endpoint=https://a.example", "shudu.api-key= ");
    failsNaming("shudu.feeds.restart-delay", "shudu.endpoint=https://a.example", "shudu.feeds.restart-delay=1ms");
    // two schemes at once: both named, neither secret shown
    runner.withPropertyValues("shudu.endpoint=https://a.example", "shudu.api-key=" + SECRET,
        "shudu.access-key.id=AKID", "shudu.access-key.secret=" + SECRET).run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context)).contains("shudu.api-key").contains("shudu.access-key.id")
              .doesNotContain(SECRET);
        });
  }

  @Test
  void invalidCheckpointTableFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("shudu.endpoint=https://a.example", "shudu.checkpoints.table=x;drop")
        .withBean(javax.sql.DataSource.class, TestDatabases::h2).run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context)).contains("shudu.checkpoints.table");
        });
    runner.withPropertyValues("shudu.endpoint=https://a.example", "shudu.checkpoints.table=rider_checkpoints")
        .withBean(javax.sql.DataSource.class, TestDatabases::h2).run(context -> {
          assertThat(context.getBean(io.shudu.core.CheckpointStore.class)).isInstanceOf(JdbcCheckpointStore.class);
          JdbcCheckpointStore store = context.getBean(JdbcCheckpointStore.class);
          assertThat(store.table()).isEqualTo("rider_checkpoints");
          store.save("c", 3); // the table was created at start-up
          assertThat(store.load("c")).hasValue(3);
        });
  }

  @Test
  void aTransactionManagerOfAnotherDataSourceFailsStartUpInsteadOfClaimingExactlyOnce() {
    DataSource checkpoints = TestDatabases.h2();
    DataSource other = TestDatabases.h2();
    FeedConsumer<Observation> closures = FeedConsumer.builder("traffic", Observation.class, e -> { }).build();
    // the store is auto-configured on the primary data source; the only transaction manager manages the other one
    runner.withPropertyValues(sandboxProperties())
        .withBean("checkpointsDataSource", DataSource.class, () -> checkpoints, bd -> bd.setPrimary(true))
        .withBean("otherDataSource", DataSource.class, () -> other)
        .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(other))
        .withBean("closures", FeedConsumer.class, () -> closures).run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context)).contains("JdbcCheckpointStore")
              .contains("new DataSourceTransactionManager(dataSource)").contains("transactional(false)");
        });
    // the same two data sources with the transaction manager of the store's: exactly-once
    runner.withPropertyValues(sandboxProperties())
        .withBean("checkpointsDataSource", DataSource.class, () -> checkpoints, bd -> bd.setPrimary(true))
        .withBean("otherDataSource", DataSource.class, () -> other)
        .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(checkpoints))
        .withBean("closures", FeedConsumer.class, () -> closures).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(FeedListenerContainer.class).transactional("closures")).isTrue();
        });
    // a store reached through a TransactionAwareDataSourceProxy binds the same connections as its target
    runner.withPropertyValues(sandboxProperties())
        .withBean(CheckpointStore.class, () -> JdbcCheckpointStore.builder(
            new TransactionAwareDataSourceProxy(checkpoints)).build().createSchema())
        .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(checkpoints))
        .withBean("closures", FeedConsumer.class, () -> closures).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(FeedListenerContainer.class).transactional("closures")).isTrue();
        });
    // a consumer that opted out of exactly-once starts with the mismatched transaction manager
    runner.withPropertyValues(sandboxProperties())
        .withBean("checkpointsDataSource", DataSource.class, () -> checkpoints, bd -> bd.setPrimary(true))
        .withBean("otherDataSource", DataSource.class, () -> other)
        .withBean(PlatformTransactionManager.class, () -> new DataSourceTransactionManager(other))
        .withBean("closures", FeedConsumer.class, () -> FeedConsumer.builder("traffic", Observation.class, e -> { })
            .transactional(false).build()).run(context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(FeedListenerContainer.class).transactional("closures")).isFalse();
            });
  }

  @Test
  void sandboxEnabledWithoutTheSandboxOnTheClassPathFails() {
    runner.withPropertyValues("shudu.sandbox.enabled=true").withClassLoader(new FilteredClassLoader(Sandbox.class))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(messages(context)).contains("shudu.sandbox.enabled").contains("io.shudu:sdk-sandbox");
        });
  }

  void failsNaming(String property, String... properties) {
    runner.withPropertyValues(properties).run(context -> {
      assertThat(context).as("start-up with %s", List.of(properties)).hasFailed();
      assertThat(messages(context)).as("start-up failure with %s", List.of(properties)).contains(property)
          .doesNotContain(SECRET);
    });
  }

  static String messages(AssertableApplicationContext context) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  @Configuration(proxyBeanMethods = false)
  static class Listening {
    final List<String> operations = new CopyOnWriteArrayList<>();

    @Bean
    ClientListener recordingListener() {
      return new ClientListener() {
        @Override
        public void callEnded(Call call) {
          operations.add(call.operation());
        }
      };
    }

    @Bean
    ShuduClientConfigCustomizer onlyLimitLogged() {
      return b -> b.loggedQueryParameters(java.util.Set.of("limit"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnConfig {
    @Bean
    ClientConfig ownConfig() {
      return ClientConfig.builder().endpoint("https://own.example").credentials(Credentials.anonymous()).build();
    }
  }
}
