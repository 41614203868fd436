package io.shudu.sandbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.ServiceException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.sandbox.Sandbox;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sandbox exchange service at the HTTP level: Range semantics, deterministic content, problems for bad input. */
class ExchangeServiceTest {
  static Sandbox sandbox;
  static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    api = new ApiClient(sandbox.tenant("raw").clientConfig(), "exchange-test");
    put("/exchange/v1/sandbox/settings", Map.of("autoProgress", true, "merchantDelayMs", 0, "exchangeDelayMs", 0));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static JsonNode post(String path, Object body) {
    return api.call(ApiRequest.builder("t", "POST", path).json(body).build(), JsonNode.class);
  }

  static JsonNode put(String path, Object body) {
    return api.call(ApiRequest.builder("t", "PUT", path).json(body).build(), JsonNode.class);
  }

  static JsonNode get(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    ApiRequest.Builder b = ApiRequest.builder("t", "GET", q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    if (q >= 0) {
      for (String kv : pathAndQuery.substring(q + 1).split("&")) {
        String[] p = kv.split("=", 2);
        b.query(java.net.URLDecoder.decode(p[0], java.nio.charset.StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(p[1], java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return api.call(b.build(), JsonNode.class);
  }

  static JsonNode startedDelivery(String offerId, String purpose) {
    JsonNode o = post("/exchange/v1/orders", Map.of("offerId", offerId, "intendedUse", Map.of("purpose", purpose,
        "durationDays", 30, "territory", "CN")));
    String id = o.get("id").asText();
    get("/exchange/v1/orders/" + id + "/await?state=OFFERED&timeoutMs=5000");
    post("/exchange/v1/orders/" + id + "/transitions", Map.of("action", "agree"));
    assertThat(get("/exchange/v1/orders/" + id + "/await?state=FINALIZED&timeoutMs=5000").get("state").asText())
        .isEqualTo("FINALIZED");
    JsonNode d = post("/exchange/v1/orders/" + id + "/deliveries", Map.of());
    return get("/exchange/v1/deliveries/" + d.get("id").asText() + "/await?state=STARTED&timeoutMs=5000");
  }

  static byte[] content(String deliveryId, String range, String ifRange) throws Exception {
    ApiRequest.Builder b = ApiRequest.builder("t", "GET", "/exchange/v1/deliveries/{}/content", deliveryId).streaming();
    b.header("Range", range).header("If-Range", ifRange);
    try (ApiResponse r = api.execute(b.build())) {
      byte[] body = r.stream().readAllBytes();
      if (range != null && (ifRange == null || ifRange.equals(r.etag()))) {
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).endsWith("/" + get("/exchange/v1/deliveries/" + deliveryId)
            .get("sizeBytes").asLong());
      } else {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
      }
      return body;
    }
  }

  @Test
  void servesRangesThatMatchTheManifest() throws Exception {
    JsonNode d = startedDelivery("of-compliance-kit", "compliance");
    String id = d.get("id").asText();
    long size = d.get("sizeBytes").asLong();
    byte[] all = content(id, null, null);
    assertThat(all.length).isEqualTo(size);
    JsonNode manifest = get("/exchange/v1/deliveries/" + id + "/manifest");
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update((byte) 0);
    md.update(all, 0, Math.min(all.length, 1024 * 1024));
    assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(manifest.get("chunkHashes").get(0).asText());

    byte[] tail = content(id, "bytes=1000-", null);
    assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(all, 1000, all.length));
    byte[] middle = content(id, "bytes=5-9", null);
    assertThat(middle).isEqualTo(java.util.Arrays.copyOfRange(all, 5, 10));
    byte[] suffix = content(id, "bytes=-4", null);
    assertThat(suffix).isEqualTo(java.util.Arrays.copyOfRange(all, all.length - 4, all.length));
    // If-Range with a stale validator sends the whole content again
    assertThat(content(id, "bytes=1000-", "\"stale\"")).isEqualTo(all);
    String etag = "\"" + manifest.get("root").asText() + "\"";
    assertThat(content(id, "bytes=1000-", etag)).isEqualTo(tail);

    assertThatThrownBy(() -> content(id, "bytes=" + size + "-", null))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.status()).isEqualTo(416);
          assertThat(e.getMessage()).contains("has " + size + " bytes");
        });
    assertThatThrownBy(() -> content(id, "items=1-2", null)).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.status()).isEqualTo(416));
  }

  @Test
  void contentIsDeterministicPerSeed() throws Exception {
    String a = startedDelivery("of-quality-report", "research").get("merkleRoot").asText();
    String b = startedDelivery("of-quality-report", "research").get("merkleRoot").asText();
    assertThat(a).isEqualTo(b).hasSize(64);
    try (Sandbox other = Sandbox.builder().seed(7).simulationRate(0).start()) {
      ApiClient o = new ApiClient(other.clientConfig(), "exchange-test");
      JsonNode order = o.call(ApiRequest.builder("t", "POST", "/exchange/v1/orders").json(Map.of("offerId",
          "of-quality-report", "intendedUse", Map.of("purpose", "research", "durationDays", 30, "territory", "CN")))
          .build(), JsonNode.class);
      assertThat(order.get("state").asText()).isEqualTo("REQUESTED");
    }
  }

  @Test
  void badInputIsA4xxProblemNeverA500() {
    assertThatThrownBy(() -> post("/exchange/v1/orders", Map.of("intendedUse", Map.of())))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("offerId"));
    assertThatThrownBy(() -> post("/exchange/v1/orders", Map.of("offerId", "of-metro-flow",
        "intendedUse", Map.of("purpose", "research", "durationDays", 0, "territory", "CN"))))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.getMessage()).contains("durationDays");
          assertThat(e.errors()).extracting(ServiceException.FieldError::field).containsExactly("durationDays");
        });
    assertThatThrownBy(() -> post("/exchange/v1/offers/of-metro-flow/dry-run", Map.of("purpose", "research",
        "durationDays", 10, "territory", "CN", "redistribution", "SELL")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("redistribution");
    assertThatThrownBy(() -> get("/exchange/v1/products?limit=500")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> get("/exchange/v1/products?crossBorder=maybe")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("crossBorder");
    assertThatThrownBy(() -> get("/exchange/v1/products?q=%21%21")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("searchable");
    assertThatThrownBy(() -> post("/exchange/v1/board/collections/shen-sheng-bu-xi/claims", Map.of()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("account");
    assertThatThrownBy(() -> post("/exchange/v1/board/transfers", Map.of("assetId", "shen-sheng-bu-xi-1",
        "fromAccount", "a", "toAccount", "a"))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("toAccount");
    assertThatThrownBy(() -> post("/exchange/v1/board/collections", Map.of("name", "x", "supply", 10_001)))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("supply");
    assertThatThrownBy(() -> post("/exchange/v1/webhooks", Map.of("url", "not a url")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> post("/exchange/v1/sandbox/delivery-faults", Map.of("deliveryId", "nope")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("deliveryId");
    assertThatThrownBy(() -> get("/exchange/v1/orders?state=DONE")).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("FINALIZED");
    assertThatThrownBy(() -> get("/exchange/v1/orders/nope/await?state=SOMETHING"))
        .isInstanceOf(io.shudu.core.NotFoundException.class);
  }

  @Test
  void transitionsAreCheckedAndOrdersStayPerTenant() throws Exception {
    put("/exchange/v1/sandbox/settings", Map.of("autoProgress", false));
    try {
      JsonNode o = post("/exchange/v1/orders", Map.of("offerId", "of-poi", "intendedUse", Map.of("purpose",
          "commercial", "durationDays", 30, "territory", "CN")));
      String id = o.get("id").asText();
      assertThat(o.get("waitingOn").asText()).isEqualTo("merchant");
      assertThatThrownBy(() -> post("/exchange/v1/orders/" + id + "/transitions", Map.of("action", "agree")))
          .isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.code()).contains("invalid_transition");
            assertThat(e.getMessage()).contains("offer (merchant) -> OFFERED");
            assertThat(e.extensions()).containsKey("allowedActions");
          });
      assertThatThrownBy(() -> post("/exchange/v1/orders/" + id + "/transitions", Map.of("action", "terminate",
          "actor", "exchange"))).isInstanceOf(BadRequestException.class).hasMessageContaining("actor is not accepted");
      ApiClient stranger = new ApiClient(sandbox.tenant("stranger").clientConfig(), "exchange-test");
      assertThatThrownBy(() -> stranger.call(ApiRequest.builder("t", "GET", "/exchange/v1/orders/{}", id).build(),
          JsonNode.class)).isInstanceOf(io.shudu.core.NotFoundException.class);
      assertThat(get("/exchange/v1/orders/" + id + "/audit").get("events").size()).isEqualTo(1);
    } finally {
      put("/exchange/v1/sandbox/settings", Map.of("autoProgress", true));
    }
  }
}
