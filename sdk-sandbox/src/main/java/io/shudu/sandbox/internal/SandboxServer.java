package io.shudu.sandbox.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.shudu.core.internal.Json;
import io.shudu.core.internal.Signing;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's HTTP front: request ids, fault injection, authentication, idempotency keys, routing and
 * problem+json rendering, on the JDK's built-in HTTP server.
 */
public final class SandboxServer {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox");
  /** Default largest request body: 64 MiB. */
  public static final int DEFAULT_MAX_BODY = 64 * 1024 * 1024;
  private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

  static {
    // The JDK server writes the status line, headers and body separately; without TCP_NODELAY, Nagle's algorithm and
    // the client's delayed ACK add ~40 ms to every small answer. The JDK reads this property once, when its server
    // configuration is first loaded, so set it before the first HttpServer of the JVM is created.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private record Stored(int status, Map<String, String> headers, byte[] body, String bodyHash) {}

  private record IdemKey(String tenant, String key) {}

  private final Router router;
  private final SandboxAuth auth;
  private final boolean openMode;
  private final int maxBody;
  private final List<Fault> faults = new ArrayList<>();
  private final Map<IdemKey, CompletableFuture<Stored>> idempotency = new ConcurrentHashMap<>();
  private final AtomicLong requestCounter = new AtomicLong();
  private final String instanceId = Long.toHexString(System.nanoTime() & 0xffffff);
  private HttpServer server;
  private ExecutorService executor;

  /** A server with the default 64 MiB body limit. */
  public SandboxServer(Router router, SandboxAuth auth, boolean openMode) {
    this(router, auth, openMode, DEFAULT_MAX_BODY);
  }

  /** A server refusing request bodies above {@code maxBody} bytes with 413. */
  public SandboxServer(Router router, SandboxAuth auth, boolean openMode, int maxBody) {
    this.router = router;
    this.auth = auth;
    this.openMode = openMode;
    this.maxBody = maxBody;
  }

  /** Binds and starts; {@code port} 0 picks a free port. Returns the bound port. */
  public synchronized int start(String host, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 512);
    ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 1024, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "shudu-sandbox-http");
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    executor = pool;
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  /** Stops accepting and ends open exchanges promptly. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
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
    String requestId = "req_" + instanceId + "_" + requestCounter.incrementAndGet();
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
      Response response = dispatch(ex, requestId, path);
      send(ex, response, fault);
    } catch (IOException e) {
      LOG.debug("sandbox: client went away during {}: {}", requestId, e.toString());
    } catch (RuntimeException e) {
      LOG.error("sandbox: unexpected failure in {}", requestId, e);
    } finally {
      ex.close();
    }
  }

  private Response dispatch(HttpExchange ex, String requestId, String path) throws IOException {
    String method = ex.getRequestMethod();
    try {
      byte[] body = readBody(ex);
      Map<String, List<String>> headers = new LinkedHashMap<>(ex.getRequestHeaders());
      URI uri = ex.getRequestURI();
      Request request = new Request(method, uri, headers, body, requestId, null, Map.of());
      Router.Match match = router.match(method, request.path());
      String tenant;
      if (match.anonymous()) {
        tenant = "anonymous";
      } else if (openMode && request.header("X-Api-Key") == null && request.header("Authorization") == null) {
        tenant = "open";
      } else {
        tenant = auth.authenticate(request);
      }
      Request routed = request.withTenant(tenant).withPathParams(match.params());
      String idemKey = request.header("Idempotency-Key");
      if (idemKey != null && (method.equals("POST") || method.equals("PATCH") || method.equals("PUT"))) {
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
      mine.complete(new Stored(r.status(), Map.copyOf(r.headers()), r.bytes(), bodyHash));
      return r;
    } catch (RuntimeException e) {
      idempotency.remove(key, mine);
      mine.complete(null);
      throw e;
    }
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

  private byte[] readBody(HttpExchange ex) throws IOException {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        length = -1; // the JDK server has already refused a malformed Content-Length
      }
    }
    byte[] b = length > maxBody ? null : ex.getRequestBody().readNBytes(maxBody + 1);
    if (b == null || b.length > maxBody) {
      throw new Problem(413, "payload_too_large", "Payload too large",
          "The request body exceeds " + maxBody + " bytes; split it into smaller requests (batches of at most "
          + "1,000 items).").with("maxBytes", maxBody);
    }
    return b;
  }

  private void drainQuietly(HttpExchange ex) {
    try {
      ex.getRequestBody().readNBytes(maxBody);
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

  /** Expiry of idempotency records (documented; the sandbox keeps them for its lifetime up to this age). */
  public static Duration idempotencyTtl() {
    return IDEMPOTENCY_TTL;
  }
}
