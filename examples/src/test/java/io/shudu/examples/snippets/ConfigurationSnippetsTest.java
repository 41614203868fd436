package io.shudu.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxTenant;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.net.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the code of docs/configuration.md against a sandbox and checks that it does what the guide says. */
class ConfigurationSnippetsTest {
  private static final String BUILDING = "lg-bldg-0001";
  private static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @AfterEach
  void clearFaults() {
    sandbox.clearFaults();
  }

  /** Records what the pipeline reports. */
  static final class Recorder implements ClientListener {
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final List<String> retryReasons = new CopyOnWriteArrayList<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void attemptEnded(Attempt attempt) {
      attempts.add(attempt);
    }

    @Override
    public void retryScheduled(Attempt failed, Duration delay, String reason) {
      retryReasons.add(reason);
    }

    @Override
    public void callEnded(Call call) {
      calls.add(call);
    }
  }

  private static ClientConfig withSandboxKey(ClientConfig config) {
    return config.toBuilder().credentials(sandbox.tenant(Sandbox.DEFAULT_TENANT).apiKeyCredentials()).build();
  }

  @Test
  void theFullConfigurationHasTheDocumentedValuesAndFeedsTheMetricsListener() {
    Map<String, LongAdder> latency = ConfigurationSnippets.counters();
    Map<String, LongAdder> calls = ConfigurationSnippets.counters();
    ClientConfig config = ConfigurationSnippets.fullConfig(sandbox.baseUrl(),
        ConfigurationSnippets.metricsListener(latency, calls));

    assertThat(config.endpoint()).isEqualTo(sandbox.baseUrl());
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.attemptTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.retryPolicy().maxAttempts()).isEqualTo(4);
    assertThat(config.userAgentSuffix()).isEqualTo("meituan-dispatch/2.3");
    assertThat(config.listeners()).hasSize(1);

    sandbox.injectFault(Fault.status(503, null).onPath("/twin/").times(1));
    try (TwinClient twin = TwinClient.create(withSandboxKey(config))) {
      assertThat(twin.entities().get(BUILDING).id()).isEqualTo(BUILDING);
    }
    assertThat(latency.keySet()).hasSize(2).anyMatch(k -> k.endsWith(" 503")).anyMatch(k -> k.endsWith(" 200"));
    assertThat(latency.values()).allMatch(v -> v.sum() > 0);
    assertThat(calls).hasSize(1);
    Map.Entry<String, LongAdder> call = calls.entrySet().iterator().next();
    assertThat(call.getKey()).endsWith(" 2");
    assertThat(call.getValue().sum()).isEqualTo(1);
  }

  @Test
  void invalidSettingsFailWithTheDocumentedMessages() {
    assertThatThrownBy(() -> ClientConfig.builder().attemptTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("attemptTimeout must be positive, got PT0S");
    assertThatThrownBy(() -> ClientConfig.builder().endpoint("ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint must be an absolute http(s) URI such as https://api.shudu.example, got 'ftp://x'");
    assertThatThrownBy(() -> RequestOptions.builder().header("Idempotency-Key", "k"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
    assertThatThrownBy(() -> ConfigurationSnippets.loggedValues(sandbox.clientConfig()).toBuilder()
        .loggedHeaders(java.util.Set.of("X-Api-Key")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never logged");
  }

  @Test
  void theRetryPolicyRetriesAnInjected503() {
    RetryPolicy policy = ConfigurationSnippets.retryPolicy();
    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.budgetCapacity()).isEqualTo(500);
    assertThat(policy.retryCost()).isEqualTo(5);
    assertThat(policy.successRefill()).isEqualTo(1);
    assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoffCeiling(3)).isEqualTo(Duration.ofMillis(400));

    Recorder recorder = new Recorder();
    ClientConfig config = sandbox.clientConfig().toBuilder().retryPolicy(policy).addListener(recorder).build();
    sandbox.injectFault(Fault.status(503, null).times(1));
    try (TwinClient twin = TwinClient.create(config)) {
      assertThat(twin.entities().get(BUILDING).id()).isEqualTo(BUILDING);
    }
    assertThat(recorder.retryReasons).containsExactly("HTTP 503");
    assertThat(recorder.attempts).extracting(ClientListener.Attempt::status).containsExactly(503, 200);
    assertThat(recorder.calls).singleElement().satisfies(c -> {
      assertThat(c.attempts()).isEqualTo(2);
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.error()).isNull();
    });

    // three 503s in a row exhaust the three attempts
    sandbox.injectFault(Fault.status(503, null).times(3));
    try (TwinClient twin = TwinClient.create(config)) {
      assertThatThrownBy(() -> twin.entities().get(BUILDING))
          .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(503));
    }
  }

  @Test
  void perCallOptionsContinueTheTraceAndDisableRetries() {
    String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    RequestOptions opts = ConfigurationSnippets.requestOptions(incoming);
    assertThat(opts.timeout()).contains(Duration.ofSeconds(5));
    assertThat(opts.attemptTimeout()).contains(Duration.ofSeconds(2));
    assertThat(opts.idempotencyKey()).contains("order-2024-0001");
    assertThat(opts.headers()).containsEntry("X-Partner-Trace", "abc");

    Recorder recorder = new Recorder();
    try (TwinClient twin = TwinClient.create(sandbox.clientConfig().toBuilder().addListener(recorder).build())) {
      assertThat(twin.entities().withOptions(opts).get(BUILDING).id()).isEqualTo(BUILDING);
      assertThat(recorder.attempts).singleElement()
          .satisfies(a -> assertThat(a.traceparent()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
              .doesNotContain("00f067aa0ba902b7"));

      sandbox.injectFault(Fault.status(503, null).times(1));
      assertThatThrownBy(() -> twin.entities().withOptions(opts).get(BUILDING))
          .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.status()).isEqualTo(503));
      assertThat(recorder.retryReasons).isEmpty();
    }
  }

  @Test
  void everyKindOfCredentialsAuthenticatesAgainstTheSandbox() {
    SandboxTenant tenant = sandbox.tenant("config-guide");
    List<Credentials> all = ConfigurationSnippets.credentials(tenant.apiKey(), tenant.accessKeyId(),
        tenant.secretAccessKey(), sandbox.baseUrl() + "/oauth2/token", tenant.clientId(), tenant.clientSecret(),
        "twin.read");
    assertThat(all).hasSize(6);
    for (Credentials credentials : all.subList(0, 4)) {
      try (TwinClient twin = TwinClient.create(tenant.clientConfig().toBuilder().credentials(credentials).build())) {
        assertThat(twin.entities().get(BUILDING).id()).as("%s", credentials).isEqualTo(BUILDING);
      }
    }
    assertThat(all.get(0).toString()).doesNotContain(tenant.apiKey());
    assertThat(all.get(1).toString()).doesNotContain(tenant.secretAccessKey());
    assertThat(all.get(2).toString()).doesNotContain(tenant.clientSecret());

    try (TwinClient twin = TwinClient.create(tenant.clientConfig().toBuilder().credentials(all.get(5)).build())) {
      assertThatThrownBy(() -> twin.entities().get(BUILDING)).isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void theAllowListDecidesWhichQueryValuesAreShown() {
    TwinQuery query = TwinQuery.builder().types(EntityType.BUILDING).near(Position.of(121.904, 30.917), 500).build();
    Recorder defaults = new Recorder();
    Recorder verbose = new Recorder();
    ClientConfig base = sandbox.clientConfig();
    ClientConfig wider = ConfigurationSnippets.loggedValues(base);
    assertThat(wider.loggedHeaders()).containsExactlyInAnyOrder("content-type", "x-request-id", "x-partner-trace");
    assertThat(wider.loggedQueryParameters()).containsExactlyInAnyOrder("limit", "cursor", "near");

    try (TwinClient a = TwinClient.create(base.toBuilder().addListener(defaults).build());
         TwinClient b = TwinClient.create(wider.toBuilder().addListener(verbose).build())) {
      a.entities().query(query).withMaxItems(1).pages().iterator().next();
      b.entities().query(query).withMaxItems(1).pages().iterator().next();
    }
    String hidden = defaults.attempts.get(0).url();
    String shown = verbose.attempts.get(0).url();
    assertThat(hidden).contains("near=REDACTED").contains("type=building").doesNotContain("121.904");
    assertThat(shown).contains("near=121.904").contains("type=REDACTED");
  }

  @Test
  void aCallerOwnedOkHttpClientCarriesTheCalls() {
    ClientConfig config = ConfigurationSnippets.ownOkHttp(sandbox.baseUrl(), Proxy.NO_PROXY);
    assertThat(config.transport()).isInstanceOf(io.shudu.core.okhttp.OkHttpTransport.class);
    assertThat(((io.shudu.core.okhttp.OkHttpTransport) config.transport()).okHttpClient().proxy())
        .isEqualTo(Proxy.NO_PROXY);
    try (TwinClient twin = TwinClient.create(withSandboxKey(config))) {
      assertThat(twin.entities().get(BUILDING).id()).isEqualTo(BUILDING);
    }
  }
}
