package io.shudu.examples.snippets;

import io.shudu.core.ClientConfig;
import io.shudu.core.ClientListener;
import io.shudu.core.Credentials;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;

/**
 * The code of docs/configuration.md. Each region between {@code snippet:start} and {@code snippet:end} is copied
 * verbatim into the guide, {@code DocSnippetsTest} fails the build when the two drift apart, and
 * {@code ConfigurationSnippetsTest} runs every method against a sandbox.
 */
public final class ConfigurationSnippets {
  private ConfigurationSnippets() {}

  /**
   * The full client configuration of the guide's first example.
   *
   * @param endpoint the platform's (or a sandbox's) base URL
   * @param myMetricsListener a listener to register
   * @return the configuration
   */
  public static ClientConfig fullConfig(URI endpoint, ClientListener myMetricsListener) {
    // snippet:start client-config
    ClientConfig config = ClientConfig.builder()
        .endpoint(endpoint)                                    // https://api.shudu.example, or sandbox.baseUrl()
        .credentials(Credentials.defaultChain())               // the default; see "Credentials" below
        .connectTimeout(Duration.ofSeconds(5))                 // TCP connect, per attempt
        .attemptTimeout(Duration.ofSeconds(30))                // one attempt: connect, send, wait, read
        .callTimeout(Duration.ofSeconds(90))                   // the whole call: every attempt and every backoff
        .retryPolicy(RetryPolicy.builder().maxAttempts(4).build())
        .userAgentSuffix("meituan-dispatch/2.3")
        .addListener(myMetricsListener)
        .build();
    // snippet:end client-config
    return config;
  }

  /**
   * The per-call options of the guide.
   *
   * @param incomingTraceparent the caller's W3C traceparent to continue
   * @return the options
   */
  public static RequestOptions requestOptions(String incomingTraceparent) {
    // snippet:start request-options
    RequestOptions opts = RequestOptions.builder()
        .timeout(Duration.ofSeconds(5))              // whole-call timeout for this call
        .attemptTimeout(Duration.ofSeconds(2))       // per-attempt timeout for this call
        .idempotencyKey("order-2024-0001")           // instead of a generated one
        .retryPolicy(RetryPolicy.none())             // no retries for this call
        .traceparent(incomingTraceparent)            // continue the caller's W3C trace
        .header("X-Partner-Trace", "abc")            // extra header on every attempt
        .build();
    // snippet:end request-options
    return opts;
  }

  /**
   * The retry policy of the guide.
   *
   * @return the policy
   */
  public static RetryPolicy retryPolicy() {
    // snippet:start retry-policy
    RetryPolicy policy = RetryPolicy.builder()
        .maxAttempts(3)                          // attempts in total, first included (1 = no retries)
        .baseDelay(Duration.ofMillis(100))
        .maxDelay(Duration.ofSeconds(20))
        .maxRetryAfter(Duration.ofSeconds(60))
        .retryBudget(500, 5, 1)                  // capacity, tokens per retry, tokens back per success
        .build();
    // snippet:end retry-policy
    return policy;
  }

  /**
   * Every way of creating credentials, in the order of the guide.
   *
   * @param key an API key
   * @param accessKeyId an access key id
   * @param secretAccessKey its secret
   * @param tokenUrl the OAuth2 token endpoint
   * @param clientId the OAuth2 client id
   * @param clientSecret its secret
   * @param scope an OAuth2 scope
   * @return API key, access key, OAuth2, OAuth2 with scope, default chain and anonymous credentials
   */
  public static List<Credentials> credentials(String key, String accessKeyId, String secretAccessKey,
      String tokenUrl, String clientId, String clientSecret, String scope) {
    // snippet:start credentials
    Credentials apiKey = Credentials.apiKey(key);                                   // X-Api-Key
    Credentials signing = Credentials.accessKey(accessKeyId, secretAccessKey);      // SHUDU-HMAC-SHA256, see signing.md
    Credentials oauth2 = Credentials.oauth2(URI.create(tokenUrl), clientId, clientSecret);  // client credentials
    Credentials scoped = Credentials.oauth2(URI.create(tokenUrl), clientId, clientSecret, scope);
    Credentials fromEnvironment = Credentials.defaultChain();  // system properties, then environment variables
    Credentials none = Credentials.anonymous();                // open endpoints only
    // snippet:end credentials
    return List.of(apiKey, signing, oauth2, scoped, fromEnvironment, none);
  }

  /**
   * A configuration whose logs (and listener URLs) show a few more values.
   *
   * @param config the configuration to start from
   * @return the configuration with wider allow-lists
   */
  public static ClientConfig loggedValues(ClientConfig config) {
    // snippet:start logged-values
    ClientConfig verbose = config.toBuilder()
        .loggedHeaders(Set.of("content-type", "x-request-id", "x-partner-trace"))
        .loggedQueryParameters(Set.of("limit", "cursor", "near"))
        .build();
    // snippet:end logged-values
    return verbose;
  }

  /**
   * A metrics listener over plain JDK counters: attempt latency per operation and status, calls per operation and
   * number of attempts.
   *
   * @param latencyNanos total attempt latency in nanoseconds, by {@code operation status}
   * @param calls number of calls, by {@code operation attempts}
   * @return the listener
   */
  public static ClientListener metricsListener(Map<String, LongAdder> latencyNanos, Map<String, LongAdder> calls) {
    // snippet:start listener
    ClientListener metrics = new ClientListener() {
      @Override public void attemptEnded(Attempt a) {
        latencyNanos.computeIfAbsent(a.operation() + " " + a.status(), k -> new LongAdder()).add(a.latency().toNanos());
      }
      @Override public void callEnded(Call c) {
        calls.computeIfAbsent(c.operation() + " " + c.attempts(), k -> new LongAdder()).increment();
      }
    };
    // snippet:end listener
    return metrics;
  }

  /**
   * A new map for {@link #metricsListener}.
   *
   * @return an empty concurrent map
   */
  public static Map<String, LongAdder> counters() {
    return new ConcurrentHashMap<>();
  }

  /**
   * A configuration running on the caller's own OkHttp client.
   *
   * @param endpoint the platform's (or a sandbox's) base URL
   * @param corporateProxy the proxy the OkHttp client goes through
   * @return the configuration
   */
  public static ClientConfig ownOkHttp(URI endpoint, Proxy corporateProxy) {
    // snippet:start okhttp
    OkHttpClient mine = new OkHttpClient.Builder().proxy(corporateProxy).build();
    ClientConfig config = ClientConfig.builder()
        .endpoint(endpoint)
        .transport(io.shudu.core.okhttp.OkHttpTransport.of(mine))
        .build();
    // snippet:end okhttp
    return config;
  }
}
