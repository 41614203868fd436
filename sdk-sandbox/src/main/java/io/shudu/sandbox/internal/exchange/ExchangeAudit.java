package io.shudu.sandbox.internal.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.exchange.ExchangeService.AuditEvent;
import io.shudu.sandbox.internal.exchange.ExchangeService.Order;
import io.shudu.sandbox.internal.exchange.ExchangeService.Webhook;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit chain of each order: hash-linked events appended by every step, with the actor taken from the
 * authenticated tenant, and its listing ({@code /orders/{id}/audit}).
 */
final class ExchangeAudit {
  private final ExchangeService svc;
  private final SandboxContext context;

  ExchangeAudit(ExchangeService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  /**
   * The actor recorded for a caller's step: the authenticated tenant, never a value from the request (on the
   * platform the credentials say who acts; in the sandbox a tenant may also script the merchant's and the exchange's
   * steps, and the chain then records that the tenant took them).
   */
  static String caller(Request q) {
    return "tenant:" + q.tenant();
  }

  /** The actor recorded when the sandbox's merchant or exchange acts on its own. */
  static String counterparty(Order o, String role) {
    return role.equals("merchant") ? "merchant:" + o.offer.merchantId() : "exchange";
  }

  /** A request may not name its actor: the platform records the authenticated party. */
  static void refuseActor(JsonNode body) {
    if (body.has("actor")) {
      throw Problem.validation("actor", "actor is not accepted: the exchange records the authenticated caller "
          + "(tenant:<tenant id>) as the actor of every step it takes. Remove the actor member.");
    }
  }

  void appendAudit(Order o, String type, String actor, String detail) {
    String prev = o.audit.isEmpty() ? ExchangeCrypto.ZERO_HASH : o.audit.get(o.audit.size() - 1).hash();
    long seq = o.audit.size() + 1;
    String at = svc.orderFlow.now();
    String hash = ExchangeCrypto.auditHash(prev, seq, o.id, type, actor, at, detail);
    AuditEvent e = new AuditEvent(seq, o.id, type, actor, at, detail, prev, hash);
    o.audit.add(e);
    Map<String, Webhook> hooks = svc.webhooks.get(o.tenant);
    if (hooks != null) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("orderId", o.id);
      data.put("orderState", o.state);
      data.put("auditEvent", e);
      for (Webhook w : hooks.values()) {
        if (w.events().contains("*") || w.events().contains(type)) {
          svc.hooks.dispatch(w, type, o.id, data);
        }
      }
    }
  }

  Response audit(Request q) {
    Order o = svc.orderFlow.order(q);
    synchronized (o) {
      List<AuditEvent> events = List.copyOf(o.audit);
      String head = events.get(events.size() - 1).hash();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("orderId", o.id);
      m.put("events", events);
      m.put("headHash", head);
      ExchangeCrypto.Ed25519Key key = svc.signingKey.get();
      m.put("keyId", key.keyId());
      m.put("signature", key.sign(ExchangeCrypto.auditHeadMessage(o.id, events.size(), head, key.keyId())));
      return Response.ok(m);
    }
  }
}
