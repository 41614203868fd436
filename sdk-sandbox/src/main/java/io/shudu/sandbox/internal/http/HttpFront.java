package io.shudu.sandbox.internal.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's HTTP/1.1 front: a small server that keeps the guarantees the JDK's built-in server cannot give (see
 * docs/architecture.md, "The sandbox's HTTP front"). One selector thread accepts connections and reads request heads
 * without blocking, so a slow or idle client never holds a worker; only a complete, valid head is handed to a worker,
 * which runs the {@link HttpHandler} with the {@link HttpExchange} API the sandbox was written against. Everything
 * the front refuses by itself is answered with {@code application/problem+json} (via the renderer the sandbox gives
 * it), never a closed connection or an HTML page:
 *
 * <ul>
 *   <li>400: malformed request line, URI (for example {@code %ZZ}), header line or framing headers; a malformed
 *       chunked body is reported to the handler as a {@link MalformedBodyException}, which the sandbox answers 400
 *       before closing the connection;</li>
 *   <li>408: the head did not arrive within the header timeout (slow clients), or the body stalled;</li>
 *   <li>414 / 431: request target / header section or header count over the limit;</li>
 *   <li>503: too many connections, or every worker busy.</li>
 * </ul>
 *
 * <p>Idle keep-alive connections are closed after the idle timeout; a response whose client stops reading is cut
 * after the write timeout. A request answered before its body was read (401, 413, 429) has its body discarded by the
 * selector, up to {@link Limits#discardBytes()}, so that the client can read the answer, then the connection closes.
 */
public final class HttpFront {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.http");
  private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final boolean QUICKACK = quickAckSupported();
  private static final Duration LINGER = Duration.ofSeconds(5);
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * The front's limits.
   *
   * @param maxConnections open connections at most; more are answered 503 and closed
   * @param maxWorkers requests (including open event streams) running at once; more are answered 503
   * @param maxRequestLineBytes longest request line (method, target, version); longer is 414
   * @param maxHeaderBytes largest header section; larger is 431
   * @param maxHeaders most header lines; more is 431
   * @param headerTimeout time for a request head to arrive once it started (and for a new connection's first byte);
   *     slower is 408
   * @param idleTimeout time a keep-alive connection may stay idle between requests
   * @param readTimeout longest wait for the next bytes of a request body; longer is 408
   * @param writeTimeout longest wait for a client to take response bytes; longer closes the connection
   * @param discardBytes body bytes discarded after an answer sent before the body was read
   */
  public record Limits(int maxConnections, int maxWorkers, int maxRequestLineBytes, int maxHeaderBytes,
      int maxHeaders, Duration headerTimeout, Duration idleTimeout, Duration readTimeout, Duration writeTimeout,
      long discardBytes) {}

  /** Most trailer lines after a chunked body's last chunk; more is a framing error (400). */
  public static final int MAX_TRAILERS = 100;
  /** Longest chunk-size line (size plus extensions) or trailer line; longer is a framing error (400). */
  public static final int MAX_CHUNK_LINE = 4096;

  /**
   * A request body whose chunked framing is malformed (bad chunk size, chunk longer than declared, over-long size
   * line, too many trailers): the sandbox answers 400 and closes the connection, as the rest of the stream cannot be
   * trusted.
   */
  public static final class MalformedBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedBodyException(String message) {
      super(message);
    }
  }

  /**
   * A request body that ended (the client half-closed its side) before its declared end: the sandbox answers 400,
   * so the client learns why nothing happened instead of seeing the connection close.
   */
  public static final class IncompleteBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    IncompleteBodyException(String message) {
      super(message);
    }
  }

  private static boolean quickAckSupported() {
    try (SocketChannel probe = SocketChannel.open()) {
      return probe.supportedOptions().contains(jdk.net.ExtendedSocketOptions.TCP_QUICKACK);
    } catch (IOException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  private final Limits limits;
  private final HttpHandler handler;
  private final BiFunction<Problem, String, Response> problems;
  /** A connection handed back to the selector: to serve again (or discard), or to watch while a worker streams. */
  private record Back(Conn conn, long gen, boolean watch) {}

  private final Queue<Back> returning = new ConcurrentLinkedQueue<>();
  private final Set<Conn> active = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
  private volatile boolean running;
  private Selector selector;
  private ServerSocketChannel listener;
  private ThreadPoolExecutor workers;
  private Thread selectorThread;
  private long nextSweep;

  /**
   * A front; call {@link #start} to serve.
   *
   * @param limits the limits
   * @param handler runs each request on a worker thread; it must close the exchange
   * @param problems renders a problem the front answers by itself, given the request path (or "/")
   */
  public HttpFront(Limits limits, HttpHandler handler, BiFunction<Problem, String, Response> problems) {
    this.limits = limits;
    this.handler = handler;
    this.problems = problems;
  }

  /**
   * Binds and starts serving.
   *
   * @param host address to bind
   * @param port port, 0 for a free one
   * @param backlog listen backlog
   * @return the bound port
   * @throws IOException if the address cannot be bound
   */
  public synchronized int start(String host, int port, int backlog) throws IOException {
    selector = Selector.open();
    listener = ServerSocketChannel.open();
    try {
      listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      listener.bind(new InetSocketAddress(host, port), backlog);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
    AtomicInteger n = new AtomicInteger();
    workers = new ThreadPoolExecutor(4, limits.maxWorkers(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "shudu-sandbox-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    running = true;
    selectorThread = new Thread(this::loop, "shudu-sandbox-accept");
    selectorThread.setDaemon(true);
    selectorThread.start();
    return ((InetSocketAddress) listener.getLocalAddress()).getPort();
  }

  /** Stops accepting, closes every connection (open streams end) and stops the workers. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    selector.wakeup();
    try {
      selectorThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Conn c : active) {
      c.close();
    }
    workers.shutdownNow();
  }

  /**
   * Open connections, idle or busy.
   *
   * @return the count
   */
  public int connections() {
    return connections.get();
  }

  // ---- selector thread ----

  private void loop() {
    try {
      while (running) {
        selector.select(250);
        Back back;
        while ((back = returning.poll()) != null) {
          if (!back.watch()) {
            register(back.conn());
          } else if (back.gen() == back.conn().gen && back.conn().watching && !back.conn().idle) {
            watch(back.conn()); // (a stale request to watch, from an exchange that has ended, is dropped)
          }
        }
        Set<SelectionKey> selected = selector.selectedKeys();
        for (Iterator<SelectionKey> it = selected.iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.isReadable()) {
            readable((Conn) key.attachment());
          }
        }
        long now = System.nanoTime();
        if (now - nextSweep >= 0) {
          nextSweep = now + TimeUnit.MILLISECONDS.toNanos(200);
          sweep(now);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("sandbox: the HTTP front's selector failed; the sandbox stops serving", e);
    } finally {
      for (SelectionKey k : selector.keys()) {
        if (k.attachment() instanceof Conn c) {
          c.close();
        }
      }
      try {
        listener.close();
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private void accept() throws IOException {
    for (int i = 0; i < 256; i++) {
      SocketChannel ch = listener.accept();
      if (ch == null) {
        return;
      }
      Conn c = new Conn(ch);
      connections.incrementAndGet();
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (connections.get() > limits.maxConnections()) {
          c.rejectNow(new Problem(503, "too_many_connections", "Service unavailable", "The sandbox holds its "
              + "maximum of " + limits.maxConnections() + " connections; close idle connections and retry.")
              .header("Retry-After", "1").with("limit", limits.maxConnections()), "/");
          continue;
        }
        c.deadline = System.nanoTime() + limits.headerTimeout().toNanos();
        ch.register(selector, SelectionKey.OP_READ, c);
      } catch (IOException e) {
        c.close();
      }
    }
  }

  private void watch(Conn c) {
    try {
      c.ch.register(selector, SelectionKey.OP_READ, c); // a worker owns it: only watch for the client leaving
    } catch (IOException | RuntimeException e) {
      c.close();
    }
  }

  private void register(Conn c) {
    try {
      c.ch.configureBlocking(false);
      c.idle = true;
      if (c.early != null) {
        if (!c.discarding) {
          c.ensure(c.early.length);
          System.arraycopy(c.early, 0, c.buf, c.end, c.early.length);
          c.end += c.early.length;
        }
        c.early = null;
      }
      c.deadline = System.nanoTime() + (c.discarding ? LINGER : limits.idleTimeout()).toNanos();
      c.ch.register(selector, SelectionKey.OP_READ, c);
      if (!c.discarding && c.end > c.start) {
        parse(c); // a pipelined request is already buffered
      }
    } catch (IOException | RuntimeException e) {
      c.close();
    }
  }

  private void readable(Conn c) {
    try {
      scratch.clear();
      int n = c.ch.read(scratch);
      if (n < 0) {
        c.close();
        if (!c.idle) {
          synchronized (c) {
            if (c.worker != null) {
              c.worker.interrupt(); // the client left an open stream: end it now, not at the next heartbeat
            }
          }
        }
        return;
      }
      if (!c.idle) {
        // The client sent its next request while a worker still owns the connection (keep-alive right after a
        // chunked answer): keep the bytes aside and give them to the head parser when the connection comes back.
        scratch.flip();
        int have = c.early == null ? 0 : c.early.length;
        if (have + n > limits.maxRequestLineBytes() + limits.maxHeaderBytes()) {
          c.keepAlive = false;
          c.ch.keyFor(selector).interestOps(0);
          return;
        }
        byte[] more = new byte[have + n];
        if (have > 0) {
          System.arraycopy(c.early, 0, more, 0, have);
        }
        scratch.get(more, have, n);
        c.early = more;
        return;
      }
      if (c.discarding) {
        c.discarded += n;
        if (c.discarded > limits.discardBytes()) {
          c.close();
        }
        return;
      }
      if (n == 0) {
        return;
      }
      scratch.flip();
      if (c.start == c.end) {
        c.start = 0;
        c.end = 0;
        c.deadline = System.nanoTime() + limits.headerTimeout().toNanos(); // a head has started
      }
      c.ensure(n);
      scratch.get(c.buf, c.end, n);
      c.end += n;
      parse(c);
    } catch (IOException | RuntimeException e) {
      c.close();
    }
  }

  private void sweep(long now) {
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Conn c && k.isValid() && now - c.deadline > 0) {
        if (c.discarding || c.end == c.start) {
          c.close(); // idle keep-alive, or a discard that took too long
        } else {
          if (!c.idle) {
          continue;
        }
        c.rejectNow(new Problem(408, "request_timeout", "Request timeout", "The request head did not arrive "
              + "within " + limits.headerTimeout().toSeconds() + " s; send the whole request line and headers at "
              + "once.").with("limit", limits.headerTimeout().toString()), "/");
        }
      }
    }
  }

  /** Looks for a complete head in the buffer; hands it to a worker or answers a problem. */
  private void parse(Conn c) throws IOException {
    if (c.scanOff == 0) {
      // Ignore empty lines before a request line (RFC 9112 section 2.2).
      while (c.start < c.end && (c.buf[c.start] == '\r' || c.buf[c.start] == '\n')) {
        c.start++;
      }
    }
    int headEnd = -1;
    int from = c.start + c.scanOff;
    while (headEnd < 0) {
      int nl = indexOf(c.buf, from, c.end, (byte) '\n');
      if (nl < 0) {
        c.scanOff = c.end - c.start;
        break;
      }
      if (c.lineEndOff < 0) {
        c.lineEndOff = nl - c.start;
      } else {
        int prev = c.start + c.nlOff;
        int len = nl - prev - 1;
        if (len == 0 || (len == 1 && c.buf[nl - 1] == '\r')) {
          headEnd = nl + 1;
        }
      }
      c.nlOff = nl - c.start;
      from = nl + 1;
      c.scanOff = from - c.start;
    }
    if (c.lineEndOff < 0 ? c.end - c.start > limits.maxRequestLineBytes()
        : c.lineEndOff > limits.maxRequestLineBytes()) {
      c.rejectNow(uriTooLong(), "/");
      return;
    }
    int headerBytes = c.lineEndOff < 0 ? 0 : (headEnd < 0 ? c.end - c.start : headEnd - c.start - 2) - c.lineEndOff;
    if (headerBytes > limits.maxHeaderBytes()) {
      c.rejectNow(headersTooLarge("The header section is larger than " + limits.maxHeaderBytes() + " bytes."), "/");
      return;
    }
    if (headEnd < 0) {
      return;
    }
    int lineEnd = c.start + c.lineEndOff;
    c.resetScan();
    Head head;
    try {
      head = Head.parse(c.buf, c.start, lineEnd, headEnd, limits.maxHeaders());
    } catch (Problem p) {
      c.rejectNow(p, "/");
      return;
    }
    c.start = headEnd;
    SelectionKey key = c.ch.keyFor(selector);
    if (key != null) {
      key.cancel();
    }
    active.add(c);
    c.gen++;
    c.idle = false;
    try {
      workers.execute(() -> serve(c, head));
    } catch (RejectedExecutionException e) {
      active.remove(c);
      c.idle = true;
      c.rejectNow(new Problem(503, "server_busy", "Service unavailable", "Every one of the sandbox's "
          + limits.maxWorkers() + " request workers is busy (open streams count); retry shortly.")
          .header("Retry-After", "1").with("limit", limits.maxWorkers()), head.uri.getRawPath());
    }
  }

  private Problem uriTooLong() {
    return new Problem(414, "uri_too_long", "URI too long", "The request line is longer than "
        + limits.maxRequestLineBytes() + " bytes; send long filters or id lists in a POST body.")
        .with("limit", limits.maxRequestLineBytes());
  }

  private Problem headersTooLarge(String detail) {
    return new Problem(431, "headers_too_large", "Request header fields too large", detail + " Send fewer or "
        + "smaller headers.").with("limit", limits.maxHeaderBytes()).with("maxHeaders", limits.maxHeaders());
  }

  private static int indexOf(byte[] b, int from, int to, byte x) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  // ---- worker side ----

  private void serve(Conn c, Head head) {
    Exchange ex = null;
    synchronized (c) {
      c.worker = Thread.currentThread();
    }
    try {
      ex = new Exchange(c, head);
      handler.handle(ex);
      ex.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("sandbox: request ended with {}", e.toString());
      c.keepAlive = false;
    } finally {
      synchronized (c) {
        c.worker = null;
      }
      c.watching = false;
      active.remove(c);
      boolean reuse = ex != null && ex.finish() && running;
      if (ex != null) {
        ex.closeWaiter();
      }
      Thread.interrupted(); // an interrupt aimed at this exchange must not reach the next task
      if (!reuse) {
        c.close();
      } else {
        returning.add(new Back(c, c.gen, false));
        selector.wakeup();
      }
    }
  }

  /** A parsed request head. */
  private record Head(String method, URI uri, String version, Headers headers, long contentLength, boolean chunked,
      boolean keepAlive, boolean expectContinue) {
    static Head parse(byte[] b, int start, int lineEnd, int headEnd, int maxHeaders) {
      String line = new String(b, start, trimCr(b, start, lineEnd) - start, StandardCharsets.ISO_8859_1);
      int sp1 = line.indexOf(' ');
      int sp2 = line.lastIndexOf(' ');
      if (sp1 <= 0 || sp2 <= sp1) {
        throw Problem.badRequest("The request line '" + abbreviate(line) + "' is malformed; expected "
            + "'METHOD /path HTTP/1.1'.");
      }
      String method = line.substring(0, sp1);
      String target = line.substring(sp1 + 1, sp2);
      String version = line.substring(sp2 + 1);
      if (!method.chars().allMatch(HttpFront::tchar)) {
        throw Problem.badRequest("The request method '" + abbreviate(method) + "' is not a valid token.");
      }
      if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
        throw new Problem(505, "http_version_not_supported", "HTTP version not supported", "The sandbox speaks "
            + "HTTP/1.1 (and 1.0); got '" + abbreviate(version) + "'.");
      }
      for (int k = 0; k < target.length(); k++) {
        char ch = target.charAt(k);
        if (ch <= 0x20 || ch >= 0x7f) { // RFC 9112: a request target is visible ASCII only
          throw Problem.badRequest("The request URI is malformed (a raw " + (ch >= 0x80 ? "non-ASCII" : "control or "
              + "space") + " byte 0x" + Integer.toHexString(ch) + " at index " + k + "): percent-encode reserved and "
              + "non-ASCII characters as UTF-8 (%E4%B8%AD), spaces as %20, and write '%' as %25.")
              .with("code", "malformed_uri");
        }
      }
      URI uri;
      try {
        uri = new URI(target);
      } catch (URISyntaxException e) {
        throw Problem.badRequest("The request URI is malformed (" + e.getReason() + " at index " + e.getIndex()
            + "): percent-encode reserved and non-ASCII characters, and write '%' as %25.").with("code",
            "malformed_uri");
      }
      if (uri.isAbsolute() && uri.getRawPath() != null) {
        try {
          uri = new URI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (URISyntaxException e) {
          throw Problem.badRequest("The request URI is malformed: " + e.getReason() + ".");
        }
      }
      if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
        if (!(method.equals("OPTIONS") && target.equals("*"))) {
          throw Problem.badRequest("The request target '" + abbreviate(target) + "' must be a path starting with '/'.");
        }
      }
      Headers headers = new Headers();
      int count = 0;
      int i = lineEnd + 1;
      while (i < headEnd) {
        int nl = indexOf(b, i, headEnd, (byte) '\n');
        int e = trimCr(b, i, nl);
        if (e == i) {
          break;
        }
        if (++count > maxHeaders) {
          throw new Problem(431, "headers_too_large", "Request header fields too large", "The request has more "
              + "than " + maxHeaders + " header lines; send fewer headers.").with("maxHeaders", maxHeaders);
        }
        if (b[i] == ' ' || b[i] == '\t') {
          throw Problem.badRequest("Header lines must not be folded (a line starts with white space).");
        }
        int colon = indexOf(b, i, e, (byte) ':');
        if (colon <= i) {
          throw Problem.badRequest("A header line has no name or no ':'.");
        }
        String name = new String(b, i, colon - i, StandardCharsets.ISO_8859_1);
        if (!name.chars().allMatch(HttpFront::tchar)) {
          throw Problem.badRequest("The header name '" + abbreviate(name) + "' is not a valid token.");
        }
        int vs = colon + 1;
        int ve = e;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
          vs++;
        }
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
          ve--;
        }
        for (int k = vs; k < ve; k++) {
          if (b[k] == 0 || b[k] == '\r') {
            throw Problem.badRequest("The value of header '" + abbreviate(name) + "' contains a control character.");
          }
        }
        headers.add(name, new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
        i = nl + 1;
      }
      List<String> te = headers.get("Transfer-Encoding");
      List<String> cl = headers.get("Content-Length");
      boolean chunked = false;
      long length = 0;
      if (te != null) {
        if (cl != null) {
          throw Problem.badRequest("Send either Content-Length or Transfer-Encoding, not both.");
        }
        if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
          // a client error, not a 501: the request is refused and the client can send it again unencoded
          throw Problem.badRequest("Only 'Transfer-Encoding: chunked' is supported, got '"
              + abbreviate(String.join(", ", te)) + "': send the body unencoded, with Content-Length or chunked.");
        }
        chunked = true;
      } else if (cl != null) {
        String v = cl.get(0).trim();
        for (String other : cl) {
          if (!other.trim().equals(v)) {
            throw Problem.badRequest("The request has conflicting Content-Length headers.");
          }
        }
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
          throw Problem.badRequest("Content-Length must be a decimal number of bytes, got '" + abbreviate(v) + "'.");
        }
        length = Long.parseLong(v);
      }
      String connection = headers.getFirst("Connection");
      boolean close = connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
      boolean keepAlive = version.equals("HTTP/1.1") ? !close
          : connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
      String expect = headers.getFirst("Expect");
      boolean expectContinue = expect != null && expect.equalsIgnoreCase("100-continue")
          && version.equals("HTTP/1.1");
      return new Head(method, uri, version, headers, chunked ? -1 : length, chunked, keepAlive, expectContinue);
    }
  }

  private static int trimCr(byte[] b, int from, int nl) {
    return nl > from && b[nl - 1] == '\r' ? nl - 1 : nl;
  }

  private static boolean tchar(int c) {
    return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
  }

  private static String abbreviate(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder sb = new StringBuilder(t.length());
    for (char ch : t.toCharArray()) {
      sb.append(ch < 32 || ch > 126 ? '?' : ch);
    }
    return sb.toString();
  }

  /** One connection: its channel and the bytes read but not yet used. */
  private final class Conn {
    final SocketChannel ch;
    byte[] buf = new byte[2048];
    int start;
    int end;
    int scanOff;
    int lineEndOff = -1;
    int nlOff = -1;
    long deadline;
    volatile boolean keepAlive = true;
    volatile boolean watching;
    /** Counts the exchanges handed to workers, so that a stale request to watch is recognised. */
    volatile long gen;
    /** Bytes the selector read while a worker owned the connection (selector thread only). */
    byte[] early;
    /** True while the selector owns the connection (its buffer and deadline); false while a worker serves it. */
    volatile boolean idle = true;
    Thread worker;
    boolean discarding;
    long discarded;
    private final AtomicInteger closed = new AtomicInteger();

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    void resetScan() {
      scanOff = 0;
      lineEndOff = -1;
      nlOff = -1;
    }

    void ensure(int n) {
      if (end + n <= buf.length) {
        return;
      }
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end + n > buf.length) {
        byte[] bigger = new byte[Math.max(buf.length * 2, end + n)];
        System.arraycopy(buf, 0, bigger, 0, end);
        buf = bigger;
      }
    }

    /** After a request, give back a large head buffer: idle connections hold 2 KiB. */
    void compact() {
      int left = end - start;
      if (buf.length > 2048 && left <= 2048) {
        byte[] small = new byte[2048];
        System.arraycopy(buf, start, small, 0, left);
        buf = small;
        start = 0;
        end = left;
      }
    }

    /** Answers a problem from the selector thread without blocking, then closes (best effort). */
    void rejectNow(Problem p, String path) {
      try {
        Response r = problems.apply(p, path);
        byte[] head = responseHead(p.status(), r.headers(), r.bytes().length, false, true);
        ByteBuffer out = ByteBuffer.allocate(head.length + r.bytes().length);
        out.put(head).put(r.bytes()).flip();
        ch.write(out); // a small answer fits the socket buffer of a fresh connection
        ch.shutdownOutput();
        // Discard what the client still sends for a moment, so that it reads the answer instead of a reset.
        discarding = true;
        start = 0;
        end = 0;
        resetScan();
        deadline = System.nanoTime() + LINGER.toNanos();
        SelectionKey key = ch.keyFor(selector);
        if (key == null || !key.isValid()) {
          returning.add(new Back(this, gen, false));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("sandbox: could not send {} before closing: {}", p.status(), e.toString());
        close();
      }
    }

    void close() {
      if (closed.getAndIncrement() == 0) {
        connections.decrementAndGet();
        try {
          ch.close();
        } catch (IOException ignored) {
          // closed anyway
        }
      }
    }
  }

  /** The last Date header value and its second: formatting one per answer cost more than the rest of the head. */
  private record DateStamp(long epochSecond, String text) {}

  private static volatile DateStamp dateStamp = new DateStamp(Long.MIN_VALUE, "");

  static String httpDate() {
    long now = System.currentTimeMillis() / 1000;
    DateStamp d = dateStamp;
    if (d.epochSecond() != now) {
      d = new DateStamp(now, DATE.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(now), ZoneOffset.UTC)));
      dateStamp = d;
    }
    return d.text();
  }

  static byte[] responseHead(int status, Map<String, String> headers, long length, boolean chunked, boolean close) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    sb.append("Date: ").append(httpDate()).append("\r\n");
    headers.forEach((k, v) -> {
      if (!k.equalsIgnoreCase("Content-Length") && !k.equalsIgnoreCase("Transfer-Encoding")
          && !k.equalsIgnoreCase("Connection") && !k.equalsIgnoreCase("Date")) {
        sb.append(k).append(": ").append(v).append("\r\n");
      }
    });
    if (chunked) {
      sb.append("Transfer-Encoding: chunked\r\n");
    } else if (length >= 0) {
      sb.append("Content-Length: ").append(length).append("\r\n");
    }
    if (close) {
      sb.append("Connection: close\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Range Not Satisfiable";
      case 422 -> "Unprocessable Content";
      case 428 -> "Precondition Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }

  /** The {@link HttpExchange} of one request on a worker thread, with blocking streams over the channel. */
  private final class Exchange extends HttpExchange {
    private final Conn conn;
    private final Head head;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private Selector waiter;
    private InputStream in;
    private OutputStream out;
    private final Body body;
    private Out response;
    private int status = -1;
    private boolean finished;

    Exchange(Conn conn, Head head) throws IOException {
      this.conn = conn;
      this.head = head;
      this.body = new Body();
      this.in = body;
      conn.keepAlive = head.keepAlive();
    }

    @Override
    public Headers getRequestHeaders() {
      return head.headers();
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return head.uri();
    }

    @Override
    public String getRequestMethod() {
      return head.method();
    }

    /** The front has no contexts: null. */
    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {
      if (status < 0) {
        // closed without an answer (the sandbox's connection-reset and dropped-answer faults): cut the connection
        conn.keepAlive = false;
        return;
      }
      try {
        if (response != null) {
          response.close();
        }
      } catch (IOException e) {
        conn.keepAlive = false;
      }
    }

    /** Ends the exchange; returns whether the connection can serve another request. */
    boolean finish() {
      if (finished) {
        return conn.keepAlive && !conn.discarding;
      }
      finished = true;
      close();
      if (response == null || !response.complete()) {
        return false;
      }
      if (!body.done()) {
        if (body.buffered() && conn.keepAlive) {
          try {
            body.skipAll(); // already in memory: no wait for the client
          } catch (IOException e) {
            return false;
          }
        } else {
          // answered before the body was read: let the selector discard what the client still sends, then close
          conn.discarding = true;
          conn.keepAlive = false;
          try {
            conn.ch.shutdownOutput();
          } catch (IOException e) {
            return false;
          }
          return true;
        }
      }
      conn.compact();
      return conn.keepAlive;
    }

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      if (out == null) {
        throw new IllegalStateException("sendResponseHeaders() must be called first");
      }
      return out;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
      if (status >= 0) {
        throw new IOException("headers already sent");
      }
      status = rCode;
      boolean isHead = head.method().equals("HEAD");
      boolean bodiless = rCode == 204 || rCode == 304 || (rCode >= 100 && rCode < 200);
      boolean noBody = responseLength < 0 || bodiless || isHead;
      boolean chunked = !noBody && responseLength == 0;
      boolean untilClose = false;
      if (chunked && head.version().equals("HTTP/1.0")) {
        chunked = false;
        untilClose = true;
        conn.keepAlive = false;
      }
      Map<String, String> h = new java.util.LinkedHashMap<>();
      responseHeaders.forEach((k, v) -> {
        for (String value : v) {
          if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("response header " + k + " contains CR or LF");
          }
        }
        h.put(k, String.join(", ", v));
      });
      String connection = responseHeaders.getFirst("Connection");
      if (connection != null && connection.equalsIgnoreCase("close")) {
        conn.keepAlive = false;
      }
      if (!body.done() && !body.buffered()) {
        conn.keepAlive = false; // the body will not be read: tell the client this connection ends
      }
      long declared;
      if (bodiless) {
        declared = -1;
      } else if (isHead) {
        declared = responseLength > 0 ? responseLength : -1;
      } else if (noBody) {
        declared = 0;
      } else {
        declared = chunked || untilClose ? -1 : responseLength;
      }
      byte[] bytes = responseHead(rCode, h, declared, chunked, !conn.keepAlive);
      response = new Out(noBody || untilClose ? 0 : chunked ? -1 : responseLength, chunked, untilClose, bytes.length);
      response.raw(bytes, 0, bytes.length);
      if (noBody) {
        response.flush();
      }
      out = response;
      if (chunked && body.done()) {
        // A streamed answer may run long without writing (an idle event stream): let the selector notice when the
        // client goes away, so that the stream and its worker end at once.
        conn.watching = true;
        returning.add(new Back(conn, conn.gen, true));
        selector.wakeup();
      }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      try {
        return (InetSocketAddress) conn.ch.getRemoteAddress();
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      try {
        return (InetSocketAddress) conn.ch.getLocalAddress();
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public String getProtocol() {
      return head.version();
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
      if (i != null) {
        in = i;
      }
      if (o != null) {
        out = o;
      }
    }

    /** No authenticator at this level: null. */
    @Override
    public HttpPrincipal getPrincipal() {
      return null;
    }

    /** Fills the connection buffer with at least one more byte from the socket; false at end of stream. */
    private boolean fill() throws IOException {
      conn.ensure(8192);
      int n = readSome(conn.buf, conn.end, conn.buf.length - conn.end);
      if (n < 0) {
        return false;
      }
      conn.end += n;
      return true;
    }

    /** Reads at least one byte (or end of stream, -1), waiting at most the read timeout for it. */
    private int readSome(byte[] b, int off, int len) throws IOException {
      ByteBuffer bb = ByteBuffer.wrap(b, off, len);
      while (true) {
        int n = conn.ch.read(bb);
        if (n != 0) {
          return n;
        }
        quickAck();
        await(SelectionKey.OP_READ, limits.readTimeout(), "no request body bytes for " + limits.readTimeout());
      }
    }

    /**
     * Acknowledges what arrived at once instead of after the delayed-ACK timer (Linux): a client that writes the head
     * and the body separately without TCP_NODELAY (Nagle) waits for that ACK before sending the body, ~40 ms a request.
     */
    private void quickAck() {
      if (QUICKACK) {
        try {
          conn.ch.setOption(jdk.net.ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException e) {
          // not on this platform: only slower
        }
      }
    }

    /** Writes everything, waiting at most the write timeout each time the client stops taking bytes. */
    private void send(ByteBuffer bb) throws IOException {
      try {
        while (bb.hasRemaining()) {
          if (conn.ch.write(bb) == 0) {
            await(SelectionKey.OP_WRITE, limits.writeTimeout(), "the client took no response bytes for "
                + limits.writeTimeout());
          }
        }
      } catch (ClosedChannelException e) {
        throw new IOException("the connection was closed (client gone, or the sandbox stopping)", e);
      }
    }

    /** Waits until the channel is ready for {@code op}; the channel stays non-blocking so the selector can watch it. */
    private void await(int op, Duration timeout, String timeoutMessage) throws IOException {
      if (waiter == null) {
        waiter = Selector.open();
      }
      SelectionKey key = conn.ch.register(waiter, op);
      try {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiter.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))) == 0) {
          if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("the exchange was interrupted (client gone or sandbox stopping)");
          }
          if (System.nanoTime() - deadline >= 0) {
            conn.keepAlive = false;
            throw new SocketTimeoutException(timeoutMessage);
          }
        }
      } finally {
        key.cancel();
        waiter.selectNow();
        waiter.selectedKeys().clear();
      }
    }

    void closeWaiter() {
      if (waiter != null) {
        try {
          waiter.close();
        } catch (IOException ignored) {
          // closed anyway
        }
        waiter = null;
      }
    }

    /** The request body: Content-Length or chunked framing over the connection's buffer and socket. */
    private final class Body extends InputStream {
      private long remaining = head.chunked() ? 0 : head.contentLength();
      private boolean lastChunk = !head.chunked();
      private boolean continued;

      boolean done() {
        return remaining == 0 && lastChunk;
      }

      /** Whether the unread rest of a Content-Length body has already arrived in the connection's buffer. */
      boolean buffered() {
        return !head.chunked() && remaining <= conn.end - conn.start;
      }

      void skipAll() throws IOException {
        byte[] b = new byte[8192];
        while (read(b, 0, b.length) >= 0) {
          // discard
        }
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        if (remaining == 0) {
          if (lastChunk) {
            return -1;
          }
          startContinue();
          nextChunk();
          if (remaining == 0) {
            return -1;
          }
        }
        startContinue();
        int want = (int) Math.min(len, remaining);
        int n;
        if (conn.end > conn.start) {
          n = Math.min(want, conn.end - conn.start);
          System.arraycopy(conn.buf, conn.start, b, off, n);
          conn.start += n;
        } else {
          n = readSome(b, off, want);
          if (n < 0) {
            throw new IncompleteBodyException(head.chunked() ? "the body ended inside a chunk"
                : "the body ended " + remaining + " bytes before its Content-Length");
          }
        }
        remaining -= n;
        if (remaining == 0 && head.chunked()) {
          expectCrlf();
        }
        return n;
      }

      private void startContinue() throws IOException {
        if (head.expectContinue() && !continued && status < 0) {
          continued = true;
          send(ByteBuffer.wrap(CONTINUE));
        }
        continued = true;
      }

      private String line(int max) throws IOException {
        while (true) {
          int nl = indexOf(conn.buf, conn.start, conn.end, (byte) '\n');
          if (nl >= 0) {
            if (trimCr(conn.buf, conn.start, nl) - conn.start > max) {
              conn.end = conn.start; // nothing after a framing error is read as a request
              throw lineTooLong(max);
            }
            String s = new String(conn.buf, conn.start, trimCr(conn.buf, conn.start, nl) - conn.start,
                StandardCharsets.ISO_8859_1);
            conn.start = nl + 1;
            return s;
          }
          if (conn.end - conn.start > max) {
            conn.end = conn.start;
            throw lineTooLong(max);
          }
          if (!fill()) {
            throw new IncompleteBodyException("the body ended before its last chunk ('0' CRLF CRLF) and trailers");
          }
        }
      }

      private MalformedBodyException lineTooLong(int max) {
        return new MalformedBodyException(max == 2
            ? "a chunk is longer than its declared size (no CRLF right after the chunk data)"
            : "a chunk-size or trailer line is longer than " + max + " bytes");
      }

      private void expectCrlf() throws IOException {
        if (!line(2).isEmpty()) {
          throw lineTooLong(2);
        }
      }

      private void nextChunk() throws IOException {
        String sizeLine = line(MAX_CHUNK_LINE);
        int semi = sizeLine.indexOf(';');
        String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
        long size;
        try {
          if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new NumberFormatException(); // only hex digits: no sign, no 0x, no spaces
          }
          size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new MalformedBodyException("malformed chunk size '" + abbreviate(hex)
              + "' (expected 1 to 15 hex digits, then CRLF)");
        }
        if (size == 0) {
          int trailers = 0;
          while (!line(MAX_CHUNK_LINE).isEmpty()) {
            if (++trailers > MAX_TRAILERS) {
              throw new MalformedBodyException("more than " + MAX_TRAILERS + " trailer lines after the last chunk");
            }
          }
          lastChunk = true;
        }
        remaining = size;
      }
    }

    /** The response body: fixed length, chunked, or (HTTP/1.0) until close; buffered, with a write watchdog. */
    private final class Out extends OutputStream {
      private static final int BUFFER = 16 * 1024;
      private final byte[] buf;
      private int count;
      private long left;
      private final boolean chunked;
      private final boolean untilClose;
      private boolean closed;

      /**
       * A body of known length gets a buffer that holds exactly the head and the body (a small JSON answer then
       * costs a few hundred bytes instead of 16 KiB to allocate and clear); streamed bodies get 16 KiB.
       */
      Out(long length, boolean chunked, boolean untilClose, int headBytes) {
        this.buf = new byte[chunked || untilClose || length < 0 ? BUFFER : (int) Math.min(BUFFER, headBytes + length)];
        this.left = length;
        this.chunked = chunked;
        this.untilClose = untilClose;
      }

      boolean complete() {
        return closed && (chunked || untilClose || left == 0);
      }

      void raw(byte[] b, int off, int len) throws IOException {
        if (count + len > buf.length) {
          drain();
          if (len > buf.length) {
            send(ByteBuffer.wrap(b, off, len));
            return;
          }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
          throw new IOException("response body already closed");
        }
        if (len == 0) {
          return;
        }
        if (chunked) {
          raw((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII), 0,
              Integer.toHexString(len).length() + 2);
          raw(b, off, len);
          raw(new byte[] {'\r', '\n'}, 0, 2);
          return;
        }
        if (!untilClose) {
          if (len > left) {
            throw new IOException("the response body is longer than its Content-Length");
          }
          left -= len;
        }
        raw(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        drain();
      }

      private void drain() throws IOException {
        if (count > 0) {
          send(ByteBuffer.wrap(buf, 0, count));
          count = 0;
        }
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        if (chunked) {
          raw("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, 5);
        }
        drain();
        if (untilClose || (!chunked && left > 0)) {
          conn.keepAlive = false;
        }
      }
    }
  }
}
