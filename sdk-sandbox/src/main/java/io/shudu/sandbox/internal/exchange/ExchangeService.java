package io.shudu.sandbox.internal.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.WebhookVerifier;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.SandboxLimits;
import io.shudu.sandbox.internal.ClientReferences;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandbox implementation of the Shanghai Data Exchange and digital asset board: catalog and search, offers with usage
 * policies and dry-run, orders and deliveries as state machines with automatic merchant/exchange progress, verifiable
 * delivery (Range, chunk hashes, Merkle root, Ed25519 receipts), per-order audit hash chains, signed webhooks, and the
 * board. Endpoints are documented in docs/api/exchange.md.
 */
public final class ExchangeService implements SandboxService {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.exchange");
  static final String P = "/exchange/v1";

  private final SandboxContext context;
  private final Catalog catalog = new Catalog();
  private final Board board;
  private final Deliveries content;
  private final com.google.common.base.Supplier<ExchangeCrypto.Ed25519Key> signingKey;
  private final Map<String, Order> orders = new ConcurrentHashMap<>();
  private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
  private final Map<String, Settings> settings = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Webhook>> webhooks = new ConcurrentHashMap<>();
  private final ClientReferences references = new ClientReferences();
  private final AtomicLong ids = new AtomicLong();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ThreadPoolExecutor> webhookPools = new ConcurrentHashMap<>();
  private volatile boolean webhooksRunning;
  private volatile int webhookQueue = 1000;
  private final com.google.common.base.Supplier<WebhookTargets> targets = com.google.common.base.Suppliers.memoize(
      WebhookTargets::new);

  /** Sandbox-only behaviour of the counterparties, and whether webhooks may reach private addresses, per tenant. */
  record Settings(boolean autoProgress, long merchantDelayMs, long exchangeDelayMs,
      boolean allowPrivateWebhookTargets) {}

  record Transition(String action, String actor, String from, String to) {}

  record AuditEvent(long seq, String orderId, String type, String actor, String at, String detail, String prevHash,
      String hash) {}

  static final List<Transition> ORDER_MACHINE = List.of(
      new Transition("offer", "merchant", "REQUESTED", "OFFERED"),
      new Transition("agree", "buyer", "OFFERED", "AGREED"),
      new Transition("verify", "exchange", "AGREED", "VERIFIED"),
      new Transition("finalize", "exchange", "VERIFIED", "FINALIZED"),
      new Transition("terminate", "buyer", "REQUESTED", "TERMINATED"),
      new Transition("terminate", "buyer", "OFFERED", "TERMINATED"),
      new Transition("terminate", "buyer", "AGREED", "TERMINATED"),
      new Transition("terminate", "buyer", "VERIFIED", "TERMINATED"));

  static final List<Transition> DELIVERY_MACHINE = List.of(
      new Transition("start", "merchant", "REQUESTED", "STARTED"),
      new Transition("suspend", "merchant", "STARTED", "SUSPENDED"),
      new Transition("resume", "merchant", "SUSPENDED", "STARTED"),
      new Transition("complete", "buyer", "STARTED", "COMPLETED"),
      new Transition("terminate", "buyer", "REQUESTED", "TERMINATED"),
      new Transition("terminate", "buyer", "STARTED", "TERMINATED"),
      new Transition("terminate", "buyer", "SUSPENDED", "TERMINATED"));

  static final List<String> ORDER_PATH = List.of("REQUESTED", "OFFERED", "AGREED", "VERIFIED", "FINALIZED");
  static final List<String> DELIVERY_PATH = List.of("REQUESTED", "STARTED", "COMPLETED");

  /** Whether {@code current} is {@code target} or lies after it on the normal path. */
  static boolean reached(List<String> path, String current, String target) {
    return current.equals(target) || (path.contains(target) && path.indexOf(current) > path.indexOf(target));
  }

  static final class Order {
    final String id;
    final String tenant;
    final Catalog.Offer offer;
    final String productVersion;
    final Catalog.IntendedUse use;
    final String createdAt;
    String clientReference;
    String state = "REQUESTED";
    String updatedAt;
    String terminationReason;
    /** Bumped on every change: the ETag is {@code "<id>.<version>"}. */
    long version = 1;
    final List<String> deliveryIds = new ArrayList<>();
    final List<AuditEvent> audit = new ArrayList<>();

    Order(String id, String tenant, Catalog.Offer offer, String productVersion, Catalog.IntendedUse use, String now) {
      this.id = id;
      this.tenant = tenant;
      this.offer = offer;
      this.productVersion = productVersion;
      this.use = use;
      this.createdAt = now;
      this.updatedAt = now;
    }
  }

  static final class Delivery {
    final String id;
    final Order order;
    final Deliveries.Manifest manifest;
    final String createdAt;
    String clientReference;
    String state = "REQUESTED";
    String updatedAt;
    Map<String, Object> receipt;
    /** Bumped on every change: the ETag is {@code "<id>.<version>"}. */
    long version = 1;

    Delivery(String id, Order order, Deliveries.Manifest manifest, String now) {
      this.id = id;
      this.order = order;
      this.manifest = manifest;
      this.createdAt = now;
      this.updatedAt = now;
    }
  }

  record Webhook(String id, String url, List<String> events, String secret, String createdAt,
      List<Map<String, Object>> log, String tenant) {}

  public ExchangeService(SandboxContext context) {
    this.context = context;
    this.board = new Board(context.clock());
    this.content = new Deliveries(context.seed());
    // Derived lazily: sandbox start-up stays fast for tests that never touch the exchange.
    this.signingKey = com.google.common.base.Suppliers.memoize(() -> ExchangeCrypto.ed25519(
        "sde-" + Long.toHexString(context.seed()),
        HexFormat.of().parseHex(ExchangeCrypto.sha256Hex("shudu-exchange-signing-key|" + context.seed()))));
  }

  /** Applies the sandbox's limits: board collections per tenant and their lifetime, webhook queue per tenant. */
  public void limits(SandboxLimits l) {
    board.limits(l.maxCollectionsPerTenant(), l.collectionTtl());
    webhookQueue = l.webhookQueuePerTenant();
  }

  @Override
  public void start() {
    webhooksRunning = true;
  }

  @Override
  public void stop() {
    webhooksRunning = false;
    webhookPools.values().forEach(ThreadPoolExecutor::shutdownNow);
    webhookPools.clear();
  }

  /** Each tenant's webhooks go through its own two senders and queue: one tenant's slow receivers delay only it. */
  private ThreadPoolExecutor webhookPool(String tenant) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(webhookQueue), r -> {
          Thread t = new Thread(r, "shudu-sandbox-webhooks-" + tenant);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private String tenantOf(Webhook w) {
    for (Map.Entry<String, Map<String, Webhook>> e : webhooks.entrySet()) {
      if (e.getValue().get(w.id()) == w) {
        return e.getKey();
      }
    }
    return "unknown";
  }

  @Override
  public void register(Router r) {
    r.anonymous("GET", P + "/keys", this::keys);
    r.route("GET", P + "/products", this::searchProducts);
    r.route("GET", P + "/products/{id}", q -> Response.ok(product(q.pathParam("id"))));
    r.route("GET", P + "/merchants", q -> page(q, List.copyOf(catalog.merchants.values()), 100));
    r.route("GET", P + "/merchants/{id}", q -> Response.ok(merchant(q.pathParam("id"))));
    r.route("GET", P + "/offers", this::listOffers);
    r.route("GET", P + "/offers/{id}", q -> Response.ok(offer(q.pathParam("id"))));
    r.route("POST", P + "/offers/{id}/dry-run", q -> Response.ok(catalog.dryRun(offer(q.pathParam("id")),
        q.json(Catalog.IntendedUse.class))));
    r.route("POST", P + "/orders", this::createOrder);
    r.route("GET", P + "/orders", this::listOrders);
    r.route("GET", P + "/orders/{id}", q -> {
      Order o = order(q);
      synchronized (o) {
        return withEtag(Response.ok(view(o)), o);
      }
    });
    r.route("POST", P + "/orders/{id}/transitions", this::orderTransition);
    r.route("GET", P + "/orders/{id}/await", this::awaitOrder);
    r.route("GET", P + "/orders/{id}/audit", this::audit);
    r.route("POST", P + "/orders/{id}/deliveries", this::createDelivery);
    r.route("GET", P + "/orders/{id}/deliveries", q -> {
      Order o = order(q);
      List<Map<String, Object>> views = new ArrayList<>();
      synchronized (o) {
        for (String id : o.deliveryIds) {
          views.add(view(deliveries.get(id)));
        }
      }
      return page(q, views, 100);
    });
    r.route("GET", P + "/deliveries/{id}", q -> {
      Delivery d = delivery(q);
      synchronized (d.order) {
        return withEtag(Response.ok(view(d)), d);
      }
    });
    r.route("POST", P + "/deliveries/{id}/transitions", this::deliveryTransition);
    r.route("GET", P + "/deliveries/{id}/await", this::awaitDelivery);
    r.route("GET", P + "/deliveries/{id}/manifest", q -> Response.ok(delivery(q).manifest));
    r.route("GET", P + "/deliveries/{id}/receipt", this::receipt);
    r.route("GET", P + "/deliveries/{id}/content", this::content);
    r.route("POST", P + "/webhooks", this::createWebhook);
    r.route("GET", P + "/webhooks", q -> page(q, webhooks.getOrDefault(q.tenant(), Map.of()).values().stream()
        .map(ExchangeService::view).toList(), 100));
    r.route("GET", P + "/webhooks/{id}", q -> {
      Webhook w = webhook(q);
      return Response.ok(view(w)).header("ETag", etag(w));
    });
    r.route("DELETE", P + "/webhooks/{id}", q -> {
      Webhook w = webhook(q);
      checkIfMatch(q, "Webhook", w.id(), etag(w));
      webhooks.get(q.tenant()).remove(q.pathParam("id"));
      return Response.noContent();
    });
    r.route("POST", P + "/webhooks/{id}/ping", q -> {
      Webhook w = webhook(q);
      Map<String, Object> data = Map.of("message", "ping from the Shanghai Data Exchange sandbox");
      String eventId = dispatch(w, "ping", null, data);
      return Response.json(202, Map.of("eventId", eventId));
    });
    r.route("GET", P + "/sandbox/settings", q -> {
      Settings s = settings(q.tenant());
      return Response.ok(s).header("ETag", etag(s));
    });
    r.route("PUT", P + "/sandbox/settings", this::putSettings);
    r.route("POST", P + "/sandbox/delivery-faults", this::deliveryFault);
    r.route("GET", P + "/board/collections", q -> page(q, board.collections(q.tenant()), 100));
    r.route("POST", P + "/board/collections", q -> Response.created(board.create(q.tenant(), q.json()), null));
    r.route("GET", P + "/board/collections/{id}", q -> Response.ok(board.collectionView(
        board.collection(q.tenant(), q.pathParam("id")))));
    r.route("GET", P + "/board/collections/{id}/assets", this::listAssets);
    r.route("POST", P + "/board/collections/{id}/claims", q -> {
      JsonNode b = q.json();
      // a claim is already one per account; its reference only has to name the same collection and account
      return references.create(q.tenant(), "claim", b, q.pathParam("id"), () -> {
        Board.ClaimResult c = board.claim(q.tenant(), q.pathParam("id"), b);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("newlyClaimed", c.newlyClaimed());
        body.put("asset", c.asset());
        return new ClientReferences.Created(String.valueOf(c.asset().get("id")),
            Response.json(c.newlyClaimed() ? 201 : 200, body));
      }, assetId -> {
        Board.ClaimResult c = board.claim(q.tenant(), q.pathParam("id"), b);
        return Response.ok(Map.of("newlyClaimed", false, "asset", c.asset()));
      });
    });
    r.route("GET", P + "/board/assets/{id}", q -> {
      Object[] a = board.asset(q.tenant(), q.pathParam("id"));
      return Response.ok(board.assetView((Board.Collection) a[0], (Board.Work) a[1], q.tenant(), true));
    });
    r.route("GET", P + "/board/accounts/{account}/assets", q -> page(q,
        board.accountAssets(q.tenant(), q.pathParam("account")), 100));
    r.route("POST", P + "/board/transfers", q -> {
      JsonNode b = q.json();
      return references.create(q.tenant(), "transfer", b, null, () -> {
        Map<String, Object> asset = board.transfer(q.tenant(), b);
        return new ClientReferences.Created(String.valueOf(asset.get("id")), Response.ok(asset));
      }, assetId -> {
        Object[] a = board.asset(q.tenant(), assetId);
        return Response.ok(board.assetView((Board.Collection) a[0], (Board.Work) a[1], q.tenant(), true));
      });
    });
    r.route("POST", P + "/board/listings", q -> {
      throw Board.resaleForbidden();
    });
  }

  /** One page of a list held in memory: {@code cursor} (opaque) and {@code limit} in, {@code nextCursor} out. */
  private static Response page(Request q, List<?> all, int defaultLimit) {
    int offset = Catalog.decodeCursor(q.query("cursor"));
    int limit = q.queryInt("limit", defaultLimit, 1, 1000);
    int end = (int) Math.min(all.size(), (long) offset + limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", offset >= all.size() ? List.of() : all.subList(offset, end));
    body.put("nextCursor", end < all.size() ? Catalog.encodeCursor(end) : null);
    return Response.ok(body);
  }

  private static String etag(Order o) {
    return "\"" + o.id + "." + o.version + "\"";
  }

  private static String etag(Delivery d) {
    return "\"" + d.id + "." + d.version + "\"";
  }

  private static String etag(Webhook w) {
    return "\"" + w.id() + ".1\"";
  }

  private static String etag(Settings s) {
    return "\"settings." + s.autoProgress() + "." + s.merchantDelayMs() + "." + s.exchangeDelayMs() + "."
        + s.allowPrivateWebhookTargets() + "\"";
  }

  private static Response withEtag(Response r, Order o) {
    return r.header("ETag", etag(o));
  }

  private static Response withEtag(Response r, Delivery d) {
    return r.header("ETag", etag(d));
  }

  /** A conditional write ({@code If-Match}) on a resource whose ETag is {@code current}: 412 when it changed. */
  private static void checkIfMatch(Request q, String what, String id, String current) {
    String ifMatch = q.header("If-Match");
    if (ifMatch == null) {
      return;
    }
    for (String tag : ifMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(current) || t.equals("W/" + current)) {
        return;
      }
    }
    throw Problem.preconditionFailed(what + " '" + id + "' was changed since you read it: If-Match " + ifMatch
        + " does not match its current ETag " + current + ". Read it again, check its state and retry.")
        .header("ETag", current);
  }

  // ---- catalog ----

  private Response keys(Request q) {
    return Response.ok(keySet()).header("Cache-Control", "max-age=3600");
  }

  private Map<String, Object> keySet() {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("kid", signingKey.get().keyId());
    k.put("kty", "OKP");
    k.put("crv", "Ed25519");
    k.put("alg", "EdDSA");
    k.put("use", "sig");
    k.put("x", signingKey.get().x());
    return Map.of("keys", List.of(k));
  }

  /** The public signing keys as a JWK set, the document {@code GET /exchange/v1/keys} serves. */
  public String publicKeys() {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(keySet());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Response searchProducts(Request q) {
    Boolean crossBorder = null;
    String cb = q.query("crossBorder");
    if (cb != null) {
      if (!cb.equals("true") && !cb.equals("false")) {
        throw Problem.validation("crossBorder", "crossBorder must be true or false, got '" + cb + "'.");
      }
      crossBorder = Boolean.valueOf(cb);
    }
    Catalog.SearchResult res = catalog.search(q.query("q"), q.query("category"), q.query("tag"),
        q.query("merchantType"), q.query("merchantId"), q.query("personalInformation"), crossBorder,
        q.query("cursor"), q.queryInt("limit", 20, 0, 100));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", res.items());
    body.put("total", res.total());
    body.put("nextCursor", res.nextCursor());
    body.put("facets", res.facets());
    return Response.ok(body);
  }

  private Catalog.Product product(String id) {
    Catalog.Product p = catalog.products.get(id);
    if (p == null) {
      throw Problem.notFound("No data product '" + id + "'; search the catalog at " + P + "/products.");
    }
    return p;
  }

  private Catalog.Merchant merchant(String id) {
    Catalog.Merchant m = catalog.merchants.get(id);
    if (m == null) {
      throw Problem.notFound("No merchant '" + id + "'; list them at " + P + "/merchants.");
    }
    return m;
  }

  private Catalog.Offer offer(String id) {
    Catalog.Offer o = catalog.offers.get(id);
    if (o == null) {
      throw Problem.notFound("No offer '" + id + "'; a product's offers are listed in its offerIds.");
    }
    return o;
  }

  private Response listOffers(Request q) {
    String productId = q.query("productId");
    List<Catalog.Offer> out = new ArrayList<>();
    for (Catalog.Offer o : catalog.offers.values()) {
      if (productId == null || o.productId().equals(productId)) {
        out.add(o);
      }
    }
    if (productId != null && out.isEmpty()) {
      product(productId);
    }
    return page(q, out, 100);
  }

  // ---- orders ----

  private String now() {
    return context.clock().instant().toString();
  }

  private String newId(String prefix) {
    return prefix + "_" + Long.toString(System.currentTimeMillis(), 36) + Long.toString(ids.incrementAndGet(), 36);
  }

  Settings settings(String tenant) {
    return settings.getOrDefault(tenant, new Settings(true, 100, 100, false));
  }

  private Response putSettings(Request q) {
    JsonNode b = q.json();
    Settings cur = settings(q.tenant());
    checkIfMatch(q, "The tenant's sandbox settings", "settings", etag(cur));
    boolean auto = b.has("autoProgress") ? b.get("autoProgress").asBoolean() : cur.autoProgress();
    long md = b.has("merchantDelayMs") ? b.get("merchantDelayMs").asLong(-1) : cur.merchantDelayMs();
    long ed = b.has("exchangeDelayMs") ? b.get("exchangeDelayMs").asLong(-1) : cur.exchangeDelayMs();
    if (md < 0 || md > 60_000) {
      throw Problem.validation("merchantDelayMs", "merchantDelayMs must be 0-60000.");
    }
    if (ed < 0 || ed > 60_000) {
      throw Problem.validation("exchangeDelayMs", "exchangeDelayMs must be 0-60000.");
    }
    JsonNode allow = b.get(WebhookTargets.SETTING);
    if (allow != null && !allow.isBoolean()) {
      throw Problem.validation(WebhookTargets.SETTING, WebhookTargets.SETTING + " must be true or false.");
    }
    Settings s = new Settings(auto, md, ed, allow == null ? cur.allowPrivateWebhookTargets() : allow.asBoolean());
    settings.put(q.tenant(), s);
    return Response.ok(s).header("ETag", etag(s));
  }

  private Response createOrder(Request q) {
    JsonNode b = q.json();
    return references.create(q.tenant(), "order", b, null, () -> {
      Response r = createOrder(q, b);
      return new ClientReferences.Created(r.headers().get("Location").substring((P + "/orders/").length()), r);
    }, id -> {
      Order o = orders.get(id);
      synchronized (o) {
        return withEtag(Response.ok(view(o)), o);
      }
    });
  }

  private Response createOrder(Request q, JsonNode b) {
    String offerId = b.hasNonNull("offerId") ? b.get("offerId").asText() : null;
    if (offerId == null || offerId.isBlank()) {
      throw Problem.validation("offerId", "offerId is required: pick an offer from a product's offerIds.");
    }
    Catalog.Offer offer = offer(offerId);
    Catalog.IntendedUse use;
    try {
      use = Json.mapper().treeToValue(b.get("intendedUse"), Catalog.IntendedUse.class);
    } catch (IOException e) {
      throw Problem.badRequest("intendedUse has the wrong shape: " + e.getMessage());
    }
    Catalog.DryRun dry = catalog.dryRun(offer, use);
    if (!dry.allowed()) {
      throw new Problem(422, "policy_violation", "The intended use is not allowed by the offer",
          "The offer's usage policy does not allow this use: " + String.join(" ", dry.violations().stream()
              .map(Catalog.Violation::message).toList()) + " Run a dry-run first to see every reason.")
          .with("violations", dry.violations());
    }
    Catalog.Product p = product(offer.productId());
    Order o = new Order(newId("ord"), q.tenant(), offer, p.latestVersion(), use, now());
    o.clientReference = ClientReferences.reference(b);
    synchronized (o) {
      orders.put(o.id, o);
      appendAudit(o, "order.requested", caller(q), "offer=" + offer.id() + ";version=" + o.productVersion
          + ";purpose=" + use.purpose());
      scheduleProgress(o);
      return withEtag(Response.created(view(o), P + "/orders/" + o.id), o);
    }
  }

  private Order order(Request q) {
    Order o = orders.get(q.pathParam("id"));
    if (o == null || !o.tenant.equals(q.tenant())) {
      throw Problem.notFound("No order '" + q.pathParam("id") + "' for this tenant.");
    }
    return o;
  }

  private Response listOrders(Request q) {
    String state = q.query("state");
    if (state != null && !ORDER_PATH.contains(state) && !state.equals("TERMINATED")) {
      throw Problem.validation("state", "state must be one of " + ORDER_PATH + " or TERMINATED, got '" + state + "'.");
    }
    String reference = q.query("clientReference");
    List<Order> mine = new ArrayList<>();
    for (Order o : orders.values()) {
      if (o.tenant.equals(q.tenant()) && (reference == null || reference.equals(o.clientReference))) {
        mine.add(o);
      }
    }
    mine.sort((a, c) -> a.id.compareTo(c.id));
    List<Map<String, Object>> views = new ArrayList<>();
    for (Order o : mine) {
      synchronized (o) {
        if (state == null || o.state.equals(state)) {
          views.add(view(o));
        }
      }
    }
    int offset = Catalog.decodeCursor(q.query("cursor"));
    int limit = q.queryInt("limit", 50, 1, 1000);
    int end = Math.min(views.size(), offset + limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", offset >= views.size() ? List.of() : views.subList(offset, end));
    body.put("nextCursor", end < views.size() ? Catalog.encodeCursor(end) : null);
    return Response.ok(body);
  }

  /** Who has to act next: the actor of the step forward on the normal path, else of the first non-terminating step. */
  private static String waitingOn(List<Transition> machine, String state) {
    List<String> path = machine == ORDER_MACHINE ? ORDER_PATH : DELIVERY_PATH;
    int at = path.indexOf(state);
    String fallback = null;
    for (Transition t : machine) {
      if (t.from().equals(state) && !t.action().equals("terminate")) {
        if (at >= 0 && at + 1 < path.size() && t.to().equals(path.get(at + 1))) {
          return t.actor();
        }
        fallback = fallback == null ? t.actor() : fallback;
      }
    }
    return fallback;
  }

  private static String actorLabel(Transition t) {
    return t.action().equals("terminate") ? "buyer or merchant" : t.actor();
  }

  private static List<Map<String, String>> next(List<Transition> machine, String state) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Transition t : machine) {
      if (t.from().equals(state)) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("action", t.action());
        m.put("actor", actorLabel(t));
        m.put("to", t.to());
        out.add(m);
      }
    }
    return out;
  }

  private Map<String, Object> view(Order o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", o.id);
    m.put("offerId", o.offer.id());
    m.put("productId", o.offer.productId());
    m.put("productVersion", o.productVersion);
    m.put("merchantId", o.offer.merchantId());
    m.put("state", o.state);
    m.put("waitingOn", waitingOn(ORDER_MACHINE, o.state));
    m.put("nextActions", next(ORDER_MACHINE, o.state));
    m.put("intendedUse", o.use);
    m.put("deliveryIds", List.copyOf(o.deliveryIds));
    m.put("terminationReason", o.terminationReason);
    m.put("clientReference", o.clientReference);
    m.put("createdAt", o.createdAt);
    m.put("updatedAt", o.updatedAt);
    return m;
  }

  private Map<String, Object> view(Delivery d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id);
    m.put("orderId", d.order.id);
    m.put("productId", d.manifest.productId());
    m.put("productVersion", d.manifest.version());
    m.put("state", d.state);
    m.put("waitingOn", waitingOn(DELIVERY_MACHINE, d.state));
    m.put("nextActions", next(DELIVERY_MACHINE, d.state));
    m.put("sizeBytes", d.manifest.size());
    m.put("chunkSize", d.manifest.chunkSize());
    m.put("merkleRoot", d.state.equals("REQUESTED") ? null : d.manifest.root());
    m.put("clientReference", d.clientReference);
    m.put("createdAt", d.createdAt);
    m.put("updatedAt", d.updatedAt);
    return m;
  }

  /** Applies a transition under the order's lock; invalid ones are a 409 naming the allowed ones. */
  private static Transition transition(List<Transition> machine, String kind, String id, String state, String action) {
    for (Transition t : machine) {
      if (t.from().equals(state) && t.action().equals(action)) {
        return t;
      }
    }
    boolean known = machine.stream().anyMatch(t -> t.action().equals(action));
    if (!known) {
      throw Problem.validation("action", "Unknown " + kind + " action '" + action + "'; actions are "
          + machine.stream().map(Transition::action).distinct().toList() + ".");
    }
    List<String> allowed = machine.stream().filter(t -> t.from().equals(state))
        .map(t -> t.action() + " (" + actorLabel(t) + ") -> " + t.to()).toList();
    throw Problem.conflict("invalid_transition", "Cannot " + action + " " + kind + " " + id + " in state " + state
        + "; allowed transitions: " + (allowed.isEmpty() ? "none (the " + kind + " is final)"
        : String.join(", ", allowed)) + ".")
        .with("state", state).with("allowedActions", machine.stream().filter(t -> t.from().equals(state))
            .map(Transition::action).toList());
  }

  private Response orderTransition(Request q) {
    Order o = order(q);
    JsonNode b = q.json();
    String action = b.hasNonNull("action") ? b.get("action").asText() : null;
    if (action == null) {
      throw Problem.validation("action", "action is required (offer, agree, verify, finalize or terminate).");
    }
    refuseActor(b);
    String reason = b.hasNonNull("reason") ? b.get("reason").asText() : null;
    synchronized (o) {
      checkIfMatch(q, "Order", o.id, etag(o));
      Transition t = transition(ORDER_MACHINE, "order", o.id, o.state, action);
      String actor = caller(q);
      if (action.equals("terminate")) {
        o.terminationReason = reason == null ? "terminated by " + actor : reason;
      }
      apply(o, t, actor, reason);
      return withEtag(Response.ok(view(o)), o);
    }
  }

  private void apply(Order o, Transition t, String actor, String reason) {
    o.state = t.to();
    o.version++;
    o.updatedAt = now();
    appendAudit(o, "order." + t.to().toLowerCase(Locale.ROOT), actor, reason == null ? "" : reason);
    o.notifyAll();
    scheduleProgress(o);
  }

  /** The sandbox's merchant and exchange act on their own after a delay when auto-progress is on. */
  private void scheduleProgress(Order o) {
    Settings s = settings(o.tenant);
    String who = waitingOn(ORDER_MACHINE, o.state);
    if (!s.autoProgress() || who == null || who.equals("buyer")) {
      return;
    }
    String expected = o.state;
    long delay = who.equals("merchant") ? s.merchantDelayMs() : s.exchangeDelayMs();
    context.scheduler().schedule(() -> {
      synchronized (o) {
        if (o.state.equals(expected)) {
          for (Transition t : ORDER_MACHINE) {
            if (t.from().equals(expected) && !t.action().equals("terminate")) {
              apply(o, t, counterparty(o, t.actor()), "automatic (sandbox " + t.actor() + ")");
              return;
            }
          }
        }
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  private Response awaitOrder(Request q) {
    Order o = order(q);
    String state = q.query("state");
    if (state == null || ORDER_MACHINE.stream().noneMatch(t -> t.to().equals(state) || t.from().equals(state))) {
      throw Problem.validation("state", "state must be one of REQUESTED, OFFERED, AGREED, VERIFIED, FINALIZED, "
          + "TERMINATED, got '" + state + "'.");
    }
    long timeout = q.queryInt("timeoutMs", 10_000, 0, 30_000);
    long deadline = System.nanoTime() + timeout * 1_000_000L;
    synchronized (o) {
      while (!reached(ORDER_PATH, o.state, state) && !o.state.equals("FINALIZED") && !o.state.equals("TERMINATED")) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          break;
        }
        try {
          o.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return withEtag(Response.ok(view(o)), o);
    }
  }

  // ---- deliveries ----

  private Delivery delivery(Request q) {
    Delivery d = deliveries.get(q.pathParam("id"));
    if (d == null || !d.order.tenant.equals(q.tenant())) {
      throw Problem.notFound("No delivery '" + q.pathParam("id") + "' for this tenant.");
    }
    return d;
  }

  private Response createDelivery(Request q) {
    Order o = order(q);
    JsonNode b = q.body().length == 0 ? Json.mapper().createObjectNode() : q.json();
    return references.create(q.tenant(), "delivery", b, o.id, () -> {
      Response r = createDelivery(q, o, ClientReferences.reference(b));
      return new ClientReferences.Created(r.headers().get("Location").substring((P + "/deliveries/").length()), r);
    }, id -> {
      Delivery d = deliveries.get(id);
      synchronized (d.order) {
        return withEtag(Response.ok(view(d)), d);
      }
    });
  }

  private Response createDelivery(Request q, Order o, String clientReference) {
    synchronized (o) {
      if (!o.state.equals("FINALIZED")) {
        throw Problem.conflict("order_not_finalized", "Order " + o.id + " is " + o.state + "; a delivery can be "
            + "requested once the order is FINALIZED" + (waitingOn(ORDER_MACHINE, o.state) == null ? "."
            : " (waiting on the " + waitingOn(ORDER_MACHINE, o.state) + ").")).with("state", o.state);
      }
    }
    Catalog.Product p = product(o.offer.productId());
    Catalog.Version v = p.version(o.productVersion);
    Deliveries.Manifest m = content.manifest(p.id(), v.version(), v.sizeBytes());
    synchronized (o) {
      Delivery d = new Delivery(newId("dlv"), o, m, now());
      d.clientReference = clientReference;
      deliveries.put(d.id, d);
      o.deliveryIds.add(d.id);
      appendAudit(o, "delivery.requested", caller(q), "delivery=" + d.id);
      scheduleDeliveryProgress(d);
      return withEtag(Response.created(view(d), P + "/deliveries/" + d.id), d);
    }
  }

  private Response deliveryTransition(Request q) {
    Delivery d = delivery(q);
    JsonNode b = q.json();
    String action = b.hasNonNull("action") ? b.get("action").asText() : null;
    if (action == null) {
      throw Problem.validation("action", "action is required (start, suspend, resume, complete or terminate).");
    }
    refuseActor(b);
    synchronized (d.order) {
      checkIfMatch(q, "Delivery", d.id, etag(d));
      Transition t = transition(DELIVERY_MACHINE, "delivery", d.id, d.state, action);
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
      applyDelivery(d, t, caller(q));
      return withEtag(Response.ok(view(d)), d);
    }
  }

  private void applyDelivery(Delivery d, Transition t, String actor) {
    d.state = t.to();
    d.version++;
    d.updatedAt = now();
    appendAudit(d.order, "delivery." + t.to().toLowerCase(Locale.ROOT), actor, "delivery=" + d.id
        + (t.to().equals("STARTED") || t.to().equals("COMPLETED") ? ";root=" + d.manifest.root() : ""));
    if (t.to().equals("STARTED") && d.receipt == null) {
      d.receipt = signReceipt(d);
      appendAudit(d.order, "delivery.receipt_issued", "exchange", "delivery=" + d.id + ";bytes="
          + d.manifest.size() + ";root=" + d.manifest.root());
    }
    d.order.notifyAll();
    scheduleDeliveryProgress(d);
  }

  private void scheduleDeliveryProgress(Delivery d) {
    Settings s = settings(d.order.tenant);
    if (!s.autoProgress() || !d.state.equals("REQUESTED")) {
      return;
    }
    context.scheduler().schedule(() -> {
      synchronized (d.order) {
        if (d.state.equals("REQUESTED")) {
          applyDelivery(d, DELIVERY_MACHINE.get(0), counterparty(d.order, "merchant"));
        }
      }
    }, s.merchantDelayMs(), TimeUnit.MILLISECONDS);
  }

  private Map<String, Object> signReceipt(Delivery d) {
    String issuedAt = now();
    Deliveries.Manifest m = d.manifest;
    String msg = ExchangeCrypto.receiptMessage(d.id, d.order.id, m.productId(), m.version(), m.size(), m.root(),
        issuedAt, signingKey.get().keyId());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("deliveryId", d.id);
    r.put("orderId", d.order.id);
    r.put("productId", m.productId());
    r.put("productVersion", m.version());
    r.put("byteCount", m.size());
    r.put("merkleRoot", m.root());
    r.put("issuedAt", issuedAt);
    r.put("keyId", signingKey.get().keyId());
    r.put("algorithm", "Ed25519");
    r.put("signature", signingKey.get().sign(msg));
    return r;
  }

  private Response receipt(Request q) {
    Delivery d = delivery(q);
    synchronized (d.order) {
      if (d.receipt == null) {
        throw Problem.conflict("receipt_not_issued", "Delivery " + d.id + " is " + d.state + "; the exchange signs "
            + "the receipt when the merchant starts the delivery.").with("state", d.state);
      }
      return Response.ok(d.receipt);
    }
  }

  private Response content(Request q) {
    Delivery d = delivery(q);
    synchronized (d.order) {
      if (!d.state.equals("STARTED") && !d.state.equals("COMPLETED")) {
        throw Problem.conflict("delivery_not_available", "Delivery " + d.id + " is " + d.state + "; content can be "
            + "downloaded while it is STARTED or COMPLETED" + (waitingOn(DELIVERY_MACHINE, d.state) == null ? "."
            : " (waiting on the " + waitingOn(DELIVERY_MACHINE, d.state) + ").")).with("state", d.state);
      }
    }
    return content.serve(d.id, d.manifest, q.header("Range"), q.header("If-Range"));
  }

  private Response awaitDelivery(Request q) {
    Delivery d = delivery(q);
    String state = q.query("state");
    if (state == null || DELIVERY_MACHINE.stream().noneMatch(t -> t.to().equals(state) || t.from().equals(state))) {
      throw Problem.validation("state", "state must be one of REQUESTED, STARTED, SUSPENDED, COMPLETED, TERMINATED, "
          + "got '" + state + "'.");
    }
    long timeout = q.queryInt("timeoutMs", 10_000, 0, 30_000);
    long deadline = System.nanoTime() + timeout * 1_000_000L;
    synchronized (d.order) {
      while (!reached(DELIVERY_PATH, d.state, state) && !d.state.equals("COMPLETED")
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
      return withEtag(Response.ok(view(d)), d);
    }
  }

  private Response deliveryFault(Request q) {
    JsonNode b = q.json();
    String id = b.hasNonNull("deliveryId") ? b.get("deliveryId").asText() : null;
    Delivery d = deliveries.get(id == null ? "" : id);
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
    content.faults.put(d.id, new Deliveries.ContentFault(kind, at));
    return Response.json(202, Map.of("deliveryId", d.id, "kind", kind, "atByte", at));
  }

  // ---- audit chain ----

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
  private static void refuseActor(JsonNode body) {
    if (body.has("actor")) {
      throw Problem.validation("actor", "actor is not accepted: the exchange records the authenticated caller "
          + "(tenant:<tenant id>) as the actor of every step it takes. Remove the actor member.");
    }
  }

  private void appendAudit(Order o, String type, String actor, String detail) {
    String prev = o.audit.isEmpty() ? ExchangeCrypto.ZERO_HASH : o.audit.get(o.audit.size() - 1).hash();
    long seq = o.audit.size() + 1;
    String at = now();
    String hash = ExchangeCrypto.auditHash(prev, seq, o.id, type, actor, at, detail);
    AuditEvent e = new AuditEvent(seq, o.id, type, actor, at, detail, prev, hash);
    o.audit.add(e);
    Map<String, Webhook> hooks = webhooks.get(o.tenant);
    if (hooks != null) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("orderId", o.id);
      data.put("orderState", o.state);
      data.put("auditEvent", e);
      for (Webhook w : hooks.values()) {
        if (w.events().contains("*") || w.events().contains(type)) {
          dispatch(w, type, o.id, data);
        }
      }
    }
  }

  private Response audit(Request q) {
    Order o = order(q);
    synchronized (o) {
      List<AuditEvent> events = List.copyOf(o.audit);
      String head = events.get(events.size() - 1).hash();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("orderId", o.id);
      m.put("events", events);
      m.put("headHash", head);
      ExchangeCrypto.Ed25519Key key = signingKey.get();
      m.put("keyId", key.keyId());
      m.put("signature", key.sign(ExchangeCrypto.auditHeadMessage(o.id, events.size(), head, key.keyId())));
      return Response.ok(m);
    }
  }

  // ---- webhooks ----

  private Webhook webhook(Request q) {
    Webhook w = webhooks.getOrDefault(q.tenant(), Map.of()).get(q.pathParam("id"));
    if (w == null) {
      throw Problem.notFound("No webhook '" + q.pathParam("id") + "' for this tenant.");
    }
    return w;
  }

  private static Map<String, Object> view(Webhook w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", w.id());
    m.put("url", w.url());
    m.put("events", w.events());
    m.put("createdAt", w.createdAt());
    synchronized (w.log()) {
      m.put("deliveries", List.copyOf(w.log()));
    }
    return m;
  }

  private Response createWebhook(Request q) {
    JsonNode b = q.json();
    String url = b.hasNonNull("url") ? b.get("url").asText() : null;
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw Problem.validation("url", "url must be an absolute http(s) URL of your receiver, got "
          + (url == null ? "nothing" : "'" + url + "'") + ".");
    }
    try {
      java.net.URI.create(url).toURL();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      throw Problem.validation("url", "url is not a valid URL: " + e.getMessage());
    }
    WebhookTargets.check(url, settings(q.tenant()).allowPrivateWebhookTargets());
    List<String> events = new ArrayList<>();
    if (b.has("events") && b.get("events").isArray()) {
      b.get("events").forEach(e -> events.add(e.asText()));
    }
    if (events.isEmpty()) {
      events.add("*");
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String s = "whsec_" + HexFormat.of().formatHex(secret);
    Webhook w = new Webhook(newId("wh"), url, List.copyOf(events), s, now(), new ArrayList<>(), q.tenant());
    webhooks.computeIfAbsent(q.tenant(), t -> new ConcurrentHashMap<>()).put(w.id(), w);
    Map<String, Object> body = view(w);
    body.put("secret", s);
    return Response.created(body, P + "/webhooks/" + w.id());
  }

  /** Queues a signed POST of an event to a webhook (three attempts); returns the event id. */
  private String dispatch(Webhook w, String type, String orderId, Map<String, Object> data) {
    String eventId = newId("evt");
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", eventId);
    event.put("type", type);
    event.put("createdAt", now());
    if (orderId != null) {
      event.put("orderId", orderId);
    }
    event.put("data", data);
    byte[] payload;
    try {
      payload = Json.mapper().writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (!webhooksRunning) {
      return eventId;
    }
    ThreadPoolExecutor pool = webhookPools.computeIfAbsent(tenantOf(w), this::webhookPool);
    try {
      pool.execute(() -> send(w, eventId, type, payload));
    } catch (RejectedExecutionException e) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("eventId", eventId);
      entry.put("type", type);
      entry.put("attempts", 0);
      entry.put("status", 0);
      entry.put("delivered", false);
      entry.put("lastError", "dropped: this tenant already has " + webhookQueue + " webhook events queued "
          + "(webhookQueuePerTenant); make the receivers answer faster");
      synchronized (w.log()) {
        w.log().add(entry);
        if (w.log().size() > 200) {
          w.log().remove(0);
        }
      }
    }
    return eventId;
  }

  private void send(Webhook w, String eventId, String type, byte[] payload) {
    String last = null;
    int attempts = 0;
    int status = 0;
    boolean allowPrivate = settings(w.tenant()).allowPrivateWebhookTargets();
    String refused = allowPrivate ? null : WebhookTargets.refusal(w.url());
    for (int i = 0; i < 3; i++) {
      attempts++;
      if (refused != null) {
        last = refused;
        break;
      }
      String sig = WebhookVerifier.sign(w.secret(), context.clock().instant(), payload);
      okhttp3.Request req = new okhttp3.Request.Builder().url(w.url())
          .header("Shudu-Signature", sig).header("Shudu-Event-Id", eventId).header("Shudu-Event-Type", type)
          .header("User-Agent", "shudu-sandbox-exchange-webhooks/1")
          .post(RequestBody.create(payload, MediaType.get("application/json"))).build();
      try (okhttp3.Response resp = targets.get().client(allowPrivate).newCall(req).execute()) {
        status = resp.code();
        if (status >= 200 && status < 300) {
          last = null;
          break;
        }
        last = "HTTP " + status;
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      try {
        Thread.sleep(200L * (i + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("eventId", eventId);
    entry.put("type", type);
    entry.put("attempts", attempts);
    entry.put("status", status);
    entry.put("delivered", last == null);
    if (last != null) {
      entry.put("lastError", last);
      LOG.debug("webhook {} to {} failed after {} attempts: {}", eventId, w.url(), attempts, last);
    }
    synchronized (w.log()) {
      w.log().add(entry);
      if (w.log().size() > 200) {
        w.log().remove(0);
      }
    }
  }

  // ---- board ----

  private Response listAssets(Request q) {
    Board.Collection c = board.collection(q.tenant(), q.pathParam("id"));
    int offset = Catalog.decodeCursor(q.query("cursor"));
    int limit = q.queryInt("limit", 100, 1, 1000);
    int end = Math.min(c.supply, offset + limit);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = offset; i < end; i++) {
      items.add(board.assetView(c, c.works.get(i), q.tenant(), false));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("nextCursor", end < c.supply ? Catalog.encodeCursor(end) : null);
    return Response.ok(body);
  }
}
