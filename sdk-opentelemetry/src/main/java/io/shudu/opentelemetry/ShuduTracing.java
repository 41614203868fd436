package io.shudu.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.shudu.core.ClientListener;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedListener;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.internal.Tracing;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenTelemetry spans for the SDK's calls and feed events: a {@link ClientListener} to register on the
 * {@link io.shudu.core.ClientConfig} that clients and subscriptions are built with. Every span and attribute is listed
 * in docs/observability.md. Thread-safe.
 *
 * <ul>
 *   <li>A span per logical call (kind {@code INTERNAL}, named after the operation, such as
 *       {@code twin.entities.get}), child of the span current when the call starts, so a partner's trace continues;
 *       or, when the call sets {@link io.shudu.core.RequestOptions#traceparent()}, child of that remote span.</li>
 *   <li>A {@code CLIENT} span per HTTP attempt, child of the call's span, following the HTTP client semantic
 *       conventions ({@code http.request.method}, {@code server.address}, {@code server.port}, {@code url.full},
 *       {@code http.request.resend_count}, {@code http.response.status_code}, {@code error.type}). The
 *       {@code traceparent} header the platform receives names this span, so the platform's work joins the trace.</li>
 *   <li>A {@code CONSUMER} span per feed event handed to a handler ({@code process <feed>}), current while the
 *       handler runs and linked to the producer's span when the event carries the producer's traceparent.</li>
 * </ul>
 *
 * <pre>{@code
 * OpenTelemetry otel = GlobalOpenTelemetry.get();           // or the application's instance
 * ClientConfig config = ClientConfig.builder()
 *     .endpoint(URI.create("https://api.shudu.example"))
 *     .credentials(Credentials.apiKey(System.getenv("SHUDU_API_KEY")))
 *     .addListener(new ShuduTracing(otel))
 *     .build();
 * }</pre>
 */
public final class ShuduTracing implements ClientListener {
  /** The instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_NAME = "io.shudu.opentelemetry";

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SHUDU_SERVICE = AttributeKey.stringKey("shudu.service");
  static final AttributeKey<String> SHUDU_OPERATION = AttributeKey.stringKey("shudu.operation");
  static final AttributeKey<Long> SHUDU_ATTEMPTS = AttributeKey.longKey("shudu.attempts");
  static final AttributeKey<String> SHUDU_OUTCOME = AttributeKey.stringKey("shudu.outcome");
  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> MESSAGING_CONSUMER_GROUP_NAME =
      AttributeKey.stringKey("messaging.consumer.group.name");
  static final AttributeKey<String> SHUDU_EVENT_TYPE = AttributeKey.stringKey("shudu.feed.event.type");


  private final Tracer tracer;

  /**
   * Spans from {@code openTelemetry}'s tracer provider (scope {@value #INSTRUMENTATION_NAME}).
   *
   * @param openTelemetry the application's OpenTelemetry
   */
  public ShuduTracing(OpenTelemetry openTelemetry) {
    this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(INSTRUMENTATION_NAME);
  }

  /**
   * Starts the call's span in the current context (or under the caller's explicit traceparent) and returns the
   * listener that traces its attempts.
   *
   * @param call the call about to start
   * @return the call's listener
   */
  @Override
  public ClientListener callStarted(CallStart call) {
    Context parent = Context.current();
    SpanContext explicit = remote(call.traceparent());
    if (explicit != null) {
      parent = Context.root().with(Span.wrap(explicit));
    }
    Span span = tracer.spanBuilder(call.operation()).setParent(parent).setSpanKind(SpanKind.INTERNAL)
        .setAttribute(SHUDU_SERVICE, call.service()).setAttribute(SHUDU_OPERATION, call.operation())
        .setAttribute(HTTP_REQUEST_METHOD, call.method()).startSpan();
    return new CallTrace(parent.with(span), span);
  }

  /**
   * Returns the listener that traces the subscription's events.
   *
   * @param subscription the subscription
   * @param options its options (the consumer name)
   * @return the subscription's listener
   */
  @Override
  public FeedListener feedStarted(FeedSubscription subscription, FeedOptions options) {
    return new FeedTrace(subscription.feed(), options.consumer().orElse(null));
  }

  /** A remote span context from a traceparent, or null. */
  static SpanContext remote(String traceparent) {
    if (!Tracing.isValid(traceparent)) { // the SDK's one traceparent check
      return null;
    }
    SpanContext sc = SpanContext.createFromRemoteParent(traceparent.substring(3, 35), traceparent.substring(36, 52),
        TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
    return sc.isValid() ? sc : null;
  }

  /** The traceparent naming a span, or null when the span is not recorded (no SDK, or not sampled away). */
  static String traceparent(SpanContext sc) {
    if (!sc.isValid()) {
      return null;
    }
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** Traces one call: its span and the span of its attempt in progress. Attempts of a call never overlap. */
  private final class CallTrace implements ClientListener {
    private final Context context;
    private final Span call;
    private volatile Span attempt;

    CallTrace(Context context, Span call) {
      this.context = context;
      this.call = call;
    }

    @Override
    public String traceparent(Attempt a) {
      Span previous = attempt;
      if (previous != null) {
        previous.end(); // an attempt that never reported its end (its request could not be prepared)
      }
      SpanBuilder b = tracer.spanBuilder(a.method()).setParent(context).setSpanKind(SpanKind.CLIENT)
          .setAttribute(HTTP_REQUEST_METHOD, a.method())
          .setAttribute(URL_FULL, a.url())
          .setAttribute(SHUDU_OPERATION, a.operation());
      try {
        URI u = URI.create(a.url());
        if (u.getHost() != null) {
          b.setAttribute(SERVER_ADDRESS, u.getHost());
        }
        int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        b.setAttribute(SERVER_PORT, (long) port);
      } catch (IllegalArgumentException e) {
        // not a parsable URI: the attributes are left out
      }
      if (a.attempt() > 1) {
        b.setAttribute(HTTP_REQUEST_RESEND_COUNT, (long) a.attempt() - 1);
      }
      Span span = b.startSpan();
      attempt = span;
      return ShuduTracing.traceparent(span.getSpanContext());
    }

    @Override
    public void attemptEnded(Attempt a) {
      Span span = attempt;
      if (span == null) {
        return;
      }
      attempt = null;
      if (a.status() > 0) {
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) a.status());
      }
      if (a.error() != null) {
        span.setAttribute(ERROR_TYPE, a.error().getClass().getName());
        span.setStatus(StatusCode.ERROR);
      } else if (a.status() >= 400) {
        span.setAttribute(ERROR_TYPE, Integer.toString(a.status()));
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }

    @Override
    public void callEnded(Call c) {
      Span open = attempt;
      if (open != null) {
        attempt = null;
        open.setAttribute(ERROR_TYPE, "_OTHER");
        open.setStatus(StatusCode.ERROR);
        open.end(); // cancelled while the attempt was in flight
      }
      call.setAttribute(SHUDU_ATTEMPTS, (long) c.attempts());
      call.setAttribute(SHUDU_OUTCOME, c.outcome().name());
      if (c.status() > 0) {
        call.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) c.status());
      }
      if (c.error() != null) {
        call.setAttribute(ERROR_TYPE, c.error().getClass().getName());
        call.setStatus(StatusCode.ERROR);
      }
      call.end();
    }
  }

  /** Traces one subscription's events; its methods run on the subscription's single handler thread. */
  private final class FeedTrace implements FeedListener {
    private final String feed;
    private final String consumer;
    private Span span;
    private Scope scope;

    FeedTrace(String feed, String consumer) {
      this.feed = feed;
      this.consumer = consumer;
    }

    @Override
    public void eventStarted(FeedEvent<?> event, Optional<String> producerTraceparent) {
      SpanBuilder b = tracer.spanBuilder("process " + feed).setNoParent().setSpanKind(SpanKind.CONSUMER)
          .setAttribute(MESSAGING_SYSTEM, "shudu")
          .setAttribute(MESSAGING_OPERATION_TYPE, "process")
          .setAttribute(MESSAGING_OPERATION_NAME, "process")
          .setAttribute(MESSAGING_DESTINATION_NAME, feed)
          .setAttribute(MESSAGING_MESSAGE_ID, Long.toString(event.id()))
          .setAttribute(SHUDU_EVENT_TYPE, event.type());
      if (consumer != null) {
        b.setAttribute(MESSAGING_CONSUMER_GROUP_NAME, consumer);
      }
      producerTraceparent.map(ShuduTracing::remote).ifPresent(b::addLink);
      span = b.startSpan();
      scope = span.makeCurrent();
    }

    @Override
    public void eventEnded(FeedEvent<?> event, Throwable error) {
      if (scope != null) {
        scope.close();
        scope = null;
      }
      if (span == null) {
        return;
      }
      if (error != null) {
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
      span = null;
    }
  }
}
