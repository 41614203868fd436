package io.shudu.spring.autoconfigure;

import io.shudu.core.ClientConfig;
import io.shudu.spring.ShuduHealthCheck;
import io.shudu.spring.ShuduProperties;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator integration: the {@code shudu} health indicator (the platform answers {@code GET /v1/whoami} with these
 * credentials; details name the endpoint, tenant and scheme, never a secret) on Spring Boot 3 and 4 (whose health
 * APIs live in different packages), and the {@code shudu} info contributor (SDK version, endpoint, tenant).
 * Switch the indicator off with {@code management.health.shudu.enabled=false}.
 */
@AutoConfiguration(after = {ShuduAutoConfiguration.class, ShuduSandboxAutoConfiguration.class})
@ConditionalOnBean(ClientConfig.class)
public class ShuduActuatorAutoConfiguration {
  static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

  /** Creates the auto-configuration. */
  public ShuduActuatorAutoConfiguration() {}

  /**
   * The check behind both lines' health indicators and the info contributor's tenant.
   *
   * @param config the client configuration
   * @return the check
   */
  @Bean
  @ConditionalOnMissingBean
  public ShuduHealthCheck shuduHealthCheck(ClientConfig config) {
    return new ShuduHealthCheck(config, HEALTH_TIMEOUT);
  }

  /** The health indicator on Spring Boot 3 (org.springframework.boot.actuate.health). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.shudu", name = "enabled", matchIfMissing = true)
  public static class Boot3Health {
    /** Creates the configuration. */
    public Boot3Health() {}

    /**
     * The indicator.
     *
     * @param check the check
     * @return the indicator, shown as {@code shudu} in /actuator/health
     */
    @Bean
    @ConditionalOnMissingBean(name = "shuduHealthIndicator")
    public org.springframework.boot.actuate.health.HealthIndicator shuduHealthIndicator(ShuduHealthCheck check) {
      return () -> {
        ShuduHealthCheck.Result r = check.check();
        return (r.up() ? org.springframework.boot.actuate.health.Health.up()
            : org.springframework.boot.actuate.health.Health.down()).withDetails(r.details()).build();
      };
    }
  }

  /** The health indicator on Spring Boot 4 (org.springframework.boot.health.contributor). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @ConditionalOnProperty(prefix = "management.health.shudu", name = "enabled", matchIfMissing = true)
  public static class Boot4Health {
    /** Creates the configuration. */
    public Boot4Health() {}

    /**
     * The indicator.
     *
     * @param check the check
     * @return the indicator, shown as {@code shudu} in /actuator/health
     */
    @Bean
    @ConditionalOnMissingBean(name = "shuduHealthIndicator")
    public org.springframework.boot.health.contributor.HealthIndicator shuduHealthIndicator(ShuduHealthCheck check) {
      return () -> {
        ShuduHealthCheck.Result r = check.check();
        return (r.up() ? org.springframework.boot.health.contributor.Health.up()
            : org.springframework.boot.health.contributor.Health.down()).withDetails(r.details()).build();
      };
    }
  }

  /** The info contributor (same API on both lines). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
  public static class Info {
    /** Creates the configuration. */
    public Info() {}

    /**
     * The contributor: {@code shudu.sdkVersion}, {@code shudu.endpoint}, {@code shudu.tenant}.
     *
     * @param config the client configuration
     * @param properties the properties
     * @param check asks the platform for the tenant when shudu.tenant is not set
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "shuduInfoContributor")
    public InfoContributor shuduInfoContributor(ClientConfig config, ShuduProperties properties,
        ShuduHealthCheck check) {
      String version = sdkVersion();
      String[] tenant = {properties.getTenant() != null ? properties.getTenant()
          : properties.getSandbox().isEnabled() ? properties.getSandbox().getTenant() : null};
      return builder -> {
        if (tenant[0] == null) {
          tenant[0] = check.tenant();
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("sdkVersion", version);
        info.put("endpoint", config.endpoint().toString());
        info.put("tenant", tenant[0] == null ? "unknown (the platform did not answer)" : tenant[0]);
        builder.withDetail("shudu", info);
      };
    }
  }

  static String sdkVersion() {
    Properties p = new Properties();
    try (InputStream in = ShuduActuatorAutoConfiguration.class.getResourceAsStream("/io/shudu/spring/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
