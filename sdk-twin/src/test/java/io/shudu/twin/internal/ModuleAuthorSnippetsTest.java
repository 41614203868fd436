package io.shudu.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import io.shudu.core.internal.FeedClient;
import io.shudu.sandbox.Sandbox;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.twin.TwinClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The code of the pages written for SDK module authors (docs/api/feeds.md, docs/architecture.md), which use sdk-core's
 * NOT-API internal package: it lives here, in a module that io.shudu.core exports that package to, and not in
 * {@code examples}, which uses only the public API.
 */
class ModuleAuthorSnippetsTest {
  @Test
  void theModuleAuthorsExampleSubscribesThroughAnApiClient() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    try (Sandbox sandbox = Sandbox.start();
        TwinClient twin = TwinClient.create(sandbox.clientConfig())) {
      ClientConfig config = sandbox.clientConfig();
      // snippet:start module-author
      ApiClient api = new ApiClient(config, "twin");   // the service client's credentials, User-Agent and transport
      FeedSubscription sub = FeedClient.subscribe(api, twin.changes().feedName(), List.of(), JsonNode.class,
          FeedOptions.defaults(), event -> out.println(event.id() + " " + event.payload()));
      // FeedClient.subscribe also has an overload taking a Jackson TypeReference<T> for generic payload types
      // snippet:end module-author
      try (sub) {
        assertThat(sub.awaitConnected(Duration.ofSeconds(20))).isTrue();
        twin.entities().create(Entity.builder("module-author-1", EntityType.SENSOR).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> sub.delivered() >= 1);
      }
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).contains("module-author-1").contains("entity.created");
  }

  /** What {@link #transportPath} got through the one transport path. */
  record TransportPath(Entity entity, Entity async, int status, String etag, List<JsonNode> firstPage) {}

  @Test
  void theArchitecturePageCallsGoThroughTheOneTransportPath() throws Exception {
    try (Sandbox sandbox = Sandbox.start()) {
      TransportPath p = transportPath(sandbox.clientConfig(), "lg-bldg-0001");
      assertThat(p.entity().id()).isEqualTo("lg-bldg-0001");
      assertThat(p.async().id()).isEqualTo("lg-bldg-0001");
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.etag()).isNotBlank();
      assertThat(p.firstPage()).hasSize(20).allSatisfy(e -> assertThat(e.get("id").asText()).isNotBlank());
    }
  }

  private static TransportPath transportPath(ClientConfig config, String id) throws Exception {
    RequestOptions options = RequestOptions.builder().timeout(Duration.ofSeconds(10)).build();
    // snippet:start transport-path
    ApiClient api = new ApiClient(config, "twin");
    ApiRequest get = ApiRequest.builder("twin.entities.get", "GET", "/twin/v1/entities/{}", id)
        .options(options).build();
    Entity e = api.call(get, Entity.class);
    CompletableFuture<Entity> f = api.callAsync(get, Entity.class);
    ApiResponse raw = api.execute(get);              // status, headers (ETag), body
    PagedIterable<JsonNode> all = api.paginate(20, (token, limit) -> ApiRequest.builder("twin.entities.query",
        "GET", "/twin/v1/entities").query("limit", limit).query("cursor", token).build(), response -> {
          JsonNode page = response.json(JsonNode.class);
          List<JsonNode> items = new ArrayList<>();
          page.get("items").forEach(items::add);
          return new Page<>(items, page.path("continuationToken").asText(null));
        });
    // snippet:end transport-path
    return new TransportPath(e, f.get(), raw.status(), raw.etag(), all.stream().limit(20).toList());
  }
}
