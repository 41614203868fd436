package io.shudu.sandbox.internal.exchange;

import static io.shudu.sandbox.internal.exchange.ExchangeService.P;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.WebhookVerifier;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.exchange.ExchangeService.Webhook;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchange webhooks: registration (with the target checks), listing, deletion, pings, and the signed delivery of
 * events through each tenant's own senders and queue.
 */
final class ExchangeWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.exchange");
  private final ExchangeService svc;
  private final SandboxContext context;

  ExchangeWebhooks(ExchangeService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  Webhook webhook(Request q) {
    Webhook w = svc.webhooks.getOrDefault(q.tenant(), Map.of()).get(q.pathParam("id"));
    if (w == null) {
      throw Problem.notFound("No webhook '" + q.pathParam("id") + "' for this tenant.");
    }
    return w;
  }

  static Map<String, Object> view(Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("url", w.url());
    m.put("events", w.events());
    m.put("createdAt", w.createdAt());
    synchronized (w.log()) {
      m.put("deliveries", List.copyOf(w.log()));
    }
    return m;
  }

  Response createWebhook(Request q) {
    JsonNode b = q.json();
    String url = b.hasNonNull("url") ? b.get("url").asText() : null;
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw Problem.validation("url", "url must be an absolute http(s) URL of your receiver, got "
          + (url == null ? "nothing" : "'" + url + "'") + ".");
    }
    try {
      java.net.URI.create(url).toURL();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      throw Problem.validation("url", "url is not a valid URL: " + e.getMessage());
    }
    WebhookTargets.check(url, svc.orderFlow.settings(q.tenant()).allowPrivateWebhookTargets());
    List<String> events = new ArrayList<>();
    if (b.has("events") && b.get("events").isArray()) {
      b.get("events").forEach(e -> events.add(e.asText()));
    }
    if (events.isEmpty()) {
      events.add("*");
    }
    byte[] secret = new byte[24];
    svc.random.nextBytes(secret);
    String s = "whsec_" + HexFormat.of().formatHex(secret);
    Webhook w = new Webhook(svc.orderFlow.newId("wh"), url, List.copyOf(events), s, svc.orderFlow.now(), new ArrayList<>(), q.tenant());
    Map<String, Webhook> mine = svc.webhooks.computeIfAbsent(q.tenant(), t -> new ConcurrentHashMap<>());
    synchronized (mine) {
      int max = svc.limits.maxWebhooksPerTenant();
      if (mine.size() >= max) {
        throw new Problem(429, "too_many_webhooks", "Too many webhooks", "This tenant already has " + max
            + " webhooks (limit maxWebhooksPerTenant). Delete one you no longer need (DELETE "
            + "/exchange/v1/webhooks/{id}), or start the sandbox with a higher limit (--limit "
            + "maxWebhooksPerTenant=<n>).").header("Retry-After", "60").with("limit", "maxWebhooksPerTenant")
            .with("max", max);
      }
      mine.put(w.id(), w);
    }
    Map<String, Object> body = view(w);
    body.put("secret", s);
    return Response.created(body, P + "/webhooks/" + w.id());
  }

  /** Takes one unit of a tenant's count, or refuses with 429 naming the limit (the count is unchanged then). */
  static void take(Map<String, java.util.concurrent.atomic.AtomicInteger> counts, String tenant, int max,
      String limit, String what, String advice) {
    java.util.concurrent.atomic.AtomicInteger c = counts.computeIfAbsent(tenant,
        t -> new java.util.concurrent.atomic.AtomicInteger());
    if (c.getAndUpdate(n -> n < max ? n + 1 : n) >= max) {
      throw new Problem(429, "too_many_" + what, "Too many " + what, "This tenant already has " + max + " " + what
          + " (limit " + limit + "). " + advice + " Or start the sandbox with a higher limit (--limit " + limit
          + "=<n>).").header("Retry-After", "60").with("limit", limit).with("max", max);
    }
  }

  /** Queues a signed POST of an event to a webhook (three attempts); returns the event id. */
  String dispatch(Webhook w, String type, String orderId, Map<String, Object> data) {
    String eventId = svc.orderFlow.newId("evt");
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", eventId);
    event.put("type", type);
    event.put("createdAt", svc.orderFlow.now());
    if (orderId != null) {
      event.put("orderId", orderId);
    }
    event.put("data", data);
    byte[] payload;
    try {
      payload = Json.mapper().writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (!svc.webhooksRunning) {
      return eventId;
    }
    ThreadPoolExecutor pool = svc.webhookPools.computeIfAbsent(svc.tenantOf(w), svc::webhookPool);
    try {
      pool.execute(() -> send(w, eventId, type, payload));
    } catch (RejectedExecutionException e) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("eventId", eventId);
      entry.put("type", type);
      entry.put("attempts", 0);
      entry.put("status", 0);
      entry.put("delivered", false);
      entry.put("lastError", "dropped: this tenant already has " + svc.webhookQueue + " webhook events queued "
          + "(webhookQueuePerTenant); make the receivers answer faster");
      synchronized (w.log()) {
        w.log().add(entry);
        if (w.log().size() > 200) {
          w.log().remove(0);
        }
      }
    }
    return eventId;
  }

  void send(Webhook w, String eventId, String type, byte[] payload) {
    String last = null;
    int attempts = 0;
    int status = 0;
    boolean allowPrivate = svc.orderFlow.settings(w.tenant()).allowPrivateWebhookTargets();
    String refused = allowPrivate ? null : WebhookTargets.refusal(w.url());
    for (int i = 0; i < 3; i++) {
      attempts++;
      if (refused != null) {
        last = refused;
        break;
      }
      String sig = WebhookVerifier.sign(w.secret(), context.clock().instant(), payload);
      okhttp3.Request req = new okhttp3.Request.Builder().url(w.url())
          .header("Shudu-Signature", sig).header("Shudu-Event-Id", eventId).header("Shudu-Event-Type", type)
          .header("User-Agent", "shudu-sandbox-exchange-webhooks/1")
          .post(RequestBody.create(payload, MediaType.get("application/json"))).build();
      try (okhttp3.Response resp = svc.targets.get().client(allowPrivate).newCall(req).execute()) {
        status = resp.code();
        if (status >= 200 && status < 300) {
          last = null;
          break;
        }
        last = "HTTP " + status;
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      try {
        Thread.sleep(200L * (i + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("eventId", eventId);
    entry.put("type", type);
    entry.put("attempts", attempts);
    entry.put("status", status);
    entry.put("delivered", last == null);
    if (last != null) {
      entry.put("lastError", last);
      LOG.debug("webhook {} to {} failed after {} attempts: {}", eventId, w.url(), attempts, last);
    }
    synchronized (w.log()) {
      w.log().add(entry);
      if (w.log().size() > 200) {
        w.log().remove(0);
      }
    }
  }
}
