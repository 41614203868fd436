package io.shudu.sandbox.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client references at the HTTP level: a repeat answers 200 with Client-Reference-Replayed whatever its key and
 * member order, a different request is 409 naming the first, racing creates make one thing, bad references are 400,
 * references are per tenant, and orders can be listed by reference.
 */
class ClientReferenceSandboxTest {
  static Sandbox sandbox;
  static ApiClient api;
  static ApiClient other;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    api = new ApiClient(sandbox.tenant("refs").clientConfig(), "exchange-test");
    other = new ApiClient(sandbox.tenant("refs-other").clientConfig(), "exchange-test");
    api.call(ApiRequest.builder("t", "PUT", "/exchange/v1/sandbox/settings").json(Map.of("autoProgress", false))
        .build(), JsonNode.class);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static ApiResponse postRaw(ApiClient client, String path, String json) {
    return client.execute(ApiRequest.builder("t", "POST", path)
        .body(json.getBytes(StandardCharsets.UTF_8), "application/json").build());
  }

  @Test
  void aRepeatedCreateAnswersTheFirstOrderWhateverItsKeyOrMemberOrder() {
    ApiResponse first = postRaw(api, "/exchange/v1/orders", "{\"offerId\":\"of-metro-flow\",\"clientReference\":"
        + "\"po-1\",\"intendedUse\":{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}");
    ApiResponse again = postRaw(api, "/exchange/v1/orders", "{\"intendedUse\":{\"territory\":\"CN\","
        + "\"durationDays\":30,\"purpose\":\"research\"},\"clientReference\":\"po-1\",\"offerId\":\"of-metro-flow\"}");
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Client-Reference-Replayed")).isEqualTo("true");
    String id = first.json(JsonNode.class).get("id").asText();
    assertThat(again.json(JsonNode.class).get("id").asText()).isEqualTo(id);
    assertThat(again.json(JsonNode.class).get("clientReference").asText()).isEqualTo("po-1");

    ConflictException c = catchThrowableOfType(ConflictException.class, () -> postRaw(api, "/exchange/v1/orders",
        "{\"offerId\":\"of-metro-flow\",\"clientReference\":\"po-1\",\"intendedUse\":{\"purpose\":\"research\","
            + "\"durationDays\":7,\"territory\":\"CN\"}}"));
    assertThat(c.code()).contains("client_reference_conflict");
    assertThat(c.extensions()).containsEntry("existingId", id);

    JsonNode listed = api.call(ApiRequest.builder("t", "GET", "/exchange/v1/orders").query("clientReference", "po-1")
        .build(), JsonNode.class);
    assertThat(listed.get("items")).hasSize(1);
    assertThat(listed.get("items").get(0).get("id").asText()).isEqualTo(id);
  }

  @Test
  void racingCreatesWithOneReferenceMakeOneOrder() {
    List<CompletableFuture<ApiResponse>> racing = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      racing.add(api.executeAsync(ApiRequest.builder("t", "POST", "/exchange/v1/orders").json(Map.of("offerId",
          "of-metro-flow", "clientReference", "po-race", "intendedUse", Map.of("purpose", "research",
              "durationDays", 30, "territory", "CN"))).build()));
    }
    List<String> ids = racing.stream().map(f -> f.join().json(JsonNode.class).get("id").asText()).distinct().toList();
    assertThat(ids).hasSize(1);
    assertThat(racing.stream().filter(f -> f.join().status() == 201).count()).isEqualTo(1);
    assertThat(api.call(ApiRequest.builder("t", "GET", "/exchange/v1/orders").query("clientReference", "po-race")
        .build(), JsonNode.class).get("items")).hasSize(1);
  }

  @Test
  void referencesArePerTenantAndValidated() {
    String body = "{\"offerId\":\"of-metro-flow\",\"clientReference\":\"po-shared\",\"intendedUse\":"
        + "{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}";
    String mine = postRaw(api, "/exchange/v1/orders", body).json(JsonNode.class).get("id").asText();
    ApiResponse theirs = postRaw(other, "/exchange/v1/orders", body);
    assertThat(theirs.status()).isEqualTo(201);
    assertThat(theirs.json(JsonNode.class).get("id").asText()).isNotEqualTo(mine);

    BadRequestException bad = catchThrowableOfType(BadRequestException.class, () -> postRaw(api,
        "/exchange/v1/orders", "{\"offerId\":\"of-metro-flow\",\"clientReference\":\"has space\",\"intendedUse\":"
            + "{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}"));
    assertThat(bad.getMessage()).contains("clientReference");
    catchThrowableOfType(BadRequestException.class, () -> postRaw(api, "/exchange/v1/orders",
        "{\"offerId\":\"of-metro-flow\",\"clientReference\":42,\"intendedUse\":{\"purpose\":\"research\"}}"));
  }

  @Test
  void aFailedCreateLeavesTheReferenceFree() {
    catchThrowableOfType(RuntimeException.class, () -> postRaw(api, "/exchange/v1/orders",
        "{\"offerId\":\"of-nope\",\"clientReference\":\"po-free\",\"intendedUse\":{\"purpose\":\"research\","
            + "\"durationDays\":30,\"territory\":\"CN\"}}"));
    ApiResponse ok = postRaw(api, "/exchange/v1/orders", "{\"offerId\":\"of-metro-flow\",\"clientReference\":"
        + "\"po-free\",\"intendedUse\":{\"purpose\":\"research\",\"durationDays\":30,\"territory\":\"CN\"}}");
    assertThat(ok.status()).isEqualTo(201);
  }
}
