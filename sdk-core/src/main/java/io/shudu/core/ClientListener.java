package io.shudu.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Observes calls for metrics and tracing. Register with {@link ClientConfig.Builder#addListener}. Methods are
 * called on the thread that runs the attempt and must return quickly; exceptions they throw are logged and
 * ignored. URLs passed to listeners carry only allow-listed query parameters (see {@link ClientConfig}).
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
