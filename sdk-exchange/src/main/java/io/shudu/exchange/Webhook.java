package io.shudu.exchange;

import java.time.Instant;
import java.util.List;

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
