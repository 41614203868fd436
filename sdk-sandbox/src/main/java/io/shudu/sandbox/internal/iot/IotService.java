package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import io.shudu.sandbox.internal.iot.IotStore.Ent;
import io.shudu.sandbox.internal.iot.IotStore.Kind;
import io.shudu.sandbox.internal.iot.IotStore.Nav;
import io.shudu.sandbox.internal.iot.IotStore.Prop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox implementation of OGC SensorThings API 1.0 ({@code /iot/v1.0}) and 1.1 ({@code /iot/v1.1}): sensing
 * core, filtering (all query options), create-update-delete with deep insert, the dataArray extension
 * ({@code POST CreateObservations}), seeded programme data and simulators that publish every new Observation to the
 * live feeds. See docs/api/iot.md.
 *
 * <p>Each tenant has its own copy of the SensorThings data: the instance registered with the router only dispatches
 * to a per-tenant instance (its own store, seeded from the sandbox seed on the tenant's first use, its own
 * simulators, and its own live feeds), so no tenant can read, change or delete what another tenant reads.
 */
public final class IotService implements SandboxService {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.iot");
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z]+)(?:\\((\\d+)\\))?");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String DEFAULT_FEED = "observations";

  private final SandboxContext context;
  /** The tenant this instance serves; null for the dispatching instance registered with the router. */
  private final String tenant;
  private final IotStore store = new IotStore();
  private final IotSeed demo;
  private final AtomicBoolean feedWarning = new AtomicBoolean();
  /** Per-tenant instances (dispatching instance only). */
  private final Map<String, IotService> tenants = new ConcurrentHashMap<>();
  private final Instant anchor;
  private boolean running;

  /** The dispatching instance: creates each tenant's SensorThings data on the tenant's first use. */
  public IotService(SandboxContext context) {
    this.context = context;
    this.tenant = null;
    this.anchor = context.clock().instant().truncatedTo(ChronoUnit.HOURS);
    this.demo = null;
    forTenant("demo"); // the default tenant's data is ready at start-up, as a partner's demo expects
    // feeds first: a tenant subscribing to "traffic" before any SensorThings call gets its own simulated feed
    context.feeds().onTenantUse(this::forTenant);
  }

  private IotService(SandboxContext context, String tenant, Instant anchor) {
    this.context = context;
    this.tenant = tenant;
    this.anchor = anchor;
    this.demo = new IotSeed(this, context, anchor);
    demo.seed();
    // the programme's feeds are the tenant's own from the start: a subscriber that connects before the first
    // observation (also without simulators) is on the feed its observations go to, never on a sandbox-wide one
    IotSeed.FEEDS.forEach(f -> context.feeds().declareOwned(tenant, f));
  }

  /** The tenant's own instance, seeded on first use (and simulating if the sandbox runs). */
  IotService forTenant(String name) {
    IotService own = tenants.get(name);
    if (own != null) {
      return own;
    }
    synchronized (tenants) {
      return tenants.computeIfAbsent(name, n -> {
        IotService s = new IotService(context, n, anchor);
        if (running) {
          s.demo.startSimulators();
        }
        return s;
      });
    }
  }

  @Override
  public void register(Router router) {
    router.prefix("/iot/", r -> forTenant(r.tenant()).handle(r));
  }

  @Override
  public void start() {
    synchronized (tenants) {
      running = true;
      tenants.values().forEach(s -> s.demo.startSimulators());
    }
  }

  @Override
  public void stop() {
    synchronized (tenants) {
      running = false;
      tenants.values().forEach(s -> s.demo.stopSimulators());
    }
  }

  SandboxContext context() {
    return context;
  }

  IotStore store() {
    return store;
  }

  // ------------------------------------------------------------------ request dispatch

  /** A parsed resource path. */
  private record Target(Kind kind, Ent entity, Ent parent, Nav via, List<String> property, boolean value,
      boolean ref) {
    boolean collection() {
      return entity == null && property == null;
    }
  }

  private Response handle(Request r) throws IOException {
    String path = r.path();
    String rest = path.substring("/iot/".length());
    int slash = rest.indexOf('/');
    String version = slash < 0 ? rest : rest.substring(0, slash);
    if (!version.equals("v1.0") && !version.equals("v1.1")) {
      throw Problem.notFound("No SensorThings endpoint at " + path + "; use /iot/v1.1 (or /iot/v1.0).");
    }
    String host = r.header("Host") == null ? "localhost" : r.header("Host");
    String base = "http://" + host + "/iot/" + version;
    String resource = slash < 0 ? "" : rest.substring(slash + 1);
    if (resource.endsWith("/")) {
      resource = resource.substring(0, resource.length() - 1);
    }
    String method = r.method().equals("HEAD") ? "GET" : r.method();
    Map<String, String> options = queryOptions(r.rawQuery());
    if (resource.isEmpty()) {
      requireMethod(method, "GET");
      return Response.ok(root(base, version));
    }
    if (resource.equals("CreateObservations")) {
      requireMethod(method, "POST");
      return createObservations(r, base, version);
    }
    if (resource.equals("$batch")) {
      requireMethod(method, "POST");
      return batch(r, base, version);
    }
    Target t = resolve(resource);
    return switch (method) {
      case "GET" -> get(t, options, base, resource);
      case "POST" -> post(t, r, base, version);
      case "PATCH" -> patch(t, r, base, version, false);
      case "PUT" -> patch(t, r, base, version, true);
      case "DELETE" -> delete(t, r);
      default -> throw Problem.methodNotAllowed("Method " + method + " is not supported by SensorThings; use GET, "
          + "POST, PATCH, PUT or DELETE.");
    };
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw Problem.methodNotAllowed("Method " + method + " is not allowed here; use " + allowed + ".")
          .header("Allow", allowed);
    }
  }

  private static Map<String, String> queryOptions(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : Request.parseQuery(raw, true).entrySet()) {
      String k = e.getKey();
      if (e.getValue().size() > 1 && k.startsWith("$")) {
        throw IotQuery.optionError(k, "Query option " + k + " is given more than once.");
      }
      out.put(k, e.getValue().get(e.getValue().size() - 1));
    }
    return out;
  }

  private Target resolve(String resource) {
    String[] segs = resource.split("/");
    Matcher m = SEGMENT.matcher(segs[0]);
    if (!m.matches() || Kind.ofPlural(m.group(1)) == null) {
      throw Problem.notFound("'" + segs[0] + "' is not a SensorThings entity set; use one of Things, Locations, "
          + "HistoricalLocations, Datastreams, MultiDatastreams, Sensors, ObservedProperties, Observations, "
          + "FeaturesOfInterest.");
    }
    Kind kind = Kind.ofPlural(m.group(1));
    Ent entity = m.group(2) == null ? null : store.require(kind, parseId(m.group(2)));
    Ent parent = null;
    Nav via = null;
    for (int i = 1; i < segs.length; i++) {
      String s = segs[i];
      if (s.equals("$ref")) {
        if (i != segs.length - 1) {
          throw Problem.notFound("$ref must be the last path segment.");
        }
        return new Target(kind, entity, parent, via, null, false, true);
      }
      if (entity == null) {
        throw Problem.notFound("After the collection " + kind.plural + " only an id in parentheses or $ref may "
            + "follow, not '" + s + "'.");
      }
      Matcher nm = SEGMENT.matcher(s);
      Nav nav = nm.matches() ? kind.nav(nm.group(1)) : null;
      if (nav != null) {
        if (!nav.plural) {
          if (nm.group(2) != null) {
            throw Problem.notFound(nav.name + " is a single entity; drop the id in parentheses.");
          }
          long id = entity.one[nav.slot];
          Ent next = id == 0 ? null : store.get(nav.target, id);
          if (next == null) {
            throw Problem.notFound(kind.singular + "(" + entity.id + ") has no " + nav.name + ".");
          }
          parent = entity;
          via = nav;
          kind = nav.target;
          entity = next;
        } else if (nm.group(2) != null) {
          long id = parseId(nm.group(2));
          if (!entity.many[nav.slot].set.contains(id)) {
            throw Problem.notFound(kind.singular + "(" + entity.id + ") has no " + nav.name + "(" + id + ").");
          }
          parent = entity;
          via = nav;
          kind = nav.target;
          entity = store.require(kind, id);
        } else {
          parent = entity;
          via = nav;
          kind = nav.target;
          entity = null;
        }
        continue;
      }
      Prop prop = kind.prop(s);
      if (prop == null) {
        throw Problem.notFound(kind.singular + " has no property or navigation '" + s + "' (properties: "
            + IotQuery.propNames(kind) + "; navigation: " + kind.navs.keySet() + ").");
      }
      List<String> props = new ArrayList<>();
      props.add(s);
      boolean value = false;
      for (int j = i + 1; j < segs.length; j++) {
        if (segs[j].equals("$value")) {
          if (j != segs.length - 1) {
            throw Problem.notFound("$value must be the last path segment.");
          }
          value = true;
        } else {
          props.add(segs[j]);
        }
      }
      return new Target(kind, entity, parent, via, props, value, false);
    }
    return new Target(kind, entity, parent, via, null, false, false);
  }

  private static long parseId(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw Problem.notFound("Entity ids are integers; '" + s + "' is not one.");
    }
  }

  // ------------------------------------------------------------------ reads

  private Map<String, Object> root(String base, String version) {
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

  private Response get(Target t, Map<String, String> options, String base, String resource) throws IOException {
    if (t.property != null) {
      return property(t);
    }
    IotQuery q = IotQuery.parse(options, t.kind);
    q.validate();
    if (q.resultFormat != null && q.resultFormat.equals("dataArray") && (t.kind != Kind.OBSERVATION
        || t.entity != null)) {
      throw IotQuery.optionError("$resultFormat", "$resultFormat=dataArray applies to Observation collections only.");
    }
    if (t.ref) {
      q.select = List.of("@iot.selfLink");
      q.expand.clear();
    }
    if (t.entity != null) {
      Ent e = t.entity;
      byte[] body = write(g -> writeEntity(g, e, q, base));
      return Response.bytes(200, "application/json", body).header("ETag", etag(e));
    }
    NavigableSet<Long> ids = t.parent == null ? store.table(t.kind).keySet() : t.parent.many[t.via.slot].set;
    String path = "/" + resource;
    // The whole answer is built (bounded) before the status is sent: an error in evaluating the query, or an answer
    // beyond the limit, is a 4xx problem and never a 200 with a truncated or empty body.
    AnswerBuffer answer = new AnswerBuffer();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(answer)) {
      g.writeStartObject();
      writeCollection(g, "", ids, t.kind, q, base, path, options, t.parent == null);
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

  private Response property(Target t) throws IOException {
    JsonNode v = t.entity.get(t.property.get(0));
    for (int i = 1; i < t.property.size() && v != null; i++) {
      v = v.get(t.property.get(i));
    }
    String name = t.property.get(t.property.size() - 1);
    if (v == null && t.property.size() > 1) {
      throw Problem.notFound(t.kind.singular + "(" + t.entity.id + ") has no value at " + String.join("/",
          t.property) + ".");
    }
    if (t.value) {
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
  private void writeCollection(JsonGenerator g, String prefix, NavigableSet<Long> ids, Kind kind, IotQuery q,
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
          if (e != null && IotQuery.matches(q.filter, e, store)) {
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
          if (e == null || (q.filter != null && !IotQuery.matches(q.filter, e, store))) {
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
          if (e != null && (q.filter == null || IotQuery.matches(q.filter, e, store))) {
            all.add(e);
          }
        }
        all.sort(IotQuery.comparator(q.orderBy, store));
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

  private String writeDataArray(JsonGenerator g, String name, NavigableSet<Long> ids, IotQuery q, int pageSize,
      String base, String path, Map<String, String> options) throws IOException {
    List<Ent> page = new ArrayList<>();
    String next = null;
    List<Ent> all = new ArrayList<>();
    for (Long id : ids) {
      q.examined();
      Ent e = store.get(Kind.OBSERVATION, id);
      if (e != null && (q.filter == null || IotQuery.matches(q.filter, e, store))) {
        all.add(e);
      }
    }
    if (!q.idOrder()) {
      all.sort(IotQuery.comparator(q.orderBy, store));
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

  private static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
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

  private static String nextLink(String base, String path, Map<String, String> options, String prefix,
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

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$")
        .replace("%2F", "/").replace("%2C", ",").replace("%27", "'").replace("%28", "(").replace("%29", ")");
  }

  private static boolean selected(IotQuery q, String name) {
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
          if (other != null && (sub.filter == null || IotQuery.matches(sub.filter, other, store))) {
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

  private byte[] entityJson(Ent e, String base) throws IOException {
    IotQuery all = new IotQuery(e.kind);
    return write(g -> writeEntity(g, e, all, base));
  }

  // ------------------------------------------------------------------ writes

  private JsonNode body(Request r) {
    String ct = r.header("Content-Type");
    if (ct != null && !ct.startsWith("application/json") && !ct.startsWith("application/merge-patch+json")
        && !ct.startsWith("text/plain")) {
      throw Problem.unsupportedMediaType("Send JSON (Content-Type: application/json), not " + ct + ".");
    }
    return r.json();
  }

  private Response post(Target t, Request r, String base, String version) throws IOException {
    if (t.ref) {
      return postRef(t, r);
    }
    if (!t.collection()) {
      throw Problem.methodNotAllowed("POST creates entities in a collection such as /Things or "
          + "/Datastreams(1)/Observations; use PATCH to change " + t.kind.singular + "(" + t.entity.id + ").")
          .header("Allow", "GET, PATCH, PUT, DELETE");
    }
    JsonNode json = body(r);
    Ent created;
    synchronized (store) {
      Nav implied = t.via == null ? null : t.via.inverse;
      validate(t.kind, json, version, "", implied == null ? null : implied.name);
      List<Ent> observations = new ArrayList<>();
      created = build(t.kind, json, implied, t.parent, observations);
      if (created.kind == Kind.LOCATION && t.parent != null && t.parent.kind == Kind.THING) {
        historicalLocation(t.parent);
      }
      publish(observations);
    }
    String location = base + "/" + created.kind.plural + "(" + created.id + ")";
    return Response.bytes(201, "application/json", entityJson(created, base)).header("Location", location)
        .header("ETag", etag(created));
  }

  private Response postRef(Target t, Request r) {
    if (t.parent == null || t.via == null || !t.via.plural || t.entity != null) {
      throw Problem.badRequest("POST $ref adds a link to a collection, such as /Things(1)/Locations/$ref with "
          + "{\"@iot.id\": 5}.");
    }
    JsonNode json = r.json();
    Ent other = store.require(t.kind, refId(json, "@iot.id"));
    synchronized (store) {
      store.link(t.parent, t.via, other);
      t.parent.version++;
      if (t.parent.kind == Kind.THING && t.via.name.equals("Locations")) {
        historicalLocation(t.parent);
      }
    }
    return Response.noContent();
  }

  private static long refId(JsonNode json, String field) {
    JsonNode id = json.get("@iot.id");
    if (id == null || !id.canConvertToLong()) {
      throw Problem.validation(field, "Give the related entity as {\"@iot.id\": <integer>}.");
    }
    return id.asLong();
  }

  private Response patch(Target t, Request r, String base, String version, boolean replace) throws IOException {
    if (t.entity == null || t.property != null || t.ref) {
      throw Problem.methodNotAllowed((replace ? "PUT" : "PATCH") + " applies to one entity, such as /Things(1).");
    }
    Ent e = t.entity;
    checkIfMatch(r, e);
    JsonNode json = body(r);
    if (!json.isObject()) {
      throw Problem.badRequest("The " + (replace ? "PUT" : "PATCH") + " body must be a JSON object.");
    }
    synchronized (store) {
      if (store.get(e.kind, e.id) == null) {
        throw Problem.notFound("No " + e.kind.singular + " with @iot.id " + e.id + ".");
      }
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
            if (requiredProp(e.kind, p, version)) {
              throw Problem.validation(name, name + " of " + e.kind.singular + " is required and cannot be removed.");
            }
            next.remove(name);
          } else {
            // RFC 7396: with application/merge-patch+json an object member (properties, parameters...) is merged
            // into the stored one; with application/json it replaces it, as SensorThings 1.0 services do
            JsonNode value = mergePatch ? Json.mergePatch(next.get(name), v) : v;
            checkProp(e.kind, p, value, name);
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
          if (requiredProp(e.kind, p, version) && !next.has(p.name())) {
            throw Problem.validation(p.name(), "PUT replaces the whole entity: " + p.name() + " is required.");
          }
        }
      }
      if (e.kind == Kind.OBSERVATION && next.has("result") && e.one("MultiDatastream") != 0) {
        checkMultiResult(store.get(Kind.MULTI_DATASTREAM, e.one("MultiDatastream")), next.get("result"), "result");
      }
      e.props = next;
      links.forEach(Runnable::run);
      e.version++;
    }
    return Response.bytes(200, "application/json", entityJson(e, base)).header("ETag", etag(e));
  }

  private Runnable relink(Ent e, Nav n, JsonNode v, String field) {
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
        historicalLocation(e);
      } else {
        others.forEach(o -> store.link(e, n, o));
      }
    };
  }

  private Ent existing(Kind k, JsonNode ref, String field) {
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

  private void checkIfMatch(Request r, Ent e) {
    String ifMatch = r.header("If-Match");
    if (ifMatch != null && !ifMatch.trim().equals("*") && !ifMatch.trim().equals(etag(e))) {
      throw Problem.preconditionFailed(e.kind.singular + "(" + e.id + ") has changed (ETag " + etag(e)
          + "); read it again and retry with the new ETag.");
    }
  }

  private Response delete(Target t, Request r) {
    if (t.ref && t.entity != null && t.parent != null && t.via != null) {
      synchronized (store) {
        store.unlink(t.parent, t.via, t.entity);
        t.parent.version++;
      }
      return Response.bytes(200, "application/json", new byte[0]);
    }
    if (t.entity == null || t.property != null || t.ref) {
      throw Problem.methodNotAllowed("DELETE applies to one entity, such as /Things(1), or to a link, such as "
          + "/Things(1)/Locations(2)/$ref.");
    }
    checkIfMatch(r, t.entity);
    synchronized (store) {
      store.delete(t.entity);
    }
    return Response.bytes(200, "application/json", new byte[0]);
  }

  // ------------------------------------------------------------------ create with deep insert

  private static boolean requiredProp(Kind k, Prop p, String version) {
    return p.required() && (!p.v10Only() || version.equals("v1.0"));
  }

  private static void checkProp(Kind k, Prop p, JsonNode v, String field) {
    switch (p.type()) {
      case STRING -> {
        if (!v.isTextual()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a string.");
        }
      }
      case OBJECT -> {
        if (!v.isObject()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a JSON object.");
        }
      }
      case ARRAY -> {
        if (!v.isArray()) {
          throw Problem.validation(field, field + " of " + k.singular + " must be a JSON array.");
        }
      }
      case TIME -> {
        if (!v.isTextual() || IotQuery.parseTime(v.asText()) == null || IotQuery.parseTime(v.asText()).interval()) {
          throw Problem.validation(field, field + " must be an ISO 8601 instant with an offset, such as "
              + "2024-05-01T08:00:00Z.");
        }
      }
      case TIME_INTERVAL -> {
        if (!v.isTextual() || IotQuery.parseTime(v.asText()) == null) {
          throw Problem.validation(field, field + " must be an ISO 8601 instant or interval (start/end) with offsets, "
              + "such as 2024-05-01T08:00:00Z or 2024-05-01T08:00:00Z/2024-05-01T09:00:00Z.");
        }
      }
      default -> { }
    }
    if ((p.name().equals("location") || p.name().equals("feature")) && v.isObject() && v.has("type")
        && !IotGeo.isGeoJson(v) && !v.path("type").asText().equals("Feature")) {
      throw Problem.validation(field, field + " must be a GeoJSON geometry such as {\"type\": \"Point\", "
          + "\"coordinates\": [121.25, 31.38]}.");
    }
    if (p.name().equals("unitOfMeasurement") && !v.isObject()) {
      throw Problem.validation(field, "unitOfMeasurement must be an object with name, symbol and definition.");
    }
  }

  /** Validates a create request, deep inserts included, before anything is stored. */
  private void validate(Kind k, JsonNode node, String version, String path, String impliedNav) {
    String where = path.isEmpty() ? "" : path + "/";
    if (!node.isObject()) {
      throw Problem.validation(path.isEmpty() ? "body" : path, "A " + k.singular + " must be a JSON object.");
    }
    if (node.has("@iot.id") && node.size() == 1 && !path.isEmpty()) {
      existing(k, node, path);
      return;
    }
    Set<String> navsGiven = new LinkedHashSet<>();
    if (impliedNav != null) {
      navsGiven.add(impliedNav);
    }
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      String name = f.getKey();
      if (name.startsWith("@iot.") || name.endsWith("@iot.navigationLink") || name.endsWith("@iot.count")) {
        continue;
      }
      Prop p = k.prop(name);
      if (p != null) {
        if (!f.getValue().isNull()) {
          checkProp(k, p, f.getValue(), where + name);
        }
        continue;
      }
      Nav n = k.nav(name);
      if (n == null) {
        throw Problem.validation(where + name, k.singular + " has no property or navigation '" + name + "'. "
            + "Properties: " + IotQuery.propNames(k) + "; navigation: " + k.navs.keySet() + ".");
      }
      if (n.plural) {
        if (!f.getValue().isArray()) {
          throw Problem.validation(where + name, name + " must be an array of " + n.target.plural + ".");
        }
        int i = 0;
        for (JsonNode item : f.getValue()) {
          validate(n.target, item, version, where + name + "[" + i++ + "]", n.inverse.name);
        }
        if (f.getValue().size() > 0) {
          navsGiven.add(name);
        }
      } else if (!f.getValue().isNull()) {
        validate(n.target, f.getValue(), version, where + name, n.inverse.name);
        navsGiven.add(name);
      }
    }
    for (Prop p : k.props) {
      JsonNode v = node.get(p.name());
      if (requiredProp(k, p, version) && (v == null || v.isNull())) {
        throw Problem.validation(where + p.name(), "A " + k.singular + " needs " + p.name() + ".");
      }
    }
    switch (k) {
      case DATASTREAM -> requireNavs(k, navsGiven, where, "Thing", "Sensor", "ObservedProperty");
      case MULTI_DATASTREAM -> {
        requireNavs(k, navsGiven, where, "Thing", "Sensor", "ObservedProperties");
        int units = node.get("unitOfMeasurements").size();
        if (node.get("multiObservationDataTypes").size() != units) {
          throw Problem.validation(where + "multiObservationDataTypes", "A MultiDatastream needs as many "
              + "multiObservationDataTypes as unitOfMeasurements (" + units + ").");
        }
        JsonNode ops = node.get("ObservedProperties");
        if (ops != null && ops.size() != units) {
          throw Problem.validation(where + "ObservedProperties", "A MultiDatastream needs as many "
              + "ObservedProperties as unitOfMeasurements (" + units + ").");
        }
      }
      case OBSERVATION -> {
        boolean ds = navsGiven.contains("Datastream");
        boolean mds = navsGiven.contains("MultiDatastream");
        if (ds == mds) {
          throw Problem.validation(where + "Datastream", "An Observation belongs to exactly one Datastream or "
              + "MultiDatastream: post it to /Datastreams(id)/Observations or give {\"Datastream\": {\"@iot.id\": "
              + "id}}.");
        }
        JsonNode mdsRef = node.get("MultiDatastream");
        if (mds && mdsRef != null && mdsRef.has("@iot.id") && mdsRef.size() == 1) {
          checkMultiResult(store.get(Kind.MULTI_DATASTREAM, mdsRef.get("@iot.id").asLong()), node.get("result"),
              where + "result");
        }
      }
      case HISTORICAL_LOCATION -> requireNavs(k, navsGiven, where, "Thing");
      default -> { }
    }
  }

  private void checkMultiResult(Ent mds, JsonNode result, String field) {
    if (mds == null) {
      return;
    }
    int n = mds.get("unitOfMeasurements").size();
    if (result == null || !result.isArray() || result.size() != n) {
      throw Problem.validation(field, "An Observation of MultiDatastream " + mds.id + " needs a result array of "
          + n + " values.");
    }
  }

  private static void requireNavs(Kind k, Set<String> given, String where, String... navs) {
    for (String n : navs) {
      if (!given.contains(n)) {
        throw Problem.validation(where + n, "A " + k.singular + " needs a " + n + ": link one with {\"" + n
            + "\": {\"@iot.id\": id}} or create it inline.");
      }
    }
  }

  /** Stores a validated entity tree. Callers hold the store lock. */
  Ent build(Kind k, JsonNode node, Nav implied, Ent impliedTarget, List<Ent> observations) {
    ObjectNode props = NODES.objectNode();
    for (Prop p : k.props) {
      JsonNode v = node.get(p.name());
      if (v != null && !v.isNull()) {
        props.set(p.name(), v);
      }
    }
    if (k == Kind.OBSERVATION && !props.has("phenomenonTime")) {
      props.put("phenomenonTime", now());
    }
    Ent e = store.add(k, props);
    if (implied != null && impliedTarget != null) {
      store.link(e, implied, impliedTarget);
    }
    boolean locationsChanged = k == Kind.THING && implied != null && implied.name.equals("Locations");
    for (Nav n : k.navs.values()) {
      JsonNode v = node.get(n.name);
      if (v == null || v.isNull()) {
        continue;
      }
      for (JsonNode item : n.plural ? v : List.of(v)) {
        boolean reference = item.has("@iot.id") && item.size() == 1;
        Ent other = reference ? store.get(n.target, item.get("@iot.id").asLong())
            : build(n.target, item, n.inverse, e, observations);
        store.link(e, n, other);
        if (k == Kind.THING && n.name.equals("Locations")) {
          locationsChanged = true;
        }
        if (k == Kind.LOCATION && n.name.equals("Things") && reference) {
          historicalLocation(other);
        }
      }
    }
    if (locationsChanged && k == Kind.THING) {
      historicalLocation(e);
    }
    if (k == Kind.OBSERVATION) {
      if (e.one("FeatureOfInterest") == 0) {
        store.link(e, k.nav("FeatureOfInterest"), featureFor(e));
      }
      observations.add(e);
    }
    return e;
  }

  private void historicalLocation(Ent thing) {
    ObjectNode p = NODES.objectNode();
    p.put("time", now());
    Ent hl = store.add(Kind.HISTORICAL_LOCATION, p);
    store.link(hl, Kind.HISTORICAL_LOCATION.nav("Thing"), thing);
    for (Long loc : thing.many("Locations")) {
      Ent l = store.get(Kind.LOCATION, loc);
      if (l != null) {
        store.link(hl, Kind.HISTORICAL_LOCATION.nav("Locations"), l);
      }
    }
  }

  private Ent featureFor(Ent observation) {
    long dsId = observation.one("Datastream");
    Ent stream = dsId != 0 ? store.get(Kind.DATASTREAM, dsId)
        : store.get(Kind.MULTI_DATASTREAM, observation.one("MultiDatastream"));
    Ent thing = stream == null ? null : store.get(Kind.THING, stream.one("Thing"));
    Long locId = thing == null || thing.many("Locations").isEmpty() ? null : thing.many("Locations").last();
    if (locId == null) {
      store.delete(observation);
      throw Problem.validation("FeatureOfInterest", "The Observation has no FeatureOfInterest and its Thing has no "
          + "Location to generate one from; give {\"FeatureOfInterest\": {...}}.");
    }
    Long foiId = store.generatedFeatures.get(locId);
    Ent foi = foiId == null ? null : store.get(Kind.FEATURE_OF_INTEREST, foiId);
    if (foi != null) {
      return foi;
    }
    Ent loc = store.get(Kind.LOCATION, locId);
    ObjectNode p = NODES.objectNode();
    p.set("name", loc.get("name"));
    p.put("description", loc.get("description") == null ? "Generated using location details: "
        + loc.get("name").asText() : loc.get("description").asText());
    p.set("encodingType", loc.get("encodingType"));
    p.set("feature", loc.get("location").deepCopy());
    foi = store.add(Kind.FEATURE_OF_INTEREST, p);
    store.generatedFeatures.put(locId, foi.id);
    return foi;
  }

  static String now() {
    // Instant.toString always writes seconds (OffsetDateTime.toString drops ":00")
    return java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  // ------------------------------------------------------------------ dataArray extension

  private Response createObservations(Request r, String base, String version) {
    JsonNode json = body(r);
    if (!json.isArray()) {
      throw Problem.badRequest("CreateObservations takes a JSON array of {\"Datastream\": {\"@iot.id\": id}, "
          + "\"components\": [...], \"dataArray\": [[...], ...]} objects.");
    }
    ArrayNode result = NODES.arrayNode();
    synchronized (store) {
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
        existing(streamNav.equals("Datastream") ? Kind.DATASTREAM : Kind.MULTI_DATASTREAM, streamRef,
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
            validate(Kind.OBSERVATION, obs, version, "", null);
            Ent e = build(Kind.OBSERVATION, obs, null, null, observations);
            result.add(base + "/Observations(" + e.id + ")");
          } catch (Problem p) {
            result.add("error");
          }
        }
      }
      publish(observations);
    }
    return Response.json(201, result);
  }

  // ------------------------------------------------------------------ JSON batch

  /**
   * OData JSON batch ({@code POST $batch}): {@code {"requests": [{"id": "1", "method": "post", "url": "Things",
   * "body": {...}}, ...]}}, run in order; each answer is {@code {"id", "status", "headers", "body"}}. A request may
   * refer to the entity created by an earlier one as {@code $<id>} at the start of its url.
   */
  private Response batch(Request r, String base, String version) throws IOException {
    JsonNode json = body(r);
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
        res = handle(sub);
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
        if (answerBytes > MAX_ANSWER_BYTES) {
          throw Problem.limit("maxAnswerBytes", MAX_ANSWER_BYTES, "The answers of this $batch add up to more than "
              + MAX_ANSWER_BYTES + " bytes (limit maxAnswerBytes) at " + where + "; send fewer or smaller reads "
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

  // ------------------------------------------------------------------ live feeds

  /** Creates one observation (simulators). Callers hold no lock. */
  Ent addObservation(long datastreamId, String phenomenonTime, JsonNode result) {
    synchronized (store) {
      Ent ds = store.get(Kind.DATASTREAM, datastreamId);
      if (ds == null) {
        return null;
      }
      ObjectNode o = NODES.objectNode();
      o.put("phenomenonTime", phenomenonTime);
      o.put("resultTime", phenomenonTime);
      o.set("result", result);
      o.set("Datastream", NODES.objectNode().put("@iot.id", datastreamId));
      List<Ent> created = new ArrayList<>();
      Ent e;
      try {
        e = build(Kind.OBSERVATION, o, null, null, created);
      } catch (Problem p) {
        return null;
      }
      publish(created);
      return e;
    }
  }

  /** The feed a datastream's observations go to: its own or its Thing's {@code properties.feed}. */
  String feedOf(Ent stream) {
    JsonNode f = stream.get("properties") == null ? null : stream.get("properties").get("feed");
    if (f == null) {
      Ent thing = store.get(Kind.THING, stream.one("Thing"));
      f = thing == null || thing.get("properties") == null ? null : thing.get("properties").get("feed");
    }
    return f != null && f.isTextual() ? f.asText() : DEFAULT_FEED;
  }

  /** The observation as feed subscribers receive it. */
  static ObjectNode feedPayload(Ent e) {
    ObjectNode o = NODES.objectNode();
    o.put("@iot.id", e.id);
    for (String p : List.of("phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters")) {
      JsonNode v = e.get(p);
      if (v != null) {
        o.set(p, v);
      } else if (p.equals("resultTime")) {
        o.putNull(p);
      }
    }
    long ds = e.one("Datastream");
    long mds = e.one("MultiDatastream");
    if (ds != 0) {
      o.set("Datastream", NODES.objectNode().put("@iot.id", ds));
    }
    if (mds != 0) {
      o.set("MultiDatastream", NODES.objectNode().put("@iot.id", mds));
    }
    long foi = e.one("FeatureOfInterest");
    if (foi != 0) {
      o.set("FeatureOfInterest", NODES.objectNode().put("@iot.id", foi));
    }
    return o;
  }

  /** Publishes new observations to their feeds, in creation order. Callers hold the store lock. */
  private void publish(List<Ent> observations) {
    for (Ent e : observations) {
      long dsId = e.one("Datastream");
      Ent stream = dsId != 0 ? store.get(Kind.DATASTREAM, dsId)
          : store.get(Kind.MULTI_DATASTREAM, e.one("MultiDatastream"));
      if (stream == null) {
        continue;
      }
      try {
        // the tenant's own feed of that name: whatever properties.feed says, never another tenant's feed
        context.feeds().publishOwned(tenant, feedOf(stream), "observation", Long.toString(stream.id),
            feedPayload(e));
      } catch (UnsupportedOperationException ex) {
        if (feedWarning.compareAndSet(false, true)) {
          LOG.warn("sandbox iot: live feeds are not available in this build; observations are stored only");
        }
      } catch (RuntimeException ex) {
        LOG.warn("sandbox iot: publishing observation {} failed: {}", e.id, ex.toString());
      }
    }
  }
}
