package io.shudu.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedSubscription;
import io.shudu.sandbox.Sandbox;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the {@code module-path} Surefire execution): the module exports only its API package and
 * traces a real call to the sandbox with the JDK enforcing its descriptor. Public, because on the module path JUnit
 * reaches only what the module exports.
 */
@SuppressWarnings("exports") // public for JUnit on the module path; it is a test, not API
public class ModulePathTest {
  /** Created by JUnit. */
  public ModulePathTest() {}

  @Test
  public void exportsOnlyItsApiAndTracesACall() {
    Module module = ModulePathTest.class.getModule();
    assertThat(module.isNamed()).as("this execution must run the module on the module path").isTrue();
    assertThat(module.getDescriptor().exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet())).containsExactly("io.shudu.opentelemetry");
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Sandbox sandbox = Sandbox.start();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
      ClientConfig config = sandbox.clientConfig().toBuilder().addListener(new ShuduTracing(otel)).build();
      FeedSubscription.describe(config, "twin-changes");
      assertThat(exporter.getFinishedSpanItems()).extracting(s -> s.getName()).contains("feeds.list", "GET");
    }
  }
}
