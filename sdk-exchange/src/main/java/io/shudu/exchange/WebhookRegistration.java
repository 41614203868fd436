package io.shudu.exchange;

import java.time.Instant;
import java.util.List;

/**
 * A new registration with its signing secret (shown once; never logged by the SDK).
 *
 * @param id webhook id
 * @param url endpoint
 * @param events event types
 * @param createdAt creation time
 * @param secret the signing secret
 */
public record WebhookRegistration(String id, String url, List<String> events, Instant createdAt, String secret) {
  @Override
  public String toString() {
    return "WebhookRegistration{id=" + id + ", url=" + url + ", events=" + events + ", secret=REDACTED}";
  }
}
