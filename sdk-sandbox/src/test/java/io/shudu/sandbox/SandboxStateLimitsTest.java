package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.Auth;
import io.shudu.core.internal.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Stored state is bounded per tenant and expires: idempotency records (time to live, keys per tenant), OAuth2 tokens
 * (expired ones purged, oldest revoked beyond the limit), signed-request nonces (expired in arrival order, 429 beyond
 * the per-key bound), board collections (per-tenant limit with 429, purged after their time to live); and one
 * tenant's slow webhook receivers do not delay another tenant's webhooks. Time is an injected clock.
 */
class SandboxStateLimitsTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T08:00:00Z"));

    void advance(Duration d) {
      now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private static RawHttp.Answer post(Sandbox s, String apiKey, String path, String idempotencyKey, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return RawHttp.send(s.baseUrl(), "POST " + path + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + apiKey + "\r\n"
        + (idempotencyKey == null ? "" : "Idempotency-Key: " + idempotencyKey + "\r\n")
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n" + json);
  }

  /** Lets the tenant register webhooks on loopback (refused by default, see WebhookTargetsTest). */
  private static void allowLoopbackWebhooks(Sandbox s, String apiKey) throws IOException {
    String json = "{\"allowPrivateWebhookTargets\":true}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    RawHttp.Answer a = RawHttp.send(s.baseUrl(), "PUT /exchange/v1/sandbox/settings HTTP/1.1\r\nHost: x\r\nX-Api-Key: "
        + apiKey + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n" + json);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  private static long sequence(RawHttp.Answer a) throws IOException {
    return Json.mapper().readTree(a.body()).get("sequence").asLong();
  }

  @Test
  void idempotencyRecordsExpireAndAreBoundedPerTenant() throws IOException {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .idempotencyTtl(Duration.ofHours(1)).idempotencyKeysPerTenant(3).build()).start()) {
      String a = s.tenant("idem-a").apiKey();
      String b = s.tenant("idem-b").apiKey();
      RawHttp.Answer first = post(s, a, "/v1/echo", "k-ttl", "{}");
      RawHttp.Answer replay = post(s, a, "/v1/echo", "k-ttl", "{}");
      assertThat(replay.head()).containsIgnoringCase("Idempotent-Replayed: true");
      assertThat(sequence(replay)).isEqualTo(sequence(first));
      clock.advance(Duration.ofMinutes(61));
      RawHttp.Answer expired = post(s, a, "/v1/echo", "k-ttl", "{}");
      assertThat(expired.head()).doesNotContainIgnoringCase("Idempotent-Replayed");
      assertThat(sequence(expired)).isGreaterThan(sequence(first));

      // bound per tenant: tenant B's key survives tenant A's flood; A's oldest keys are forgotten first
      RawHttp.Answer bFirst = post(s, b, "/v1/echo", "b-key", "{}");
      for (int i = 0; i < 5; i++) {
        post(s, a, "/v1/echo", "flood-" + i, "{}");
      }
      assertThat(post(s, b, "/v1/echo", "b-key", "{}").head()).containsIgnoringCase("Idempotent-Replayed: true");
      assertThat(post(s, a, "/v1/echo", "flood-4", "{}").head()).containsIgnoringCase("Idempotent-Replayed: true");
      assertThat(post(s, a, "/v1/echo", "flood-0", "{}").head()).doesNotContainIgnoringCase("Idempotent-Replayed");
      assertThat(sequence(bFirst)).isPositive();
    }
  }

  private static RawHttp.Answer token(Sandbox s, SandboxTenant t) throws IOException {
    String basic = Base64.getEncoder().encodeToString((t.clientId() + ":" + t.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    String form = "grant_type=client_credentials";
    return RawHttp.send(s.baseUrl(), "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + basic
        + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length()
        + "\r\nConnection: close\r\n\r\n" + form);
  }

  private static int whoamiWithToken(Sandbox s, String token) throws IOException {
    return RawHttp.send(s.baseUrl(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
        + "\r\nConnection: close\r\n\r\n").status();
  }

  @Test
  void expiredTokensArePurgedAndATenantKeepsAtMostItsLimit() throws IOException {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .maxTokensPerTenant(3).build()).start()) {
      s.tokenLifetime(Duration.ofMinutes(1));
      SandboxTenant t = s.tenant("tokens");
      String oldest = Json.mapper().readTree(token(s, t).body()).get("access_token").asText();
      for (int i = 0; i < 4; i++) {
        assertThat(token(s, t).status()).isEqualTo(200);
      }
      assertThat(s.auth().tokenCount()).isEqualTo(3);
      assertThat(whoamiWithToken(s, oldest)).isEqualTo(401); // revoked to make room
      clock.advance(Duration.ofMinutes(2));
      String fresh = Json.mapper().readTree(token(s, t).body()).get("access_token").asText();
      assertThat(s.auth().tokenCount()).isEqualTo(1); // the expired ones are gone, not just refused
      assertThat(whoamiWithToken(s, fresh)).isEqualTo(200);
    }
  }

  @Test
  void noncesExpireInArrivalOrderAndAreBoundedPerAccessKey() {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .maxNoncesPerKey(20).build()).start()) {
      SandboxTenant t = s.tenant("nonces");
      ApiClient api = new ApiClient(ClientConfig.builder().endpoint(s.baseUrl())
          .credentials(Auth.accessKey(t.accessKeyId(), t.secretAccessKey(), clock))
          .retryPolicy(RetryPolicy.none()).build(), "test");
      for (int i = 0; i < 20; i++) {
        assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status())
            .isEqualTo(200);
      }
      assertThat(s.auth().nonceCount()).isEqualTo(20);
      Throwable limited = org.assertj.core.api.Assertions.catchThrowable(() ->
          api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
      assertThat(limited).hasMessageContaining("429").hasMessageContaining("maxNoncesPerKey");
      // remembered for two signature windows after arrival, then dropped from the front of the queue
      clock.advance(Duration.ofMinutes(11));
      assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status())
          .isEqualTo(200);
      assertThat(s.auth().nonceCount()).isEqualTo(1);
    }
  }

  @Test
  void aNonceLongerThan128CharactersIsRefusedWithAProblemNamingTheLimit() {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).start()) {
      SandboxTenant t = s.tenant("long-nonce");
      AtomicInteger length = new AtomicInteger(129);
      AtomicInteger sent = new AtomicInteger();
      ApiClient api = new ApiClient(ClientConfig.builder().endpoint(s.baseUrl())
          .credentials(Auth.accessKey(t.accessKeyId(), t.secretAccessKey(), clock,
              () -> Integer.toString(sent.incrementAndGet()) + "n".repeat(length.get() - 1)))
          .retryPolicy(RetryPolicy.none()).build(), "test");
      for (int n : new int[] {129, 32 * 1024}) {
        length.set(n);
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() ->
            api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
        assertThat(refused).isInstanceOf(io.shudu.core.ServiceException.class).hasMessageContaining("128");
        io.shudu.core.ServiceException e = (io.shudu.core.ServiceException) refused;
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.code()).contains("nonce_too_long"); // parsed from the problem+json answer
      }
      assertThat(s.auth().nonceCount()).isZero(); // nothing of a refused nonce is held
      length.set(128);
      assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status()).isEqualTo(200);
      assertThat(s.auth().nonceCount()).isEqualTo(1);
    }
    // the problem+json over the wire, for a client that signs by itself
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      SandboxTenant t = s.tenant("long-nonce");
      RawHttp.Answer a = RawHttp.send(s.baseUrl(), "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: "
          + "SHUDU-HMAC-SHA256 Credential=" + t.accessKeyId() + ", SignedHeaders=host;x-shudu-content-sha256;"
          + "x-shudu-date;x-shudu-nonce, Signature=00\r\nX-Shudu-Date: 20260501T080000Z\r\nX-Shudu-Nonce: "
          + "n".repeat(60_000) + "\r\nX-Shudu-Content-Sha256: e3b0\r\nConnection: close\r\n\r\n");
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
      JsonNode p = Json.mapper().readTree(a.body());
      assertThat(p.get("limit").asText()).isEqualTo("maxNonceLength");
      assertThat(p.get("max").asInt()).isEqualTo(128);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void withAFullReplayWindowOfNoncesHeldASignedRequestStillSucceedsAndExpiryPollsInArrivalOrder() {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .maxNoncesPerKey(100_001).build()).start()) {
      SandboxTenant t = s.tenant("full-window");
      for (int i = 0; i < 100_000; i++) {
        assertThat(s.auth().rememberNonce(t.accessKeyId(), "held-" + i)).isTrue();
      }
      ApiClient api = new ApiClient(ClientConfig.builder().endpoint(s.baseUrl())
          .credentials(Auth.accessKey(t.accessKeyId(), t.secretAccessKey(), clock))
          .retryPolicy(RetryPolicy.none()).build(), "test");
      long before = s.auth().nonceEntriesExamined();
      assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status())
          .isEqualTo(200);
      // nothing expired yet: expiry looked at the oldest nonce only, not at the 100,000 behind it
      assertThat(s.auth().nonceEntriesExamined() - before).isEqualTo(1);
      assertThat(s.auth().nonceCount()).isEqualTo(100_001);
      Throwable limited = org.assertj.core.api.Assertions.catchThrowable(() ->
          api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()));
      assertThat(limited).hasMessageContaining("429").hasMessageContaining("maxNoncesPerKey");
      clock.advance(Duration.ofMinutes(11));
      before = s.auth().nonceEntriesExamined();
      assertThat(api.execute(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build()).status())
          .isEqualTo(200);
      // each expired nonce is looked at once, from the front of the queue
      assertThat(s.auth().nonceEntriesExamined() - before).isEqualTo(100_001);
      assertThat(s.auth().nonceCount()).isEqualTo(1);
    }
  }

  @Test
  void anOverLongIdempotencyKeyIsRefusedAndTheKeyCountsInTheStoredWeight() throws IOException {
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      String k = s.tenant("idem-keys").apiKey();
      for (String key : new String[] {"k".repeat(256), "k".repeat(60_000)}) {
        RawHttp.Answer a = post(s, k, "/v1/echo", key, "{}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.head()).containsIgnoringCase("Content-Type: application/problem+json");
        JsonNode p = Json.mapper().readTree(a.body());
        assertThat(p.get("code").asText()).isEqualTo("invalid_idempotency_key");
        assertThat(p.get("limit").asText()).isEqualTo("maxIdempotencyKeyLength");
        assertThat(p.get("max").asInt()).isEqualTo(255);
        assertThat(p.get("detail").asText()).contains("255");
      }
      assertThat(s.server().idempotencyRecords()).isZero();
      assertThat(s.server().idempotencyBytes()).isZero();

      // the SDK's generated keys (UUIDs) and keys of the largest size it allows are stored and replayed
      RawHttp.Answer shortKey = post(s, k, "/v1/echo", java.util.UUID.randomUUID().toString(), "{}");
      assertThat(shortKey.status()).isEqualTo(201);
      long oneShort = s.server().idempotencyBytes();
      String longest = "k".repeat(255);
      RawHttp.Answer first = post(s, k, "/v1/echo", longest, "{}");
      assertThat(first.status()).isEqualTo(201);
      long oneLong = s.server().idempotencyBytes() - oneShort;
      RawHttp.Answer replay = post(s, k, "/v1/echo", longest, "{}");
      assertThat(replay.head()).containsIgnoringCase("Idempotent-Replayed: true");
      assertThat(sequence(replay)).isEqualTo(sequence(first));
      // the answers differ by a digit or two at most; the keys by 219 characters, which the weight counts
      assertThat(oneLong - oneShort).isBetween(219L - 4, 219L + 4);
    }
  }

  @Test
  void storedIdempotentAnswersAreBoundedForTheWholeSandboxOldestFirst() throws IOException {
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder()
        .idempotencyBytesTotal(8 * 1024).build()).start()) {
      String[] keys = {s.tenant("total-a").apiKey(), s.tenant("total-b").apiKey(), s.tenant("total-c").apiKey()};
      String padding = "x".repeat(300);
      long[] firstSequence = new long[3];
      for (int i = 0; i < 60; i++) {
        RawHttp.Answer a = post(s, keys[i % 3], "/v1/echo", "total-" + i, "{\"p\":\"" + padding + "\"}");
        assertThat(a.status()).isEqualTo(201);
        if (i < 3) {
          firstSequence[i] = sequence(a);
        }
        assertThat(s.server().idempotencyBytes()).as("after request %d", i).isLessThanOrEqualTo(8 * 1024);
      }
      assertThat(s.server().idempotencyRecords()).isBetween(3, 59);
      // the newest answer of every tenant is still replayed; the oldest ones, whichever tenant, are forgotten
      for (int i = 57; i < 60; i++) {
        assertThat(post(s, keys[i % 3], "/v1/echo", "total-" + i, "{\"p\":\"" + padding + "\"}").head())
            .containsIgnoringCase("Idempotent-Replayed: true");
      }
      for (int i = 0; i < 3; i++) {
        RawHttp.Answer again = post(s, keys[i], "/v1/echo", "total-" + i, "{\"p\":\"" + padding + "\"}");
        assertThat(again.head()).doesNotContainIgnoringCase("Idempotent-Replayed");
        assertThat(sequence(again)).isGreaterThan(firstSequence[i]);
      }
    }
  }

  @Test
  void boardCollectionsAreLimitedPerTenantAndPurgedAfterTheirTimeToLive() throws IOException {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .maxCollectionsPerTenant(2).collectionTtl(Duration.ofHours(1)).build()).start()) {
      String a = s.tenant("board-a").apiKey();
      String b = s.tenant("board-b").apiKey();
      String body = "{\"name\":\"Lingang\",\"supply\":10}";
      RawHttp.Answer one = post(s, a, "/exchange/v1/board/collections", null, body);
      assertThat(one.status()).isEqualTo(201);
      String id = Json.mapper().readTree(one.body()).get("id").asText();
      assertThat(post(s, a, "/exchange/v1/board/collections", null, body).status()).isEqualTo(201);
      RawHttp.Answer third = post(s, a, "/exchange/v1/board/collections", null, body);
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.head()).containsIgnoringCase("Retry-After");
      JsonNode p = Json.mapper().readTree(third.body());
      assertThat(p.get("limit").asText()).isEqualTo("maxCollectionsPerTenant");
      assertThat(post(s, b, "/exchange/v1/board/collections", null, body).status()).isEqualTo(201);

      clock.advance(Duration.ofMinutes(61));
      RawHttp.Answer gone = RawHttp.send(s.baseUrl(), "GET /exchange/v1/board/collections/" + id
          + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + a + "\r\nConnection: close\r\n\r\n");
      assertThat(gone.status()).isEqualTo(404);
      assertThat(post(s, a, "/exchange/v1/board/collections", null, body).status()).isEqualTo(201);
    }
  }

  @Test
  void oneTenantsSlowWebhookReceiversDoNotDelayAnotherTenantsWebhooks() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger fastReceived = new AtomicInteger();
    ExecutorService receivers = Executors.newCachedThreadPool();
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    HttpServer fast = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    slow.setExecutor(receivers);
    fast.setExecutor(receivers);
    slow.createContext("/", ex -> {
      try {
        release.await(60, TimeUnit.SECONDS); // never answers while the test runs
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    fast.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      fastReceived.incrementAndGet();
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    slow.start();
    fast.start();
    try (Sandbox s = Sandbox.builder().simulationRate(0).start()) {
      String a = s.tenant("hooks-slow").apiKey();
      String b = s.tenant("hooks-fast").apiKey();
      allowLoopbackWebhooks(s, a);
      allowLoopbackWebhooks(s, b);
      String slowHook = Json.mapper().readTree(post(s, a, "/exchange/v1/webhooks", null, "{\"url\":\"http://127.0.0.1:"
          + slow.getAddress().getPort() + "/hook\"}").body()).get("id").asText();
      String fastHook = Json.mapper().readTree(post(s, b, "/exchange/v1/webhooks", null, "{\"url\":\"http://127.0.0.1:"
          + fast.getAddress().getPort() + "/hook\"}").body()).get("id").asText();
      for (int i = 0; i < 10; i++) {
        assertThat(post(s, a, "/exchange/v1/webhooks/" + slowHook + "/ping", null, "{}").status()).isEqualTo(202);
      }
      assertThat(post(s, b, "/exchange/v1/webhooks/" + fastHook + "/ping", null, "{}").status()).isEqualTo(202);
      // the slow tenant's queue holds at least 10 x 3 attempts x 5 s; the other tenant's ping goes out at once
      await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(fastReceived.get()).isEqualTo(1));
    } finally {
      release.countDown();
      slow.stop(0);
      fast.stop(0);
      receivers.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ stored state per tenant

  private static RawHttp.Answer call(Sandbox s, String apiKey, String method, String path, String json)
      throws IOException {
    String body = json == null ? "" : json;
    return RawHttp.send(s.baseUrl(), method + " " + path + " HTTP/1.1\r\nHost: x\r\nX-Api-Key: " + apiKey + "\r\n"
        + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
  }

  private static JsonNode json(RawHttp.Answer a) throws IOException {
    return Json.mapper().readTree(a.body());
  }

  /** Asserts a 429 problem+json naming the limit, whose detail says what to do. */
  private static void assertLimited(RawHttp.Answer a, String limit) throws IOException {
    assertThat(a.status()).as(a.body()).isEqualTo(429);
    assertThat(a.head()).containsIgnoringCase("Content-Type: application/problem+json")
        .containsIgnoringCase("Retry-After");
    JsonNode p = json(a);
    assertThat(p.get("limit").asText()).isEqualTo(limit);
    assertThat(p.get("status").asInt()).isEqualTo(429);
    assertThat(p.get("detail").asText()).contains("--limit " + limit + "=");
  }

  private static int status(RawHttp.Answer a) {
    if (a.status() / 100 != 2) {
      System.err.println("non-2xx answer " + a.status() + " " + a.body());
    }
    return a.status();
  }

  @Test
  void twinEntitiesRelationshipsAndHistoryAreBoundedPerTenant() throws IOException {
    int seedEntities;
    int seedRelationships;
    try (Sandbox probe = Sandbox.builder().simulationRate(0).start()) {
      JsonNode stats = json(call(probe, probe.tenant("probe").apiKey(), "GET", "/twin/v1/stats", null));
      seedEntities = stats.get("entities").asInt();
      seedRelationships = stats.get("relationships").asInt();
    }
    assertThat(seedEntities).isPositive();
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder()
        .maxTwinEntitiesPerTenant(seedEntities + 2).maxTwinRelationshipsPerTenant(seedRelationships + 1)
        .twinHistoryPerTenant(3).build()).start()) {
      String a = s.tenant("twin-a").apiKey();
      String b = s.tenant("twin-b").apiKey();
      assertThat(status(call(s, a, "POST", "/twin/v1/entities", "{\"id\":\"cap-1\",\"type\":\"sensor\"}")))
          .isEqualTo(201);
      assertThat(status(call(s, a, "PUT", "/twin/v1/entities/cap-2", "{\"type\":\"sensor\"}"))).isEqualTo(201);
      assertLimited(call(s, a, "POST", "/twin/v1/entities", "{\"id\":\"cap-3\",\"type\":\"sensor\"}"),
          "maxTwinEntitiesPerTenant");
      assertLimited(call(s, a, "PUT", "/twin/v1/entities/cap-3", "{\"type\":\"sensor\"}"),
          "maxTwinEntitiesPerTenant");
      // a batch that would grow beyond the limit is refused as a whole
      assertLimited(call(s, a, "POST", "/twin/v1/batch", "{\"operations\":[{\"op\":\"upsert\",\"id\":\"cap-2\","
          + "\"entity\":{\"type\":\"sensor\",\"properties\":{\"n\":{\"value\":2}}}},{\"op\":\"upsert\","
          + "\"id\":\"cap-4\",\"entity\":{\"type\":\"sensor\"}}]}"), "maxTwinEntitiesPerTenant");
      assertThat(status(call(s, a, "GET", "/twin/v1/entities/cap-3", null))).isEqualTo(404);
      assertThat(status(call(s, a, "GET", "/twin/v1/entities/cap-4", null))).isEqualTo(404);
      assertThat(json(call(s, a, "GET", "/twin/v1/entities/cap-2", null)).get("version").asInt()).isEqualTo(1);
      assertThat(json(call(s, a, "GET", "/twin/v1/stats", null)).get("entities").asInt())
          .isEqualTo(seedEntities + 2);
      // updates of existing entities are never refused, and another tenant has its own room
      assertThat(status(call(s, a, "PUT", "/twin/v1/entities/cap-2", "{\"type\":\"sensor\",\"properties\":"
          + "{\"n\":{\"value\":1}}}"))).isEqualTo(200);
      assertThat(status(call(s, b, "POST", "/twin/v1/entities", "{\"id\":\"cap-3\",\"type\":\"sensor\"}")))
          .isEqualTo(201);

      // relationships
      String rel = json(call(s, a, "POST", "/twin/v1/relationships", "{\"type\":\"observes\",\"source\":\"cap-1\","
          + "\"target\":\"cap-2\"}")).get("id").asText();
      assertLimited(call(s, a, "POST", "/twin/v1/relationships", "{\"id\":\"cap-rel-2\",\"type\":\"observes\","
          + "\"source\":\"cap-2\",\"target\":\"cap-1\"}"), "maxTwinRelationshipsPerTenant");
      assertThat(status(call(s, a, "GET", "/twin/v1/relationships/cap-rel-2", null))).isEqualTo(404);
      assertThat(status(call(s, b, "POST", "/twin/v1/relationships", "{\"type\":\"observes\",\"source\":"
          + "\"cap-3\",\"target\":\"cap-3\"}"))).isEqualTo(201);
      assertThat(status(call(s, a, "DELETE", "/twin/v1/relationships/" + rel, null))).isEqualTo(204);
      assertThat(status(call(s, a, "POST", "/twin/v1/relationships", "{\"id\":\"cap-rel-2\",\"type\":\"observes\","
          + "\"source\":\"cap-2\",\"target\":\"cap-1\"}"))).isEqualTo(201);

      // deleting an entity frees room for another
      assertThat(status(call(s, a, "DELETE", "/twin/v1/entities/cap-1", null))).isEqualTo(204);
      assertThat(status(call(s, a, "POST", "/twin/v1/entities", "{\"id\":\"cap-3\",\"type\":\"sensor\"}")))
          .isEqualTo(201);

      // history retention: however many versions are written, at most 3 retired entries are kept, oldest forgotten
      for (int i = 2; i <= 7; i++) {
        assertThat(status(call(s, a, "PUT", "/twin/v1/entities/cap-2", "{\"type\":\"sensor\",\"properties\":"
            + "{\"n\":{\"value\":" + i + "}}}"))).isEqualTo(200);
      }
      assertThat(json(call(s, a, "GET", "/twin/v1/stats", null)).get("historyRetained").asInt()).isEqualTo(3);
      JsonNode history = json(call(s, a, "GET", "/twin/v1/entities/cap-2/history?property=n", null));
      java.util.List<Integer> versions = new java.util.ArrayList<>();
      history.get("values").forEach(v -> versions.add(v.get("version").asInt()));
      assertThat(versions).containsExactly(5, 6, 7, 8);
      assertThat(json(call(s, a, "GET", "/twin/v1/entities/cap-2", null)).get("version").asInt()).isEqualTo(8);
      assertThat(json(call(s, b, "GET", "/twin/v1/stats", null)).get("historyRetained").asInt()).isZero();
    }
  }

  private static final java.util.List<String> IOT_KINDS = java.util.List.of("Things", "Locations",
      "HistoricalLocations", "Datastreams", "MultiDatastreams", "Sensors", "ObservedProperties", "Observations",
      "FeaturesOfInterest");

  private static long iotEntities(Sandbox s, String apiKey) throws IOException {
    long n = 0;
    for (String kind : IOT_KINDS) {
      RawHttp.Answer a = call(s, apiKey, "GET", "/iot/v1.1/" + kind + "?$top=0&$count=true", null);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      n += json(a).get("@iot.count").asLong();
    }
    return n;
  }

  /** A Thing publishing to {@code feed}, with one Datastream; returns the Datastream's id. */
  private static long thingWithFeed(Sandbox s, String apiKey, String feed) throws IOException {
    RawHttp.Answer a = call(s, apiKey, "POST", "/iot/v1.1/Things", "{\"name\":\"t-" + feed + "\",\"description\":"
        + "\"x\",\"properties\":{\"feed\":\"" + feed + "\"},\"Locations\":[{\"name\":\"l\",\"description\":\"l\","
        + "\"encodingType\":\"application/vnd.geo+json\",\"location\":{\"type\":\"Point\",\"coordinates\":"
        + "[121.9,30.9]}}],\"Datastreams\":[{\"name\":\"ds\",\"description\":\"d\","
        + "\"unitOfMeasurement\":{\"name\":\"n\",\"symbol\":\"\",\"definition\":\"d\"},\"observationType\":"
        + "\"http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Observation\",\"Sensor\":{\"@iot.id\":1},"
        + "\"ObservedProperty\":{\"@iot.id\":1}}]}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    long thing = json(a).get("@iot.id").asLong();
    return json(call(s, apiKey, "GET", "/iot/v1.1/Things(" + thing + ")/Datastreams", null)).at("/value/0/@iot.id")
        .asLong();
  }

  @Test
  void sensorThingsEntitiesAreBoundedPerTenant() throws IOException {
    long seed;
    try (Sandbox probe = Sandbox.builder().simulationRate(0).start()) {
      seed = iotEntities(probe, probe.tenant("probe").apiKey());
    }
    assertThat(seed).isPositive();
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder()
        .maxIotEntitiesPerTenant((int) seed + 12).build()).start()) {
      String a = s.tenant("iot-a").apiKey();
      String b = s.tenant("iot-b").apiKey();
      long ds = thingWithFeed(s, a, "observations"); // a Thing and a Datastream
      // a dataArray larger than the room left is refused as a whole
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        rows.append(i == 0 ? "" : ",").append("[\"2026-05-01T08:00:").append(10 + i).append("Z\",").append(i)
            .append(']');
      }
      long before = iotEntities(s, a);
      assertLimited(call(s, a, "POST", "/iot/v1.1/CreateObservations", "[{\"Datastream\":{\"@iot.id\":" + ds
          + "},\"components\":[\"phenomenonTime\",\"result\"],\"dataArray\":[" + rows + "]}]"),
          "maxIotEntitiesPerTenant");
      assertThat(iotEntities(s, a)).isEqualTo(before);
      java.util.List<Long> created = new java.util.ArrayList<>();
      RawHttp.Answer last = null;
      for (int i = 0; i < 20; i++) {
        last = call(s, a, "POST", "/iot/v1.1/Datastreams(" + ds + ")/Observations", "{\"result\":" + i + "}");
        if (last.status() != 201) {
          break;
        }
        created.add(json(last).get("@iot.id").asLong());
      }
      assertThat(created).isNotEmpty();
      assertLimited(last, "maxIotEntitiesPerTenant");
      assertThat(iotEntities(s, a)).isLessThanOrEqualTo(seed + 12);
      // a deep insert that does not fit stores nothing of its tree
      long full = iotEntities(s, a);
      assertLimited(call(s, a, "POST", "/iot/v1.1/Things", "{\"name\":\"deep\",\"description\":\"x\","
          + "\"Locations\":[{\"name\":\"l\",\"description\":\"l\",\"encodingType\":\"application/vnd.geo+json\","
          + "\"location\":{\"type\":\"Point\",\"coordinates\":[121.9,30.9]}}]}"), "maxIotEntitiesPerTenant");
      assertThat(iotEntities(s, a)).isEqualTo(full);
      assertThat(json(call(s, a, "GET", "/iot/v1.1/Things?$filter=name%20eq%20'deep'&$count=true", null))
          .get("@iot.count").asInt()).isZero();
      // another tenant is unaffected
      assertThat(status(call(s, b, "POST", "/iot/v1.1/Datastreams(1)/Observations", "{\"result\":1}")))
          .isEqualTo(201);
      // deleting makes room again
      for (long id : created) {
        assertThat(status(call(s, a, "DELETE", "/iot/v1.1/Observations(" + id + ")", null))).isEqualTo(200);
      }
      assertThat(status(call(s, a, "POST", "/iot/v1.1/Datastreams(" + ds + ")/Observations", "{\"result\":1}")))
          .isEqualTo(201);
    }
  }

  @Test
  void feedsPerTenantAndEventsPerFeedAreBounded() throws IOException {
    // a tenant's built-in feeds (its twin change feed and the five programme feeds) count: room for one more
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder().maxFeedsPerTenant(7)
        .feedEventsPerFeed(3).build()).start()) {
      String a = s.tenant("feeds-a").apiKey();
      String b = s.tenant("feeds-b").apiKey();
      assertThat(status(call(s, a, "GET", "/feeds/v1", null))).isEqualTo(200); // creates its built-in feeds
      assertThat(s.context().feeds().ownedCount("feeds-a")).isEqualTo(6);
      long first = thingWithFeed(s, a, "first");
      long second = thingWithFeed(s, a, "second");
      assertThat(status(call(s, a, "POST", "/iot/v1.1/Datastreams(" + first + ")/Observations", "{\"result\":1}")))
          .isEqualTo(201);
      assertThat(s.context().feeds().ownedCount("feeds-a")).isEqualTo(7);
      // an observation that would create a third feed is refused, and not stored
      assertLimited(call(s, a, "POST", "/iot/v1.1/Datastreams(" + second + ")/Observations", "{\"result\":2}"),
          "maxFeedsPerTenant");
      assertThat(json(call(s, a, "GET", "/iot/v1.1/Datastreams(" + second + ")/Observations?$count=true", null))
          .get("@iot.count").asInt()).isZero();
      assertThat(s.context().feeds().ownedCount("feeds-a")).isEqualTo(7);
      assertThat(status(call(s, a, "GET", "/feeds/v1/second", null))).isEqualTo(404);
      // another tenant has its own room
      long other = thingWithFeed(s, b, "second");
      assertThat(status(call(s, b, "POST", "/iot/v1.1/Datastreams(" + other + ")/Observations", "{\"result\":3}")))
          .isEqualTo(201);
      // a sandbox-wide feed cannot be deleted, another tenant's feed is not found; deleting an own feed frees room
      assertThat(status(call(s, b, "DELETE", "/feeds/v1/first", null))).isEqualTo(404);
      assertThat(s.context().feeds().lastIdOwned("feeds-a", "first")).isEqualTo(1);
      assertThat(status(call(s, a, "DELETE", "/feeds/v1/first", null))).isEqualTo(204);
      assertThat(s.context().feeds().ownedCount("feeds-a")).isEqualTo(6);
      for (int i = 0; i < 5; i++) {
        assertThat(status(call(s, a, "POST", "/iot/v1.1/Datastreams(" + second + ")/Observations",
            "{\"result\":" + i + "}"))).isEqualTo(201);
      }
      // each feed keeps its newest feedEventsPerFeed events
      JsonNode listed = null;
      for (JsonNode f : json(call(s, a, "GET", "/feeds/v1", null)).get("feeds")) {
        if (f.get("name").asText().equals("second")) {
          listed = f;
        }
      }
      assertThat(listed).isNotNull();
      assertThat(listed.get("size").asInt()).isEqualTo(3);
      assertThat(listed.get("window").asInt()).isEqualTo(3);
      assertThat(listed.get("lastId").asInt()).isEqualTo(5);
    }
  }

  private static String finalizedOrder(Sandbox s, String apiKey, String offer) throws IOException {
    RawHttp.Answer o = call(s, apiKey, "POST", "/exchange/v1/orders", "{\"offerId\":\"" + offer + "\","
        + "\"intendedUse\":{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}");
    assertThat(o.status()).as(o.body()).isEqualTo(201);
    String id = json(o).get("id").asText();
    assertThat(status(call(s, apiKey, "GET", "/exchange/v1/orders/" + id + "/await?state=OFFERED&timeoutMs=5000",
        null))).isEqualTo(200);
    assertThat(status(call(s, apiKey, "POST", "/exchange/v1/orders/" + id + "/transitions",
        "{\"action\":\"agree\"}"))).isEqualTo(200);
    assertThat(json(call(s, apiKey, "GET", "/exchange/v1/orders/" + id + "/await?state=FINALIZED&timeoutMs=5000",
        null)).get("state").asText()).isEqualTo("FINALIZED");
    return id;
  }

  @Test
  void ordersDeliveriesAndWebhooksAreBoundedPerTenant() throws IOException {
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder().maxOrdersPerTenant(1)
        .maxDeliveriesPerTenant(1).maxWebhooksPerTenant(1).build()).start()) {
      String a = s.tenant("orders-a").apiKey();
      String b = s.tenant("orders-b").apiKey();
      for (String key : new String[] {a, b}) {
        assertThat(status(call(s, key, "PUT", "/exchange/v1/sandbox/settings", "{\"autoProgress\":true,"
            + "\"merchantDelayMs\":5,\"exchangeDelayMs\":5}"))).isEqualTo(200);
      }
      String offer = json(call(s, a, "GET", "/exchange/v1/offers", null)).at("/items/0/id").asText();
      String order = finalizedOrder(s, a, offer);
      String orderBody = "{\"offerId\":\"" + offer + "\",\"intendedUse\":{\"purpose\":\"research\","
          + "\"durationDays\":30,\"territory\":\"CN\"}}";
      assertLimited(call(s, a, "POST", "/exchange/v1/orders", orderBody), "maxOrdersPerTenant");
      assertThat(json(call(s, a, "GET", "/exchange/v1/orders", null)).get("items")).hasSize(1);
      // deliveries
      assertThat(status(call(s, a, "POST", "/exchange/v1/orders/" + order + "/deliveries", "{}"))).isEqualTo(201);
      assertLimited(call(s, a, "POST", "/exchange/v1/orders/" + order + "/deliveries", "{}"),
          "maxDeliveriesPerTenant");
      assertThat(json(call(s, a, "GET", "/exchange/v1/orders/" + order, null)).get("deliveryIds")).hasSize(1);
      // the other tenant has its own room
      String other = finalizedOrder(s, b, offer);
      assertThat(status(call(s, b, "POST", "/exchange/v1/orders/" + other + "/deliveries", "{}"))).isEqualTo(201);

      // webhooks: deleting one frees room
      String hook = json(call(s, a, "POST", "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/a\"}"))
          .get("id").asText();
      assertLimited(call(s, a, "POST", "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/b\"}"),
          "maxWebhooksPerTenant");
      assertThat(json(call(s, a, "GET", "/exchange/v1/webhooks", null)).get("items")).hasSize(1);
      assertThat(status(call(s, b, "POST", "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/c\"}")))
          .isEqualTo(201);
      assertThat(status(call(s, a, "DELETE", "/exchange/v1/webhooks/" + hook, null))).isEqualTo(204);
      assertThat(status(call(s, a, "POST", "/exchange/v1/webhooks", "{\"url\":\"https://hooks.example/b\"}")))
          .isEqualTo(201);
    }
  }

  @Test
  void boardClaimsAndTransfersAreBoundedPerTenantAndFreedWhenTheirCollectionExpires() throws IOException {
    TestClock clock = new TestClock();
    try (Sandbox s = Sandbox.builder().simulationRate(0).clock(clock).limits(SandboxLimits.builder()
        .maxBoardEventsPerTenant(2).collectionTtl(Duration.ofHours(1)).build()).start()) {
      String a = s.tenant("events-a").apiKey();
      String b = s.tenant("events-b").apiKey();
      String c = json(post(s, a, "/exchange/v1/board/collections", null, "{\"name\":\"caps\",\"supply\":10}"))
          .get("id").asText();
      String asset = json(call(s, a, "POST", "/exchange/v1/board/collections/" + c + "/claims",
          "{\"account\":\"alice\"}")).at("/asset/id").asText();
      assertThat(status(call(s, a, "POST", "/exchange/v1/board/transfers", "{\"assetId\":\"" + asset + "\","
          + "\"fromAccount\":\"alice\",\"toAccount\":\"bob\"}"))).isEqualTo(200);
      assertLimited(call(s, a, "POST", "/exchange/v1/board/transfers", "{\"assetId\":\"" + asset + "\","
          + "\"fromAccount\":\"bob\",\"toAccount\":\"alice\"}"), "maxBoardEventsPerTenant");
      assertLimited(call(s, a, "POST", "/exchange/v1/board/collections/" + c + "/claims",
          "{\"account\":\"carol\"}"), "maxBoardEventsPerTenant");
      JsonNode owned = json(call(s, a, "GET", "/exchange/v1/board/accounts/bob/assets", null));
      assertThat(owned.get("items")).hasSize(1); // the refused transfer changed nothing
      assertThat(json(call(s, a, "GET", "/exchange/v1/board/accounts/carol/assets", null)).get("items")).isEmpty();
      // another tenant is unaffected
      assertThat(status(call(s, b, "POST", "/exchange/v1/board/collections/shen-sheng-bu-xi/claims",
          "{\"account\":\"alice\"}"))).isBetween(200, 201);
      // once the collection expires, its claims and transfers no longer count
      clock.advance(Duration.ofMinutes(61));
      String next = json(post(s, a, "/exchange/v1/board/collections", null, "{\"name\":\"caps two\","
          + "\"supply\":10}")).get("id").asText();
      assertThat(status(call(s, a, "POST", "/exchange/v1/board/collections/" + next + "/claims",
          "{\"account\":\"carol\"}"))).isBetween(200, 201);
    }
  }

  @Test
  void theNumberOfTenantsIsBoundedAndRequestsNeverCreateTenants() throws IOException {
    try (Sandbox s = Sandbox.builder().simulationRate(0).limits(SandboxLimits.builder().maxTenants(2).build())
        .start()) {
      s.tenant("second");
      assertThat(s.tenant("second").apiKey()).isNotEmpty(); // an existing tenant is always returned
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.tenant("third"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxTenants")
          .hasMessageContaining("--limit maxTenants=");
      for (int i = 0; i < 5; i++) {
        RawHttp.Answer unknown = call(s, "sk_test_nobody_" + i, "GET", "/iot/v1.1/Things", null);
        assertThat(unknown.status()).isEqualTo(401);
      }
      assertThat(s.auth().tenantCount()).isEqualTo(2);
    }
    try (Sandbox s = Sandbox.builder().simulationRate(0).openMode(true).limits(SandboxLimits.builder()
        .maxTenants(1).build()).start()) {
      // open mode's requests all belong to one tenant, whatever they send
      RawHttp.Answer anonymous = RawHttp.send(s.baseUrl(), "GET /twin/v1/stats HTTP/1.1\r\nHost: x\r\n"
          + "Connection: close\r\n\r\n");
      assertThat(anonymous.status()).isEqualTo(200);
      assertThat(s.auth().tenantCount()).isEqualTo(1);
    }
  }
}
