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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Atomic twin batches ({@code POST /twin/v1/batch}): every operation is staged and checked (If-Match, validation,
 * the tenant's entity limit) before any is applied; then all are applied under one write lock and their changes
 * published in order.
 */
final class TwinBatch {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private final TwinService svc;
  private final SandboxContext context;

  TwinBatch(TwinService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  Response batch(Request r) {
    JsonNode doc = r.json();
    JsonNode ops = doc.get("operations");
    if (ops == null || !ops.isArray() || ops.isEmpty()) {
      throw Problem.validation("operations", "operations must be a non-empty array of {op, id, entity|patch, "
          + "ifMatch}.");
    }
    if (ops.size() > TwinService.MAX_BATCH) {
      throw Problem.validation("operations", "A batch holds at most 1,000 operations, got " + ops.size()
          + "; split it into several batches (each is atomic on its own).");
    }
    return svc.write(r, changes -> {
      TwinStore s = svc.store(r.tenant());
      Map<String, TwinStore.Ent> staged = new HashMap<>();
      Set<String> deleted = new HashSet<>();
      List<Object[]> plan = new ArrayList<>();
      Instant at = s.stamp();
      for (int i = 0; i < ops.size(); i++) {
        JsonNode op = ops.get(i);
        try {
          plan.add(stage(s, op, i, staged, deleted, at));
        } catch (Problem p) {
          Problem wrapped = new Problem(p.status(), p.code(), p.title(), "operations[" + i + "] ("
              + op.path("op").asText("?") + " " + op.path("id").asText("?") + "): " + p.getMessage()
              + " Nothing in the batch was applied.");
          wrapped.extensions().putAll(p.extensions());
          wrapped.with("failedIndex", i);
          throw wrapped;
        }
      }
      long live = s.size();
      Map<String, Boolean> present = new HashMap<>();
      for (Object[] step : plan) { // the whole batch fits within the entity limit, or nothing of it is applied
        String id = step[0].equals("delete") ? (String) step[1] : ((TwinStore.Ent) step[1]).id();
        boolean was = present.computeIfAbsent(id, k -> s.get(k) != null);
        if (step[0].equals("delete") && was) {
          live--;
          present.put(id, false);
        } else if (!step[0].equals("delete") && !was) {
          live++;
          present.put(id, true);
        }
      }
      s.checkEntityRoom(live);
      ObjectNode out = NF.objectNode();
      ArrayNode results = out.putArray("results");
      for (int i = 0; i < plan.size(); i++) {
        Object[] step = plan.get(i);
        String kind = (String) step[0];
        ObjectNode res = results.addObject().put("index", i).put("op", kind);
        if (kind.equals("delete")) {
          String id = (String) step[1];
          s.delete(s.get(id), at, changes);
          res.put("id", id).put("status", 204);
        } else {
          TwinStore.Ent e = (TwinStore.Ent) step[1];
          boolean existed = s.get(e.id()) != null;
          TwinStore.Ent stored = s.put(e, changes, false); // checked for the whole batch above
          res.put("id", stored.id()).put("status", existed ? 200 : 201).put("version", stored.version())
              .put("etag", stored.etag());
        }
      }
      return Response.ok(out);
    });
  }

  static Object[] stage(TwinStore s, JsonNode op, int i, Map<String, TwinStore.Ent> staged,
      Set<String> deleted, Instant at) {
    if (!op.isObject()) {
      throw Problem.validation("operations[" + i + "]", "each operation must be an object.");
    }
    String kind = op.path("op").asText("");
    String id = op.path("id").asText(op.path("entity").path("id").asText(""));
    if (id.isEmpty()) {
      throw Problem.validation("operations[" + i + "].id", "id is required.");
    }
    TwinStore.Ent current = staged.containsKey(id) ? staged.get(id) : deleted.contains(id) ? null : s.get(id);
    String ifMatch = op.hasNonNull("ifMatch") ? op.get("ifMatch").asText() : null;
    TwinStore.Ent next;
    switch (kind) {
      case "create" -> {
        if (current != null) {
          throw Problem.conflict("entity_exists", "An entity with id '" + id + "' already exists.");
        }
        next = s.build(op.get("entity"), id, null, at, "operations[" + i + "].entity");
      }
      case "upsert" -> {
        TwinService.checkPreconditions(ifMatch, null, current, id);
        next = s.build(op.get("entity"), id, current, at, "operations[" + i + "].entity");
      }
      case "replace" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to replace.");
        }
        TwinService.checkPreconditions(ifMatch, null, current, id);
        next = s.build(op.get("entity"), id, current, at, "operations[" + i + "].entity");
      }
      case "update" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to update.");
        }
        TwinService.checkPreconditions(ifMatch, null, current, id);
        next = TwinService.applyPatch(s, current, op.get("patch"), "operations[" + i + "].patch");
      }
      case "delete" -> {
        if (current == null) {
          throw Problem.notFound("No twin entity with id '" + id + "' to delete.");
        }
        TwinService.checkPreconditions(ifMatch, null, current, id);
        staged.remove(id);
        deleted.add(id);
        return new Object[] {"delete", id};
      }
      default -> throw Problem.validation("operations[" + i + "].op", "op must be create, upsert, replace, update "
          + "or delete, got '" + kind + "'.");
    }
    staged.put(id, next);
    deleted.remove(id);
    return new Object[] {kind, next};
  }
}
