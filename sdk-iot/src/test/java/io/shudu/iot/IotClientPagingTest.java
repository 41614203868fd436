package io.shudu.iot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.core.BadRequestException;
import io.shudu.core.ClientException;
import io.shudu.core.RequestOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ShuduException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client behaviour against scripted answers: next links, failing pages, error mapping. */
class IotClientPagingTest {
  MockWebServer server;
  IotClient iot;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    iot = IotClient.create(ClientConfig.builder().endpoint(server.url("/").uri())
        .credentials(Credentials.apiKey("test-key-0123456789"))
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()).build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
  }

  String page(int from, int to, String next) {
    StringBuilder sb = new StringBuilder("{\"value\":[");
    for (int i = from; i <= to; i++) {
      sb.append(i == from ? "" : ",").append("{\"@iot.id\":").append(i)
          .append(",\"phenomenonTime\":\"2024-05-01T08:00:00Z/2024-05-01T09:00:00Z\",\"resultTime\":null,\"result\":")
          .append(i).append('}');
    }
    sb.append(']');
    if (next != null) {
      sb.append(",\"@iot.nextLink\":\"").append(server.url(next)).append('"');
    }
    return sb.append('}').toString();
  }

  @Test
  void followsNextLinksAsGivenAndDecodesIntervals() throws Exception {
    server.enqueue(json(200, page(1, 2, "/iot/v1.1/Datastreams(7)/Observations?$top=2&$orderby=result%20desc&$skip=2")));
    server.enqueue(json(200, page(3, 3, null)));
    var all = iot.observations().ofDatastream(7, IotQuery.builder().pageSize(2).orderBy(Expr.RESULT, true).build())
        .stream().toList();
    assertThat(all).extracting(Observation::id).containsExactly(1L, 2L, 3L);
    assertThat(all.get(0).phenomenonTime().isInterval()).isTrue();
    assertThat(all.get(0).resultTime()).isNull();
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getUrl().encodedPath()).isEqualTo("/iot/v1.1/Datastreams(7)/Observations");
    assertThat(first.getUrl().queryParameter("$orderby")).isEqualTo("result desc");
    assertThat(first.getUrl().queryParameter("$top")).isEqualTo("2");
    assertThat(first.getHeaders().get("X-Api-Key")).isEqualTo("test-key-0123456789");
    assertThat(second.getUrl().queryParameter("$skip")).isEqualTo("2");
    assertThat(second.getUrl().queryParameter("$orderby")).isEqualTo("result desc");
  }

  @Test
  void aFailedPageRaisesInsteadOfEndingTheListing() {
    server.enqueue(json(200, page(1, 2, "/iot/v1.1/Observations?$top=2&$skiptoken=2")));
    server.enqueue(json(503, "{\"status\":503,\"title\":\"down\",\"detail\":\"maintenance\"}"));
    Iterator<Observation> it = iot.observations().list(IotQuery.builder().pageSize(2).build()).iterator();
    assertThat(it.next().id()).isEqualTo(1);
    assertThat(it.next().id()).isEqualTo(2);
    assertThatThrownBy(it::hasNext).isInstanceOf(ServiceException.class);
  }

  @Test
  void problemAnswersBecomeTypedExceptionsWithTheDetail() {
    server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/problem+json")
        .body("{\"type\":\"about:blank\",\"title\":\"The request is invalid\",\"status\":400,\"detail\":\"Invalid "
            + "$filter at position 7: unexpected 'x'\",\"code\":\"invalid_request\"}").build());
    assertThatThrownBy(() -> iot.things().count(Expr.NAME.eq("x")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("position 7");
  }

  @Test
  void aBrokenPageBodyIsAClearError() {
    server.enqueue(json(200, "{\"value\": 5}"));
    assertThatThrownBy(() -> iot.things().list().iterator().hasNext())
        .hasMessageContaining("Thing");
  }

  @Test
  void withOptionsHeadersReachEveryRequestOfAListingAndTheBoundCarriesIntoContinuations() throws Exception {
    server.enqueue(json(200, page(1, 2, "/iot/v1.1/Datastreams(7)/Observations?$top=2&$skip=2")));
    server.enqueue(json(200, page(3, 3, "/iot/v1.1/Datastreams(7)/Observations?$top=2&$skip=4")));
    RequestOptions opts = RequestOptions.builder().header("X-Partner-Trace", "abc-123").build();
    var items = iot.observations().withOptions(opts)
        .ofDatastream(7, IotQuery.builder().top(3).pageSize(2).build()).stream().toList();
    assertThat(items).extracting(Observation::id).containsExactly(1L, 2L, 3L);
    RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getHeaders().get("X-Partner-Trace")).isEqualTo("abc-123");
    assertThat(first.getUrl().queryParameter("$top")).isEqualTo("2");
    assertThat(second.getHeaders().get("X-Partner-Trace")).isEqualTo("abc-123");
    assertThat(second.getUrl().queryParameter("$top")).as("only one item left of top(3)").isEqualTo("1");
    assertThat(second.getUrl().queryParameter("$skip")).isEqualTo("2");
    assertThat(server.getRequestCount()).as("the bound ends the listing without a third request").isEqualTo(2);

    server.enqueue(json(200, "[\"http://x/iot/v1.1/Observations(5)\", \"error\", \"error: result missing\"]"));
    DataArrayResult r = iot.observations().withOptions(opts).createDataArray(7, List.of(
        Observation.of(Instant.parse("2024-05-01T08:00:00Z"), 1), Observation.of(Instant.parse("2024-05-01T09:00:00Z"), 2),
        Observation.of(Instant.parse("2024-05-01T10:00:00Z"), 3)));
    RecordedRequest post = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(post.getHeaders().get("X-Partner-Trace")).isEqualTo("abc-123");
    assertThat(post.getHeaders().get("Idempotency-Key")).isNotBlank();
    assertThat(r.createdIds()).containsExactly(5L);
    assertThat(r.rejected()).extracting(RejectedObservation::index).containsExactly(1, 2);
    assertThat(r.rejected().get(0).problem()).contains("no reason");
    assertThat(r.rejected().get(1).problem()).isEqualTo("result missing");

    server.enqueue(json(200, "[\"http://x/iot/v1.1/Observations(5)\"]"));
    assertThatThrownBy(() -> iot.observations().createDataArray(7, List.of(
        Observation.of(Instant.parse("2024-05-01T08:00:00Z"), 1), Observation.of(Instant.parse("2024-05-01T09:00:00Z"), 2))))
        .isInstanceOf(ClientException.class).hasMessageContaining("1 results for 2 rows");
  }

  @Test
  void aWithOptionsTimeoutEndsASlowCallWhileTheClientsOwnCallsKeepTheirs() {
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body("{\"@iot.id\":1,\"name\":\"slow\",\"description\":\"d\"}").headersDelay(10, TimeUnit.SECONDS).build());
    IotEntities<Thing> impatient = iot.things().withOptions(RequestOptions.builder()
        .timeout(Duration.ofMillis(300)).attemptTimeout(Duration.ofMillis(300)).build());
    assertThatThrownBy(() -> impatient.get(1)).isInstanceOf(ClientException.class).hasMessageContaining("timed out");
    server.enqueue(json(200, "{\"@iot.id\":1,\"name\":\"fast\",\"description\":\"d\"}"));
    assertThat(iot.things().get(1).name()).isEqualTo("fast");
  }

  @Test
  void aNextLinksQueryGoesBackAsThePlatformWroteIt() throws Exception {
    // a raw '+' (a +08:00 offset) in one next link, a %2B in the next: each must reach the platform unchanged
    String rawPlus = "$filter=phenomenonTime%20ge%202024-05-01T08:00:00+08:00";
    String encodedPlus = "$filter=phenomenonTime%20ge%202024-05-01T08:00:00%2B08:00";
    server.enqueue(json(200, page(1, 2, "/iot/v1.1/Datastreams(7)/Observations?" + rawPlus + "&$top=2&$skip=2")));
    server.enqueue(json(200, page(3, 4, "/iot/v1.1/Datastreams(7)/Observations?" + encodedPlus + "&$top=2&$skip=4")));
    server.enqueue(json(200, page(5, 5, null)));
    var all = iot.observations().ofDatastream(7, IotQuery.builder().top(5).pageSize(2).build()).stream().toList();
    assertThat(all).extracting(Observation::id).containsExactly(1L, 2L, 3L, 4L, 5L);
    server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest third = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(second.getUrl().encodedPath()).isEqualTo("/iot/v1.1/Datastreams(7)/Observations");
    assertThat(Arrays.asList(second.getUrl().encodedQuery().split("&"))).contains(rawPlus);
    assertThat(second.getUrl().querySize()).isEqualTo(3);
    assertThat(second.getUrl().queryParameter("$skip")).isEqualTo("2");
    assertThat(second.getUrl().queryParameter("$top")).isEqualTo("2");
    assertThat(Arrays.asList(third.getUrl().encodedQuery().split("&"))).contains(encodedPlus);
    assertThat(third.getUrl().querySize()).isEqualTo(3);
    assertThat(third.getUrl().queryParameter("$skip")).isEqualTo("4");
    assertThat(third.getUrl().queryParameter("$top")).as("set again to what top(5) still allows, once").isEqualTo("1");
  }

  @Test
  void anUnreadableAnswerToACreateCarriesTheKeyAndSaysItWasAnswered() throws Exception {
    List<Observation> two = List.of(Observation.of(Instant.parse("2024-05-01T08:00:00Z"), 1),
        Observation.of(Instant.parse("2024-05-01T09:00:00Z"), 2));
    for (String body : List.of("not json", "[\"http://x/iot/v1.1/Observations(5)\"]",
        "[\"http://x/iot/v1.1/Observations(5)\", \"http://x/iot/v1.1/Observations(six)\"]")) {
      server.enqueue(json(201, body));
      ShuduException e = catchThrowableOfType(ShuduException.class,
          () -> iot.observations().createDataArray(7, two));
      String key = server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key");
      assertThat(key).isNotBlank();
      assertThat(e).as(body).isInstanceOf(ClientException.class).hasMessageContaining("iot");
      assertThat(e.idempotencyKey()).as(body).contains(key);
      assertThat(e.outcome()).as(body + ": the platform answered 201, so the call was applied")
          .isEqualTo(ShuduException.Outcome.ANSWERED);
    }
  }
}
