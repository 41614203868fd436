package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedSubscription;
import io.shudu.micrometer.ShuduMetrics;
import io.shudu.opentelemetry.ShuduTracing;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.autoconfigure.ShuduAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduObservabilityAutoConfiguration;
import io.shudu.spring.autoconfigure.ShuduSandboxAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Micrometer and OpenTelemetry bindings are switched on when the application has a {@link MeterRegistry} or an
 * {@link OpenTelemetry} bean (and the integration module), off otherwise or by property; a call through the starter's
 * {@link ClientConfig} to the sandbox then shows up as meters and spans.
 */
class ShuduObservabilityAutoConfigurationTest {
  static Sandbox sandbox;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ShuduSandboxAutoConfiguration.class, ShuduAutoConfiguration.class,
          ShuduObservabilityAutoConfiguration.class))
      .withPropertyValues("shudu.twin.enabled=false", "shudu.iot.enabled=false", "shudu.exchange.enabled=false");

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

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Otel {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @Bean(destroyMethod = "close")
    OpenTelemetrySdk openTelemetry() {
      return OpenTelemetrySdk.builder().setTracerProvider(
          SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    }
  }

  @Test
  void aMeterRegistryBeanSwitchesTheMetersOn() {
    runner.withPropertyValues(sandboxProperties()).withUserConfiguration(Registry.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ShuduMetrics.class).doesNotHaveBean(ShuduTracing.class);
      ClientConfig config = context.getBean(ClientConfig.class);
      assertThat(config.listeners()).contains(context.getBean(ShuduMetrics.class));
      FeedSubscription.describe(config, "twin-changes");
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("shudu.client.calls").tags("service", "feeds", "operation", "feeds.list",
          "outcome", "SUCCESS", "status", "2xx", "exception", "none").timer().count()).isEqualTo(1);
    });
  }

  @Test
  void anOpenTelemetryBeanSwitchesTheSpansOn() {
    runner.withPropertyValues(sandboxProperties()).withUserConfiguration(Otel.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ShuduTracing.class).doesNotHaveBean(ShuduMetrics.class);
      ClientConfig config = context.getBean(ClientConfig.class);
      assertThat(config.listeners()).contains(context.getBean(ShuduTracing.class));
      OpenTelemetry otel = context.getBean(OpenTelemetry.class);
      Span request = otel.getTracer("partner").spanBuilder("partner-request").startSpan();
      Scope scope = request.makeCurrent();
      try {
        FeedSubscription.describe(config, "twin-changes");
      } finally {
        scope.close();
        request.end();
      }
      List<SpanData> spans = context.getBean(Otel.class).exporter.getFinishedSpanItems();
      SpanData call = spans.stream().filter(s -> s.getName().equals("feeds.list")).findFirst().orElseThrow();
      assertThat(call.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(spans).anySatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(call.getSpanId()));
    });
  }

  @Test
  void nothingWithoutARegistryOrOpenTelemetryOrWhenSwitchedOff() {
    runner.withPropertyValues(sandboxProperties()).run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(ShuduMetrics.class).doesNotHaveBean(ShuduTracing.class));
    runner.withPropertyValues(sandboxProperties()).withPropertyValues("shudu.metrics.enabled=false",
            "shudu.tracing.enabled=false").withUserConfiguration(Registry.class, Otel.class)
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(ShuduMetrics.class).doesNotHaveBean(ShuduTracing.class));
  }

  @Test
  void withoutTheIntegrationModulesTheRegistryAndOpenTelemetryAreLeftAlone() {
    runner.withPropertyValues(sandboxProperties()).withUserConfiguration(Registry.class, Otel.class)
        .withClassLoader(new FilteredClassLoader(ShuduMetrics.class, ShuduTracing.class))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(ShuduMetrics.class).doesNotHaveBean(ShuduTracing.class)
            .hasSingleBean(ClientConfig.class));
  }

  @Test
  void anApplicationsOwnBindingWins() {
    runner.withPropertyValues(sandboxProperties()).withUserConfiguration(Registry.class)
        .withBean("myMetrics", ShuduMetrics.class, () -> new ShuduMetrics(new SimpleMeterRegistry()))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ShuduMetrics.class).hasBean("myMetrics"));
  }
}
