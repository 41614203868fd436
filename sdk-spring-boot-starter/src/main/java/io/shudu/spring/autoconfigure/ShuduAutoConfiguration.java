package io.shudu.spring.autoconfigure;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.ExchangeKey;
import io.shudu.iot.IotClient;
import io.shudu.spring.FeedConsumer;
import io.shudu.spring.FeedListenerContainer;
import io.shudu.spring.ShuduClientConfigCustomizer;
import io.shudu.spring.ShuduProperties;
import io.shudu.spring.internal.FeedHandlerDecorator;
import io.shudu.spring.internal.FeedListenerMethods;
import io.shudu.twin.TwinClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/**
 * The Shudu SDK's auto-configuration: a {@link ClientConfig} from the {@code shudu.*} properties (with every
 * {@link ClientListener} bean and {@link ShuduClientConfigCustomizer} bean applied), a {@link TwinClient},
 * {@link IotClient} and {@link ExchangeClient} bean for each module on the class path (closed at shutdown), and the
 * {@link FeedListenerContainer} that runs the application's feed consumers. Each bean backs off when the application
 * defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(ShuduProperties.class)
public class ShuduAutoConfiguration {

  /** Creates the auto-configuration. */
  public ShuduAutoConfiguration() {}

  /**
   * The base client configuration.
   *
   * @param properties the properties
   * @param listeners the listener beans, in order
   * @param customizers the customizer beans, in order
   * @return the configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public ClientConfig shuduClientConfig(ShuduProperties properties, ObjectProvider<ClientListener> listeners,
      ObjectProvider<ShuduClientConfigCustomizer> customizers) {
    if (properties.getSandbox().isEnabled()) {
      throw new InvalidConfigurationPropertyValueException("shudu.sandbox.enabled", true,
          "The sandbox is not on the class path: add io.shudu:sdk-sandbox with <scope>test</scope> to run against it, "
              + "or remove shudu.sandbox.enabled.");
    }
    return finish(properties.toClientConfigBuilder(), listeners, customizers);
  }

  static ClientConfig finish(ClientConfig.Builder b, ObjectProvider<ClientListener> listeners,
      ObjectProvider<ShuduClientConfigCustomizer> customizers) {
    listeners.orderedStream().forEach(b::addListener);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  /**
   * Finds {@code @ShuduFeedListener} methods.
   *
   * @return the post-processor
   */
  @Bean
  public static FeedListenerMethods shuduFeedListenerMethods() {
    return new FeedListenerMethods();
  }

  /**
   * Runs the feed consumers with the context.
   *
   * @param config the client configuration
   * @param properties the properties
   * @param beans the bean factory (for {@link FeedConsumer} beans and their names)
   * @param methods the annotated methods
   * @param store the checkpoint store, if unique
   * @param transactions the transactional decorator, if available
   * @return the container
   */
  @Bean
  @ConditionalOnMissingBean
  public FeedListenerContainer shuduFeedListenerContainer(ClientConfig config, ShuduProperties properties,
      ListableBeanFactory beans, FeedListenerMethods methods, ObjectProvider<CheckpointStore> store,
      ObjectProvider<FeedHandlerDecorator> transactions) {
    List<Map.Entry<String, FeedConsumer<?>>> consumers = new ArrayList<>();
    for (String name : beans.getBeanNamesForType(FeedConsumer.class)) {
      consumers.add(new AbstractMap.SimpleImmutableEntry<>(name, beans.getBean(name, FeedConsumer.class)));
    }
    consumers.addAll(methods.consumers());
    return new FeedListenerContainer(config, consumers, store.getIfUnique(), transactions.getIfUnique(),
        properties.getFeeds().getRestartDelay(), properties.getFeeds().isAutoStartup());
  }

  /** The twin client, when sdk-twin is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(TwinClient.class)
  @ConditionalOnProperty(prefix = "shudu.twin", name = "enabled", matchIfMissing = true)
  public static class Twin {
    /** Creates the configuration. */
    public Twin() {}

    /**
     * The twin client.
     *
     * @param config the base configuration
     * @param properties the properties (for shudu.twin.* overrides)
     * @param sandbox present when the clients run against the sandbox
     * @return the client, closed at shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public TwinClient twinClient(ClientConfig config, ShuduProperties properties,
        ObjectProvider<ShuduSandboxAutoConfiguration.SandboxMarker> sandbox) {
      return TwinClient.create(properties.forService("twin", config, sandbox.getIfAvailable() == null));
    }
  }

  /** The IoT client, when sdk-iot is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(IotClient.class)
  @ConditionalOnProperty(prefix = "shudu.iot", name = "enabled", matchIfMissing = true)
  public static class Iot {
    /** Creates the configuration. */
    public Iot() {}

    /**
     * The IoT client.
     *
     * @param config the base configuration
     * @param properties the properties (for shudu.iot.* overrides)
     * @param sandbox present when the clients run against the sandbox
     * @return the client, closed at shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public IotClient iotClient(ClientConfig config, ShuduProperties properties,
        ObjectProvider<ShuduSandboxAutoConfiguration.SandboxMarker> sandbox) {
      return IotClient.create(properties.forService("iot", config, sandbox.getIfAvailable() == null));
    }
  }

  /** The data-exchange client, when sdk-exchange is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ExchangeClient.class)
  @ConditionalOnProperty(prefix = "shudu.exchange", name = "enabled", matchIfMissing = true)
  public static class Exchange {
    /** Creates the configuration. */
    public Exchange() {}

    /**
     * The data-exchange client.
     *
     * @param config the base configuration
     * @param properties the properties (for shudu.exchange.* overrides)
     * @param sandbox present when the clients run against the sandbox
     * @return the client, closed at shutdown
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ExchangeClient exchangeClient(ClientConfig config, ShuduProperties properties,
        ObjectProvider<ShuduSandboxAutoConfiguration.SandboxMarker> sandbox) {
      ExchangeClient.Builder b = ExchangeClient.builder(properties.forService("exchange", config,
          sandbox.getIfAvailable() == null));
      Resource keys = properties.getExchange().getTrustedKeys();
      if (keys != null) {
        b.trustedKeys(readKeys(keys));
      }
      return b.build();
    }

    /** The keys of the shudu.exchange.trusted-keys JWK Set; a failure names the property and the resource. */
    static List<ExchangeKey> readKeys(Resource resource) {
      String property = "shudu.exchange.trusted-keys";
      String jwkSet;
      try (InputStream in = resource.getInputStream()) {
        jwkSet = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
            "Cannot read the JWK Set of the exchange keys to pin (" + e.getMessage() + "); give a readable file "
                + "(file:/path/exchange-keys.json) or class path resource (classpath:exchange-keys.json).");
      }
      try {
        return ExchangeKey.parse(jwkSet);
      } catch (RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException(property, resource.getDescription(),
            "Not a JWK Set of exchange keys (" + e.getMessage() + "); save the document GET /exchange/v1/keys "
                + "serves, obtained out of band, or write it with ExchangeKey.write.");
      }
    }
  }
}
