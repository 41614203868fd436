package io.shudu.sandbox.internal;

import com.sun.net.httpserver.HttpExchange;
import io.shudu.core.internal.Json;
import io.shudu.core.internal.Signing;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.SandboxLimits;
import io.shudu.sandbox.internal.http.HttpFront;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's request pipeline: request ids, fault injection, authentication (before any body byte is read),
 * per-tenant and global limits, bounded body reading, idempotency keys, routing and problem+json rendering, served by
 * {@link HttpFront} (see docs/architecture.md for why not the JDK's built-in server).
 */
public final class SandboxServer {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox");
  /** Longest Idempotency-Key, in characters (the SDK's keys are 1 to 255 printable ASCII characters). */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  /** Default largest request body: 64 MiB. */
  public static final int DEFAULT_MAX_BODY = 64 * 1024 * 1024;
  private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
  private static final String EVENT_STREAM = "text/event-stream";

  private record Stored(int status, Map<String, String> headers, byte[] body, String bodyHash) {}

  private record IdemKey(String tenant, String key) {}

  private final Router router;
  private final SandboxAuth auth;
  private final boolean openMode;
  private final int maxBody;
  private final SandboxLimits limits;
  private final List<Fault> faults = new ArrayList<>();
  private final BoundedStore<IdemKey, CompletableFuture<Stored>> idempotency;
  private final AtomicLong requestCounter = new AtomicLong();
  private final String instanceId = Long.toHexString(System.nanoTime() & 0xffffff);
  private final Map<String, AtomicInteger> tenantRequests = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> tenantStreams = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();
  private final AtomicLong bufferedBodies = new AtomicLong();
  private HttpFront server;

  /** A server with the default limits. */
  public SandboxServer(Router router, SandboxAuth auth, boolean openMode) {
    this(router, auth, openMode, SandboxLimits.defaults(), Clock.systemUTC());
  }

  /** A server refusing request bodies above {@code maxBody} bytes with 413, other limits at their defaults. */
  public SandboxServer(Router router, SandboxAuth auth, boolean openMode, int maxBody) {
    this(router, auth, openMode, SandboxLimits.builder().maxRequestBytes(maxBody).build(), Clock.systemUTC());
  }

  /** A server with the given limits; {@code clock} ages idempotency records. */
  public SandboxServer(Router router, SandboxAuth auth, boolean openMode, SandboxLimits limits, Clock clock) {
    this.router = router;
    this.auth = auth;
    this.openMode = openMode;
    this.limits = limits;
    this.maxBody = limits.maxRequestBytes();
    this.idempotency = new BoundedStore<>(clock, limits.idempotencyTtl(), limits.idempotencyKeysPerTenant(),
        limits.idempotencyBytesPerTenant(), limits.idempotencyBytesTotal(), IdemKey::tenant);
  }

  /** Binds and starts; {@code port} 0 picks a free port. Returns the bound port. */
  public synchronized int start(String host, int port) throws IOException {
    HttpFront.Limits front = new HttpFront.Limits(limits.maxConnections(),
        limits.maxStreams() + limits.maxConcurrentRequests() + 16, limits.maxRequestLineBytes(),
        limits.maxHeaderBytes(), limits.maxHeaders(), limits.headerTimeout(), limits.idleTimeout(),
        limits.readTimeout(), limits.writeTimeout(), 8L * 1024 * 1024);
    HttpFront f = new HttpFront(front, this::handle, (p, path) -> problem(p, newRequestId(), path));
    int bound = f.start(host, port, 1024);
    server = f;
    return bound;
  }

  /** Stops accepting and ends open exchanges promptly. */
  public synchronized void stop() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /**
   * Open connections (for tests).
   *
   * @return the count, 0 when stopped
   */
  public synchronized int connections() {
    return server == null ? 0 : server.connections();
  }

  /**
   * Idempotency records held, all tenants (for tests).
   *
   * @return the count
   */
  public int idempotencyRecords() {
    return idempotency.size();
  }

  /**
   * Declared weight of the stored idempotent answers, all tenants (for tests): answer, headers, request hash and key.
   *
   * @return bytes
   */
  public long idempotencyBytes() {
    return idempotency.totalBytes();
  }

  private String newRequestId() {
    return "req_" + instanceId + "_" + requestCounter.incrementAndGet();
  }

  /** What one exchange holds of the limits, released when it ends. */
  private static final class Slot {
    String tenant;
    AtomicInteger tenantCounter;
    boolean global;
    AtomicInteger streamCounter;
    boolean stream;
    long bodyBytes;
  }

  private static boolean tryAcquire(AtomicInteger counter, int max) {
    while (true) {
      int n = counter.get();
      if (n >= max) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void acquireRequest(Slot slot, String tenant) {
    AtomicInteger c = tenantRequests.computeIfAbsent(tenant, t -> new AtomicInteger());
    if (!tryAcquire(c, limits.maxConcurrentRequestsPerTenant())) {
      throw new Problem(429, "too_many_requests", "Too many requests", "This tenant already has "
          + limits.maxConcurrentRequestsPerTenant() + " requests running; wait for answers before sending more.")
          .header("Retry-After", "1").with("limit", "maxConcurrentRequestsPerTenant")
          .with("max", limits.maxConcurrentRequestsPerTenant());
    }
    slot.tenant = tenant;
    slot.tenantCounter = c;
    if (!tryAcquire(requests, limits.maxConcurrentRequests())) {
      throw new Problem(503, "server_busy", "Service unavailable", "The sandbox is running its maximum of "
          + limits.maxConcurrentRequests() + " requests; retry shortly.").header("Retry-After", "1")
          .with("limit", "maxConcurrentRequests").with("max", limits.maxConcurrentRequests());
    }
    slot.global = true;
  }

  /** Turns a request slot into an event-stream slot; false when a stream limit is reached (problem thrown). */
  private void acquireStream(Slot slot) {
    String tenant = slot.tenant == null ? "anonymous" : slot.tenant;
    AtomicInteger c = tenantStreams.computeIfAbsent(tenant, t -> new AtomicInteger());
    if (!tryAcquire(c, limits.maxStreamsPerTenant())) {
      throw new Problem(429, "too_many_streams", "Too many open streams", "This tenant already has "
          + limits.maxStreamsPerTenant() + " event streams open; close one (or reuse one stream with several "
          + "'key' parameters) before opening another.").header("Retry-After", "5")
          .with("limit", "maxStreamsPerTenant").with("max", limits.maxStreamsPerTenant());
    }
    if (!tryAcquire(streams, limits.maxStreams())) {
      c.decrementAndGet();
      throw new Problem(503, "too_many_streams", "Service unavailable", "The sandbox holds its maximum of "
          + limits.maxStreams() + " event streams; retry later.").header("Retry-After", "5")
          .with("limit", "maxStreams").with("max", limits.maxStreams());
    }
    slot.streamCounter = c;
    slot.stream = true;
    releaseRequest(slot); // a stream counts against the stream limits only
  }

  private void releaseRequest(Slot slot) {
    if (slot.tenantCounter != null) {
      slot.tenantCounter.decrementAndGet();
      slot.tenantCounter = null;
    }
    if (slot.global) {
      requests.decrementAndGet();
      slot.global = false;
    }
  }

  private void release(Slot slot) {
    releaseRequest(slot);
    if (slot.stream) {
      slot.streamCounter.decrementAndGet();
      streams.decrementAndGet();
      slot.stream = false;
    }
    if (slot.bodyBytes > 0) {
      bufferedBodies.addAndGet(-slot.bodyBytes);
      slot.bodyBytes = 0;
    }
  }

  /** Queues a fault for the next matching requests. */
  public void injectFault(Fault fault) {
    synchronized (faults) {
      faults.add(fault);
    }
  }

  /** Drops faults not yet triggered. */
  public void clearFaults() {
    synchronized (faults) {
      faults.clear();
    }
  }

  private Fault takeFault(String path) {
    synchronized (faults) {
      for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
        Fault f = it.next();
        if (path.startsWith(f.pathPrefix())) {
          it.remove();
          if (f.times() > 1) {
            faults.add(0, f.times(f.times() - 1));
          }
          return f;
        }
      }
      return null;
    }
  }

  private void handle(HttpExchange ex) {
    String requestId = newRequestId();
    Slot slot = new Slot();
    try {
      ex.getResponseHeaders().set("X-Request-Id", requestId);
      String path = ex.getRequestURI().getRawPath() == null ? "/" : ex.getRequestURI().getRawPath();
      Fault fault = takeFault(path);
      if (fault != null) {
        switch (fault.kind()) {
          case LATENCY -> sleep(fault.latency());
          case CONNECTION_RESET -> {
            drainQuietly(ex);
            ex.close();
            return;
          }
          case STATUS -> {
            drainQuietly(ex);
            Problem p = new Problem(fault.status(), fault.status() == 429 ? "throttled" : "unavailable",
                fault.status() == 429 ? "Too many requests" : "Service unavailable",
                "Injected fault: the sandbox was told to answer " + fault.status() + ".");
            if (fault.retryAfter() != null) {
              p.header("Retry-After", Long.toString(Math.max(0, fault.retryAfter().toSeconds())));
            }
            send(ex, problem(p, requestId, path), null);
            return;
          }
          default -> { }
        }
      }
      Response response = dispatch(ex, requestId, path, slot);
      if (response.writer() != null && response.status() == 200 && !ex.getRequestMethod().equals("HEAD")
          && response.headers().getOrDefault("Content-Type", "").toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
        try {
          acquireStream(slot);
        } catch (Problem p) {
          response = problem(p, requestId, path);
        }
      }
      send(ex, response, fault);
    } catch (IOException e) {
      LOG.debug("sandbox: client went away during {}: {}", requestId, e.toString());
    } catch (RuntimeException e) {
      LOG.error("sandbox: unexpected failure in {}", requestId, e);
    } finally {
      release(slot);
      ex.close();
    }
  }

  private Response dispatch(HttpExchange ex, String requestId, String path, Slot slot) throws IOException {
    String method = ex.getRequestMethod();
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>(ex.getRequestHeaders());
      URI uri = ex.getRequestURI();
      // Authenticate on the head alone (body null): no body byte is read for a request that is refused.
      Request head = new Request(method, uri, headers, null, requestId, null, Map.of());
      Router.Match match = router.match(method, head.path());
      String tenant;
      if (match.anonymous()) {
        tenant = "anonymous";
      } else if (openMode && head.header("X-Api-Key") == null && head.header("Authorization") == null) {
        tenant = "open";
      } else {
        tenant = auth.authenticate(head);
      }
      if (!(match.anonymous() && method.equals("GET") && head.path().equals("/health"))) {
        acquireRequest(slot, tenant);
      }
      boolean write = method.equals("POST") || method.equals("PATCH") || method.equals("PUT");
      String idemKey = head.header("Idempotency-Key");
      if (write && idemKey != null && (idemKey.isEmpty() || idemKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
        // refused before the body is read: a key is stored (and counted) with its answer, so its size is bounded
        throw new Problem(400, "invalid_idempotency_key", "Invalid Idempotency-Key", "The Idempotency-Key is "
            + idemKey.length() + " characters; send 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " (one key per logical "
            + "operation, such as a UUID).").with("limit", "maxIdempotencyKeyLength")
            .with("max", MAX_IDEMPOTENCY_KEY_LENGTH);
      }
      byte[] body = readBody(ex, slot);
      Request request = new Request(method, uri, headers, body, requestId, null, Map.of());
      if (!match.anonymous() && !tenant.equals("open")) {
        auth.verifyBody(request);
      }
      Request routed = request.withTenant(tenant).withPathParams(match.params());
      if (idemKey != null && write) {
        return idempotent(new IdemKey(tenant, idemKey), routed, () -> invoke(match, routed));
      }
      return invoke(match, routed);
    } catch (Problem p) {
      if (p.status() == 413) {
        // the body was not read to its end: close the connection so that no client reuses it mid-body
        p.header("Connection", "close");
      }
      return problem(p, requestId, path);
    }
  }

  private Response invoke(Router.Match match, Request request) {
    io.shudu.sandbox.internal.feed.Feeds.producerTrace(request.header("traceparent"));
    try {
      return match.handler().handle(request);
    } catch (Problem p) {
      throw p;
    } catch (IllegalArgumentException e) {
      // Handlers validate with IllegalArgumentException too: bad input, never a 500.
      throw Problem.badRequest(e.getMessage() == null ? "The request is invalid." : e.getMessage());
    } catch (Exception e) {
      LOG.error("sandbox: handler failed for {} {}", request.method(), request.path(), e);
      throw new Problem(500, "internal_error", "Internal sandbox error",
          "The sandbox failed unexpectedly; this is a bug in the sandbox, please report it with the request id.");
    } finally {
      io.shudu.sandbox.internal.feed.Feeds.producerTrace(null);
    }
  }

  private interface Invocation {
    Response run();
  }

  private Response idempotent(IdemKey key, Request request, Invocation invocation) {
    String bodyHash = request.method() + " " + request.path() + " " + Signing.sha256Hex(request.body());
    CompletableFuture<Stored> mine = new CompletableFuture<>();
    CompletableFuture<Stored> existing = idempotency.putIfAbsent(key, mine);
    if (existing != null) {
      Stored s;
      try {
        s = existing.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw Problem.conflict("idempotency_in_progress", "A request with this Idempotency-Key is still being "
            + "processed; retry shortly.").header("Retry-After", "1");
      }
      if (s == null) {
        // The first attempt failed with a problem: it was not stored, so run again.
        return idempotent(key, request, invocation);
      }
      if (!s.bodyHash().equals(bodyHash)) {
        throw new Problem(422, "idempotency_key_reused", "Idempotency key reused",
            "This Idempotency-Key was already used with a different request. Use a new key for a new operation.");
      }
      Response replay = Response.bytes(s.status(), s.headers().getOrDefault("Content-Type", "application/json"), s.body());
      s.headers().forEach(replay::header);
      replay.header("Idempotent-Replayed", "true");
      return replay;
    }
    try {
      Response r = invocation.run();
      if (r.bytes() == null || r.status() >= 500) {
        idempotency.remove(key);
        mine.complete(null);
        return r;
      }
      Stored stored = new Stored(r.status(), Map.copyOf(r.headers()), r.bytes(), bodyHash);
      mine.complete(stored);
      idempotency.weigh(key, mine, weight(key, stored));
      return r;
    } catch (RuntimeException e) {
      idempotency.remove(key, mine);
      mine.complete(null);
      throw e;
    }
  }

  /** What a stored answer holds in memory, roughly: answer, headers, request hash, the key and its tenant, overhead. */
  private static long weight(IdemKey key, Stored stored) {
    return stored.body().length + stored.bodyHash().length() + stored.headers().toString().length()
        + key.key().length() + key.tenant().length() + 256L;
  }

  private static Response problem(Problem p, String requestId, String path) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "https://docs.shudu.io/problems/" + p.code());
    doc.put("title", p.title());
    doc.put("status", p.status());
    doc.put("detail", p.getMessage());
    doc.put("instance", path);
    doc.put("code", p.code());
    doc.put("requestId", requestId);
    doc.putAll(p.extensions());
    Response r = Response.json(p.status(), doc).header("Content-Type", "application/problem+json");
    p.headers().forEach(r::header);
    return r;
  }

  private void send(HttpExchange ex, Response r, Fault fault) throws IOException {
    r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (fault != null && fault.kind() == Fault.Kind.DROP_RESPONSE) {
      return; // effects are committed; the connection closes without an answer
    }
    if (r.bytes() != null) {
      byte[] b = r.bytes();
      if (r.status() == 204 || r.status() == 304 || head) {
        ex.sendResponseHeaders(r.status(), -1);
        return;
      }
      if (fault != null && fault.kind() == Fault.Kind.TRUNCATED_BODY) {
        ex.sendResponseHeaders(r.status(), b.length);
        OutputStream out = ex.getResponseBody();
        out.write(b, 0, b.length / 2);
        out.flush();
        throw new IOException("injected truncation");
      }
      ex.sendResponseHeaders(r.status(), b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
      return;
    }
    long len = r.length();
    ex.sendResponseHeaders(r.status(), head ? -1 : (len < 0 ? 0 : len));
    if (head) {
      return;
    }
    try (OutputStream out = ex.getResponseBody()) {
      r.writer().write(out);
    }
  }

  private byte[] readBody(HttpExchange ex, Slot slot) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        length = -1; // the front has already refused a malformed Content-Length
      }
    }
    boolean chunked = ex.getRequestHeaders().getFirst("Transfer-Encoding") != null;
    if (length > maxBody) {
      throw tooLarge();
    }
    if (length == 0 || (length < 0 && !chunked)) {
      return new byte[0];
    }
    InputStream in = ex.getRequestBody();
    try {
      if (length > 0) {
        reserveBody(slot, length);
        byte[] b = in.readNBytes((int) length);
        if (b.length < length) {
          throw new IOException("the client closed the connection before the end of the request body");
        }
        return b;
      }
      // chunked: grow while the body streams in, within the body limit and the memory budget
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + (long) n > maxBody) {
          throw tooLarge();
        }
        reserveBody(slot, n);
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (HttpFront.MalformedBodyException e) {
      // the rest of the stream cannot be framed: answer, then close the connection
      throw new Problem(400, "malformed_body", "Malformed request body", "The chunked request body is malformed: "
          + e.getMessage() + ". Send chunks as '<hex size>CRLF<data>CRLF', ending with '0CRLF CRLF' and at most "
          + HttpFront.MAX_TRAILERS + " trailer lines of at most " + HttpFront.MAX_CHUNK_LINE + " bytes.")
          .header("Connection", "close").with("limit", "chunkedFraming");
    } catch (HttpFront.IncompleteBodyException e) {
      throw new Problem(400, "incomplete_body", "Incomplete request body", "The request body is incomplete: "
          + e.getMessage() + ". Send the whole body before closing your side of the connection.")
          .header("Connection", "close");
    } catch (SocketTimeoutException e) {
      throw new Problem(408, "request_timeout", "Request timeout", "The request body stopped arriving ("
          + e.getMessage() + "); send the body without pauses.").header("Connection", "close")
          .with("limit", "readTimeout");
    }
  }

  private Problem tooLarge() {
    return new Problem(413, "payload_too_large", "Payload too large",
        "The request body exceeds " + maxBody + " bytes; split it into smaller requests (batches of at most "
        + "1,000 items).").with("maxBytes", maxBody).with("limit", "maxRequestBytes");
  }

  private void reserveBody(Slot slot, long bytes) {
    long max = limits.maxBufferedBodyBytes();
    while (true) {
      long now = bufferedBodies.get();
      if (now + bytes > max) {
        throw new Problem(503, "server_busy", "Service unavailable", "The sandbox is holding its maximum of " + max
            + " bytes of request bodies; retry shortly.").header("Retry-After", "1")
            .with("limit", "maxBufferedBodyBytes");
      }
      if (bufferedBodies.compareAndSet(now, now + bytes)) {
        slot.bodyBytes += bytes;
        return;
      }
    }
  }

  private void drainQuietly(HttpExchange ex) {
    try {
      InputStream in = ex.getRequestBody();
      byte[] buf = new byte[8192];
      long left = maxBody;
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String json(Object o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Default expiry of idempotency records (see {@link SandboxLimits#idempotencyTtl()}). */
  public static Duration idempotencyTtl() {
    return IDEMPOTENCY_TTL;
  }
}
