package io.shudu.sandbox.internal.exchange;

import static io.shudu.sandbox.internal.exchange.ExchangeService.DELIVERY_PATH;
import static io.shudu.sandbox.internal.exchange.ExchangeService.ORDER_MACHINE;
import static io.shudu.sandbox.internal.exchange.ExchangeService.ORDER_PATH;
import static io.shudu.sandbox.internal.exchange.ExchangeService.P;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.ClientReferences;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.exchange.ExchangeService.Order;
import io.shudu.sandbox.internal.exchange.ExchangeService.Settings;
import io.shudu.sandbox.internal.exchange.ExchangeService.Transition;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exchange orders: creation (idempotent by client reference), listing, reads, the order state machine's transitions
 * with the counterparties' simulated progress, and waiting for a state ({@code /orders/{id}/await}).
 */
final class ExchangeOrders {
  private final ExchangeService svc;
  private final SandboxContext context;

  ExchangeOrders(ExchangeService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  String now() {
    return context.clock().instant().toString();
  }

  String newId(String prefix) {
    return prefix + "_" + Long.toString(System.currentTimeMillis(), 36) + Long.toString(svc.ids.incrementAndGet(), 36);
  }

  Settings settings(String tenant) {
    return svc.settings.getOrDefault(tenant, new Settings(true, 100, 100, false));
  }

  Response putSettings(Request q) {
    JsonNode b = q.json();
    Settings cur = settings(q.tenant());
    ExchangeService.checkIfMatch(q, "The tenant's sandbox settings", "settings", ExchangeService.etag(cur));
    boolean auto = b.has("autoProgress") ? b.get("autoProgress").asBoolean() : cur.autoProgress();
    long md = b.has("merchantDelayMs") ? b.get("merchantDelayMs").asLong(-1) : cur.merchantDelayMs();
    long ed = b.has("exchangeDelayMs") ? b.get("exchangeDelayMs").asLong(-1) : cur.exchangeDelayMs();
    if (md < 0 || md > 60_000) {
      throw Problem.validation("merchantDelayMs", "merchantDelayMs must be 0-60000.");
    }
    if (ed < 0 || ed > 60_000) {
      throw Problem.validation("exchangeDelayMs", "exchangeDelayMs must be 0-60000.");
    }
    JsonNode allow = b.get(WebhookTargets.SETTING);
    if (allow != null && !allow.isBoolean()) {
      throw Problem.validation(WebhookTargets.SETTING, WebhookTargets.SETTING + " must be true or false.");
    }
    Settings s = new Settings(auto, md, ed, allow == null ? cur.allowPrivateWebhookTargets() : allow.asBoolean());
    svc.settings.put(q.tenant(), s);
    return Response.ok(s).header("ETag", ExchangeService.etag(s));
  }

  Response createOrder(Request q) {
    JsonNode b = q.json();
    return svc.references.create(q.tenant(), "order", b, null, () -> {
      Response r = createOrder(q, b);
      return new ClientReferences.Created(r.headers().get("Location").substring((P + "/orders/").length()), r);
    }, id -> {
      Order o = svc.orders.get(id);
      synchronized (o) {
        return ExchangeService.withEtag(Response.ok(view(o)), o);
      }
    });
  }

  Response createOrder(Request q, JsonNode b) {
    String offerId = b.hasNonNull("offerId") ? b.get("offerId").asText() : null;
    if (offerId == null || offerId.isBlank()) {
      throw Problem.validation("offerId", "offerId is required: pick an offer from a product's offerIds.");
    }
    Catalog.Offer offer = svc.offer(offerId);
    Catalog.IntendedUse use;
    try {
      use = Json.mapper().treeToValue(b.get("intendedUse"), Catalog.IntendedUse.class);
    } catch (IOException e) {
      throw Problem.badRequest("intendedUse has the wrong shape: " + e.getMessage());
    }
    Catalog.DryRun dry = svc.catalog.dryRun(offer, use);
    if (!dry.allowed()) {
      throw new Problem(422, "policy_violation", "The intended use is not allowed by the offer",
          "The offer's usage policy does not allow this use: " + String.join(" ", dry.violations().stream()
              .map(Catalog.Violation::message).toList()) + " Run a dry-run first to see every reason.")
          .with("violations", dry.violations());
    }
    Catalog.Product p = svc.product(offer.productId());
    ExchangeWebhooks.take(svc.orderCounts, q.tenant(), svc.limits.maxOrdersPerTenant(), "maxOrdersPerTenant", "orders", "Orders are kept "
        + "for the sandbox's life: reuse existing orders (an Idempotency-Key or clientReference replays a create).");
    Order o = new Order(newId("ord"), q.tenant(), offer, p.latestVersion(), use, now());
    o.clientReference = ClientReferences.reference(b);
    synchronized (o) {
      svc.orders.put(o.id, o);
      svc.audit.appendAudit(o, "order.requested", ExchangeAudit.caller(q), "offer=" + offer.id() + ";version=" + o.productVersion
          + ";purpose=" + use.purpose());
      scheduleProgress(o);
      return ExchangeService.withEtag(Response.created(view(o), P + "/orders/" + o.id), o);
    }
  }

  Order order(Request q) {
    Order o = svc.orders.get(q.pathParam("id"));
    if (o == null || !o.tenant.equals(q.tenant())) {
      throw Problem.notFound("No order '" + q.pathParam("id") + "' for this tenant.");
    }
    return o;
  }

  Response listOrders(Request q) {
    String state = q.query("state");
    if (state != null && !ORDER_PATH.contains(state) && !state.equals("TERMINATED")) {
      throw Problem.validation("state", "state must be one of " + ORDER_PATH + " or TERMINATED, got '" + state + "'.");
    }
    String reference = q.query("clientReference");
    List<Order> mine = new ArrayList<>();
    for (Order o : svc.orders.values()) {
      if (o.tenant.equals(q.tenant()) && (reference == null || reference.equals(o.clientReference))) {
        mine.add(o);
      }
    }
    mine.sort((a, c) -> a.id.compareTo(c.id));
    List<Map<String, Object>> views = new ArrayList<>();
    for (Order o : mine) {
      synchronized (o) {
        if (state == null || o.state.equals(state)) {
          views.add(view(o));
        }
      }
    }
    int offset = Catalog.decodeCursor(q.query("cursor"));
    int limit = q.queryInt("limit", 50, 1, 1000);
    int end = Math.min(views.size(), offset + limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", offset >= views.size() ? List.of() : views.subList(offset, end));
    body.put("nextCursor", end < views.size() ? Catalog.encodeCursor(end) : null);
    return Response.ok(body);
  }

  /** Who has to act next: the actor of the step forward on the normal path, else of the first non-terminating step. */
  static String waitingOn(List<Transition> machine, String state) {
    List<String> path = machine == ORDER_MACHINE ? ORDER_PATH : DELIVERY_PATH;
    int at = path.indexOf(state);
    String fallback = null;
    for (Transition t : machine) {
      if (t.from().equals(state) && !t.action().equals("terminate")) {
        if (at >= 0 && at + 1 < path.size() && t.to().equals(path.get(at + 1))) {
          return t.actor();
        }
        fallback = fallback == null ? t.actor() : fallback;
      }
    }
    return fallback;
  }

  static String actorLabel(Transition t) {
    return t.action().equals("terminate") ? "buyer or merchant" : t.actor();
  }

  static List<Map<String, String>> next(List<Transition> machine, String state) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Transition t : machine) {
      if (t.from().equals(state)) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("action", t.action());
        m.put("actor", actorLabel(t));
        m.put("to", t.to());
        out.add(m);
      }
    }
    return out;
  }

  Map<String, Object> view(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id);
    m.put("offerId", o.offer.id());
    m.put("productId", o.offer.productId());
    m.put("productVersion", o.productVersion);
    m.put("merchantId", o.offer.merchantId());
    m.put("state", o.state);
    m.put("waitingOn", waitingOn(ORDER_MACHINE, o.state));
    m.put("nextActions", next(ORDER_MACHINE, o.state));
    m.put("intendedUse", o.use);
    m.put("deliveryIds", List.copyOf(o.deliveryIds));
    m.put("terminationReason", o.terminationReason);
    m.put("clientReference", o.clientReference);
    m.put("createdAt", o.createdAt);
    m.put("updatedAt", o.updatedAt);
    return m;
  }

  /** Applies a transition under the order's lock; invalid ones are a 409 naming the allowed ones. */
  static Transition transition(List<Transition> machine, String kind, String id, String state, String action) {
    for (Transition t : machine) {
      if (t.from().equals(state) && t.action().equals(action)) {
        return t;
      }
    }
    boolean known = machine.stream().anyMatch(t -> t.action().equals(action));
    if (!known) {
      throw Problem.validation("action", "Unknown " + kind + " action '" + action + "'; actions are "
          + machine.stream().map(Transition::action).distinct().toList() + ".");
    }
    List<String> allowed = machine.stream().filter(t -> t.from().equals(state))
        .map(t -> t.action() + " (" + actorLabel(t) + ") -> " + t.to()).toList();
    throw Problem.conflict("invalid_transition", "Cannot " + action + " " + kind + " " + id + " in state " + state
        + "; allowed transitions: " + (allowed.isEmpty() ? "none (the " + kind + " is final)"
        : String.join(", ", allowed)) + ".")
        .with("state", state).with("allowedActions", machine.stream().filter(t -> t.from().equals(state))
            .map(Transition::action).toList());
  }

  Response orderTransition(Request q) {
    Order o = order(q);
    JsonNode b = q.json();
    String action = b.hasNonNull("action") ? b.get("action").asText() : null;
    if (action == null) {
      throw Problem.validation("action", "action is required (offer, agree, verify, finalize or terminate).");
    }
    ExchangeAudit.refuseActor(b);
    String reason = b.hasNonNull("reason") ? b.get("reason").asText() : null;
    synchronized (o) {
      ExchangeService.checkIfMatch(q, "Order", o.id, ExchangeService.etag(o));
      Transition t = transition(ORDER_MACHINE, "order", o.id, o.state, action);
      String actor = ExchangeAudit.caller(q);
      if (action.equals("terminate")) {
        o.terminationReason = reason == null ? "terminated by " + actor : reason;
      }
      apply(o, t, actor, reason);
      return ExchangeService.withEtag(Response.ok(view(o)), o);
    }
  }

  void apply(Order o, Transition t, String actor, String reason) {
    o.state = t.to();
    o.version++;
    o.updatedAt = now();
    svc.audit.appendAudit(o, "order." + t.to().toLowerCase(Locale.ROOT), actor, reason == null ? "" : reason);
    o.notifyAll();
    scheduleProgress(o);
  }

  /** The sandbox's merchant and exchange act on their own after a delay when auto-progress is on. */
  void scheduleProgress(Order o) {
    Settings s = settings(o.tenant);
    String who = waitingOn(ORDER_MACHINE, o.state);
    if (!s.autoProgress() || who == null || who.equals("buyer")) {
      return;
    }
    String expected = o.state;
    long delay = who.equals("merchant") ? s.merchantDelayMs() : s.exchangeDelayMs();
    context.scheduler().schedule(() -> {
      synchronized (o) {
        if (o.state.equals(expected)) {
          for (Transition t : ORDER_MACHINE) {
            if (t.from().equals(expected) && !t.action().equals("terminate")) {
              apply(o, t, ExchangeAudit.counterparty(o, t.actor()), "automatic (sandbox " + t.actor() + ")");
              return;
            }
          }
        }
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  Response awaitOrder(Request q) {
    Order o = order(q);
    String state = q.query("state");
    if (state == null || ORDER_MACHINE.stream().noneMatch(t -> t.to().equals(state) || t.from().equals(state))) {
      throw Problem.validation("state", "state must be one of REQUESTED, OFFERED, AGREED, VERIFIED, FINALIZED, "
          + "TERMINATED, got '" + state + "'.");
    }
    long timeout = q.queryInt("timeoutMs", 10_000, 0, 30_000);
    long deadline = System.nanoTime() + timeout * 1_000_000L;
    synchronized (o) {
      while (!ExchangeService.reached(ORDER_PATH, o.state, state) && !o.state.equals("FINALIZED") && !o.state.equals("TERMINATED")) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        try {
          o.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return ExchangeService.withEtag(Response.ok(view(o)), o);
    }
  }
}
