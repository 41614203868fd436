package io.shudu.sandbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook targets: loopback, private and link-local addresses are refused (400 problem+json at registration, and at
 * delivery) unless the tenant's sandbox settings allow them, and redirects are never followed.
 */
class WebhookTargetsTest {
  static final OkHttpClient HTTP = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
  Sandbox sandbox;
  MockWebServer receiver;
  MockWebServer elsewhere;

  /** A complete answer. */
  record Answer(int status, String contentType, JsonNode json) {}

  @BeforeEach
  void start() throws IOException {
    sandbox = Sandbox.builder().simulationRate(0).start();
    receiver = new MockWebServer();
    receiver.start();
    elsewhere = new MockWebServer();
    elsewhere.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
    elsewhere.close();
    sandbox.close();
  }

  Answer call(String tenant, String method, String path, Object body) throws IOException {
    Request.Builder b = new Request.Builder().url(sandbox.baseUrl() + path)
        .header("X-Api-Key", sandbox.tenant(tenant).apiKey());
    b.method(method, body == null ? null : RequestBody.create(Json.mapper().writeValueAsBytes(body),
        MediaType.get("application/json")));
    try (okhttp3.Response r = HTTP.newCall(b.build()).execute()) {
      String text = r.body().string();
      return new Answer(r.code(), r.header("Content-Type"), text.isEmpty() ? null : Json.mapper().readTree(text));
    }
  }

  Answer register(String tenant, String url) throws IOException {
    return call(tenant, "POST", "/exchange/v1/webhooks", Map.of("url", url, "events", List.of("ping")));
  }

  void allowPrivate(String tenant, boolean allow) throws IOException {
    Answer a = call(tenant, "PUT", "/exchange/v1/sandbox/settings", Map.of("allowPrivateWebhookTargets", allow));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("allowPrivateWebhookTargets").asBoolean()).isEqualTo(allow);
  }

  /** Pings a webhook and waits (with a deadline) until its delivery is logged, all attempts done. */
  JsonNode pingAndAwaitLog(String tenant, String id) throws IOException {
    Answer ping = call(tenant, "POST", "/exchange/v1/webhooks/" + id + "/ping", Map.of());
    assertThat(ping.status()).isEqualTo(202);
    String eventId = ping.json().get("eventId").asText();
    AtomicReference<JsonNode> logged = new AtomicReference<>();
    Awaitility.await("a logged delivery of " + eventId).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20)).until(() -> {
          for (JsonNode d : call(tenant, "GET", "/exchange/v1/webhooks/" + id, null).json().get("deliveries")) {
            if (d.get("eventId").asText().equals(eventId)) {
              logged.set(d);
              return true;
            }
          }
          return false;
        });
    return logged.get();
  }

  @Test
  void loopbackPrivateAndLinkLocalTargetsAreRefusedByDefault() throws Exception {
    for (String url : List.of("http://127.0.0.1:9/hooks", "http://127.1.2.3/hooks", "http://localhost/hooks",
        "http://[::1]/hooks", "http://0.0.0.0/hooks", "http://10.0.0.8/hooks", "http://172.16.5.4/hooks",
        "http://192.168.1.1/hooks", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/hooks",
        "http://[fe80::1]/hooks", "http://[fc00::1]/hooks", "http://[fd12:3456::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks", "http://[::127.0.0.1]/hooks", "http://[64:ff9b::10.0.0.1]/hooks",
        "http://[2002:c0a8:0101::1]/hooks", "http://224.0.0.1/hooks", "http://255.255.255.255/hooks")) {
      Answer a = register("strict", url);
      assertThat(a.status()).as(url).isEqualTo(400);
      assertThat(a.contentType()).isEqualTo("application/problem+json");
      assertThat(a.json().get("detail").asText()).as(url).contains("allowPrivateWebhookTargets");
      assertThat(a.json().get("setting").asText()).isEqualTo("allowPrivateWebhookTargets");
    }
    assertThat(call("strict", "GET", "/exchange/v1/webhooks", null).json().get("items")).isEmpty();
    // public addresses, and names that cannot be resolved now (checked again at each delivery), are accepted
    assertThat(register("strict", "https://93.184.215.14/hooks").status()).isEqualTo(201);
    assertThat(register("strict", "https://partner.invalid/hooks").status()).isEqualTo(201);
    // the setting must be a boolean
    assertThat(call("strict", "PUT", "/exchange/v1/sandbox/settings", Map.of("allowPrivateWebhookTargets", "yes"))
        .status()).isEqualTo(400);
    // another tenant's setting does not apply
    allowPrivate("lenient", true);
    assertThat(register("strict", "http://127.0.0.1:9/hooks").status()).isEqualTo(400);
    assertThat(register("lenient", "http://127.0.0.1:9/hooks").status()).isEqualTo(201);
  }

  @Test
  void allowedPrivateTargetsAreDeliveredAndRefusedAgainOnceTheSettingIsOff() throws Exception {
    receiver.enqueue(new MockResponse.Builder().code(204).build());
    allowPrivate("local", true);
    String url = "http://localhost:" + receiver.getPort() + "/hooks";
    Answer reg = register("local", url);
    assertThat(reg.status()).isEqualTo(201);
    String id = reg.json().get("id").asText();
    JsonNode delivered = pingAndAwaitLog("local", id);
    assertThat(delivered.get("delivered").asBoolean()).isTrue();
    RecordedRequest got = receiver.takeRequest(10, TimeUnit.SECONDS);
    assertThat(got).isNotNull();
    assertThat(got.getHeaders().get("Shudu-Event-Id")).isEqualTo(delivered.get("eventId").asText());

    // the tenant turns the setting off: the registered loopback target is refused at delivery, nothing is sent
    allowPrivate("local", false);
    JsonNode refused = pingAndAwaitLog("local", id);
    assertThat(refused.get("delivered").asBoolean()).isFalse();
    assertThat(refused.get("lastError").asText()).contains("refused").contains("loopback");
    assertThat(receiver.getRequestCount()).isEqualTo(1);
  }

  @Test
  void redirectsAreNeverFollowed() throws Exception {
    for (int i = 0; i < 3; i++) {
      receiver.enqueue(new MockResponse.Builder().code(307)
          .setHeader("Location", "http://127.0.0.1:" + elsewhere.getPort() + "/stolen").build());
    }
    allowPrivate("redirected", true);
    Answer reg = register("redirected", "http://127.0.0.1:" + receiver.getPort() + "/hooks");
    assertThat(reg.status()).isEqualTo(201);
    JsonNode log = pingAndAwaitLog("redirected", reg.json().get("id").asText());
    assertThat(log.get("delivered").asBoolean()).isFalse();
    assertThat(log.get("status").asInt()).isEqualTo(307);
    assertThat(receiver.getRequestCount()).isEqualTo(3);
    assertThat(elsewhere.getRequestCount()).isZero();
  }
}
