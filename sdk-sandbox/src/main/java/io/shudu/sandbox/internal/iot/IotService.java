package io.shudu.sandbox.internal.iot;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sandbox implementation of OGC SensorThings API 1.0 ({@code /iot/v1.0}) and 1.1 ({@code /iot/v1.1}): sensing
 * core, filtering (all query options), create-update-delete with deep insert, the dataArray extension
 * ({@code POST CreateObservations}), seeded programme data and simulators that publish every new Observation to the
 * live feeds. See docs/api/iot.md.
 *
 * <p>Each tenant has its own copy of the SensorThings data: the instance registered with the router only dispatches
 * to a per-tenant instance (its own store, seeded from the sandbox seed on the tenant's first use, its own
 * simulators, and its own live feeds), so no tenant can read, change or delete what another tenant reads.
 *
 * <p>This class resolves requests to their resource and dispatches them; each concern of a tenant's instance has its
 * own file: reads ({@link IotReads}), writes ({@link IotWrites}), deep insert ({@link IotDeepInsert}), the dataArray
 * extension and {@code $batch} ({@link IotBatch}), live feeds ({@link IotFeeds}); query options are
 * {@link IotQuery}, expressions {@link IotExpr}.
 */
public final class IotService implements SandboxService {
  static final Pattern SEGMENT = Pattern.compile("([A-Za-z]+)(?:\\((\\d+)\\))?");
  static final String DEFAULT_FEED = "observations";

  private final SandboxContext context;
  /** The tenant this instance serves; null for the dispatching instance registered with the router. */
  private final String tenant;
  private final IotStore store = new IotStore();
  private final IotSeed demo;
  /** The concerns of a tenant's instance (null in the dispatching instance). */
  final IotReads reads;
  final IotWrites writes;
  final IotDeepInsert inserts;
  final IotBatch batches;
  final IotFeeds feeds;
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
    this.reads = null;
    this.writes = null;
    this.inserts = null;
    this.batches = null;
    this.feeds = null;
    forTenant("demo"); // the default tenant's data is ready at start-up, as a partner's demo expects
    // feeds first: a tenant subscribing to "traffic" before any SensorThings call gets its own simulated feed
    context.feeds().onTenantUse(this::forTenant);
  }

  private IotService(SandboxContext context, String tenant, Instant anchor) {
    this.context = context;
    this.tenant = tenant;
    this.anchor = anchor;
    this.reads = new IotReads(this);
    this.writes = new IotWrites(this);
    this.inserts = new IotDeepInsert(this);
    this.batches = new IotBatch(this);
    this.feeds = new IotFeeds(this);
    this.demo = new IotSeed(this, context, anchor);
    demo.seed();
    store.maxEntities(context.limits().maxIotEntitiesPerTenant()); // the seed itself is never refused
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

  /** The tenant this instance serves. */
  String tenant() {
    return tenant;
  }

  /** Stores a validated entity tree (the seed's entry point, see {@link IotDeepInsert#build}). */
  Ent build(Kind k, JsonNode node, Nav implied, Ent impliedTarget, List<Ent> observations) {
    return inserts.build(k, node, implied, impliedTarget, observations);
  }

  /** Creates one observation and publishes it (simulators, see {@link IotFeeds#addObservation}). */
  Ent addObservation(long datastreamId, String phenomenonTime, JsonNode result) {
    return feeds.addObservation(datastreamId, phenomenonTime, result);
  }

  // ------------------------------------------------------------------ request dispatch

  /** A parsed resource path. */
  record Target(Kind kind, Ent entity, Ent parent, Nav via, List<String> property, boolean value,
      boolean ref) {
    boolean collection() {
      return entity == null && property == null;
    }
  }

  Response handle(Request r) throws IOException {
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
      return Response.ok(reads.root(base, version));
    }
    if (resource.equals("CreateObservations")) {
      requireMethod(method, "POST");
      return batches.createObservations(r, base, version);
    }
    if (resource.equals("$batch")) {
      requireMethod(method, "POST");
      return batches.batch(r, base, version);
    }
    Target t = resolve(resource);
    return switch (method) {
      case "GET" -> reads.get(t, options, base, resource);
      case "POST" -> writes.post(t, r, base, version);
      case "PATCH" -> writes.patch(t, r, base, version, false);
      case "PUT" -> writes.patch(t, r, base, version, true);
      case "DELETE" -> writes.delete(t, r);
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
}
