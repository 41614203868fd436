package io.shudu.sandbox.internal.exchange;

import static io.shudu.sandbox.internal.exchange.ExchangeService.DELIVERY_MACHINE;
import static io.shudu.sandbox.internal.exchange.ExchangeService.DELIVERY_PATH;
import static io.shudu.sandbox.internal.exchange.ExchangeService.ORDER_MACHINE;
import static io.shudu.sandbox.internal.exchange.ExchangeService.P;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.ClientReferences;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.exchange.ExchangeService.Delivery;
import io.shudu.sandbox.internal.exchange.ExchangeService.Order;
import io.shudu.sandbox.internal.exchange.ExchangeService.Settings;
import io.shudu.sandbox.internal.exchange.ExchangeService.Transition;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exchange deliveries of a finalized order: creation, the delivery state machine, waiting for a state, the manifest,
 * the content download and the signed receipt.
 */
final class ExchangeDeliveries {
  private final ExchangeService svc;
  private final SandboxContext context;

  ExchangeDeliveries(ExchangeService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  Delivery delivery(Request q) {
    Delivery d = svc.deliveries.get(q.pathParam("id"));
    if (d == null || !d.order.tenant.equals(q.tenant())) {
      throw Problem.notFound("No delivery '" + q.pathParam("id") + "' for this tenant.");
    }
    return d;
  }

  Response createDelivery(Request q) {
    Order o = svc.orderFlow.order(q);
    JsonNode b = q.body().length == 0 ? Json.mapper().createObjectNode() : q.json();
    return svc.references.create(q.tenant(), "delivery", b, o.id, () -> {
      Response r = createDelivery(q, o, ClientReferences.reference(b));
      return new ClientReferences.Created(r.headers().get("Location").substring((P + "/deliveries/").length()), r);
    }, id -> {
      Delivery d = svc.deliveries.get(id);
      synchronized (d.order) {
        return ExchangeService.withEtag(Response.ok(view(d)), d);
      }
    });
  }

  Response createDelivery(Request q, Order o, String clientReference) {
    synchronized (o) {
      if (!o.state.equals("FINALIZED")) {
        throw Problem.conflict("order_not_finalized", "Order " + o.id + " is " + o.state + "; a delivery can be "
            + "requested once the order is FINALIZED" + (ExchangeOrders.waitingOn(ORDER_MACHINE, o.state) == null ? "."
            : " (waiting on the " + ExchangeOrders.waitingOn(ORDER_MACHINE, o.state) + ").")).with("state", o.state);
      }
    }
    Catalog.Product p = svc.product(o.offer.productId());
    Catalog.Version v = p.version(o.productVersion);
    Deliveries.Manifest m = svc.content.manifest(p.id(), v.version(), v.sizeBytes());
    ExchangeWebhooks.take(svc.deliveryCounts, o.tenant, svc.limits.maxDeliveriesPerTenant(), "maxDeliveriesPerTenant", "deliveries",
        "Deliveries are kept for the sandbox's life: download an existing delivery again instead of requesting a "
        + "new one.");
    synchronized (o) {
      Delivery d = new Delivery(svc.orderFlow.newId("dlv"), o, m, svc.orderFlow.now());
      d.clientReference = clientReference;
      svc.deliveries.put(d.id, d);
      o.deliveryIds.add(d.id);
      svc.audit.appendAudit(o, "delivery.requested", ExchangeAudit.caller(q), "delivery=" + d.id);
      scheduleDeliveryProgress(d);
      return ExchangeService.withEtag(Response.created(view(d), P + "/deliveries/" + d.id), d);
    }
  }

  Response deliveryTransition(Request q) {
    Delivery d = delivery(q);
    JsonNode b = q.json();
    String action = b.hasNonNull("action") ? b.get("action").asText() : null;
    if (action == null) {
      throw Problem.validation("action", "action is required (start, suspend, resume, complete or terminate).");
    }
    ExchangeAudit.refuseActor(b);
    synchronized (d.order) {
      ExchangeService.checkIfMatch(q, "Delivery", d.id, ExchangeService.etag(d));
      Transition t = ExchangeOrders.transition(DELIVERY_MACHINE, "delivery", d.id, d.state, action);
      if (action.equals("complete")) {
        String root = b.hasNonNull("merkleRoot") ? b.get("merkleRoot").asText() : null;
        if (root == null) {
          throw Problem.validation("merkleRoot", "Completing a delivery confirms what was received: send the "
              + "merkleRoot you computed over the bytes.");
        }
        if (!root.equalsIgnoreCase(d.manifest.root())) {
          throw Problem.conflict("merkle_root_mismatch", "The Merkle root you computed (" + root + ") differs from "
              + "the delivered content's root (" + d.manifest.root() + "); download again before completing.");
        }
      }
      applyDelivery(d, t, ExchangeAudit.caller(q));
      return ExchangeService.withEtag(Response.ok(view(d)), d);
    }
  }

  void applyDelivery(Delivery d, Transition t, String actor) {
    d.state = t.to();
    d.version++;
    d.updatedAt = svc.orderFlow.now();
    svc.audit.appendAudit(d.order, "delivery." + t.to().toLowerCase(Locale.ROOT), actor, "delivery=" + d.id
        + (t.to().equals("STARTED") || t.to().equals("COMPLETED") ? ";root=" + d.manifest.root() : ""));
    if (t.to().equals("STARTED") && d.receipt == null) {
      d.receipt = signReceipt(d);
      svc.audit.appendAudit(d.order, "delivery.receipt_issued", "exchange", "delivery=" + d.id + ";bytes="
          + d.manifest.size() + ";root=" + d.manifest.root());
    }
    d.order.notifyAll();
    scheduleDeliveryProgress(d);
  }

  void scheduleDeliveryProgress(Delivery d) {
    Settings s = svc.orderFlow.settings(d.order.tenant);
    if (!s.autoProgress() || !d.state.equals("REQUESTED")) {
      return;
    }
    context.scheduler().schedule(() -> {
      synchronized (d.order) {
        if (d.state.equals("REQUESTED")) {
          applyDelivery(d, DELIVERY_MACHINE.get(0), ExchangeAudit.counterparty(d.order, "merchant"));
        }
      }
    }, s.merchantDelayMs(), TimeUnit.MILLISECONDS);
  }

  Map<String, Object> signReceipt(Delivery d) {
    String issuedAt = svc.orderFlow.now();
    Deliveries.Manifest m = d.manifest;
    String msg = ExchangeCrypto.receiptMessage(d.id, d.order.id, m.productId(), m.version(), m.size(), m.root(),
        issuedAt, svc.signingKey.get().keyId());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("deliveryId", d.id);
    r.put("orderId", d.order.id);
    r.put("productId", m.productId());
    r.put("productVersion", m.version());
    r.put("byteCount", m.size());
    r.put("merkleRoot", m.root());
    r.put("issuedAt", issuedAt);
    r.put("keyId", svc.signingKey.get().keyId());
    r.put("algorithm", "Ed25519");
    r.put("signature", svc.signingKey.get().sign(msg));
    return r;
  }

  Response receipt(Request q) {
    Delivery d = delivery(q);
    synchronized (d.order) {
      if (d.receipt == null) {
        throw Problem.conflict("receipt_not_issued", "Delivery " + d.id + " is " + d.state + "; the exchange signs "
            + "the receipt when the merchant starts the delivery.").with("state", d.state);
      }
      return Response.ok(d.receipt);
    }
  }

  Response content(Request q) {
    Delivery d = delivery(q);
    synchronized (d.order) {
      if (!d.state.equals("STARTED") && !d.state.equals("COMPLETED")) {
        throw Problem.conflict("delivery_not_available", "Delivery " + d.id + " is " + d.state + "; content can be "
            + "downloaded while it is STARTED or COMPLETED" + (ExchangeOrders.waitingOn(DELIVERY_MACHINE, d.state) == null ? "."
            : " (waiting on the " + ExchangeOrders.waitingOn(DELIVERY_MACHINE, d.state) + ").")).with("state", d.state);
      }
    }
    return svc.content.serve(d.id, d.manifest, q.header("Range"), q.header("If-Range"));
  }

  Response awaitDelivery(Request q) {
    Delivery d = delivery(q);
    String state = q.query("state");
    if (state == null || DELIVERY_MACHINE.stream().noneMatch(t -> t.to().equals(state) || t.from().equals(state))) {
      throw Problem.validation("state", "state must be one of REQUESTED, STARTED, SUSPENDED, COMPLETED, TERMINATED, "
          + "got '" + state + "'.");
    }
    long timeout = q.queryInt("timeoutMs", 10_000, 0, 30_000);
    long deadline = System.nanoTime() + timeout * 1_000_000L;
    synchronized (d.order) {
      while (!ExchangeService.reached(DELIVERY_PATH, d.state, state) && !d.state.equals("COMPLETED")
          && !d.state.equals("TERMINATED")) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        try {
          d.order.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return ExchangeService.withEtag(Response.ok(view(d)), d);
    }
  }

  Response deliveryFault(Request q) {
    JsonNode b = q.json();
    String id = b.hasNonNull("deliveryId") ? b.get("deliveryId").asText() : null;
    Delivery d = svc.deliveries.get(id == null ? "" : id);
    if (d == null || !d.order.tenant.equals(q.tenant())) {
      throw Problem.notFound("No delivery '" + id + "' for this tenant: deliveryId must name one of this tenant's "
          + "deliveries.");
    }
    String kind = b.hasNonNull("kind") ? b.get("kind").asText() : "";
    if (!kind.equals("cut") && !kind.equals("flip")) {
      throw Problem.validation("kind", "kind must be 'cut' (close the connection) or 'flip' (flip one bit).");
    }
    long at = b.hasNonNull("atByte") ? b.get("atByte").asLong(-1) : -1;
    if (at < 0 || at >= d.manifest.size()) {
      throw Problem.validation("atByte", "atByte must be within the content (0-" + (d.manifest.size() - 1) + ").");
    }
    svc.content.faults.put(d.id, new Deliveries.ContentFault(kind, at));
    return Response.json(202, Map.of("deliveryId", d.id, "kind", kind, "atByte", at));
  }

  Map<String, Object> view(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id);
    m.put("orderId", d.order.id);
    m.put("productId", d.manifest.productId());
    m.put("productVersion", d.manifest.version());
    m.put("state", d.state);
    m.put("waitingOn", ExchangeOrders.waitingOn(DELIVERY_MACHINE, d.state));
    m.put("nextActions", ExchangeOrders.next(DELIVERY_MACHINE, d.state));
    m.put("sizeBytes", d.manifest.size());
    m.put("chunkSize", d.manifest.chunkSize());
    m.put("merkleRoot", d.state.equals("REQUESTED") ? null : d.manifest.root());
    m.put("clientReference", d.clientReference);
    m.put("createdAt", d.createdAt);
    m.put("updatedAt", d.updatedAt);
    return m;
  }
}
