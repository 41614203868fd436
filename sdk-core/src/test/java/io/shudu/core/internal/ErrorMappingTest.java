package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.AuthenticationException;
import io.shudu.core.BadRequestException;
import io.shudu.core.ClientConfig;
import io.shudu.core.ConflictException;
import io.shudu.core.Credentials;
import io.shudu.core.NotFoundException;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ThrottledException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error status, as RFC 9457 problem+json and as a non-JSON body, maps to the right exception. */
class ErrorMappingTest {
  private MockWebServer server;
  private ApiClient api;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
    api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString())
        .credentials(Credentials.apiKey("k_test")).retryPolicy(RetryPolicy.none()).build(), "test");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(400, BadRequestException.class, false),
        Arguments.of(401, AuthenticationException.class, false),
        Arguments.of(403, PermissionDeniedException.class, false),
        Arguments.of(404, NotFoundException.class, false),
        Arguments.of(409, ConflictException.class, false),
        Arguments.of(412, PreconditionFailedException.class, false),
        Arguments.of(422, BadRequestException.class, false),
        Arguments.of(429, ThrottledException.class, true),
        Arguments.of(500, ServiceException.class, true),
        Arguments.of(503, ServiceException.class, true));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void problemJsonMapsToTheExceptionWithEveryMember(int status, Class<? extends ServiceException> type,
      boolean retryable) {
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/problem+json")
        .addHeader("X-Request-Id", "req_abc_" + status)
        .body("{\"type\":\"https://docs.shudu.io/problems/p" + status + "\",\"title\":\"Title " + status + "\","
            + "\"status\":" + status + ",\"detail\":\"Detail " + status + "\",\"instance\":\"/x\","
            + "\"code\":\"code_" + status + "\",\"requestId\":\"req_abc_" + status + "\","
            + "\"errors\":[{\"field\":\"name\",\"message\":\"must not be empty\"}],\"zone\":\"lingang\"}")
        .build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("test.op", "GET", "/x").build()));
    assertThat(t).isExactlyInstanceOf(type);
    ServiceException e = (ServiceException) t;
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).contains("code_" + status);
    assertThat(e.type()).contains("https://docs.shudu.io/problems/p" + status);
    assertThat(e.title()).contains("Title " + status);
    assertThat(e.detail().orElseThrow()).startsWith("Detail " + status);
    assertThat(e.requestId()).contains("req_abc_" + status);
    assertThat(e.retryable()).isEqualTo(retryable);
    if (status != 429) { // ThrottledException carries Retry-After instead of field errors
      assertThat(e.errors()).containsExactly(new ServiceException.FieldError("name", "must not be empty"));
    }
    assertThat(e.extensions()).containsEntry("zone", "lingang").doesNotContainKeys("type", "title", "code");
    assertThat(e.getMessage()).startsWith("HTTP " + status + " code_" + status + ": Title " + status)
        .contains("Detail " + status).contains("[request id req_abc_" + status + "]");
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void nonJsonBodiesStillMapByStatusWithTheTextAsDetail(int status, Class<? extends ServiceException> type,
      boolean retryable) {
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "text/html")
        .body("<html><body>gateway says " + status + "</body></html>").build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("test.op", "GET", "/x").build()));
    assertThat(t).isExactlyInstanceOf(type);
    ServiceException e = (ServiceException) t;
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEmpty();
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e.detail().orElseThrow()).contains("gateway says " + status);
    assertThat(e.title().orElseThrow()).startsWith("test.op");
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void emptyBodiesMapByStatusWithADefaultTitle(int status, Class<? extends ServiceException> type, boolean retryable) {
    server.enqueue(new MockResponse.Builder().code(status).build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("test.op", "GET", "/x").build()));
    assertThat(t).isExactlyInstanceOf(type);
    assertThat(((ServiceException) t).title().orElseThrow()).startsWith("test.op");
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void asyncCallsFailWithTheSameTypes(int status, Class<? extends ServiceException> type, boolean retryable) {
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/problem+json")
        .body("{\"title\":\"t\",\"code\":\"c\"}").build());
    Throwable t = catchThrowable(() -> api.callAsync(ApiRequest.builder("test.op", "GET", "/x").build(), Map.class)
        .get());
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isExactlyInstanceOf(type);
  }

  @Test
  void oauthStyleErrorsAreUnderstoodToo() {
    server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
        .body("{\"error\":\"invalid_grant\",\"error_description\":\"The grant expired.\"}").build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("test.op", "POST", "/x").build()));
    assertThat(t).isInstanceOf(BadRequestException.class);
    assertThat(((ServiceException) t).code()).contains("invalid_grant");
    assertThat(((ServiceException) t).detail()).contains("The grant expired.");
  }

  @Test
  void throttlingCarriesRetryAfter() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build());
    Throwable t = catchThrowable(() -> api.execute(ApiRequest.builder("test.op", "GET", "/x").build()));
    assertThat(((ThrottledException) t).retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void anUnreadableSuccessBodyIsAClientExceptionNamingTheType() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body("{not json").build());
    Throwable t = catchThrowable(() -> api.call(ApiRequest.builder("test.op", "GET", "/x").build(), Map.class));
    assertThat(t).isInstanceOf(io.shudu.core.ClientException.class)
        .hasMessageContaining("test.op: the platform's answer could not be read as java.util.Map");
  }
}
