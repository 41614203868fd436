package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PagedIterable over ApiClient.paginate against a scripted cursor-paginated listing of 23 items. */
class PaginationTest {
  private static final int TOTAL = 23;

  private MockWebServer server;
  private ApiClient api;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile String failOnCursor;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        String cursor = r.getUrl().queryParameter("cursor");
        int limit = Integer.parseInt(r.getUrl().queryParameter("limit"));
        requests.add((cursor == null ? "-" : cursor) + "/" + limit);
        if (cursor != null && cursor.equals(failOnCursor)) {
          return new MockResponse.Builder().code(400).addHeader("Content-Type", "application/problem+json")
              .body("{\"title\":\"Invalid cursor\",\"code\":\"invalid_cursor\"}").build();
        }
        int from = cursor == null ? 1 : Integer.parseInt(cursor.substring(1));
        int to = Math.min(TOTAL, from + limit - 1);
        String items = java.util.stream.IntStream.rangeClosed(from, to).mapToObj(i -> "\"item-" + i + "\"")
            .collect(Collectors.joining(","));
        String next = to < TOTAL ? "\"c" + (to + 1) + "\"" : "null";
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .body("{\"items\":[" + items + "],\"next\":" + next + "}").build();
      }
    });
    server.start();
    api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString())
        .credentials(Credentials.apiKey("k")).retryPolicy(RetryPolicy.none()).build(), "test");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private PagedIterable<String> listing(int pageSize) {
    return api.paginate(pageSize,
        (token, limit) -> ApiRequest.builder("test.list", "GET", "/items").query("cursor", token).query("limit", limit)
            .build(),
        response -> {
          JsonNode doc = response.json(JsonNode.class);
          List<String> items = new ArrayList<>();
          doc.get("items").forEach(n -> items.add(n.asText()));
          return new Page<>(items, doc.get("next").isNull() ? null : doc.get("next").asText());
        });
  }

  @Test
  void pagesAreFetchedLazily() {
    PagedIterable<String> all = listing(5);
    assertThat(requests).isEmpty();
    Iterator<String> it = all.iterator();
    assertThat(requests).isEmpty();
    assertThat(it.next()).isEqualTo("item-1");
    assertThat(requests).containsExactly("-/5");
    for (int i = 0; i < 4; i++) {
      it.next();
    }
    assertThat(requests).hasSize(1);
    assertThat(it.next()).isEqualTo("item-6");
    assertThat(requests).containsExactly("-/5", "c6/5");
    assertThat(all.stream().limit(2).collect(Collectors.toList())).containsExactly("item-1", "item-2");
    assertThat(requests).hasSize(3);
  }

  @Test
  void iteratesEveryItemAcrossPagesAndEachIterationStartsOver() {
    PagedIterable<String> all = listing(5);
    List<String> items = all.stream().collect(Collectors.toList());
    assertThat(items).hasSize(TOTAL).startsWith("item-1").endsWith("item-23").doesNotHaveDuplicates();
    assertThat(requests).containsExactly("-/5", "c6/5", "c11/5", "c16/5", "c21/5");
    assertThat(all.stream().count()).isEqualTo(TOTAL);
  }

  @Test
  void maxItemsBoundsTheTotalAndAsksOnlyForWhatIsLeft() {
    List<Page<String>> pages = new ArrayList<>();
    listing(5).withMaxItems(12).pages().forEach(pages::add);
    assertThat(pages).extracting(p -> p.items().size()).containsExactly(5, 5, 2);
    assertThat(requests).containsExactly("-/5", "c6/5", "c11/2");
    assertThat(pages.get(2).continuationToken()).isEqualTo("c13");
    assertThat(listing(5).withMaxItems(12).stream().count()).isEqualTo(12);
  }

  @Test
  void aContinuationTokenResumesTheListingLater() {
    Page<String> first = listing(10).firstPage();
    assertThat(first.items()).hasSize(10);
    assertThat(first.hasMore()).isTrue();
    String token = first.nextToken().orElseThrow();
    List<String> rest = listing(10).resumeFrom(token).stream().collect(Collectors.toList());
    assertThat(rest).hasSize(13).startsWith("item-11").endsWith("item-23");
    List<Page<String>> pages = new ArrayList<>();
    listing(10).resumeFrom(token).pages().forEach(pages::add);
    assertThat(pages.get(pages.size() - 1).hasMore()).isFalse();
  }

  @Test
  void aFailingPageThrowsInsteadOfTruncatingTheListing() {
    failOnCursor = "c11";
    List<String> seen = new ArrayList<>();
    Throwable t = catchThrowable(() -> listing(5).forEach(seen::add));
    assertThat(seen).hasSize(10);
    assertThat(t).isInstanceOf(ServiceException.class).hasMessageContaining("invalid_cursor");
    assertThat(catchThrowable(() -> listing(5).stream().count())).isInstanceOf(ServiceException.class);
    assertThat(catchThrowable(() -> listing(5).pages().forEach(p -> { }))).isInstanceOf(ServiceException.class);
  }

  @Test
  void forEachAsyncVisitsEveryItemInOrder() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    listing(4).forEachAsync(seen::add).get(10, TimeUnit.SECONDS);
    assertThat(seen).hasSize(TOTAL).startsWith("item-1", "item-2").endsWith("item-23");
    assertThat(listing(4).withMaxItems(9).toListAsync().get(10, TimeUnit.SECONDS)).hasSize(9).endsWith("item-9");
  }

  @Test
  void forEachAsyncFailsWithTheFailingPagesException() {
    failOnCursor = "c9";
    List<String> seen = new CopyOnWriteArrayList<>();
    Throwable t = catchThrowable(() -> listing(4).forEachAsync(seen::add).get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(ServiceException.class).hasMessageContaining("invalid_cursor");
    assertThat(seen).hasSize(8);
  }

  @Test
  void invalidArgumentsAreRefusedWithTheirName() {
    assertThat(catchThrowable(() -> listing(5).withMaxItems(0))).hasMessageContaining("maxItems");
    assertThat(catchThrowable(() -> listing(5).withPageSize(0))).hasMessageContaining("pageSize");
    assertThat(catchThrowable(() -> listing(5).resumeFrom(""))).hasMessageContaining("continuationToken");
  }
}
