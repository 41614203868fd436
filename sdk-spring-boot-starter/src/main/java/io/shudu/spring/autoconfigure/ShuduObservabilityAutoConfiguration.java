package io.shudu.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.shudu.micrometer.ShuduMetrics;
import io.shudu.opentelemetry.ShuduTracing;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Switches on the SDK's Micrometer meters and OpenTelemetry spans when the application has them: a
 * {@link ShuduMetrics} bean when {@code io.shudu:sdk-micrometer} is on the class path and the context has a
 * {@link MeterRegistry} (property {@code shudu.metrics.enabled}, default true), a {@link ShuduTracing} bean when
 * {@code io.shudu:sdk-opentelemetry} is on the class path and the context has an {@link OpenTelemetry} bean (property
 * {@code shudu.tracing.enabled}, default true). Both are {@link io.shudu.core.ClientListener} beans, which
 * {@link ShuduAutoConfiguration} adds to the clients' configuration. Runs after Boot's own metrics and OpenTelemetry
 * auto-configurations (3.5 and 4.0 names) so their beans are seen.
 */
@AutoConfiguration(before = ShuduAutoConfiguration.class, afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration"})
public class ShuduObservabilityAutoConfiguration {

  /** Creates the auto-configuration. */
  public ShuduObservabilityAutoConfiguration() {}

  /** The Micrometer meters, when sdk-micrometer is on the class path and there is a registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ShuduMetrics.class, MeterRegistry.class})
  @ConditionalOnBean(MeterRegistry.class)
  @ConditionalOnProperty(prefix = "shudu.metrics", name = "enabled", matchIfMissing = true)
  public static class Metrics {
    /** Creates the configuration. */
    public Metrics() {}

    /**
     * The SDK's meters in the application's registry.
     *
     * @param registry the registry
     * @return the listener
     */
    @Bean
    @ConditionalOnMissingBean
    public ShuduMetrics shuduMetrics(MeterRegistry registry) {
      return new ShuduMetrics(registry);
    }
  }

  /** The OpenTelemetry spans, when sdk-opentelemetry is on the class path and there is an OpenTelemetry bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ShuduTracing.class, OpenTelemetry.class})
  @ConditionalOnBean(OpenTelemetry.class)
  @ConditionalOnProperty(prefix = "shudu.tracing", name = "enabled", matchIfMissing = true)
  public static class Tracing {
    /** Creates the configuration. */
    public Tracing() {}

    /**
     * The SDK's spans from the application's OpenTelemetry.
     *
     * @param openTelemetry the OpenTelemetry
     * @return the listener
     */
    @Bean
    @ConditionalOnMissingBean
    public ShuduTracing shuduTracing(OpenTelemetry openTelemetry) {
      return new ShuduTracing(openTelemetry);
    }
  }
}
