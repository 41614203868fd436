package io.shudu.exchange.internal;

import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.AwaitStateException;
import io.shudu.exchange.ExchangeState;
import io.shudu.exchange.Party;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Waits for an order or delivery to reach a state with the platform's long-poll endpoint
 * ({@code GET .../{id}/await?state=S&timeoutMs=N}), repeating until the caller's timeout, and explains who has not
 * acted when it runs out.
 *
 * @param <T> the resource type
 * @param <S> its state type
 */
public final class LongPoll<T, S extends ExchangeState> {
  private static final long MAX_POLL_MS = 25_000;

  /** How to read a resource. */
  public interface View<T, S> {
    /** @param t resource @return its state */
    S state(T t);

    /** @param current a state @param target the awaited state @return whether current is or has passed target */
    boolean reached(S current, S target);

    /** @param t resource @return who has to act, or null */
    Party waitingOn(T t);

    /** @param t resource @return human-readable next actions */
    List<String> nextActions(T t);

    /** @param t resource @return extra detail for a final state (termination reason), or null */
    String finalDetail(T t);
  }

  private final ApiClient api;
  private final String kind;
  private final String pathTemplate;
  private final Class<T> type;
  private final View<T, S> view;
  private final RequestOptions base;

  /**
   * Creates a poller.
   *
   * @param api pipeline
   * @param kind "order" or "delivery"
   * @param pathTemplate such as /exchange/v1/orders/{}/await
   * @param type resource class
   * @param view reads the resource
   * @param base the caller's per-call options: their headers, traceparent and retry policy are kept; the timeouts
   *     follow the wait
   */
  public LongPoll(ApiClient api, String kind, String pathTemplate, Class<T> type, View<T, S> view,
      RequestOptions base) {
    this.base = base == null ? RequestOptions.defaults() : base;
    this.api = api;
    this.kind = kind;
    this.pathTemplate = pathTemplate;
    this.type = type;
    this.view = view;
  }

  private ApiRequest request(String id, S state, long waitMs) {
    return ApiRequest.builder("exchange." + kind + "s.await", "GET", pathTemplate, id).query("state", state.name())
        .query("timeoutMs", waitMs)
        .options(options(waitMs)).build();
  }

  private RequestOptions options(long waitMs) {
    RequestOptions.Builder b = RequestOptions.builder().attemptTimeout(Duration.ofMillis(waitMs + 10_000))
        .timeout(Duration.ofMillis(waitMs + 30_000));
    base.headers().forEach(b::header);
    base.traceparent().ifPresent(b::traceparent);
    base.retryPolicy().ifPresent(b::retryPolicy);
    return b.build();
  }

  private void check(String id, S state, Duration timeout) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (state == null) {
      throw new NullPointerException("state must not be null");
    }
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be zero or positive, got " + timeout);
    }
  }

  /**
   * Waits.
   *
   * @param id resource id
   * @param state awaited state
   * @param timeout how long
   * @return the resource in that state
   */
  public T await(String id, S state, Duration timeout) {
    check(id, state, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
      T t = api.call(request(id, state, Math.min(left, MAX_POLL_MS)), type);
      T done = outcome(t, id, state, timeout, deadline);
      if (done != null) {
        return done;
      }
    }
  }

  /**
   * Waits without blocking a thread.
   *
   * @param id resource id
   * @param state awaited state
   * @param timeout how long
   * @return the resource in that state
   */
  public CompletableFuture<T> awaitAsync(String id, S state, Duration timeout) {
    try {
      check(id, state, timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    return loop(id, state, timeout, deadline);
  }

  private CompletableFuture<T> loop(String id, S state, Duration timeout, long deadline) {
    long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
    return api.callAsync(request(id, state, Math.min(left, MAX_POLL_MS)), type).thenCompose(t -> {
      T done = outcome(t, id, state, timeout, deadline);
      return done != null ? CompletableFuture.completedFuture(done) : loop(id, state, timeout, deadline);
    });
  }

  /** The resource when done, null to poll again; throws when it can't or time is up. */
  private T outcome(T t, String id, S state, Duration timeout, long deadline) {
    S current = view.state(t);
    if (current == null) {
      throw new io.shudu.core.ClientException("The platform answered a " + kind + " without a state.", null, false);
    }
    if (view.reached(current, state)) {
      return t;
    }
    String cap = Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    if (current.isFinal()) {
      String detail = view.finalDetail(t);
      throw new AwaitStateException(cap + " " + id + " ended " + current.name() + (detail == null ? ""
          : " (" + detail + ")") + " and can never reach " + state.name() + ".", id, state, current, null, false);
    }
    if (System.nanoTime() >= deadline) {
      Party who = view.waitingOn(t);
      String whoText = who == null ? "nobody" : switch (who) {
        case BUYER -> "the buyer (you)";
        case MERCHANT -> "the merchant";
        case EXCHANGE -> "the exchange";
      };
      throw new AwaitStateException(cap + " " + id + " did not reach " + state.name() + " within "
          + timeout.toMillis() + " ms: it is still " + current.name() + ", waiting on " + whoText
          + " to act (possible next steps: "
          + String.join("; ", view.nextActions(t)) + ").", id, state, current, who, true);
    }
    return null;
  }
}
