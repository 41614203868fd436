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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Twin relationships and traversal: create, read and delete relationships, list an entity's relationships, and
 * breadth-first traversal with direction, type and depth limits (also as of a past time).
 */
final class TwinTraversal {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;
  private final TwinService svc;
  private final SandboxContext context;

  TwinTraversal(TwinService svc) {
    this.svc = svc;
    this.context = svc.context();
  }

  Response createRelationship(Request r) {
    JsonNode doc = r.json();
    return svc.write(r, changes -> {
      TwinStore s = svc.store(r.tenant());
      String id = doc.hasNonNull("id") ? doc.get("id").asText() : null;
      ObjectNode props = NF.objectNode();
      JsonNode p = doc.get("properties");
      if (p != null && !p.isNull()) {
        if (!p.isObject()) {
          throw Problem.validation("properties", "properties must be an object of name -> {\"value\", \"unit\"}.");
        }
        TwinStore.Ent probe = s.build(NF.objectNode().put("id", "probe").put("type", "scene").set("properties", p),
            null, null, Instant.EPOCH, "relationship");
        props = probe.properties();
      }
      for (String f : List.of("type", "source", "target")) {
        if (!doc.path(f).isTextual() || doc.get(f).asText().isBlank()) {
          throw Problem.validation(f, f + " is required (a relationship has a type, a source and a target entity id).");
        }
      }
      TwinStore.Rel rel;
      try {
        rel = s.addRel(id, doc.get("type").asText(), doc.get("source").asText(),
            doc.get("target").asText(), props, s.stamp(), changes);
      } catch (Problem exists) {
        if (id != null && "relationship_exists".equals(exists.code())
            && svc.repeatsCreation(r, "relationship", id, doc)) {
          TwinStore.Rel existing = s.relationship(id);
          return Response.ok(existing.toJson()).header("Client-Reference-Replayed", "true")
              .header("ETag", existing.etag());
        }
        throw exists;
      }
      if (id != null) {
        svc.recordCreation(r, "relationship", id, doc);
      }
      return Response.created(rel.toJson(), TwinService.BASE + "/relationships/" + rel.id).header("ETag", rel.etag());
    });
  }

  Response getRelationship(Request r) {
    TwinStore s = svc.store(r.tenant());
    TwinStore.Rel rel = s.read(() -> s.relationship(r.pathParam("id")));
    return Response.ok(rel.toJson()).header("ETag", rel.etag());
  }

  Response deleteRelationship(Request r) {
    return svc.write(r, changes -> {
      TwinStore s = svc.store(r.tenant());
      TwinStore.Rel rel = s.relationship(r.pathParam("id"));
      String ifMatch = r.header("If-Match");
      if (ifMatch != null && !TwinService.etagMatches(ifMatch, rel.etag())) {
        throw Problem.preconditionFailed("Relationship '" + rel.id + "' is not the one you read: If-Match " + ifMatch
            + " does not match its ETag " + rel.etag() + " (it was deleted and created again). Read it again.")
            .header("ETag", rel.etag());
      }
      s.deleteRel(rel, s.stamp(), changes);
      return Response.noContent();
    });
  }

  Response listRelationships(Request r) {
    String id = r.pathParam("id");
    String direction = r.query("direction") == null ? "outgoing" : r.query("direction");
    if (!direction.equals("outgoing") && !direction.equals("incoming")) {
      throw Problem.validation("direction", "direction must be outgoing or incoming, got '" + direction + "'.");
    }
    Set<String> types = csv(r, "type");
    int limit = r.queryInt("limit", 100, 1, 1000);
    String hash = TwinQueries.queryHash(r) + id;
    long after = TwinQueries.decodeCursor(r.query("cursor"), Integer.toHexString(hash.hashCode()));
    TwinStore s = svc.store(r.tenant());
    List<TwinStore.Rel> found = s.read(() -> {
      s.require(id);
      List<TwinStore.Rel> l = new ArrayList<>();
      for (TwinStore.Rel rel : s.relationships(id, direction.equals("outgoing"))) {
        if (rel.seq > after && (types == null || types.contains(rel.type)) && l.size() <= limit) {
          l.add(rel);
        }
      }
      return l;
    });
    return TwinQueries.page(found, limit, Integer.toHexString(hash.hashCode()), TwinStore.Rel::toJson, rel -> rel.seq);
  }

  static Set<String> csv(Request r, String name) {
    List<String> vs = r.queryParams().get(name);
    if (vs == null || vs.isEmpty()) {
      return null;
    }
    Set<String> out = new HashSet<>();
    for (String v : vs) {
      for (String x : v.split(",")) {
        if (!x.isBlank()) {
          out.add(x.trim());
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  Response traverse(Request r) {
    String start = r.pathParam("id");
    int hops = r.queryInt("hops", 1, 1, 10);
    int limit = r.queryInt("limit", 1000, 1, 10_000);
    String direction = r.query("direction") == null ? "outgoing" : r.query("direction");
    if (!Set.of("outgoing", "incoming", "both").contains(direction)) {
      throw Problem.validation("direction", "direction must be outgoing, incoming or both, got '" + direction + "'.");
    }
    Set<String> relTypes = csv(r, "relationshipType");
    Set<String> entityTypes = csv(r, "entityType");
    if (entityTypes != null) {
      for (String t : entityTypes) {
        if (!TwinStore.TYPES.contains(t)) {
          throw Problem.validation("entityType", "entityType '" + t + "' is unknown; use one of "
              + new java.util.TreeSet<>(TwinStore.TYPES) + ".");
        }
      }
    }
    TwinStore s = svc.store(r.tenant());
    ObjectNode out = s.read(() -> {
      s.require(start);
      Map<String, Integer> depth = new LinkedHashMap<>();
      depth.put(start, 0);
      ArrayDeque<String> q = new ArrayDeque<>();
      q.add(start);
      List<TwinStore.Rel> rels = new ArrayList<>();
      boolean truncated = false;
      while (!q.isEmpty()) {
        String cur = q.poll();
        int d = depth.get(cur);
        if (d >= hops) {
          continue;
        }
        List<TwinStore.Rel> next = new ArrayList<>();
        if (!direction.equals("incoming")) {
          next.addAll(s.relationships(cur, true));
        }
        if (!direction.equals("outgoing")) {
          next.addAll(s.relationships(cur, false));
        }
        for (TwinStore.Rel rel : next) {
          if (relTypes != null && !relTypes.contains(rel.type)) {
            continue;
          }
          String o = rel.source.equals(cur) ? rel.target : rel.source;
          if (!depth.containsKey(o)) {
            if (depth.size() > limit) {
              truncated = true;
              break;
            }
            depth.put(o, d + 1);
            q.add(o);
          }
          rels.add(rel);
        }
      }
      ObjectNode res = NF.objectNode();
      res.put("start", start).put("hops", hops).put("direction", direction).put("truncated", truncated);
      ArrayNode nodes = res.putArray("nodes");
      depth.forEach((id, d) -> {
        TwinStore.Ent e = s.get(id);
        if (d > 0 && e != null && (entityTypes == null || entityTypes.contains(e.type()))) {
          nodes.addObject().put("depth", d).set("entity", e.toJson());
        }
      });
      ArrayNode ra = res.putArray("relationships");
      Set<String> seenRel = new HashSet<>();
      for (TwinStore.Rel rel : rels) {
        if (seenRel.add(rel.id)) {
          ra.add(rel.toJson());
        }
      }
      return res;
    });
    return Response.ok(out);
  }
}
