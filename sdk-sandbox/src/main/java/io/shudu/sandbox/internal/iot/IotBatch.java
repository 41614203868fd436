package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bulk forms of SensorThings writes: the dataArray extension ({@code POST CreateObservations}) and OData JSON
 * batch ({@code POST $batch}), whose parts run in order and may refer to entities created by earlier parts.
 */
final class IotBatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final IotService svc;
  private final IotStore store;

  IotBatch(IotService svc) {
    this.svc = svc;
    this.store = svc.store();
  }

  Response createObservations(Request r, String base, String version) {
    JsonNode json = svc.writes.body(r);
    if (!json.isArray()) {
      throw Problem.badRequest("CreateObservations takes a JSON array of {\"Datastream\": {\"@iot.id\": id}, "
          + "\"components\": [...], \"dataArray\": [[...], ...]} objects.");
    }
    ArrayNode result = NODES.arrayNode();
    synchronized (store) {
      long rowCount = 0;
      for (JsonNode item : json) {
        rowCount += item.path("dataArray").size();
      }
      store.checkRoom(2 * rowCount); // an Observation may bring its generated FeatureOfInterest
      List<Ent> observations = new ArrayList<>();
      int block = 0;
      for (JsonNode item : json) {
        String where = "[" + block++ + "]";
        JsonNode components = item.get("components");
        JsonNode rows = item.get("dataArray");
        if (components == null || !components.isArray() || rows == null || !rows.isArray()) {
          throw Problem.validation(where, "Each CreateObservations item needs components and dataArray arrays.");
        }
        String streamNav = item.has("MultiDatastream") ? "MultiDatastream" : "Datastream";
        JsonNode streamRef = item.get(streamNav);
        if (streamRef == null) {
          throw Problem.validation(where + "/Datastream", "Each CreateObservations item needs "
              + "{\"Datastream\": {\"@iot.id\": id}}.");
        }
        svc.writes.existing(streamNav.equals("Datastream") ? Kind.DATASTREAM : Kind.MULTI_DATASTREAM, streamRef,
            where + "/" + streamNav);
        List<String> names = new ArrayList<>();
        for (JsonNode c : components) {
          String n = c.asText();
          if (!Set.of("phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters",
              "FeatureOfInterest/id").contains(n)) {
            throw Problem.validation(where + "/components", "Unknown component '" + n + "'; use phenomenonTime, "
                + "result, resultTime, resultQuality, validTime, parameters or FeatureOfInterest/id.");
          }
          names.add(n);
        }
        for (JsonNode row : rows) {
          ObjectNode obs = NODES.objectNode();
          obs.set(streamNav, streamRef);
          if (!row.isArray() || row.size() != names.size()) {
            result.add("error");
            continue;
          }
          for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals("FeatureOfInterest/id")) {
              obs.set("FeatureOfInterest", NODES.objectNode().set("@iot.id", row.get(i)));
            } else {
              obs.set(names.get(i), row.get(i));
            }
          }
          try {
            svc.inserts.validate(Kind.OBSERVATION, obs, version, "", null);
            Ent e = svc.inserts.build(Kind.OBSERVATION, obs, null, null, observations);
            result.add(base + "/Observations(" + e.id + ")");
          } catch (Problem p) {
            result.add("error");
          }
        }
      }
      svc.feeds.publish(observations);
    }
    return Response.json(201, result);
  }

  // ------------------------------------------------------------------ JSON batch

  /**
   * OData JSON batch ({@code POST $batch}): {@code {"requests": [{"id": "1", "method": "post", "url": "Things",
   * "body": {...}}, ...]}}, run in order; each answer is {@code {"id", "status", "headers", "body"}}. A request may
   * refer to the entity created by an earlier one as {@code $<id>} at the start of its url.
   */
  Response batch(Request r, String base, String version) throws IOException {
    JsonNode json = svc.writes.body(r);
    JsonNode requests = json.get("requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      throw Problem.validation("requests", "A $batch body is {\"requests\": [{\"id\": \"1\", \"method\": \"get\", "
          + "\"url\": \"Things(1)\"}, ...]}.");
    }
    if (requests.size() > 1000) {
      throw Problem.validation("requests", "A $batch holds at most 1,000 requests, got " + requests.size() + ".");
    }
    Map<String, String> created = new LinkedHashMap<>();
    ArrayNode answers = NODES.arrayNode();
    long answerBytes = 0;
    int i = 0;
    for (JsonNode item : requests) {
      String where = "requests[" + i++ + "]";
      String id = item.path("id").asText(Integer.toString(i));
      String method = item.path("method").asText("").toUpperCase(java.util.Locale.ROOT);
      String url = item.path("url").asText("");
      if (method.isEmpty() || url.isEmpty()) {
        throw Problem.validation(where, where + " needs a method and a url relative to the service root.");
      }
      if (url.startsWith("$")) {
        int end = url.indexOf('/') < 0 ? url.indexOf('?') : url.indexOf('?') < 0 ? url.indexOf('/')
            : Math.min(url.indexOf('/'), url.indexOf('?'));
        String ref = end < 0 ? url.substring(1) : url.substring(1, end);
        String target = created.get(ref);
        if (target == null) {
          throw Problem.validation(where + "/url", where + " refers to $" + ref + ", which no earlier request created.");
        }
        url = target + (end < 0 ? "" : url.substring(end));
      }
      if (url.startsWith(base)) {
        url = url.substring(base.length());
      }
      if (!url.startsWith("/")) {
        url = "/" + url;
      }
      url = url.replace(" ", "%20");
      String subPath = url.indexOf('?') < 0 ? url : url.substring(0, url.indexOf('?'));
      if (subPath.equals("/$batch") || subPath.startsWith("/$batch/")) {
        throw Problem.validation(where + "/url", where + " is a $batch; a $batch cannot contain another $batch.");
      }
      byte[] reqBody = item.has("body") ? Json.mapper().writeValueAsBytes(item.get("body")) : new byte[0];
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("Host", List.of(r.header("Host") == null ? "localhost" : r.header("Host")));
      headers.put("Content-Type", List.of("application/json"));
      item.path("headers").properties().forEach(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
      ObjectNode answer = answers.addObject();
      answer.put("id", id);
      Response res;
      try {
        Request sub = new Request(method, java.net.URI.create(r.path().substring(0, r.path().length()
            - "$batch".length() - 1) + url), headers, reqBody, r.requestId() + "-" + id, r.tenant(), Map.of());
        res = svc.handle(sub);
      } catch (Problem p) {
        answer.put("status", p.status());
        ObjectNode problem = answer.putObject("body");
        problem.put("status", p.status());
        problem.put("code", p.code());
        problem.put("title", p.title());
        problem.put("detail", p.getMessage());
        continue;
      } catch (IllegalArgumentException e) {
        answer.put("status", 400);
        answer.putObject("body").put("detail", e.getMessage());
        continue;
      }
      answer.put("status", res.status());
      ObjectNode h = answer.putObject("headers");
      res.headers().forEach(h::put);
      String location = res.headers().get("Location");
      if (location != null) {
        created.put(id, location.substring(base.length()));
      }
      byte[] bytes = res.bytes();
      if (bytes == null && res.writer() != null) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        res.writer().write(buf);
        bytes = buf.toByteArray();
      }
      if (bytes != null && bytes.length > 0) {
        answerBytes += bytes.length;
        if (answerBytes > IotReads.MAX_ANSWER_BYTES) {
          throw Problem.limit("maxAnswerBytes", IotReads.MAX_ANSWER_BYTES, "The answers of this $batch add up to more than "
              + IotReads.MAX_ANSWER_BYTES + " bytes (limit maxAnswerBytes) at " + where + "; send fewer or smaller reads "
              + "per batch.");
        }
        String ct = res.headers().getOrDefault("Content-Type", "");
        if (ct.startsWith("application/json")) {
          answer.set("body", Json.mapper().readTree(bytes));
        } else {
          answer.put("body", new String(bytes, StandardCharsets.UTF_8));
        }
      }
    }
    ObjectNode out = NODES.objectNode();
    out.set("responses", answers);
    return Response.json(200, out);
  }
}
