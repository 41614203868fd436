package io.shudu.spring.autoconfigure;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.ShuduClientConfigCustomizer;
import io.shudu.spring.ShuduProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code shudu.sandbox.enabled=true} and io.shudu:sdk-sandbox on the class path (a partner's tests), starts an
 * in-process {@link Sandbox} with the context, stops it at shutdown, and points the clients at it with the
 * credentials of {@code shudu.sandbox.tenant}. A {@link Sandbox} bean of the application's own is used instead of a
 * new one (for example one that outlives several contexts).
 */
@AutoConfiguration(before = ShuduAutoConfiguration.class)
@ConditionalOnClass(Sandbox.class)
@ConditionalOnProperty(prefix = "shudu.sandbox", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(ShuduProperties.class)
public class ShuduSandboxAutoConfiguration {
  /** Marks that the clients run against the sandbox. */
  public static final class SandboxMarker {
    SandboxMarker() {}
  }

  /** Creates the auto-configuration. */
  public ShuduSandboxAutoConfiguration() {}

  /**
   * The in-process sandbox, on a free loopback port.
   *
   * @param properties the properties (shudu.sandbox.*)
   * @return the running sandbox, closed at shutdown
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Sandbox shuduSandbox(ShuduProperties properties) {
    Sandbox.Builder b = Sandbox.builder();
    ShuduProperties.Sandbox p = properties.getSandbox();
    if (p.getSimulationRate() != null) {
      b.simulationRate(p.getSimulationRate());
    }
    if (p.getSeed() != null) {
      b.seed(p.getSeed());
    }
    return b.start();
  }

  /**
   * Marks that the clients run against the sandbox.
   *
   * @return the marker
   */
  @Bean
  public SandboxMarker shuduSandboxMarker() {
    return new SandboxMarker();
  }

  /**
   * The client configuration of the sandbox tenant, with the timeouts, retries, listeners and customizers.
   *
   * @param sandbox the sandbox
   * @param properties the properties
   * @param listeners the listener beans
   * @param customizers the customizer beans
   * @return the configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public ClientConfig shuduClientConfig(Sandbox sandbox, ShuduProperties properties,
      ObjectProvider<ClientListener> listeners, ObjectProvider<ShuduClientConfigCustomizer> customizers) {
    ClientConfig.Builder b = sandbox.tenant(properties.getSandbox().getTenant()).clientConfig().toBuilder();
    return ShuduAutoConfiguration.finish(properties.applyCommon(b), listeners, customizers);
  }
}
