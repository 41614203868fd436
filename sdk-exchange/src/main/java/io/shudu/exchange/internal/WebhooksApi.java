package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.ExchangeWebhooks;
import io.shudu.exchange.Webhook;
import io.shudu.exchange.WebhookRegistration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangeWebhooks} over the core pipeline. */
public final class WebhooksApi implements ExchangeWebhooks {
  private static final TypeReference<Calls.PageDto<Webhook>> PAGE = new TypeReference<>() {};

  /** The answer to a ping. */
  record Ping(String eventId) {}

  private final ApiClient api;
  private final RequestOptions options;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   */
  public WebhooksApi(ApiClient api, RequestOptions options) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
  }

  @Override
  public ExchangeWebhooks withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new WebhooksApi(api, options);
  }

  private ApiRequest.Builder req(String op, String method, String path, Object... args) {
    return ApiRequest.builder("exchange.webhooks." + op, method, BASE + path, args).options(options);
  }

  private ApiRequest registerRequest(String url, List<String> events) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("url must be an absolute http(s) URL, got " + (url == null ? "null"
          : "'" + url + "'"));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("events", events == null || events.isEmpty() ? List.of("*") : List.copyOf(events));
    return req("register", "POST", "/webhooks").json(body).build();
  }

  @Override
  public WebhookRegistration register(String url, List<String> events) {
    return api.call(registerRequest(url, events), WebhookRegistration.class);
  }

  @Override
  public CompletableFuture<WebhookRegistration> registerAsync(String url, List<String> events) {
    return Calls.async(() -> api.callAsync(registerRequest(url, events), WebhookRegistration.class));
  }

  @Override
  public PagedIterable<Webhook> list() {
    return Calls.paged(api, 100, 1000, () -> req("list", "GET", "/webhooks"), PAGE);
  }

  private ApiRequest getRequest(String id) {
    return req("get", "GET", "/webhooks/{}", Calls.requireId(id, "webhookId")).build();
  }

  @Override
  public Webhook get(String webhookId) {
    return api.call(getRequest(webhookId), Webhook.class);
  }

  @Override
  public CompletableFuture<Webhook> getAsync(String webhookId) {
    return Calls.async(() -> api.callAsync(getRequest(webhookId), Webhook.class));
  }

  @Override
  public Versioned<Webhook> getVersioned(String webhookId) {
    return Calls.versioned(api.execute(getRequest(webhookId)), Webhook.class, "webhook " + webhookId);
  }

  @Override
  public CompletableFuture<Versioned<Webhook>> getVersionedAsync(String webhookId) {
    return Calls.async(() -> api.executeAsync(getRequest(webhookId))
        .thenApply(r -> Calls.versioned(r, Webhook.class, "webhook " + webhookId)));
  }

  private ApiRequest deleteRequest(String id, String ifMatch) {
    return req("delete", "DELETE", "/webhooks/{}", Calls.requireId(id, "webhookId"))
        .header("If-Match", Calls.checkIfMatch(ifMatch)).build();
  }

  @Override
  public void delete(String webhookId) {
    delete(webhookId, null);
  }

  @Override
  public CompletableFuture<Void> deleteAsync(String webhookId) {
    return deleteAsync(webhookId, null);
  }

  @Override
  public void delete(String webhookId, String ifMatch) {
    api.execute(deleteRequest(webhookId, ifMatch)).close();
  }

  @Override
  public CompletableFuture<Void> deleteAsync(String webhookId, String ifMatch) {
    return Calls.async(() -> api.executeAsync(deleteRequest(webhookId, ifMatch)).thenApply(r -> {
      r.close();
      return null;
    }));
  }

  private ApiRequest pingRequest(String webhookId) {
    return req("ping", "POST", "/webhooks/{}/ping", Calls.requireId(webhookId, "webhookId")).json(Map.of()).build();
  }

  @Override
  public String ping(String webhookId) {
    return api.call(pingRequest(webhookId), Ping.class).eventId();
  }

  @Override
  public CompletableFuture<String> pingAsync(String webhookId) {
    return Calls.async(() -> api.callAsync(pingRequest(webhookId), Ping.class).thenApply(Ping::eventId));
  }
}
