package io.shudu.core.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.core.PagedIterable;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one transport path of the SDK. Every call of every service client goes through {@link #execute} or
 * {@link #executeAsync}: credentials, idempotency key, traceparent, User-Agent, per-attempt and whole-call
 * timeouts, retries with jittered backoff and a retry budget, logging with redaction, listeners, and mapping of
 * error answers to the exception hierarchy. Thread-safe; one per service client.
 */
public final class ApiClient {
  static final String VERSION = readVersion();
  private static final byte[] EMPTY = new byte[0];

  private final ClientConfig config;
  private final OkHttpClient http;
  private final HttpUrl base;
  /** The endpoint's path without its trailing slash; each request's path is appended to it. */
  private final String basePath;
  private final String userAgent;
  private final RetryBudget budget;
  private final HttpLog log;
  private final String service;
  private volatile boolean closed;

  /**
   * Creates the pipeline for one service client.
   *
   * @param config client configuration
   * @param service short service name for the User-Agent (twin, exchange, iot)
   */
  public ApiClient(ClientConfig config, String service) {
    this.config = config;
    this.http = Transports.client(config.transport(), config.endpoint()).newBuilder()
        .connectTimeout(config.connectTimeout())
        .readTimeout(config.attemptTimeout())
        .writeTimeout(config.attemptTimeout())
        .retryOnConnectionFailure(false)
        .addNetworkInterceptor(ApiClient::stripCredentialsOffOrigin)
        .build();
    this.base = HttpUrl.get(config.endpoint());
    String bp = base.encodedPath();
    this.basePath = bp.endsWith("/") ? bp.substring(0, bp.length() - 1) : bp;
    this.userAgent = "shudu-sdk-java/" + VERSION + " (" + service + "; java " + System.getProperty("java.version") + ")"
        + (config.userAgentSuffix().isEmpty() ? "" : " " + config.userAgentSuffix());
    this.budget = new RetryBudget(config.retryPolicy());
    this.log = new HttpLog(config.loggedHeaders(), config.loggedQueryParameters());
    this.service = service;
  }

  /** The configuration this pipeline was built with. */
  public ClientConfig config() {
    return config;
  }

  /**
   * Credentials never leave the configured origin: when OkHttp follows a redirect to another scheme, host or port,
   * this network interceptor removes every credential header before the request is written. (OkHttp itself only
   * drops {@code Authorization}, not {@code X-Api-Key}.)
   */
  private static Response stripCredentialsOffOrigin(okhttp3.Interceptor.Chain chain) throws IOException {
    Request r = chain.request();
    SentMark sent = r.tag(SentMark.class);
    if (sent != null) {
      sent.sent = true; // connected: the request is about to be written, so the platform may receive it
    }
    OriginTag origin = r.tag(OriginTag.class);
    HttpUrl u = r.url();
    if (origin == null || origin.matches(u)) {
      return chain.proceed(r);
    }
    HttpLog.LOG.warn("Redirected from {} to another origin ({}://{}:{}): credentials removed from the follow-up "
        + "request", origin, u.scheme(), u.host(), u.port());
    return chain.proceed(r.newBuilder().removeHeader("Authorization").removeHeader("X-Api-Key")
        .removeHeader(Signing.DATE_HEADER).removeHeader(Signing.NONCE_HEADER)
        .removeHeader(Signing.CONTENT_SHA256_HEADER).build());
  }

  /**
   * Set by the network interceptor once an attempt is about to be written to a connection: from then on the platform
   * may have received it, so a call cancelled before its answer arrived may have been applied.
   */
  private static final class SentMark {
    volatile boolean sent;
  }

  /** The origin a call was built for, carried as a request tag (tags survive redirect follow-ups). */
  private record OriginTag(String scheme, String host, int port) {
    boolean matches(HttpUrl u) {
      return scheme.equals(u.scheme()) && host.equals(u.host()) && port == u.port();
    }

    @Override
    public String toString() {
      return scheme + "://" + host + ":" + port;
    }
  }

  /**
   * The full-jitter backoff before retry number {@code retry}: uniformly random between zero and
   * {@link RetryPolicy#backoffCeiling(int)}.
   *
   * @param policy the retry policy
   * @param retry 1 for the first retry
   * @param random the random source
   * @return the delay, never negative and never above the ceiling
   */
  public static Duration backoff(RetryPolicy policy, int retry, java.util.random.RandomGenerator random) {
    return Backoff.delay(policy.baseDelay(), policy.maxDelay(), retry, random);
  }

  /** The OkHttp client with this configuration's timeouts, for event streams. */
  public OkHttpClient http() {
    return http;
  }

  /** The retry budget shared by this client's calls. */
  public RetryBudget budget() {
    return budget;
  }

  /**
   * Builds one authorised attempt of a request without sending it (credentials, traceparent, User-Agent, headers):
   * for callers that drive OkHttp themselves, such as server-sent event streams. No retries, no listeners.
   */
  public Request prepare(ApiRequest request) {
    return new CallState(request).nextAttempt();
  }

  /**
   * Refuses every later call ({@link #execute}, {@link #executeAsync} and what is built on them) with an
   * {@link IllegalStateException}; feed streams already open are closed by their own subscriptions.
   */
  public void close() {
    closed = true;
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen(ApiRequest request) {
    if (closed) {
      throw new IllegalStateException(request.operation() + " was called on a closed " + service + " client: "
          + "create a new client (a client is meant to live as long as the application and be closed at shutdown).");
    }
  }

  /** Sends the request; returns the answer or throws a {@link ShuduException}. */
  public ApiResponse execute(ApiRequest request) {
    checkOpen(request);
    CallState state = new CallState(request);
    state.start();
    while (true) {
      Request attempt = state.nextAttempt();
      Call call = http.newCall(attempt);
      call.timeout().timeout(state.attemptTimeoutNanos(), TimeUnit.NANOSECONDS);
      Outcome outcome;
      try {
        outcome = state.onResponse(call.execute());
      } catch (IOException e) {
        outcome = state.onFailure(e);
      }
      if (outcome.done()) {
        return outcome.result();
      }
      try {
        Thread.sleep(outcome.delay().toMillis(), outcome.delay().toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw state.fail(new ClientException(request.operation() + " was interrupted while waiting to retry", e, true));
      }
    }
  }

  /** Sends the request without blocking; the future fails with a {@link ShuduException}. */
  public CompletableFuture<ApiResponse> executeAsync(ApiRequest request) {
    CompletableFuture<ApiResponse> future = new CompletableFuture<>();
    CallState state;
    try {
      checkOpen(request);
      state = new CallState(request);
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
      return future;
    }
    state.start();
    future.whenComplete((r, e) -> {
      if (future.isCancelled()) {
        state.cancelled();
      }
    });
    attemptAsync(state, future);
    return future;
  }

  private void attemptAsync(CallState state, CompletableFuture<ApiResponse> future) {
    if (future.isDone()) {
      return; // cancelled by the caller during a backoff
    }
    if (state.mayBlockToAuthorize()) {
      // an OAuth2 token must be fetched first: do it on a worker, never on the caller's or the scheduler's thread
      try {
        http.dispatcher().executorService().execute(() -> sendAsync(state, future));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        future.completeExceptionally(state.fail(new ClientException(state.request.operation() + ": the HTTP client "
            + "is shut down; build a new client", e, false)));
      }
      return;
    }
    sendAsync(state, future);
  }

  private void sendAsync(CallState state, CompletableFuture<ApiResponse> future) {
    Request attempt;
    try {
      attempt = state.nextAttempt();
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
      return;
    }
    Call call = http.newCall(attempt);
    call.timeout().timeout(state.attemptTimeoutNanos(), TimeUnit.NANOSECONDS);
    future.whenComplete((r, e) -> {
      if (future.isCancelled()) {
        call.cancel();
      }
    });
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        if (future.isDone()) {
          response.close(); // cancelled by the caller: the answer is not read
          return;
        }
        continueAsync(state, future, () -> state.onResponse(response));
      }

      @Override
      public void onFailure(Call c, IOException e) {
        continueAsync(state, future, () -> state.onFailure(e));
      }
    });
  }

  private void continueAsync(CallState state, CompletableFuture<ApiResponse> future, java.util.function.Supplier<Outcome> step) {
    if (future.isDone()) {
      return; // cancelled by the caller: no retry, no result
    }
    Outcome outcome;
    try {
      outcome = step.get();
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
      return;
    }
    if (outcome.done()) {
      future.complete(outcome.result());
      return;
    }
    java.util.concurrent.ScheduledFuture<?> retry = Transports.scheduler().schedule(() -> attemptAsync(state, future),
        outcome.delay().toNanos(), TimeUnit.NANOSECONDS);
    // a caller who cancels during the backoff (a Retry-After may be long) removes the retry from the scheduler
    future.whenComplete((r, e) -> {
      if (future.isCancelled()) {
        retry.cancel(false);
      }
    });
  }

  /** Sends and decodes the JSON answer. */
  public <T> T call(ApiRequest request, Class<T> type) {
    return decode(execute(request), Json.mapper().constructType(type));
  }

  /** Sends and decodes the JSON answer. */
  public <T> T call(ApiRequest request, TypeReference<T> type) {
    return decode(execute(request), Json.mapper().constructType(type));
  }

  /** Sends asynchronously and decodes the JSON answer; cancelling the future cancels the call. */
  public <T> CompletableFuture<T> callAsync(ApiRequest request, Class<T> type) {
    JavaType jt = Json.mapper().constructType(type);
    return cancelling(executeAsync(request), r -> decode(r, jt));
  }

  /** Sends asynchronously and decodes the JSON answer; cancelling the future cancels the call. */
  public <T> CompletableFuture<T> callAsync(ApiRequest request, TypeReference<T> type) {
    JavaType jt = Json.mapper().constructType(type);
    return cancelling(executeAsync(request), r -> decode(r, jt));
  }

  /**
   * {@code call.thenApply(then)}, whose cancellation also cancels {@code call} (a plain dependent future would leave
   * the call running and its listeners unaware).
   */
  public static <T> CompletableFuture<T> cancelling(CompletableFuture<ApiResponse> call, Function<ApiResponse, T> then) {
    CompletableFuture<T> out = call.thenApply(then);
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        call.cancel(true);
      }
    });
    return out;
  }

  private static <T> T decode(ApiResponse r, JavaType type) {
    if (type.getRawClass() == Void.class) {
      return null;
    }
    return r.json(type);
  }

  /**
   * A listing whose pages are fetched by {@code requestForPage(token, limit)} and decoded by {@code decoder}.
   *
   * @param pageSize default page size
   * @param requestForPage builds the request of a page
   * @param decoder turns an answer into a page
   */
  public <T> PagedIterable<T> paginate(int pageSize, PageRequest requestForPage, Function<ApiResponse, io.shudu.core.Page<T>> decoder) {
    return PagedIterable.of(new PagedIterable.PageSource<T>() {
      @Override
      public io.shudu.core.Page<T> fetch(String token, int limit) {
        return decoder.apply(execute(requestForPage.build(token, limit)));
      }

      @Override
      public CompletableFuture<io.shudu.core.Page<T>> fetchAsync(String token, int limit) {
        return executeAsync(requestForPage.build(token, limit)).thenApply(decoder);
      }
    }, pageSize);
  }

  /** Builds the request for one page. */
  @FunctionalInterface
  public interface PageRequest {
    ApiRequest build(String token, int limit);
  }

  /** Unwraps CompletionException so async callers see the SDK's exception types. */
  public static RuntimeException unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c instanceof RuntimeException re ? re : new ClientException(c.toString(), c, false);
  }

  /** The outcome of one attempt: done (result) or retry after a delay. */
  private record Outcome(ApiResponse result, Duration delay) {
    boolean done() {
      return delay == null;
    }
  }

  /** State of one logical call across its attempts. */
  private final class CallState {
    private final ApiRequest request;
    private final RetryPolicy policy;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final long attemptTimeoutNanos;
    private final String idempotencyKey;
    private final String traceId;
    private final HttpUrl url;
    private final String redactedUrl;
    private final OriginTag origin;
    private final Credentials credentials = config.credentials();
    private String lastAuthorization;
    private URI uri;
    private int attempt;
    private boolean reauthenticated;
    private long attemptStart;
    /** The traceparent of the attempt in flight (null before the first). */
    private String currentTraceparent;
    /** Whether an attempt so far may have been applied without its answer reaching us. */
    private volatile boolean maybeProcessed;
    /** Whether the platform answered an attempt. */
    private volatile boolean answered;
    /** The mark of the attempt in flight (null once its answer or failure was handled). */
    private volatile SentMark inFlight;
    /** Retries taken beyond an empty budget for a keyed write whose answer was lost. */
    private int reservedRetries;
    /** The listeners of this call: those {@link ClientListener#callStarted} returned, or the configured ones. */
    private List<ClientListener> listeners = config.listeners();
    /** Set once callEnded has been reported: exactly once per call. */
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    CallState(ApiRequest request) {
      this.request = request;
      this.policy = request.options().retryPolicy().orElse(config.retryPolicy());
      Duration callTimeout = request.options().timeout().orElse(config.callTimeout());
      this.deadlineNanos = startNanos + callTimeout.toNanos();
      this.attemptTimeoutNanos = request.options().attemptTimeout().orElse(config.attemptTimeout()).toNanos();
      boolean needsKey = request.method().equals("POST") || request.method().equals("PATCH")
          || (request.method().equals("PUT") && "*".equals(request.headers().get("If-None-Match")));
      this.idempotencyKey = request.options().idempotencyKey().orElse(needsKey ? UUID.randomUUID().toString() : null);
      this.traceId = request.options().traceparent().map(t -> t.substring(3, 35)).orElseGet(Tracing::newTraceId);
      HttpUrl.Builder ub = base.newBuilder();
      ub.encodedPath(basePath + request.path());
      if (!request.encodedQuery().isEmpty() || !request.query().isEmpty()) {
        StringBuilder q = new StringBuilder(64);
        for (String part : request.encodedQuery()) {
          if (q.length() > 0) {
            q.append('&');
          }
          q.append(part);
        }
        for (String[] kv : request.query()) {
          if (q.length() > 0) {
            q.append('&');
          }
          q.append(Signing.encode(kv[0])).append('=').append(Signing.encode(kv[1]));
        }
        ub.encodedQuery(q.toString());
      } else {
        ub.encodedQuery(null);
      }
      this.url = ub.build();
      this.redactedUrl = log.redactUrl(url);
      this.origin = new OriginTag(url.scheme(), url.host(), url.port());
    }

    /** Starts the call for listeners: each configured listener chooses the listener of this call's events. */
    void start() {
      List<ClientListener> configured = config.listeners();
      if (configured.isEmpty()) {
        return;
      }
      ClientListener.CallStart start = new ClientListener.CallStart(service, request.operation(), request.method(),
          redactedUrl, request.options().traceparent().orElse(null), budget::level);
      java.util.ArrayList<ClientListener> chosen = new java.util.ArrayList<>(configured.size());
      for (ClientListener l : configured) {
        ClientListener perCall = l;
        try {
          ClientListener c = l.callStarted(start);
          if (c != null) {
            perCall = c;
          }
        } catch (RuntimeException e) {
          HttpLog.LOG.warn("A ClientListener threw {}; ignored", e.toString());
        }
        chosen.add(perCall);
      }
      listeners = List.copyOf(chosen);
    }

    /**
     * An asynchronous call was cancelled by its caller: listeners learn that it ended. If the attempt in flight had
     * already been written, the platform may apply it although its answer will never be read: the outcome is then
     * MAYBE_PROCESSED (with the idempotency key to repeat it), not NOT_SENT.
     */
    void cancelled() {
      if (!ended.get()) {
        SentMark m = inFlight;
        if (m != null && m.sent) {
          maybeProcessed = true;
        }
        fail(new ClientException(request.operation() + " was cancelled by the caller", null, false));
      }
    }

    /** The target as a java.net.URI, built once and only for credentials that look at it (signing). */
    private URI uri() {
      URI u = uri;
      if (u == null) {
        // The URL exactly as it goes on the wire: HttpUrl.uri() re-encodes it for java.net.URI (and compiles a
        // regular expression per call to do so), which the signer must not see; it is kept for the rare URL that
        // java.net.URI refuses as written.
        try {
          u = URI.create(url.toString());
        } catch (IllegalArgumentException e) {
          u = url.uri();
        }
        uri = u;
      }
      return u;
    }

    long attemptTimeoutNanos() {
      long remaining = deadlineNanos - System.nanoTime();
      return Math.max(1_000_000L, Math.min(attemptTimeoutNanos, remaining));
    }

    Request nextAttempt() {
      attempt++;
      SentMark mark = new SentMark();
      inFlight = mark;
      Request.Builder rb = new Request.Builder().url(url).tag(OriginTag.class, origin).tag(SentMark.class, mark);
      String traceparent = chooseTraceparent(Tracing.traceparent(traceId));
      OutgoingRequestImpl out = new OutgoingRequestImpl(request.method(), this::uri, rb,
          request.body() == null ? EMPTY : request.body());
      out.setHeader("User-Agent", userAgent);
      out.setHeader("Accept", "application/json, application/problem+json");
      out.setHeader("traceparent", traceparent);
      if (idempotencyKey != null) {
        out.setHeader("Idempotency-Key", idempotencyKey);
      }
      request.headers().forEach(out::setHeader);
      request.options().headers().forEach(out::setHeader);
      byte[] body = request.body();
      if (body != null && request.contentType() != null) {
        out.setHeader("Content-Type", request.contentType());
      }
      try {
        credentials.authorize(out);
        lastAuthorization = out.header("Authorization").orElse(null);
      } catch (ShuduException e) {
        throw fail(e);
      } catch (RuntimeException e) {
        throw fail(new ClientException(request.operation() + ": the credentials could not authorise the request: "
            + e.getMessage(), e, false));
      }
      RequestBody rbody = body == null
          ? (requiresBody(request.method()) ? RequestBody.create(EMPTY, null) : null)
          : RequestBody.create(body, request.contentType() == null ? null : MediaType.parse(request.contentType()));
      rb.method(request.method(), rbody);
      Request built = rb.build();
      attemptStart = System.nanoTime();
      currentTraceparent = traceparent;
      log.request(request.operation(), attempt, built, redactedUrl);
      if (!listeners.isEmpty()) {
        ClientListener.Attempt started = new ClientListener.Attempt(request.operation(), request.method(), redactedUrl,
            attempt, traceparent, 0, null, Duration.ZERO, null, idempotencyKey);
        for (ClientListener l : listeners) {
          safely(() -> l.attemptStarted(started));
        }
      }
      return built;
    }

    /** The SDK's traceparent for the next attempt unless a listener chooses another (the last valid one wins). */
    private String chooseTraceparent(String proposed) {
      if (listeners.isEmpty()) {
        return proposed;
      }
      ClientListener.Attempt next = new ClientListener.Attempt(request.operation(), request.method(), redactedUrl,
          attempt, proposed, 0, null, Duration.ZERO, null, idempotencyKey);
      String chosen = proposed;
      for (ClientListener l : listeners) {
        String t;
        try {
          t = l.traceparent(next);
        } catch (RuntimeException e) {
          HttpLog.LOG.warn("A ClientListener threw {}; ignored", e.toString());
          continue;
        }
        if (t == null) {
          continue;
        }
        if (Tracing.isValid(t)) {
          chosen = t;
        } else {
          HttpLog.LOG.warn("A ClientListener chose an invalid traceparent for {}; ignored", request.operation());
        }
      }
      return chosen;
    }

    Outcome onResponse(Response response) {
      int status = response.code();
      byte[] body = EMPTY;
      ApiResponse streamed = null;
      try {
        if (status < 400 && request.stream()) {
          ResponseBody rb = response.body();
          streamed = new ApiResponse(request.operation(), status, response.headers(), EMPTY, rb.byteStream(),
              idempotencyKey);
        } else {
          try (ResponseBody rb = response.body()) {
            body = ApiResponse.readBody(rb);
          }
        }
      } catch (IOException e) {
        response.close();
        return onFailure(e);
      }
      long latencyNanos = System.nanoTime() - attemptStart;
      answered = true;
      log.response(request.operation(), attempt, response, latencyNanos, body.length);
      // the attempt's record is built only for someone to read it: listeners, or the error path below
      ClientListener.Attempt ended = listeners.isEmpty() && status < 400 ? null
          : new ClientListener.Attempt(request.operation(), request.method(), redactedUrl, attempt, currentTraceparent,
              status, response.header("X-Request-Id"), Duration.ofNanos(latencyNanos), null, idempotencyKey);
      for (ClientListener l : listeners) {
        safely(() -> l.attemptEnded(ended));
      }
      if (status >= 300 && status < 400 && status != 304) {
        response.close();
        throw fail(redirectNotFollowed(status, response.header("Location")));
      }
      if (status < 400) {
        budget.onSuccess();
        ApiResponse result = streamed != null ? streamed
            : new ApiResponse(request.operation(), status, response.headers(), body, null, idempotencyKey);
        callEnded(status, null);
        return new Outcome(result, null);
      }
      ShuduException error = Errors.fromResponse(status, response.headers().toMultimap(), body, request.operation());
      // a 500, 502 or 504 may come after (or instead of) the effect; a key still in progress is being applied
      boolean lost = status == 500 || status == 502 || status == 504
          || (status == 409 && error instanceof io.shudu.core.ServiceException se
              && se.code().filter(c -> c.equals("idempotency_in_progress")
                  || c.equals("client_reference_in_progress")).isPresent());
      maybeProcessed |= lost;
      inFlight = null; // settled by its answer
      if (status == 401) {
        Auth.OAuth2 oauth = tokenCredentials();
        if (!reauthenticated) {
          reauthenticated = true;
          if (oauth != null) {
            oauth.invalidate(lastAuthorization);
            retryScheduled(ended, Duration.ZERO, "401: refreshing the access token");
            return new Outcome(null, Duration.ZERO);
          }
          credentials.invalidate();
        }
        error = explainUnauthorized((io.shudu.core.AuthenticationException) error);
      }
      Optional<Duration> retryAfter = Errors.retryAfter(response.header("Retry-After"), Instant.now());
      return retryOrFail(ended, Errors.isRetryableStatus(status) || lost, retryAfter, error, "HTTP " + status, lost);
    }

    Outcome onFailure(IOException e) {
      Duration latency = Duration.ofNanos(System.nanoTime() - attemptStart);
      ClientListener.Attempt ended = new ClientListener.Attempt(request.operation(), request.method(), redactedUrl,
          attempt, currentTraceparent, 0, null, latency, e, idempotencyKey);
      // refused or unresolved: the request never left; anything else may have reached the platform
      boolean lost = !(e instanceof ConnectException || e instanceof UnknownHostException);
      maybeProcessed |= lost;
      inFlight = null;
      log.failure(request.operation(), attempt, e, latency);
      for (ClientListener l : listeners) {
        safely(() -> l.attemptEnded(ended));
      }
      boolean overallTimeout = System.nanoTime() >= deadlineNanos;
      ClientException error = transportError(e, overallTimeout);
      String reason = e instanceof InterruptedIOException ? "attempt timed out" : e.getClass().getSimpleName();
      return retryOrFail(ended, !overallTimeout, Optional.empty(), error, reason, lost);
    }

    private Outcome retryOrFail(ClientListener.Attempt ended, boolean transientFailure, Optional<Duration> retryAfter,
        ShuduException error, String reason, boolean lostAnswer) {
      if (!transientFailure || !retryableMethod()) {
        throw fail(error);
      }
      if (attempt >= policy.maxAttempts()) {
        throw fail(error);
      }
      Duration delay;
      if (retryAfter.isPresent()) {
        if (retryAfter.get().compareTo(policy.maxRetryAfter()) > 0) {
          throw fail(error);
        }
        delay = retryAfter.get();
      } else {
        delay = backoff(policy, attempt, ThreadLocalRandom.current());
      }
      if (System.nanoTime() + delay.toNanos() >= deadlineNanos) {
        throw fail(error);
      }
      String suffix = "";
      if (!budget.tryAcquire()) {
        // The budget stops retry storms, but a keyed write whose answer was lost keeps a few replays of its key:
        // they cannot apply it twice, and without them the caller would not learn what happened.
        if (!(lostAnswer && idempotencyKey != null && reservedRetries < policy.lostAnswerRetries())) {
          throw fail(new ClientException(request.operation() + " failed and was not retried: the client's retry "
              + "budget is exhausted because many recent calls failed (the platform may be down). Last failure: "
              + error.getMessage(), error, true));
        }
        reservedRetries++;
        suffix = " (retry budget exhausted: reserved retry " + reservedRetries + " of " + policy.lostAnswerRetries()
            + " for a keyed write whose answer was lost)";
      }
      retryScheduled(ended, delay, reason + (retryAfter.isPresent() ? " (Retry-After)" : "") + suffix);
      return new Outcome(null, delay);
    }

    private void retryScheduled(ClientListener.Attempt ended, Duration delay, String reason) {
      log.retry(request.operation(), attempt, delay, reason);
      for (ClientListener l : listeners) {
        safely(() -> l.retryScheduled(ended, delay, reason));
      }
    }

    private boolean retryableMethod() {
      return switch (request.method()) {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS" -> true;
        default -> idempotencyKey != null;
      };
    }

    /** Whether authorising the next attempt may make a blocking token request. */
    boolean mayBlockToAuthorize() {
      if (credentials instanceof Auth.Chain c && c.resolved() == null) {
        return true;
      }
      Auth.OAuth2 oauth = tokenCredentials();
      return oauth != null && !oauth.hasFreshToken();
    }

    private Auth.OAuth2 tokenCredentials() {
      if (credentials instanceof Auth.OAuth2 o) {
        return o;
      }
      return credentials instanceof Auth.Chain c && c.resolved() instanceof Auth.OAuth2 o ? o : null;
    }

    /** Adds to a 401 which credentials were sent and where they came from (never their value). */
    private io.shudu.core.AuthenticationException explainUnauthorized(io.shudu.core.AuthenticationException e) {
      String hint = request.operation() + " sent " + Auth.describe(credentials) + " to " + config.endpoint() + ".";
      String detail = e.detail().map(d -> d + " " + hint).orElse(hint);
      return new io.shudu.core.AuthenticationException(e.status(), e.code().orElse(null), e.type().orElse(null),
          e.title().orElse(null), detail, e.requestId().orElse(null), e.errors(), e.extensions());
    }

    ShuduException fail(ShuduException e) {
      ShuduException.Outcome outcome = maybeProcessed ? ShuduException.Outcome.MAYBE_PROCESSED
          : answered ? ShuduException.Outcome.ANSWERED : ShuduException.Outcome.NOT_SENT;
      e.initCall(idempotencyKey, outcome);
      Throwable cause = e.getCause();
      if (cause instanceof ShuduException inner && inner != e) {
        inner.initCall(idempotencyKey, outcome); // the last failure, wrapped by the budget's message
      }
      callEnded(e instanceof io.shudu.core.ServiceException se ? se.status() : 0, e);
      return e;
    }

    private void callEnded(int status, ShuduException e) {
      if (!ended.compareAndSet(false, true) || listeners.isEmpty()) {
        return;
      }
      ClientListener.Call c = new ClientListener.Call(request.operation(), attempt, status,
          Duration.ofNanos(System.nanoTime() - startNanos), e, idempotencyKey,
          e == null ? ShuduException.Outcome.ANSWERED : e.outcome());
      for (ClientListener l : listeners) {
        safely(() -> l.callEnded(c));
      }
    }

    /**
     * A redirect the HTTP client did not follow (to another scheme, or beyond its limit): an error that says where
     * to, without the target's user-info or query.
     */
    private ClientException redirectNotFollowed(int status, String location) {
      HttpUrl target = location == null ? null : url.resolve(location);
      String where = target == null ? "an address it did not give" : target.scheme() + "://" + target.host() + ":"
          + target.port() + target.encodedPath();
      String fix = target != null && !target.scheme().equals(url.scheme())
          ? " Configure the endpoint with the scheme the platform redirects to (" + target.scheme() + "://"
              + target.host() + (target.port() == HttpUrl.defaultPort(target.scheme()) ? "" : ":" + target.port())
              + "): credentials are never sent to another origin."
          : " Check the endpoint (" + config.endpoint() + ").";
      return new ClientException(request.operation() + " was redirected (HTTP " + status + ") to " + where
          + ", which the client does not follow." + fix, null, false);
    }

    private ClientException transportError(IOException e, boolean overallTimeout) {
      String where = request.method() + " " + redactedUrl;
      if (overallTimeout) {
        return new ClientException(request.operation() + " (" + where + ") timed out after "
            + Duration.ofNanos(deadlineNanos - startNanos).toMillis() + " ms in total over " + attempt
            + " attempt(s). Raise ClientConfig.callTimeout or RequestOptions.timeout if the operation is expected to take "
            + "longer.", e, true);
      }
      if (e instanceof ConnectException) {
        return new ClientException(request.operation() + " could not connect to " + config.endpoint()
            + ": connection refused. Check that the endpoint is right and that the platform (or sandbox) is running.",
            e, true);
      }
      if (e instanceof UnknownHostException) {
        return new ClientException(request.operation() + ": the host of endpoint " + config.endpoint()
            + " could not be resolved. Check the endpoint's spelling and your DNS.", e, true);
      }
      if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
        return new ClientException(request.operation() + " (" + where + "): attempt " + attempt + " timed out after "
            + Duration.ofNanos(attemptTimeoutNanos).toMillis() + " ms. Raise ClientConfig.attemptTimeout or "
            + "RequestOptions.attemptTimeout for slow operations.", e, true);
      }
      return new ClientException(request.operation() + " (" + where + ") failed on attempt " + attempt + ": "
          + e.getMessage() + ". The connection was lost or the answer was cut short; the call is safe to retry only "
          + "if it is idempotent.", e, true);
    }
  }

  private static boolean requiresBody(String method) {
    return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      HttpLog.LOG.warn("A ClientListener threw {}; ignored", e.toString());
    }
  }

  /** The request as credentials see it. */
  private static final class OutgoingRequestImpl implements Credentials.OutgoingRequest {
    private final String method;
    private final java.util.function.Supplier<URI> uri;
    private final Request.Builder builder;
    private final byte[] body;
    private final Map<String, String> set = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** The attempt's headers are set through {@link #setHeader}, so they are known here without building a request. */
    OutgoingRequestImpl(String method, java.util.function.Supplier<URI> uri, Request.Builder builder, byte[] body) {
      this.method = method;
      this.uri = uri;
      this.builder = builder;
      this.body = body;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public URI uri() {
      return uri.get();
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(set.get(name));
    }

    @Override
    public void setHeader(String name, String value) {
      set.put(name, value);
      builder.header(name, value);
    }

    @Override
    public byte[] body() {
      return body;
    }
  }


  /** The SDK version the build wrote into {@code version.properties}; "unknown" if the resource is missing. */
  private static String readVersion() {
    try (java.io.InputStream in = ApiClient.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
