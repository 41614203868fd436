package io.shudu.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.FeedInfo;
import io.shudu.core.FeedSubscription;
import io.shudu.sandbox.Sandbox;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The code of docs/observability.md's OpenTelemetry section, run against the sandbox. */
class TracingSnippetsTest {

  @Test
  @SuppressWarnings("try") // the scope is used for its effect
  void registerTheTracingAndContinueATrace() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (Sandbox sandbox = Sandbox.start();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build()) {
      URI endpoint = sandbox.baseUrl();
      String apiKey = sandbox.tenant("demo").apiKey();
      OpenTelemetry openTelemetry = sdk;
      // snippet:start register
      ClientConfig config = ClientConfig.builder()
          .endpoint(endpoint)
          .credentials(Credentials.apiKey(apiKey))
          .addListener(new ShuduTracing(openTelemetry))     // your application's OpenTelemetry
          .build();
      // snippet:end register
      Tracer tracer = openTelemetry.getTracer("rider-routing");
      FeedInfo traffic;
      // snippet:start continue
      Span span = tracer.spanBuilder("plan-route").startSpan();
      try (Scope scope = span.makeCurrent()) {
        traffic = FeedSubscription.describe(config, "twin-changes"); // the platform continues this trace
      } finally {
        span.end();
      }
      // snippet:end continue
      assertThat(traffic.name()).isEqualTo("twin-changes");
      SpanData call = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("feeds.list"))
          .findFirst().orElseThrow();
      assertThat(call.getParentSpanId()).isEqualTo(span.getSpanContext().getSpanId());
    }
  }
}
