package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import io.shudu.sandbox.internal.iot.IotStore.Prop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;

/**
 * SensorThings reads of one tenant's copy: the service root, collections with every query option (streamed to a
 * bounded buffer so that an evaluation error is a 400 before the first byte), single entities, properties and
 * {@code $value}, {@code $ref} listings, and the JSON writing of entities, ETags and navigation links.
 */
final class IotReads {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final IotService svc;
  private final IotStore store;

  IotReads(IotService svc) {
    this.svc = svc;
    this.store = svc.store();
  }

  Map<String, Object> root(String base, String version) {
    List<Map<String, String>> sets = new ArrayList<>();
    for (Kind k : Kind.values()) {
      sets.add(Map.of("name", k.plural, "url", base + "/" + k.plural));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("value", sets);
    if (version.equals("v1.1")) {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("conformance", List.of(
          "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
          "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
          "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
          "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
          "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
          "http://www.opengis.net/spec/iot_sensing/1.1/req/multi-datastream",
          "https://docs.shudu.io/iot/live-feeds"));
      out.put("serverSettings", settings);
    }
    return out;
  }

  Response get(IotService.Target t, Map<String, String> options, String base, String resource) throws IOException {
    if (t.property() != null) {
      return property(t);
    }
    IotQuery q = IotQuery.parse(options, t.kind());
    q.validate();
    if (q.resultFormat != null && q.resultFormat.equals("dataArray") && (t.kind() != Kind.OBSERVATION
        || t.entity() != null)) {
      throw IotQuery.optionError("$resultFormat", "$resultFormat=dataArray applies to Observation collections only.");
    }
    if (t.ref()) {
      q.select = List.of("@iot.selfLink");
      q.expand.clear();
    }
    if (t.entity() != null) {
      Ent e = t.entity();
      byte[] body = write(g -> writeEntity(g, e, q, base));
      return Response.bytes(200, "application/json", body).header("ETag", etag(e));
    }
    NavigableSet<Long> ids = t.parent() == null ? store.table(t.kind()).keySet() : t.parent().many[t.via().slot].set;
    String path = "/" + resource;
    // The whole answer is built (bounded) before the status is sent: an error in evaluating the query, or an answer
    // beyond the limit, is a 4xx problem and never a 200 with a truncated or empty body.
    AnswerBuffer answer = new AnswerBuffer();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(answer)) {
      g.writeStartObject();
      writeCollection(g, "", ids, t.kind(), q, base, path, options, t.parent() == null);
      g.writeEndObject();
    }
    return Response.stream(200, "application/json", answer.size(), answer::writeTo);
  }

  /** Largest SensorThings answer the sandbox builds for one request (all expansion levels), in bytes. */
  static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /** An answer collected in memory before its status is sent, refusing to grow beyond {@link #MAX_ANSWER_BYTES}. */
  static final class AnswerBuffer extends OutputStream {
    private static final int CHUNK = 64 * 1024;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current = new byte[4096];
    private int used;
    private long size;

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (size + len > MAX_ANSWER_BYTES) {
        throw Problem.limit("maxAnswerBytes", MAX_ANSWER_BYTES, "The answer would be larger than "
            + MAX_ANSWER_BYTES + " bytes (limit maxAnswerBytes); lower $top, $select fewer properties or expand "
            + "fewer levels, and follow @iot.nextLink.");
      }
      while (len > 0) {
        if (used == current.length) {
          if (current.length < CHUNK) {
            current = java.util.Arrays.copyOf(current, Math.min(CHUNK, current.length * 4));
          } else {
            chunks.add(current);
            current = new byte[CHUNK];
            used = 0;
          }
        }
        int n = Math.min(len, current.length - used);
        System.arraycopy(b, off, current, used, n);
        used += n;
        off += n;
        len -= n;
        size += n;
      }
    }

    long size() {
      return size;
    }

    void writeTo(OutputStream out) throws IOException {
      for (byte[] c : chunks) {
        out.write(c);
      }
      out.write(current, 0, used);
    }

    byte[] toByteArray() {
      ByteArrayOutputStream all = new ByteArrayOutputStream((int) size);
      for (byte[] c : chunks) {
        all.write(c, 0, c.length);
      }
      all.write(current, 0, used);
      return all.toByteArray();
    }
  }

  Response property(IotService.Target t) throws IOException {
    JsonNode v = t.entity().get(t.property().get(0));
    for (int i = 1; i < t.property().size() && v != null; i++) {
      v = v.get(t.property().get(i));
    }
    String name = t.property().get(t.property().size() - 1);
    if (v == null && t.property().size() > 1) {
      throw Problem.notFound(t.kind().singular + "(" + t.entity().id + ") has no value at " + String.join("/",
          t.property()) + ".");
    }
    if (t.value()) {
      if (v == null || v.isNull()) {
        return Response.noContent();
      }
      return v.isValueNode() ? Response.text(200, "text/plain; charset=utf-8", v.asText())
          : Response.bytes(200, "application/json", Json.mapper().writeValueAsBytes(v));
    }
    ObjectNode o = NODES.objectNode();
    o.set(name, v == null ? NODES.nullNode() : v);
    return Response.bytes(200, "application/json", Json.mapper().writeValueAsBytes(o));
  }

  /** Writes an entity set (top level: {@code value}; expanded: {@code Nav}) with count and next link. */
  void writeCollection(JsonGenerator g, String prefix, NavigableSet<Long> ids, Kind kind, IotQuery q,
      String base, String path, Map<String, String> options, boolean wholeTable) throws IOException {
    String name = prefix.isEmpty() ? "value" : prefix;
    String meta = prefix.isEmpty() ? "@iot." : prefix + "@iot.";
    if (q.count) {
      long n;
      if (q.filter == null) {
        n = wholeTable ? store.count(kind) : ids.size();
      } else {
        n = 0;
        for (Long id : ids) {
          q.examined();
          Ent e = store.get(kind, id);
          if (e != null && IotExprEval.matches(q.filter, e, store)) {
            n++;
          }
        }
      }
      g.writeNumberField(meta + "count", n);
    }
    int pageSize = q.top == null ? IotQuery.DEFAULT_TOP : q.top;
    boolean dataArray = "dataArray".equals(q.resultFormat) && kind == Kind.OBSERVATION;
    String next = null;
    if (dataArray) {
      next = writeDataArray(g, name, ids, q, pageSize, base, path, options);
    } else {
      g.writeArrayFieldStart(name);
      if (q.idOrder()) {
        Iterator<Long> it = (q.after == null ? ids : ids.tailSet(q.after, false)).iterator();
        int skipped = 0;
        int written = 0;
        long last = -1;
        while (it.hasNext()) {
          q.examined();
          Ent e = store.get(kind, it.next());
          if (e == null || (q.filter != null && !IotExprEval.matches(q.filter, e, store))) {
            continue;
          }
          if (q.after == null && skipped < q.skip) {
            skipped++;
            continue;
          }
          if (written == pageSize) {
            next = nextLink(base, path, options, prefix, null, last);
            break;
          }
          writeEntity(g, e, q, base);
          written++;
          last = e.id;
        }
      } else {
        List<Ent> all = new ArrayList<>();
        for (Long id : ids) {
          q.examined();
          Ent e = store.get(kind, id);
          if (e != null && (q.filter == null || IotExprEval.matches(q.filter, e, store))) {
            all.add(e);
          }
        }
        all.sort(IotExprEval.comparator(q.orderBy, store));
        int end = (int) Math.min(all.size(), (long) q.skip + pageSize);
        for (int i = Math.min(q.skip, all.size()); i < end; i++) {
          writeEntity(g, all.get(i), q, base);
        }
        if (end < all.size()) {
          next = nextLink(base, path, options, prefix, q.skip + pageSize, null);
        }
      }
      g.writeEndArray();
    }
    if (next != null) {
      g.writeStringField(meta + "nextLink", next);
    }
  }

  String writeDataArray(JsonGenerator g, String name, NavigableSet<Long> ids, IotQuery q, int pageSize,
      String base, String path, Map<String, String> options) throws IOException {
    List<Ent> page = new ArrayList<>();
    String next = null;
    List<Ent> all = new ArrayList<>();
    for (Long id : ids) {
      q.examined();
      Ent e = store.get(Kind.OBSERVATION, id);
      if (e != null && (q.filter == null || IotExprEval.matches(q.filter, e, store))) {
        all.add(e);
      }
    }
    if (!q.idOrder()) {
      all.sort(IotExprEval.comparator(q.orderBy, store));
    }
    int end = (int) Math.min(all.size(), (long) q.skip + pageSize);
    for (int i = Math.min(q.skip, all.size()); i < end; i++) {
      page.add(all.get(i));
    }
    if (end < all.size()) {
      next = nextLink(base, path, options, "", q.skip + pageSize, null);
    }
    Map<Long, List<Ent>> byStream = new LinkedHashMap<>();
    for (Ent e : page) {
      long ds = e.one("Datastream");
      byStream.computeIfAbsent(ds, k -> new ArrayList<>()).add(e);
    }
    List<String> components = List.of("id", "phenomenonTime", "resultTime", "result");
    g.writeArrayFieldStart(name);
    for (Map.Entry<Long, List<Ent>> s : byStream.entrySet()) {
      g.writeStartObject();
      if (s.getKey() != 0) {
        g.writeStringField("Datastream@iot.navigationLink", base + "/Datastreams(" + s.getKey() + ")");
      }
      g.writeArrayFieldStart("components");
      for (String c : components) {
        g.writeString(c);
      }
      g.writeEndArray();
      g.writeNumberField("dataArray@iot.count", s.getValue().size());
      g.writeArrayFieldStart("dataArray");
      for (Ent e : s.getValue()) {
        g.writeStartArray();
        g.writeNumber(e.id);
        writeNode(g, e.get("phenomenonTime"));
        writeNode(g, e.get("resultTime"));
        writeNode(g, e.get("result"));
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    return next;
  }

  static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
    if (n == null) {
      g.writeNull();
    } else {
      writeJson(g, n);
    }
  }

  /** Writes a JSON value directly (much cheaper than {@code writeTree}, which sets up a serializer per call). */
  static void writeJson(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case STRING -> g.writeString(n.textValue());
      case NUMBER -> {
        if (n.isInt()) {
          g.writeNumber(n.intValue());
        } else if (n.isLong()) {
          g.writeNumber(n.longValue());
        } else if (n.isDouble()) {
          g.writeNumber(n.doubleValue());
        } else if (n.isBigDecimal()) {
          g.writeNumber(n.decimalValue());
        } else if (n.isBigInteger()) {
          g.writeNumber(n.bigIntegerValue());
        } else {
          g.writeNumber(n.doubleValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(n.booleanValue());
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> f : n.properties()) {
          g.writeFieldName(f.getKey());
          writeJson(g, f.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode x : n) {
          writeJson(g, x);
        }
        g.writeEndArray();
      }
      default -> g.writeNull();
    }
  }

  static String nextLink(String base, String path, Map<String, String> options, String prefix,
      Integer skip, Long after) {
    if (!prefix.isEmpty()) {
      // an expanded collection continues at its own navigation link
      StringBuilder sb = new StringBuilder(base).append(path).append('/').append(prefix).append('?');
      if (skip != null) {
        sb.append("$skip=").append(skip);
      } else {
        sb.append("$skiptoken=").append(after);
      }
      return sb.toString();
    }
    StringBuilder sb = new StringBuilder(base).append(path);
    char sep = '?';
    for (Map.Entry<String, String> o : options.entrySet()) {
      if (o.getKey().equals("$skip") || o.getKey().equals("$skiptoken")) {
        continue;
      }
      sb.append(sep).append(enc(o.getKey())).append('=').append(enc(o.getValue()));
      sep = '&';
    }
    if (skip != null) {
      sb.append(sep).append("$skip=").append(skip);
    } else {
      sb.append(sep).append("$skiptoken=").append(after);
    }
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$")
        .replace("%2F", "/").replace("%2C", ",").replace("%27", "'").replace("%28", "(").replace("%29", ")");
  }

  static boolean selected(IotQuery q, String name) {
    return q.select == null || q.select.contains(name);
  }

  /** Writes one entity with its selected properties, navigation links and expansions. */
  void writeEntity(JsonGenerator g, Ent e, IotQuery q, String base) throws IOException {
    g.writeStartObject();
    String self = base + "/" + e.kind.plural + "(" + e.id + ")";
    if (selected(q, "@iot.id")) {
      g.writeNumberField("@iot.id", e.id);
    }
    if (selected(q, "@iot.selfLink")) {
      g.writeStringField("@iot.selfLink", self);
    }
    ObjectNode props = e.props;
    for (Prop p : e.kind.props) {
      if (!selected(q, p.name())) {
        continue;
      }
      JsonNode v = props.get(p.name());
      if (v != null) {
        g.writeFieldName(p.name());
        writeJson(g, v);
      } else if (e.kind == Kind.OBSERVATION && (p.name().equals("resultTime") || p.name().equals("phenomenonTime"))) {
        g.writeNullField(p.name());
      }
    }
    for (Nav n : e.kind.navs.values()) {
      IotQuery sub = q.expand.get(n.name);
      if (sub != null) {
        if (n.plural) {
          writeCollection(g, n.name, e.many[n.slot].set, n.target, sub, base,
              "/" + e.kind.plural + "(" + e.id + ")", Map.of(), false);
        } else {
          long id = e.one[n.slot];
          sub.examined();
          Ent other = id == 0 ? null : store.get(n.target, id);
          if (other != null && (sub.filter == null || IotExprEval.matches(sub.filter, other, store))) {
            g.writeFieldName(n.name);
            writeEntity(g, other, sub, base);
          }
        }
      } else if (selected(q, n.name)) {
        if (!n.plural && e.one[n.slot] == 0 && (n.name.equals("MultiDatastream") || n.name.equals("Datastream"))) {
          continue;
        }
        g.writeStringField(n.name + "@iot.navigationLink", self + "/" + n.name);
      }
    }
    g.writeEndObject();
  }

  static String etag(Ent e) {
    return "\"" + e.id + "-" + e.version + "\"";
  }

  /** A JSON writer callback. */
  @FunctionalInterface
  interface GenWriter {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] write(GenWriter w) throws IOException {
    AnswerBuffer bytes = new AnswerBuffer();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator((OutputStream) bytes)) {
      w.write(g);
    }
    return bytes.toByteArray();
  }

  byte[] entityJson(Ent e, String base) throws IOException {
    IotQuery all = new IotQuery(e.kind);
    return write(g -> writeEntity(g, e, all, base));
  }
}
