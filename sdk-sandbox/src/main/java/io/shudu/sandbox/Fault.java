package io.shudu.sandbox;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * A fault the sandbox injects into its next matching responses, for testing how an app copes with a bad network
 * or an overloaded platform. Inject with {@link Sandbox#injectFault(Fault)}.
 *
 * <pre>{@code
 * sandbox.injectFault(Fault.status(503, Duration.ofSeconds(1)).onPath("/twin/").times(2));
 * sandbox.injectFault(Fault.connectionReset().times(1));
 * sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/exchange/v1/orders"));
 * }</pre>
 *
 * @param kind what happens
 * @param status status for {@link Kind#STATUS}
 * @param retryAfter Retry-After for {@link Kind#STATUS}, or null
 * @param latency delay for {@link Kind#LATENCY}
 * @param pathPrefix only requests whose path starts with this, or "/" for all
 * @param times how many requests it applies to
 */
public record Fault(Kind kind, int status, Duration retryAfter, Duration latency, String pathPrefix, int times) {

  /** Kinds of fault. */
  public enum Kind {
    /** Delay the response, then answer normally. */
    LATENCY,
    /** Answer with a status (429, 503...) as problem+json, without running the handler. */
    STATUS,
    /** Close the connection before answering, without running the handler. */
    CONNECTION_RESET,
    /** Run the handler, then send headers and only part of the body. */
    TRUNCATED_BODY,
    /** Run the handler (its effects are committed), then close the connection without answering. */
    DROP_RESPONSE
  }

  /** Validates. */
  public Fault {
    Preconditions.checkNotNull(kind, "kind");
    Preconditions.checkArgument(times >= 1, "times must be >= 1, got %s", times);
    Preconditions.checkArgument(pathPrefix != null && pathPrefix.startsWith("/"), "pathPrefix must start with /");
    Preconditions.checkArgument(kind != Kind.STATUS || (status >= 400 && status <= 599),
        "a STATUS fault needs a 4xx or 5xx status, got %s", status);
  }

  /**
   * Delays responses.
   *
   * @param delay the delay
   * @return the fault
   */
  public static Fault latency(Duration delay) {
    Preconditions.checkArgument(delay != null && !delay.isNegative(), "delay must be >= 0");
    return new Fault(Kind.LATENCY, 0, null, delay, "/", 1);
  }

  /**
   * Answers with a status, optionally with Retry-After.
   *
   * @param status 4xx/5xx
   * @param retryAfter or null
   * @return the fault
   */
  public static Fault status(int status, Duration retryAfter) {
    return new Fault(Kind.STATUS, status, retryAfter, Duration.ZERO, "/", 1);
  }

  /**
   * Resets the connection.
   *
   * @return the fault
   */
  public static Fault connectionReset() {
    return new Fault(Kind.CONNECTION_RESET, 0, null, Duration.ZERO, "/", 1);
  }

  /**
   * Truncates the body.
   *
   * @return the fault
   */
  public static Fault truncatedBody() {
    return new Fault(Kind.TRUNCATED_BODY, 0, null, Duration.ZERO, "/", 1);
  }

  /**
   * Commits the request, then drops the response.
   *
   * @return the fault
   */
  public static Fault dropResponseAfterCommit() {
    return new Fault(Kind.DROP_RESPONSE, 0, null, Duration.ZERO, "/", 1);
  }

  /**
   * Restricts the fault to paths starting with a prefix.
   *
   * @param prefix such as "/twin/"
   * @return a copy
   */
  public Fault onPath(String prefix) {
    return new Fault(kind, status, retryAfter, latency, prefix, times);
  }

  /**
   * Applies the fault to the next {@code n} matching requests.
   *
   * @param n at least 1
   * @return a copy
   */
  public Fault times(int n) {
    return new Fault(kind, status, retryAfter, latency, pathPrefix, n);
  }
}
