package io.shudu.sandbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.BadRequestException;
import io.shudu.core.NotFoundException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exchange's listings page with an opaque cursor, and its mutable resources (orders, deliveries, webhooks,
 * settings) answer ETags and refuse a stale If-Match with 412, at the HTTP level (another tenant's resources stay
 * 404).
 */
class ExchangePagingEtagTest {
  static Sandbox sandbox;
  static ApiClient api;
  static ApiClient other;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    api = new ApiClient(sandbox.tenant("paging").clientConfig(), "exchange-test");
    other = new ApiClient(sandbox.tenant("paging-other").clientConfig(), "exchange-test");
    call(api, "PUT", "/exchange/v1/sandbox/settings", Map.of("autoProgress", false), null);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  record Answer(JsonNode body, String etag) {}

  static Answer call(ApiClient client, String method, String path, Object body, String ifMatch) {
    ApiRequest.Builder b = ApiRequest.builder("t", method, path).header("If-Match", ifMatch);
    if (body != null) {
      b.json(body);
    }
    try (ApiResponse r = client.execute(b.build())) {
      return new Answer(r.body().length == 0 ? null : r.json(JsonNode.class), r.etag());
    }
  }

  static List<String> walk(String path, int limit) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      ApiRequest.Builder b = ApiRequest.builder("t", "GET", path).query("limit", limit).query("cursor", cursor);
      JsonNode page = api.call(b.build(), JsonNode.class);
      assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
      page.get("items").forEach(i -> ids.add(i.get("id").asText()));
      cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
      pages++;
    } while (cursor != null);
    assertThat(pages).isGreaterThanOrEqualTo(ids.size() / limit);
    return ids;
  }

  static List<String> all(String path) {
    List<String> ids = new ArrayList<>();
    api.call(ApiRequest.builder("t", "GET", path).query("limit", 1000).build(), JsonNode.class).get("items")
        .forEach(i -> ids.add(i.get("id").asText()));
    return ids;
  }

  @Test
  void everyListingPagesWithAnOpaqueCursor() {
    for (int i = 0; i < 3; i++) {
      call(api, "POST", "/exchange/v1/webhooks", Map.of("url", "https://partner.example/h" + i), null);
      call(api, "POST", "/exchange/v1/board/collections", Map.of("name", "pg-" + i, "supply", 2, "seed", i), null);
    }
    String order = call(api, "POST", "/exchange/v1/orders", Map.of("offerId", "of-metro-flow", "intendedUse",
        Map.of("purpose", "research", "durationDays", 30, "territory", "CN")), null).body().get("id").asText();
    for (String a : List.of("offer", "agree", "verify", "finalize")) {
      call(api, "POST", "/exchange/v1/orders/" + order + "/transitions", Map.of("action", a), null);
    }
    for (int i = 0; i < 3; i++) {
      call(api, "POST", "/exchange/v1/orders/" + order + "/deliveries", Map.of(), null);
    }
    for (String c : all("/exchange/v1/board/collections")) {
      call(api, "POST", "/exchange/v1/board/collections/" + c + "/claims", Map.of("account", "walker"), null);
    }
    for (String path : List.of("/exchange/v1/merchants", "/exchange/v1/offers", "/exchange/v1/webhooks",
        "/exchange/v1/board/collections", "/exchange/v1/orders/" + order + "/deliveries",
        "/exchange/v1/board/accounts/walker/assets")) {
      List<String> everything = all(path);
      assertThat(everything).as(path).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
      assertThat(walk(path, 2)).as(path + " page by page").containsExactlyElementsOf(everything);
      assertThatThrownBy(() -> api.call(ApiRequest.builder("t", "GET", path).query("cursor", "garbage!").build(),
          JsonNode.class)).as(path).isInstanceOf(BadRequestException.class);
    }
    assertThatThrownBy(() -> other.call(ApiRequest.builder("t", "GET", "/exchange/v1/orders/{}/deliveries", order)
        .build(), JsonNode.class)).isInstanceOf(NotFoundException.class);
    assertThat(other.call(ApiRequest.builder("t", "GET", "/exchange/v1/webhooks").build(), JsonNode.class)
        .get("items")).isEmpty();
  }

  @Test
  void aStaleIfMatchIsRefusedAndChangesNothing() {
    Answer created = call(api, "POST", "/exchange/v1/orders", Map.of("offerId", "of-metro-flow", "intendedUse",
        Map.of("purpose", "research", "durationDays", 30, "territory", "CN")), null);
    String id = created.body().get("id").asText();
    String v1 = created.etag();
    assertThat(v1).isNotNull().isEqualTo(call(api, "GET", "/exchange/v1/orders/" + id, null, null).etag());
    Answer offered = call(api, "POST", "/exchange/v1/orders/" + id + "/transitions", Map.of("action", "offer"), v1);
    assertThat(offered.etag()).isNotEqualTo(v1);
    assertThatThrownBy(() -> call(api, "POST", "/exchange/v1/orders/" + id + "/transitions",
        Map.of("action", "terminate"), v1)).isInstanceOfSatisfying(PreconditionFailedException.class,
            e -> assertThat(e.getMessage()).contains(offered.etag()));
    assertThat(call(api, "GET", "/exchange/v1/orders/" + id, null, null).body().get("state").asText())
        .isEqualTo("OFFERED");
    assertThat(call(api, "POST", "/exchange/v1/orders/" + id + "/transitions", Map.of("action", "agree"),
        offered.etag()).body().get("state").asText()).isEqualTo("AGREED");
    // another tenant cannot learn anything from an order's ETag: it is 404 before any precondition
    assertThatThrownBy(() -> call(other, "POST", "/exchange/v1/orders/" + id + "/transitions",
        Map.of("action", "terminate"), "\"x\"")).isInstanceOf(NotFoundException.class);

    Answer w = call(api, "POST", "/exchange/v1/webhooks", Map.of("url", "https://partner.example/etag"), null);
    String wid = w.body().get("id").asText();
    String wtag = call(api, "GET", "/exchange/v1/webhooks/" + wid, null, null).etag();
    assertThat(wtag).isNotNull();
    assertThatThrownBy(() -> call(api, "DELETE", "/exchange/v1/webhooks/" + wid, null, "\"stale\""))
        .isInstanceOf(PreconditionFailedException.class);
    call(api, "DELETE", "/exchange/v1/webhooks/" + wid, null, wtag);
    assertThatThrownBy(() -> call(api, "GET", "/exchange/v1/webhooks/" + wid, null, null))
        .isInstanceOf(NotFoundException.class);

    String s1 = call(api, "GET", "/exchange/v1/sandbox/settings", null, null).etag();
    Answer changed = call(api, "PUT", "/exchange/v1/sandbox/settings", Map.of("merchantDelayMs", 7), s1);
    assertThat(changed.etag()).isNotEqualTo(s1);
    assertThatThrownBy(() -> call(api, "PUT", "/exchange/v1/sandbox/settings", Map.of("merchantDelayMs", 8), s1))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(call(api, "GET", "/exchange/v1/sandbox/settings", null, null).body().get("merchantDelayMs").asLong())
        .isEqualTo(7);
  }
}
