package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import io.shudu.sandbox.internal.iot.IotStore.Prop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SensorThings writes of one tenant's copy: POST into collections (with deep insert, see {@link IotDeepInsert}),
 * POST and DELETE of {@code $ref} links, PATCH (JSON or JSON Merge Patch) and PUT, DELETE with the specification's
 * cascades, and If-Match on every change.
 */
final class IotWrites {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final IotService svc;
  private final IotStore store;

  IotWrites(IotService svc) {
    this.svc = svc;
    this.store = svc.store();
  }

  JsonNode body(Request r) {
    String ct = r.header("Content-Type");
    if (ct != null && !ct.startsWith("application/json") && !ct.startsWith("application/merge-patch+json")
        && !ct.startsWith("text/plain")) {
      throw Problem.unsupportedMediaType("Send JSON (Content-Type: application/json), not " + ct + ".");
    }
    return r.json();
  }

  Response post(IotService.Target t, Request r, String base, String version) throws IOException {
    if (t.ref()) {
      return postRef(t, r);
    }
    if (!t.collection()) {
      throw Problem.methodNotAllowed("POST creates entities in a collection such as /Things or "
          + "/Datastreams(1)/Observations; use PATCH to change " + t.kind().singular + "(" + t.entity().id + ").")
          .header("Allow", "GET, PATCH, PUT, DELETE");
    }
    JsonNode json = body(r);
    Ent created;
    synchronized (store) {
      Nav implied = t.via() == null ? null : t.via().inverse;
      svc.inserts.validate(t.kind(), json, version, "", implied == null ? null : implied.name);
      store.checkRoom(IotDeepInsert.newEntities(json)); // the whole tree fits, or nothing of it is stored
      List<Ent> observations = new ArrayList<>();
      created = svc.inserts.build(t.kind(), json, implied, t.parent(), observations);
      if (created.kind == Kind.LOCATION && t.parent() != null && t.parent().kind == Kind.THING) {
        svc.inserts.historicalLocation(t.parent());
      }
      svc.feeds.publish(observations);
    }
    String location = base + "/" + created.kind.plural + "(" + created.id + ")";
    return Response.bytes(201, "application/json", svc.reads.entityJson(created, base)).header("Location", location)
        .header("ETag", IotReads.etag(created));
  }

  Response postRef(IotService.Target t, Request r) {
    if (t.parent() == null || t.via() == null || !t.via().plural || t.entity() != null) {
      throw Problem.badRequest("POST $ref adds a link to a collection, such as /Things(1)/Locations/$ref with "
          + "{\"@iot.id\": 5}.");
    }
    JsonNode json = r.json();
    Ent other = store.require(t.kind(), refId(json, "@iot.id"));
    synchronized (store) {
      store.link(t.parent(), t.via(), other);
      t.parent().version++;
      if (t.parent().kind == Kind.THING && t.via().name.equals("Locations")) {
        svc.inserts.historicalLocation(t.parent());
      }
    }
    return Response.noContent();
  }

  static long refId(JsonNode json, String field) {
    JsonNode id = json.get("@iot.id");
    if (id == null || !id.canConvertToLong()) {
      throw Problem.validation(field, "Give the related entity as {\"@iot.id\": <integer>}.");
    }
    return id.asLong();
  }

  Response patch(IotService.Target t, Request r, String base, String version, boolean replace) throws IOException {
    if (t.entity() == null || t.property() != null || t.ref()) {
      throw Problem.methodNotAllowed((replace ? "PUT" : "PATCH") + " applies to one entity, such as /Things(1).");
    }
    Ent e = t.entity();
    JsonNode json = body(r);
    if (!json.isObject()) {
      throw Problem.badRequest("The " + (replace ? "PUT" : "PATCH") + " body must be a JSON object.");
    }
    synchronized (store) {
      if (store.get(e.kind, e.id) == null) {
        throw Problem.notFound("No " + e.kind.singular + " with @iot.id " + e.id + ".");
      }
      checkIfMatch(r, e); // under the store's lock: two writers with the same ETag cannot both pass
      ObjectNode next = replace ? NODES.objectNode() : e.props.deepCopy();
      String contentType = r.header("Content-Type");
      boolean mergePatch = !replace && contentType != null && contentType.startsWith("application/merge-patch+json");
      List<Runnable> links = new ArrayList<>();
      for (Map.Entry<String, JsonNode> f : json.properties()) {
        String name = f.getKey();
        JsonNode v = f.getValue();
        if (name.startsWith("@iot.") || name.endsWith("@iot.navigationLink")) {
          continue;
        }
        Prop p = e.kind.prop(name);
        if (p != null) {
          if (v.isNull()) {
            if (IotDeepInsert.requiredProp(e.kind, p, version)) {
              throw Problem.validation(name, name + " of " + e.kind.singular + " is required and cannot be removed.");
            }
            next.remove(name);
          } else {
            // RFC 7396: with application/merge-patch+json an object member (properties, parameters...) is merged
            // into the stored one; with application/json it replaces it, as SensorThings 1.0 services do
            JsonNode value = mergePatch ? Json.mergePatch(next.get(name), v) : v;
            IotDeepInsert.checkProp(e.kind, p, value, name);
            next.set(name, value);
          }
          continue;
        }
        Nav n = e.kind.nav(name);
        if (n == null) {
          throw Problem.validation(name, e.kind.singular + " has no property or navigation '" + name + "'.");
        }
        links.add(relink(e, n, v, name));
      }
      if (replace) {
        for (Prop p : e.kind.props) {
          if (IotDeepInsert.requiredProp(e.kind, p, version) && !next.has(p.name())) {
            throw Problem.validation(p.name(), "PUT replaces the whole entity: " + p.name() + " is required.");
          }
        }
      }
      if (e.kind == Kind.OBSERVATION && next.has("result") && e.one("MultiDatastream") != 0) {
        svc.inserts.checkMultiResult(store.get(Kind.MULTI_DATASTREAM, e.one("MultiDatastream")), next.get("result"), "result");
      }
      e.props = next;
      links.forEach(Runnable::run);
      e.version++;
    }
    return Response.bytes(200, "application/json", svc.reads.entityJson(e, base)).header("ETag", IotReads.etag(e));
  }

  Runnable relink(Ent e, Nav n, JsonNode v, String field) {
    if (!n.plural) {
      if (!v.isObject() || v.size() != 1 || !v.has("@iot.id")) {
        throw Problem.validation(field, "Related entities cannot be changed inline; link an existing "
            + n.target.singular + " with {\"" + field + "\": {\"@iot.id\": <id>}}.");
      }
      Ent other = existing(n.target, v, field);
      return () -> store.link(e, n, other);
    }
    if (!v.isArray()) {
      throw Problem.validation(field, field + " must be an array of {\"@iot.id\": <id>} references.");
    }
    List<Ent> others = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isObject() || item.size() != 1 || !item.has("@iot.id")) {
        throw Problem.validation(field, "Related entities cannot be changed inline; give references "
            + "{\"@iot.id\": <id>} in " + field + ".");
      }
      others.add(existing(n.target, item, field));
    }
    return () -> {
      if (e.kind == Kind.THING && n.name.equals("Locations")) {
        for (Long old : List.copyOf(e.many[n.slot].set)) {
          Ent o = store.get(Kind.LOCATION, old);
          if (o != null) {
            store.unlink(e, n, o);
          }
        }
        others.forEach(o -> store.link(e, n, o));
        svc.inserts.historicalLocation(e);
      } else {
        others.forEach(o -> store.link(e, n, o));
      }
    };
  }

  Ent existing(Kind k, JsonNode ref, String field) {
    JsonNode id = ref.get("@iot.id");
    if (id == null || !id.canConvertToLong()) {
      throw Problem.validation(field, field + ": @iot.id must be an integer.");
    }
    Ent e = store.get(k, id.asLong());
    if (e == null) {
      throw Problem.validation(field, field + " refers to " + k.singular + " " + id.asLong()
          + ", which does not exist.");
    }
    return e;
  }

  void checkIfMatch(Request r, Ent e) {
    String ifMatch = r.header("If-Match");
    if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals(IotReads.etag(e))) {
      throw Problem.preconditionFailed(e.kind.singular + "(" + e.id + ") has changed (ETag " + IotReads.etag(e)
          + "); read it again and retry with the new ETag.");
    }
  }

  Response delete(IotService.Target t, Request r) {
    if (t.ref() && t.entity() != null && t.parent() != null && t.via() != null) {
      synchronized (store) {
        store.unlink(t.parent(), t.via(), t.entity());
        t.parent().version++;
      }
      return Response.bytes(200, "application/json", new byte[0]);
    }
    if (t.entity() == null || t.property() != null || t.ref()) {
      throw Problem.methodNotAllowed("DELETE applies to one entity, such as /Things(1), or to a link, such as "
          + "/Things(1)/Locations(2)/$ref.");
    }
    synchronized (store) {
      if (store.get(t.entity().kind, t.entity().id) == null) {
        throw Problem.notFound("No " + t.entity().kind.singular + " with @iot.id " + t.entity().id + ".");
      }
      checkIfMatch(r, t.entity()); // under the store's lock, like the update
      store.delete(t.entity());
    }
    return Response.bytes(200, "application/json", new byte[0]);
  }
}
