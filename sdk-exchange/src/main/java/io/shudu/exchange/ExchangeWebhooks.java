package io.shudu.exchange;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.WebhookVerifier;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Webhooks from the exchange to your endpoint: every order and delivery event (the same events as the audit chain)
 * is POSTed as JSON and signed with the platform's webhook scheme ({@code Shudu-Signature: t=<unix>,v1=<hex>}),
 * which {@link WebhookVerifier} checks. The signing secret is returned once, at registration. Every operation has a
 * blocking and an {@code ...Async} form that never throws; a delete accepts an {@code ifMatch} ETag from
 * {@link #getVersioned} (a stale one is a {@link io.shudu.core.PreconditionFailedException}).
 *
 * <pre>{@code
 * WebhookRegistration reg = exchange.webhooks().register("https://partner.example/hooks/exchange", List.of("*"));
 * WebhookVerifier verifier = ExchangeWebhooks.verifier(reg.secret());   // keep the secret in your secret store
 * // in your handler: verifier.verify(rawBody, request.getHeader(WebhookVerifier.HEADER));
 * }</pre>
 */
public interface ExchangeWebhooks {
  /**
   * A verifier for deliveries signed with a registration's secret.
   *
   * @param secret the secret from {@link WebhookRegistration#secret()}
   * @return the verifier (five-minute tolerance)
   */
  static WebhookVerifier verifier(String secret) {
    return WebhookVerifier.builder().secret(secret).build();
  }

  /**
   * A view of this API whose calls use per-call options.
   *
   * @param options the options
   * @return the view
   */
  ExchangeWebhooks withOptions(RequestOptions options);

  /**
   * Registers an endpoint.
   *
   * @param url absolute http(s) URL
   * @param events event types (order.requested, order.finalized, delivery.started, delivery.receipt_issued...), or
   *     empty/"*" for all
   * @return the registration with its secret
   */
  WebhookRegistration register(String url, List<String> events);

  /**
   * Async {@link #register}.
   *
   * @param url URL
   * @param events event types
   * @return the registration
   */
  CompletableFuture<WebhookRegistration> registerAsync(String url, List<String> events);

  /**
   * Your endpoints, page by page.
   *
   * @return webhooks
   */
  PagedIterable<Webhook> list();

  /**
   * One endpoint with its recent deliveries.
   *
   * @param webhookId id
   * @return the webhook
   */
  Webhook get(String webhookId);

  /**
   * Async {@link #get}.
   *
   * @param webhookId id
   * @return the webhook
   */
  CompletableFuture<Webhook> getAsync(String webhookId);

  /**
   * One endpoint with its ETag, for a conditional delete.
   *
   * @param webhookId id
   * @return the webhook and its ETag
   */
  Versioned<Webhook> getVersioned(String webhookId);

  /**
   * Async {@link #getVersioned}.
   *
   * @param webhookId id
   * @return the webhook and its ETag
   */
  CompletableFuture<Versioned<Webhook>> getVersionedAsync(String webhookId);

  /**
   * Removes an endpoint unconditionally.
   *
   * @param webhookId id
   */
  void delete(String webhookId);

  /**
   * Async {@link #delete(String)}.
   *
   * @param webhookId id
   * @return completion
   */
  CompletableFuture<Void> deleteAsync(String webhookId);

  /**
   * Removes an endpoint only if it is unchanged since it was read ({@code If-Match}).
   *
   * @param webhookId id
   * @param ifMatch the ETag from {@link #getVersioned}, or null for unconditional
   * @throws io.shudu.core.PreconditionFailedException if it changed since that read
   */
  void delete(String webhookId, String ifMatch);

  /**
   * Async {@link #delete(String, String)}.
   *
   * @param webhookId id
   * @param ifMatch the ETag, or null
   * @return completion
   */
  CompletableFuture<Void> deleteAsync(String webhookId, String ifMatch);

  /**
   * Sends a signed "ping" event to the endpoint.
   *
   * @param webhookId id
   * @return the event id
   */
  String ping(String webhookId);

  /**
   * Async {@link #ping}.
   *
   * @param webhookId id
   * @return the event id
   */
  CompletableFuture<String> pingAsync(String webhookId);
}
