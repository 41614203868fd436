package io.shudu.core;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Observes calls and feed subscriptions for metrics and tracing. Register with
 * {@link ClientConfig.Builder#addListener}. Methods are called on the thread that runs the attempt and must return
 * quickly; exceptions they throw are logged and ignored. URLs passed to listeners carry only allow-listed query
 * parameters (see {@link ClientConfig}).
 *
 * <p>Per-call state: {@link #callStarted} returns the listener that receives that one call's events
 * ({@link #traceparent}, {@link #attemptStarted}, {@link #attemptEnded}, {@link #retryScheduled}, {@link #callEnded});
 * the default returns this listener. Feeds: {@link #feedStarted} returns a {@link FeedListener} for one subscription.
 * The {@code sdk-micrometer} and {@code sdk-opentelemetry} modules are listeners built on these hooks.
 *
 * <pre>{@code
 * ClientListener metrics = new ClientListener() {
 *   public void attemptEnded(Attempt a) {
 *     histogram.record(a.operation(), a.latency().toMillis(), a.status());
 *   }
 * };
 * }</pre>
 */
public interface ClientListener {

  /**
   * One HTTP attempt of a logical call.
   *
   * @param operation the SDK operation, such as {@code twin.entities.get}
   * @param method HTTP method
   * @param url redacted URL
   * @param attempt 1 for the first attempt
   * @param traceparent the W3C traceparent sent with this attempt
   * @param status HTTP status, 0 before an answer or when none came
   * @param requestId the platform's request id, if it answered with one
   * @param latency time since the attempt started (zero at start)
   * @param error the transport failure, if any
   * @param idempotencyKey the Idempotency-Key sent with every attempt of the call, or null when it had none
   */
  record Attempt(String operation, String method, String url, int attempt, String traceparent, int status,
      String requestId, Duration latency, Throwable error, String idempotencyKey) {
    /**
     * The transport failure, if any.
     *
     * @return the failure
     */
    public Optional<Throwable> failure() {
      return Optional.ofNullable(error);
    }
  }

  /**
   * The end of a logical call, after its last attempt.
   *
   * @param operation the SDK operation
   * @param attempts attempts made
   * @param status final HTTP status, 0 when none
   * @param latency total time, backoff included
   * @param error the exception the call ended with, or null on success
   * @param idempotencyKey the Idempotency-Key the call carried, or null when it had none
   * @param outcome what the platform may have done: ANSWERED on success, else {@link ShuduException#outcome()}
   */
  record Call(String operation, int attempts, int status, Duration latency, ShuduException error,
      String idempotencyKey, ShuduException.Outcome outcome) {}

  /**
   * The start of a logical call, before its first attempt.
   *
   * @param service the service client making the call: {@code twin}, {@code exchange}, {@code iot} or {@code feeds}
   * @param operation the SDK operation, such as {@code twin.entities.get}
   * @param method HTTP method
   * @param url redacted URL
   * @param traceparent the W3C traceparent the caller asked to continue ({@link RequestOptions#traceparent()}), or
   *     null when it set none
   * @param retryBudget reads, when called, the share of the client's retry budget left: 1 when full, 0 when
   *     exhausted (retries then stop, see {@link RetryPolicy})
   */
  record CallStart(String service, String operation, String method, String url, String traceparent,
      DoubleSupplier retryBudget) {}

  /**
   * A logical call starts: called once per call, before its first attempt, on the thread that starts the call (the
   * caller's thread, also for asynchronous calls). The listener returned receives the events of this call only:
   * {@link #traceparent}, {@link #attemptStarted}, {@link #attemptEnded}, {@link #retryScheduled} and exactly one
   * {@link #callEnded} (also when an asynchronous call is cancelled), so it can hold per-call state such as a span or
   * a timer. The default returns this listener.
   *
   * @param call the call about to start
   * @return the listener for this call's events (never null)
   */
  default ClientListener callStarted(CallStart call) {
    return this;
  }

  /**
   * Chooses the W3C traceparent an attempt sends, before the attempt is signed and before
   * {@link #attemptStarted}. Return null to keep the SDK's (the attempt's {@link Attempt#traceparent()}); when several
   * listeners return one, the last registered wins. A returned value that is not a valid traceparent
   * ({@code 00-<32 hex>-<16 hex>-<2 hex>}) is ignored with a warning.
   *
   * @param attempt the attempt about to be sent, with the traceparent the SDK chose
   * @return the traceparent to send instead, or null
   */
  default String traceparent(Attempt attempt) {
    return null;
  }

  /**
   * A feed subscription starts, before its first connection: called on the thread that subscribes.
   *
   * @param subscription the subscription (its counters may be read at any time)
   * @param options its options (buffer capacity, consumer name)
   * @return a listener for this subscription's events, or null to observe nothing of it
   */
  default FeedListener feedStarted(FeedSubscription subscription, FeedOptions options) {
    return null;
  }

  /**
   * An attempt is about to be sent.
   *
   * @param attempt the attempt
   */
  default void attemptStarted(Attempt attempt) {}

  /**
   * An attempt got an answer or failed.
   *
   * @param attempt the attempt with status, latency and error
   */
  default void attemptEnded(Attempt attempt) {}

  /**
   * The SDK will retry after a delay.
   *
   * @param failed the attempt that failed
   * @param delay the wait before the next attempt
   * @param reason why (status, exception or Retry-After)
   */
  default void retryScheduled(Attempt failed, Duration delay, String reason) {}

  /**
   * A logical call ended.
   *
   * @param call the summary
   */
  default void callEnded(Call call) {}
}
