package io.shudu.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShuduTracing} against the in-process sandbox over loopback, spans exported to OpenTelemetry's in-memory
 * exporter: call and attempt spans with their HTTP attributes and parents, the traceparent the platform receives (it
 * comes back on the feed event the write published), and consumer spans linked to the producer.
 */
class ShuduTracingTest {
  private static final String ENTITY = "lg-bldg-0001";

  private Sandbox sandbox;
  private InMemorySpanExporter exporter;
  private OpenTelemetrySdk otel;
  private Tracer partner;
  private ClientConfig config;
  /** The traceparent each attempt sent, as the SDK reports it to listeners. */
  private final Map<String, String> sent = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    sandbox = Sandbox.start();
    exporter = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    partner = otel.getTracer("partner-app");
    ClientListener recorder = new ClientListener() {
      @Override
      public void attemptStarted(Attempt a) {
        sent.put(a.operation() + "#" + a.attempt(), a.traceparent());
      }
    };
    config = sandbox.clientConfig().toBuilder().addListener(new ShuduTracing(otel)).addListener(recorder).build();
  }

  @AfterEach
  void stop() {
    otel.close();
    sandbox.close();
  }

  private static ApiRequest patch(int height) {
    byte[] body = ("{\"properties\":{\"height\":{\"value\":" + height + ",\"unit\":\"m\"}}}")
        .getBytes(StandardCharsets.UTF_8);
    return ApiRequest.builder("twin.entities.patch", "PATCH", "/twin/v1/entities/{}", ENTITY)
        .body(body, "application/merge-patch+json").build();
  }

  private SpanData only(String name) {
    List<SpanData> found = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
    assertThat(found).as("spans named %s", name).hasSize(1);
    return found.get(0);
  }

  private List<SpanData> childrenOf(SpanData parent) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getParentSpanId().equals(parent.getSpanId()) && s.getTraceId().equals(parent.getTraceId()))
        .collect(Collectors.toList());
  }

  @Test
  void aRemoteParentIsOnlyATraceparentTheSdkAccepts() {
    String good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertThat(ShuduTracing.remote(good).getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    // the SDK's one check (io.shudu.core.internal.Tracing): version ff is not a traceparent, whatever OpenTelemetry says
    assertThat(ShuduTracing.remote("ff" + good.substring(2))).isNull();
    assertThat(ShuduTracing.remote("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
    assertThat(ShuduTracing.remote(null)).isNull();
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect
  void thePartnersTraceContinuesIntoThePlatformAndBackThroughTheFeed() throws Exception {
    ApiClient twin = new ApiClient(config, "twin");
    List<String> handlerTraceIds = new CopyOnWriteArrayList<>();
    FeedOptions options = FeedOptions.builder().build();
    try (FeedSubscription sub = FeedSubscription.open(config, "twin-changes", List.of(), Object.class, options,
        event -> {
          Span work = partner.spanBuilder("handler-work").startSpan();
          work.end();
          handlerTraceIds.add(Span.current().getSpanContext().getTraceId());
        })) {
      assertThat(sub.awaitConnected(Duration.ofSeconds(10))).isTrue();
      Span request = partner.spanBuilder("partner-request").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = request.makeCurrent()) {
        twin.execute(patch(77)).close();
      } finally {
        request.end();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> handlerTraceIds.size() == 1);
    }

    SpanData root = only("partner-request");
    SpanData call = only("twin.entities.patch");
    assertThat(call.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(call.getTraceId()).isEqualTo(root.getTraceId());
    assertThat(call.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(call.getAttributes().get(AttributeKey.longKey("shudu.attempts"))).isEqualTo(1);
    assertThat(call.getAttributes().get(AttributeKey.stringKey("shudu.service"))).isEqualTo("twin");

    List<SpanData> attempts = childrenOf(call);
    assertThat(attempts).hasSize(1);
    SpanData attempt = attempts.get(0);
    assertThat(attempt.getName()).isEqualTo("PATCH");
    assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("PATCH");
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("server.address")))
        .isEqualTo(sandbox.baseUrl().getHost());
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(sandbox.port());
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo(sandbox.baseUrl().resolve("/twin/v1/entities/" + ENTITY).toString());
    assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
    // the header sent names the attempt span, in the partner's trace
    assertThat(sent.get("twin.entities.patch#1"))
        .isEqualTo("00-" + root.getTraceId() + "-" + attempt.getSpanId() + "-"
            + attempt.getSpanContext().getTraceFlags().asHex());

    // the platform received it: the feed event the write published carries it, and the consumer span links to it
    SpanData consumer = only("process twin-changes");
    assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(consumer.getParentSpanContext().isValid()).isFalse();
    assertThat(consumer.getLinks()).extracting(LinkData::getSpanContext)
        .extracting(SpanContext::getTraceId, SpanContext::getSpanId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(root.getTraceId(), attempt.getSpanId()));
    assertThat(consumer.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .isEqualTo("twin-changes");
    assertThat(consumer.getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("process");
    assertThat(consumer.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isNotNull();
    // the handler runs inside the consumer span
    SpanData work = only("handler-work");
    assertThat(work.getParentSpanId()).isEqualTo(consumer.getSpanId());
    assertThat(handlerTraceIds).containsExactly(consumer.getTraceId());
  }

  @Test
  void eachAttemptIsAClientSpanUnderTheCallSpanAndErrorsAreTyped() {
    ApiClient twin = new ApiClient(config, "twin");
    sandbox.injectFault(Fault.status(503, null).onPath("/twin/v1/entities/" + ENTITY).times(1));
    twin.execute(ApiRequest.builder("twin.entities.get", "GET", "/twin/v1/entities/{}", ENTITY).build()).close();
    assertThatThrownBy(() -> twin.execute(
        ApiRequest.builder("twin.entities.find", "GET", "/twin/v1/entities/{}", "no-such-entity").build()))
        .isInstanceOf(NotFoundException.class);

    SpanData call = only("twin.entities.get");
    assertThat(call.getParentSpanContext().isValid()).as("no current span: the call starts a trace").isFalse();
    assertThat(call.getAttributes().get(AttributeKey.longKey("shudu.attempts"))).isEqualTo(2);
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    List<SpanData> attempts = childrenOf(call);
    assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.getKind()).isEqualTo(SpanKind.CLIENT));
    SpanData first = attempts.stream().filter(a -> a.getAttributes()
        .get(AttributeKey.longKey("http.request.resend_count")) == null).findFirst().orElseThrow();
    SpanData resend = attempts.stream().filter(a -> a != first).findFirst().orElseThrow();
    assertThat(first.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
    assertThat(first.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(resend.getAttributes().get(AttributeKey.longKey("http.request.resend_count"))).isEqualTo(1);
    assertThat(resend.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
    assertThat(sent.get("twin.entities.get#1")).contains(first.getSpanId());
    assertThat(sent.get("twin.entities.get#2")).contains(resend.getSpanId());

    SpanData failed = only("twin.entities.find");
    assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo(NotFoundException.class.getName());
    assertThat(failed.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(404);
    assertThat(childrenOf(failed)).singleElement().satisfies(a ->
        assertThat(a.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("404"));
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect
  void anExplicitTraceparentWinsOverTheCurrentContext() {
    ApiClient twin = new ApiClient(config, "twin");
    String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    Span unrelated = partner.spanBuilder("unrelated").startSpan();
    try (Scope ignored = unrelated.makeCurrent()) {
      twin.execute(ApiRequest.builder("twin.entities.get", "GET", "/twin/v1/entities/{}", ENTITY)
          .options(RequestOptions.builder().traceparent(incoming).build()).build()).close();
    } finally {
      unrelated.end();
    }
    SpanData call = only("twin.entities.get");
    assertThat(call.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(call.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(sent.get("twin.entities.get#1")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .doesNotContain("00f067aa0ba902b7");
  }

  @Test
  void withoutAnSdkTheSdksOwnTraceparentIsSent() {
    ClientConfig noop = sandbox.clientConfig().toBuilder()
        .addListener(new ShuduTracing(io.opentelemetry.api.OpenTelemetry.noop()))
        .addListener(new ClientListener() {
          @Override
          public void attemptStarted(Attempt a) {
            sent.put("noop", a.traceparent());
          }
        }).build();
    new ApiClient(noop, "twin").execute(
        ApiRequest.builder("twin.entities.get", "GET", "/twin/v1/entities/{}", ENTITY).build()).close();
    assertThat(sent.get("noop")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("0".repeat(32));
  }
}
