package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Twin history: the values of one property over time ({@code /entities/{id}/history}) and an entity as it was at a
 * past instant ({@code /entities/{id}/snapshot}), from the versions the tenant's history retention keeps.
 */
final class TwinHistory {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private final TwinService svc;
  private final SandboxContext context;

  TwinHistory(TwinService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  static Instant instant(Request r, String name, Instant def) {
    String v = r.query(name);
    if (v == null || v.isEmpty()) {
      if (def == null) {
        throw Problem.validation(name, "Query parameter '" + name + "' is required: an ISO-8601 instant such as "
            + "2026-01-01T00:00:00Z.");
      }
      return def;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw Problem.validation(name, name + " must be an ISO-8601 instant in UTC such as 2026-01-01T08:00:00Z, got '"
          + v + "'.");
    }
  }

  Response history(Request r) {
    String id = r.pathParam("id");
    String prop = TwinService.required(r, "property");
    Instant from = instant(r, "from", Instant.EPOCH);
    Instant to = instant(r, "to", Instant.now(context.clock()).plusSeconds(1));
    if (from.isAfter(to)) {
      throw Problem.validation("from", "from (" + from + ") must not be after to (" + to + ").");
    }
    TwinStore s = svc.store(r.tenant());
    ObjectNode out = s.read(() -> {
      List<TwinStore.Ent> versions = s.versions(id);
      if (versions.isEmpty()) {
        throw Problem.notFound("No twin entity with id '" + id + "' ever existed.");
      }
      ObjectNode res = NF.objectNode();
      res.put("entityId", id).put("property", prop).put("from", from.toString()).put("to", to.toString());
      ArrayNode values = res.putArray("values");
      ObjectNode open = null;
      JsonNode openValue = null;
      for (int i = 0; i < versions.size(); i++) {
        TwinStore.Ent v = versions.get(i);
        Instant start = v.updatedAt();
        Instant end = i + 1 < versions.size() ? versions.get(i + 1).updatedAt() : null;
        if (start.isAfter(to) || (end != null && !end.isAfter(from))) {
          continue;
        }
        JsonNode pv = v.deleted() ? null : v.properties().get(prop);
        if (open != null && java.util.Objects.equals(openValue, pv)) {
          if (end == null) {
            open.remove("validTo");
          } else {
            open.put("validTo", end.toString());
          }
          continue;
        }
        if (v.deleted()) {
          open = null;
          openValue = null;
          continue;
        }
        open = values.addObject();
        open.put("version", v.version()).put("validFrom", start.toString());
        if (end != null) {
          open.put("validTo", end.toString());
        }
        if (pv == null) {
          open.putNull("value");
        } else {
          open.set("value", pv.get("value"));
          if (pv.has("unit")) {
            open.put("unit", pv.get("unit").asText());
          }
        }
        openValue = pv;
      }
      return res;
    });
    return Response.ok(out);
  }

  Response snapshot(Request r) {
    String id = r.pathParam("id");
    Instant at = instant(r, "at", null);
    TwinStore s = svc.store(r.tenant());
    ObjectNode out = s.read(() -> {
      TwinStore.Ent e = s.asOf(id, at);
      if (e == null) {
        throw Problem.notFound("Entity '" + id + "' did not exist at " + at + ".");
      }
      ObjectNode res = NF.objectNode();
      res.put("at", at.toString());
      res.set("entity", e.toJson());
      ArrayNode outRel = res.putArray("outgoing");
      s.relationshipsAt(id, true, at).forEach(x -> outRel.add(strip(x.toJson())));
      ArrayNode inRel = res.putArray("incoming");
      s.relationshipsAt(id, false, at).forEach(x -> inRel.add(strip(x.toJson())));
      return res;
    });
    return Response.ok(out);
  }

  static ObjectNode strip(ObjectNode rel) {
    rel.remove("deletedAt");
    return rel;
  }
}
