package io.shudu.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import io.shudu.exchange.ExchangeClient;
import io.shudu.iot.IotClient;
import io.shudu.iot.Thing;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import io.shudu.twin.TwinClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShuduTracing} on the real clients (TwinClient, IotClient, ExchangeClient) against the sandbox over loopback:
 * the call span of each is named after the client's operation and carries its service, and a call the sandbox answered
 * 503 once has two attempt spans, the second a resend.
 */
class ClientsTracingTest {
  private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("shudu.service");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("shudu.operation");

  private Sandbox sandbox;
  private InMemorySpanExporter exporter;
  private OpenTelemetrySdk otel;
  private ClientConfig config;

  @BeforeEach
  void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exporter = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    config = sandbox.clientConfig().toBuilder()
        .retryPolicy(RetryPolicy.builder().baseDelay(Duration.ofMillis(10)).build())
        .addListener(new ShuduTracing(otel)).build();
  }

  @AfterEach
  void stop() {
    otel.close();
    sandbox.close();
  }

  private List<SpanData> calls(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
  }

  private List<SpanData> attemptsOf(SpanData call) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(call.getSpanId()) && s.getTraceId().equals(call.getTraceId()))
        .collect(Collectors.toList());
  }

  private void assertCall(String service, String operation, String method, int attempts) {
    List<SpanData> found = calls(operation);
    assertThat(found).as("call spans named %s", operation).hasSize(1);
    SpanData call = found.get(0);
    assertThat(call.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(call.getAttributes().get(SERVICE)).isEqualTo(service);
    assertThat(call.getAttributes().get(OPERATION)).isEqualTo(operation);
    List<SpanData> children = attemptsOf(call);
    assertThat(children).as("attempt spans of %s", operation).hasSize(attempts).allSatisfy(a -> {
      assertThat(a.getName()).isEqualTo(method);
      assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(a.getAttributes().get(OPERATION)).isEqualTo(operation);
    });
  }

  @Test
  void eachClientNamesItsSpansAfterItsOperations() {
    try (TwinClient twin = TwinClient.create(config); IotClient iot = IotClient.create(config);
        ExchangeClient exchange = ExchangeClient.create(config)) {
      twin.entities().get("lg-bldg-0001");
      Thing thing = iot.things().list().iterator().next();
      sandbox.injectFault(Fault.status(503, null).onPath("/iot/").times(1));
      iot.things().get(thing.id());
      sandbox.injectFault(Fault.status(503, null).onPath("/exchange/").times(1));
      exchange.catalog().merchant("m-pingce");
    }
    assertCall("twin", "twin.entities.get", "GET", 1);
    assertCall("iot", "iot.Things.list", "GET", 1);
    assertCall("iot", "iot.Things.get", "GET", 2);
    assertCall("exchange", "exchange.catalog.merchant", "GET", 2);
    SpanData retried = calls("exchange.catalog.merchant").get(0);
    assertThat(retried.getAttributes().get(AttributeKey.longKey("shudu.attempts"))).isEqualTo(2);
    assertThat(attemptsOf(retried)).extracting(a -> a.getAttributes().get(AttributeKey.longKey(
        "http.response.status_code"))).containsExactlyInAnyOrder(503L, 200L);
  }
}
