package io.shudu.exchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 fault proxy on loopback between the SDK and a sandbox: it forwards every request, reads the
 * platform's whole answer (so the platform has committed), and for a share of the answers to POST requests closes both
 * connections instead of forwarding it: an answer lost after commit, as a cut network would lose it. Messages are
 * framed by Content-Length (what the SDK and the sandbox's JSON endpoints use); a chunked answer is passed through
 * until the connection ends.
 */
final class LostAnswerProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final double dropRate;
  /** The drop decisions, one draw per answer to a POST in the order the answers arrive. */
  private final Random random;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lost-answer-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Queue<Socket> open = new ConcurrentLinkedQueue<>();
  final AtomicInteger forwarded = new AtomicInteger();
  final AtomicInteger dropped = new AtomicInteger();
  /** Answers to POST requests that reached the proxy (forwarded or dropped). */
  final AtomicInteger posts = new AtomicInteger();
  private volatile boolean dropping = true;

  LostAnswerProxy(String host, int port, double dropRate, long seed) throws IOException {
    this.upstream = new InetSocketAddress(host, port);
    this.dropRate = dropRate;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /** The proxy's base URL. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/";
  }

  /** Stops dropping answers (the network heals). */
  void heal() {
    dropping = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket up = new Socket();
        up.connect(upstream, 5_000);
        client.setTcpNoDelay(true);
        up.setTcpNoDelay(true);
        open.add(client);
        open.add(up);
        Queue<String> methods = new ConcurrentLinkedQueue<>();
        threads.execute(() -> requests(client, up, methods));
        threads.execute(() -> answers(client, up, methods));
      } catch (IOException e) {
        // closed, or the sandbox refused: the client sees its connection end
      }
    }
  }

  private void requests(Socket client, Socket up, Queue<String> methods) {
    try (InputStream in = client.getInputStream(); OutputStream out = up.getOutputStream()) {
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          break;
        }
        String h = new String(head, StandardCharsets.ISO_8859_1);
        methods.add(h.substring(0, Math.max(0, h.indexOf(' '))));
        out.write(head);
        copyBody(in, out, contentLength(h));
        out.flush();
      }
    } catch (IOException e) {
      // connection ended
    } finally {
      closeBoth(client, up);
    }
  }

  private void answers(Socket client, Socket up, Queue<String> methods) {
    try (InputStream in = up.getInputStream(); OutputStream out = client.getOutputStream()) {
      while (true) {
        byte[] head = readHead(in);
        if (head == null) {
          break;
        }
        String h = new String(head, StandardCharsets.ISO_8859_1);
        String method = methods.poll();
        if (h.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
          out.write(head);
          in.transferTo(out);
          break;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        copyBody(in, body, contentLength(h));
        // the whole answer is here: the platform has committed whatever the request did
        if ("POST".equals(method)) {
          posts.incrementAndGet();
          if (dropping && drop()) {
            dropped.incrementAndGet();
            break;
          }
        }
        out.write(head);
        body.writeTo(out);
        out.flush();
        forwarded.incrementAndGet();
      }
    } catch (IOException e) {
      // connection ended
    } finally {
      closeBoth(client, up);
    }
  }

  private boolean drop() {
    synchronized (random) {
      return random.nextDouble() < dropRate;
    }
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
      open.remove(s);
    }
  }

  /** The start line and headers up to the blank line, or null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      b.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1
          : (c == '\r' ? 1 : 0);
    }
    return b.toByteArray();
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  private static void copyBody(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buf = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("stream ended inside a body");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    threads.shutdownNow();
  }
}
