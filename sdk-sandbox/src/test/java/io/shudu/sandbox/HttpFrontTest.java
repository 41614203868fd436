package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's HTTP front over real loopback sockets: what the JDK server answered with an HTML page or a closed
 * connection is now a problem+json (malformed URI, long URL, large or many headers), slow heads and stalled bodies
 * time out with 408, idle connections close, bodies are never read before authentication, and the connection,
 * stream and concurrency limits answer 503/429.
 */
class HttpFrontTest {
  static Sandbox sandbox;
  static SandboxTenant tenant;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder()
        .headerTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2))
        .maxRequestBytes(64 * 1024).build()).start();
    tenant = sandbox.tenant("front");
    sandbox.context().feeds().declare("front-idle");
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static URI base() {
    return sandbox.baseUrl();
  }

  static JsonNode problemOf(RawHttp.Answer a) throws IOException {
    assertThat(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
    return Json.mapper().readTree(a.body());
  }

  @Test
  void aMalformedUriIsAProblemNotAnHtmlPage() throws IOException {
    for (String target : List.of("/health?x=%ZZ", "/v1/whoami%ZZ", "/twin/v1/entities?$filter=a%2", "/a b/c")) {
      RawHttp.Answer a = RawHttp.send(base(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(a.status()).as(target).isEqualTo(400);
      JsonNode p = problemOf(a);
      assertThat(p.get("status").asInt()).isEqualTo(400);
      assertThat(p.get("detail").asText()).contains("malformed").contains("percent-encode");
      assertThat(a.text()).doesNotContain("<h1>");
    }
  }

  @Test
  void aLongUrlIs414AndLargeOrManyHeadersAre431AllAsProblems() throws IOException {
    RawHttp.Answer url = RawHttp.send(base(), "GET /health?q=" + "a".repeat(400 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(url.status()).isEqualTo(414);
    assertThat(problemOf(url).get("limit").asInt()).isEqualTo(64 * 1024);

    RawHttp.Answer big = RawHttp.send(base(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(400 * 1024)
        + "\r\n\r\n");
    assertThat(big.status()).isEqualTo(431);
    assertThat(problemOf(big).get("code").asText()).isEqualTo("headers_too_large");

    StringBuilder many = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 201; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    RawHttp.Answer count = RawHttp.send(base(), many + "\r\n");
    assertThat(count.status()).isEqualTo(431);
    assertThat(problemOf(count).get("maxHeaders").asInt()).isEqualTo(100);

    // just under the limits is fine
    StringBuilder ok = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (int i = 0; i < 90; i++) {
      ok.append("X-H").append(i).append(": ").append("v".repeat(500)).append("\r\n");
    }
    assertThat(RawHttp.send(base(), ok + "\r\n").status()).isEqualTo(200);
  }

  @Test
  void aMalformedRequestLineOrHeaderIsAProblem() throws IOException {
    for (String req : List.of("NONSENSE\r\n\r\n", "GET /health HTTP/2.0\r\n\r\n", "GET /health HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", "POST /v1/echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "POST /v1/echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n")) {
      RawHttp.Answer a = RawHttp.send(base(), req);
      assertThat(a.status()).as(req).isBetween(400, 505);
      assertThat(problemOf(a).get("status").asInt()).isEqualTo(a.status());
    }
  }

  @Test
  void aSlowHeadIsAnsweredWith408AndTheConnectionClosed() throws IOException {
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("application/problem+json")
          .contains("\"limit\":\"PT2S\"");
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 200 ");
      int len = Integer.parseInt(header(head, "Content-Length"));
      assertThat(in.readNBytes(len)).hasSize(len);
      // the same connection serves a second request (keep-alive) ...
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String second = readHead(in);
      assertThat(second).startsWith("HTTP/1.1 200 ");
      in.readNBytes(Integer.parseInt(header(second, "Content-Length")));
      // ... and is closed by the server once idle for longer than the idle timeout: end of stream, no bytes
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    RawHttp.Answer a = RawHttp.send(base(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/whoami HTTP/1.1\r\nHost: x\r\n"
        + "X-Api-Key: " + tenant.apiKey() + "\r\nConnection: close\r\n\r\n");
    String text = a.text();
    assertThat(text).startsWith("HTTP/1.1 200 ");
    assertThat(text.indexOf("HTTP/1.1 200 ", 10)).isPositive();
    assertThat(text).contains("\"tenant\":\"front\"");
  }

  @Test
  void theNextRequestRightAfterAChunkedAnswerIsServedOnTheSameConnection() throws IOException {
    // Clients send their next request as soon as the last chunk arrives, often while the worker is still finishing
    // the exchange: those bytes must not be lost (the OGC suite's HttpURLConnection hung on that once).
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < 200; i++) {
        out.write(("GET /iot/v1.0/Things?$top=1 HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + tenant.apiKey() + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(in);
        assertThat(head).as("answer %s", i).startsWith("HTTP/1.1 200 ");
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
          // SensorThings answers are built before they are sent (Content-Length); the same rule holds for them
          assertThat(in.readNBytes(Integer.parseInt(length.group(1)))).hasSize(Integer.parseInt(length.group(1)));
          continue;
        }
        assertThat(head).as("answer %s", i).containsIgnoringCase("chunked");
        // read chunks up to the last one
        while (true) {
          StringBuilder line = new StringBuilder();
          int c;
          while ((c = in.read()) != '\n') {
            assertThat(c).isNotNegative();
            line.append((char) c);
          }
          int size = Integer.parseInt(line.toString().trim(), 16);
          in.readNBytes(size + 2);
          if (size == 0) {
            break;
          }
        }
      }
    }
  }

  @Test
  void anUnauthenticatedBodyIsNeverReadAndTheAnswerComesBeforeIt() throws IOException {
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      // declares 60 KiB (under the body limit) but sends none of it: the answer must come anyway
      s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: wrong\r\nContent-Type: application/json"
          + "\r\nContent-Length: 61440\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 401 ").containsIgnoringCase("Connection: close");
    }
    // Expect: 100-continue: no 100 for a refused request, a 100 then the answer for a good one
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 401 ");
    }
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + tenant.apiKey() + "\r\nContent-Type: "
          + "application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 100 ");
      out.write("{}".getBytes(StandardCharsets.US_ASCII));
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 201 ");
    }
  }

  @Test
  void bodiesOverTheLimitAre413WhileStreamingAndAStalledBodyIs408() throws IOException {
    String key = "X-Api-Key: " + tenant.apiKey() + "\r\n";
    // declared too large: refused before a byte of it is read
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + key + "Content-Length: 73400320\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413 ").containsIgnoringCase("Connection: close");
    }
    // chunked, no length: counted while it streams in, refused once past the limit
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + key + "Transfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = ("4000\r\n" + "a".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 5; i++) {
        out.write(chunk);
      }
      out.flush();
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 413 ");
    }
    // a body that stops arriving
    try (Socket s = new Socket(base().getHost(), base().getPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\n" + key + "Content-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 408 ");
    }
  }

  @Test
  void malformedChunkedBodiesAre400ProblemsNeverASilentClose() throws IOException {
    String head = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + tenant.apiKey() + "\r\nContent-Type: "
        + "application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("ZZ\r\n{}\r\n0\r\n\r\n", "malformed chunk size 'ZZ'");
    bodies.put("2\r\n{}EXTRA\r\n0\r\n\r\n", "longer than its declared size");
    bodies.put("2\r\n{}" + "x".repeat(5000), "longer than its declared size");
    bodies.put("2;" + "e".repeat(5000) + "\r\n{}\r\n0\r\n\r\n", "longer than 4096 bytes");
    bodies.put("e".repeat(5000), "longer than 4096 bytes");
    bodies.put("2\r\n{}\r\n0\r\n" + "X-Trailer: v\r\n".repeat(101) + "\r\n", "more than 100 trailer lines");
    for (Map.Entry<String, String> c : bodies.entrySet()) {
      String what = c.getKey().substring(0, Math.min(30, c.getKey().length()));
      RawHttp.Answer a = RawHttp.send(base(), head + c.getKey());
      assertThat(a.status()).as(what).isEqualTo(400);
      assertThat(a.head()).as(what).containsIgnoringCase("Connection: close");
      JsonNode p = problemOf(a);
      assertThat(p.get("code").asText()).as(what).isEqualTo("malformed_body");
      assertThat(p.get("detail").asText()).as(what).contains(c.getValue());
    }
    // within the limits: 100 trailers and a 4,000-byte chunk extension are fine, on the same connection as a next request
    String ok = "2;" + "e".repeat(4000) + "\r\n{}\r\n0\r\n" + "X-Trailer: v\r\n".repeat(100) + "\r\n";
    RawHttp.Answer a = RawHttp.send(base(), head + ok + "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(a.status()).isEqualTo(201);
    assertThat(a.text()).contains("HTTP/1.1 200 ");
  }

  @Test
  void aTenantsStreamsAndConcurrentRequestsAreLimitedWith429() throws IOException {
    Sandbox previous = sandbox;
    SandboxTenant previousTenant = tenant;
    List<Socket> held = new ArrayList<>();
    sandbox = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder().maxStreamsPerTenant(3)
        .maxConcurrentRequestsPerTenant(4).build()).start();
    tenant = sandbox.tenant("front");
    sandbox.context().feeds().declare("front-idle");
    try {
      for (int i = 0; i < 3; i++) {
        Socket s = openStream(tenant.apiKey(), "front-idle");
        held.add(s);
      }
      Socket fourth = new Socket(base().getHost(), base().getPort());
      held.add(fourth);
      fourth.setSoTimeout(20_000);
      fourth.getOutputStream().write(("GET /feeds/v1/front-idle?heartbeat=300000 HTTP/1.1\r\nHost: x\r\nX-Api-Key: "
          + tenant.apiKey() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String head = readHead(fourth.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 429 ").containsIgnoringCase("Retry-After");
      // another tenant is not affected
      SandboxTenant other = sandbox.tenant("front-other");
      held.add(openStream(other.apiKey(), "front-idle"));
      // closing one stream frees its place
      held.remove(0).close();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Socket again = openStream(tenant.apiKey(), "front-idle");
        held.add(again);
      });

      // requests waiting for their bodies hold the tenant's request places: the fifth is 429
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket(base().getHost(), base().getPort());
        held.add(s);
        s.getOutputStream().write(("POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + tenant.apiKey()
            + "\r\nContent-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        RawHttp.Answer a = RawHttp.send(base(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + tenant.apiKey()
            + "\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(429);
        assertThat(problemOf(a).get("limit").asText()).isEqualTo("maxConcurrentRequestsPerTenant");
      });
      assertThat(RawHttp.send(base(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
          .isEqualTo(200);
    } finally {
      for (Socket s : held) {
        s.close();
      }
      sandbox.close();
      sandbox = previous;
      tenant = previousTenant;
    }
  }

  @Test
  void connectionsOverTheLimitAre503Problems() throws IOException {
    try (Sandbox small = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder().maxConnections(5).build())
        .start()) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          held.add(new Socket(small.baseUrl().getHost(), small.baseUrl().getPort()));
        }
        RawHttp.Answer a = RawHttp.send(small.baseUrl(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(a.status()).isEqualTo(503);
        assertThat(problemOf(a).get("code").asText()).isEqualTo("too_many_connections");
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(RawHttp.send(small.baseUrl(),
          "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status()).isEqualTo(200));
    }
  }

  @Test
  void bufferedBodiesOverTheSandboxWideBudgetAre503Problems() throws IOException {
    try (Sandbox small = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder()
        .maxBufferedBodyBytes(100 * 1024).readTimeout(Duration.ofMinutes(5)).build()).start()) {
      String key = small.tenant("budget").apiKey();
      String head = "POST /v1/echo HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + key + "\r\nContent-Type: application/json\r\n";
      String body = "{\"p\":\"" + "x".repeat(40 * 1024) + "\"}";
      try (Socket holder = new Socket(small.baseUrl().getHost(), small.baseUrl().getPort())) {
        holder.setSoTimeout(30_000);
        // declares 80 KiB and sends part of it: its 80 KiB are reserved while the rest is awaited
        String big = "{\"p\":\"" + "y".repeat(80 * 1024 - 8) + "\"}";
        holder.getOutputStream().write((head + "Content-Length: " + big.length() + "\r\n\r\n" + big.substring(0, 1000))
            .getBytes(StandardCharsets.US_ASCII));
        holder.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          RawHttp.Answer a = RawHttp.send(small.baseUrl(), head + "Content-Length: " + body.length()
              + "\r\nConnection: close\r\n\r\n" + body);
          assertThat(a.status()).isEqualTo(503);
          assertThat(a.head()).containsIgnoringCase("Retry-After");
          JsonNode p = problemOf(a);
          assertThat(p.get("code").asText()).isEqualTo("server_busy");
          assertThat(p.get("limit").asText()).isEqualTo("maxBufferedBodyBytes");
        });
        // a chunked body is counted while it streams in: refused once it would pass the budget
        RawHttp.Answer chunked = RawHttp.send(small.baseUrl(), head + "Transfer-Encoding: chunked\r\nConnection: "
            + "close\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");
        assertThat(chunked.status()).isEqualTo(503);
        assertThat(problemOf(chunked).get("limit").asText()).isEqualTo("maxBufferedBodyBytes");
        // the holder completes; its reservation is released
        holder.getOutputStream().write(big.substring(1000).getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(holder.getInputStream())).startsWith("HTTP/1.1 201 ");
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(RawHttp.send(small.baseUrl(), head
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).status()).isEqualTo(201));
    }
  }

  static Socket openStream(String apiKey, String feed) throws IOException {
    Socket s = new Socket(base().getHost(), base().getPort());
    try {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(("GET /feeds/v1/" + feed + "?heartbeat=300000 HTTP/1.1\r\nHost: x\r\nX-Api-Key: "
          + apiKey + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String head = readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 200 ");
      return s;
    } catch (IOException | AssertionError e) {
      s.close();
      throw e;
    }
  }

  /** Reads up to the end of a response head. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int state = 0;
    try {
      while (state < 4) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        b.write(c);
        state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      }
    } catch (SocketTimeoutException e) {
      // what arrived is the answer
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int c = line.indexOf(':');
      if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) {
        return line.substring(c + 1).trim();
      }
    }
    return null;
  }
}
