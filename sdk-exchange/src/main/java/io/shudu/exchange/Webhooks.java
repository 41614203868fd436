package io.shudu.exchange;

import io.shudu.core.WebhookVerifier;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Webhooks from the exchange to your endpoint: every order and delivery event (the same events as the audit chain)
 * is POSTed as JSON and signed with the platform's webhook scheme ({@code Shudu-Signature: t=<unix>,v1=<hex>}),
 * which {@link WebhookVerifier} checks. The signing secret is returned once, at registration.
 *
 * <pre>{@code
 * Webhooks.Registration reg = exchange.webhooks().register("https://partner.example/hooks/exchange", List.of("*"));
 * WebhookVerifier verifier = Webhooks.verifier(reg.secret());   // keep the secret in your secret store
 * // in your handler: verifier.verify(rawBody, request.getHeader(WebhookVerifier.HEADER));
 * }</pre>
 */
public final class Webhooks {
  /**
   * One attempted delivery of an event to the endpoint.
   *
   * @param eventId event id (also sent as Shudu-Event-Id)
   * @param type event type
   * @param attempts attempts made
   * @param status last HTTP status, 0 when the endpoint was unreachable
   * @param delivered whether a 2xx was received
   * @param lastError the last failure, or null
   */
  public record WebhookDelivery(String eventId, String type, int attempts, int status, boolean delivered,
      String lastError) {}

  /**
   * A registered endpoint.
   *
   * @param id webhook id
   * @param url endpoint
   * @param events event types, or "*" for all
   * @param createdAt creation time
   * @param deliveries recent deliveries
   */
  public record Webhook(String id, String url, List<String> events, Instant createdAt,
      List<WebhookDelivery> deliveries) {
    /** Copies. */
    public Webhook {
      events = events == null ? List.of() : List.copyOf(events);
      deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
    }
  }

  /**
   * A new registration with its signing secret (shown once; never logged by the SDK).
   *
   * @param id webhook id
   * @param url endpoint
   * @param events event types
   * @param createdAt creation time
   * @param secret the signing secret
   */
  public record Registration(String id, String url, List<String> events, Instant createdAt, String secret) {
    @Override
    public String toString() {
      return "Registration{id=" + id + ", url=" + url + ", events=" + events + ", secret=REDACTED}";
    }
  }

  private record Items(List<Webhook> items) {}

  private record Ping(String eventId) {}

  private final ApiClient api;

  Webhooks(ApiClient api) {
    this.api = api;
  }

  /**
   * A verifier for deliveries signed with a registration's secret.
   *
   * @param secret the secret from {@link Registration#secret()}
   * @return the verifier (five-minute tolerance)
   */
  public static WebhookVerifier verifier(String secret) {
    return WebhookVerifier.builder().secret(secret).build();
  }

  private static ApiRequest registerRequest(String url, List<String> events) {
    if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
      throw new IllegalArgumentException("url must be an absolute http(s) URL, got " + (url == null ? "null"
          : "'" + url + "'"));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", url);
    body.put("events", events == null || events.isEmpty() ? List.of("*") : List.copyOf(events));
    return ApiRequest.builder("exchange.webhooks.register", "POST", "/exchange/v1/webhooks").json(body).build();
  }

  /**
   * Registers an endpoint.
   *
   * @param url absolute http(s) URL
   * @param events event types (order.requested, order.finalized, delivery.started, delivery.receipt_issued...), or
   *     empty/"*" for all
   * @return the registration with its secret
   */
  public Registration register(String url, List<String> events) {
    return api.call(registerRequest(url, events), Registration.class);
  }

  /**
   * Asynchronous {@link #register}.
   *
   * @param url URL
   * @param events event types
   * @return the registration
   */
  public CompletableFuture<Registration> registerAsync(String url, List<String> events) {
    return api.callAsync(registerRequest(url, events), Registration.class);
  }

  /**
   * Your endpoints.
   *
   * @return webhooks
   */
  public List<Webhook> list() {
    return api.call(ApiRequest.builder("exchange.webhooks.list", "GET", "/exchange/v1/webhooks").build(), Items.class)
        .items();
  }

  /**
   * Asynchronous {@link #list}.
   *
   * @return webhooks
   */
  public CompletableFuture<List<Webhook>> listAsync() {
    return api.callAsync(ApiRequest.builder("exchange.webhooks.list", "GET", "/exchange/v1/webhooks").build(),
        Items.class).thenApply(Items::items);
  }

  /**
   * One endpoint with its recent deliveries.
   *
   * @param webhookId id
   * @return the webhook
   */
  public Webhook get(String webhookId) {
    return api.call(simple("exchange.webhooks.get", "GET", "/exchange/v1/webhooks/{}", webhookId), Webhook.class);
  }

  /**
   * Asynchronous {@link #get}.
   *
   * @param webhookId id
   * @return the webhook
   */
  public CompletableFuture<Webhook> getAsync(String webhookId) {
    return api.callAsync(simple("exchange.webhooks.get", "GET", "/exchange/v1/webhooks/{}", webhookId),
        Webhook.class);
  }

  /**
   * Removes an endpoint.
   *
   * @param webhookId id
   */
  public void delete(String webhookId) {
    api.execute(simple("exchange.webhooks.delete", "DELETE", "/exchange/v1/webhooks/{}", webhookId));
  }

  /**
   * Asynchronous {@link #delete}.
   *
   * @param webhookId id
   * @return completion
   */
  public CompletableFuture<Void> deleteAsync(String webhookId) {
    return api.executeAsync(simple("exchange.webhooks.delete", "DELETE", "/exchange/v1/webhooks/{}", webhookId))
        .thenApply(r -> null);
  }

  /**
   * Sends a signed "ping" event to the endpoint.
   *
   * @param webhookId id
   * @return the event id
   */
  public String ping(String webhookId) {
    return api.call(pingRequest(webhookId), Ping.class).eventId();
  }

  /**
   * Asynchronous {@link #ping}.
   *
   * @param webhookId id
   * @return the event id
   */
  public CompletableFuture<String> pingAsync(String webhookId) {
    return api.callAsync(pingRequest(webhookId), Ping.class).thenApply(Ping::eventId);
  }

  private static ApiRequest pingRequest(String webhookId) {
    Catalog.requireId(webhookId, "webhookId");
    return ApiRequest.builder("exchange.webhooks.ping", "POST", "/exchange/v1/webhooks/{}/ping", webhookId)
        .json(Map.of()).build();
  }

  private static ApiRequest simple(String op, String method, String path, String id) {
    Catalog.requireId(id, "webhookId");
    return ApiRequest.builder(op, method, path, id).build();
  }

}
