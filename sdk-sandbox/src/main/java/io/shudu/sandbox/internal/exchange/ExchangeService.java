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
 *
 * <p>This class routes requests and holds the catalog, the settings, the board routes and each tenant's state;
 * orders ({@link ExchangeOrders}), deliveries ({@link ExchangeDeliveries}), the audit chain ({@link ExchangeAudit})
 * and webhooks ({@link ExchangeWebhooks}) each have their own file.
 */
public final class ExchangeService implements SandboxService {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.sandbox.exchange");
  static final String P = "/exchange/v1";

  private final SandboxContext context;
  /** The concerns, each in its own file. */
  final ExchangeOrders orderFlow;
  final ExchangeDeliveries deliveryFlow;
  final ExchangeAudit audit;
  final ExchangeWebhooks hooks;
  final Catalog catalog = new Catalog();
  private final Board board;
  final Deliveries content;
  final com.google.common.base.Supplier<ExchangeCrypto.Ed25519Key> signingKey;
  final Map<String, Order> orders = new ConcurrentHashMap<>();
  final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
  final Map<String, Settings> settings = new ConcurrentHashMap<>();
  final Map<String, Map<String, Webhook>> webhooks = new ConcurrentHashMap<>();
  final ClientReferences references = new ClientReferences();
  final AtomicLong ids = new AtomicLong();
  final SecureRandom random = new SecureRandom();
  final Map<String, ThreadPoolExecutor> webhookPools = new ConcurrentHashMap<>();
  volatile boolean webhooksRunning;
  volatile int webhookQueue = 1000;
  volatile SandboxLimits limits = SandboxLimits.defaults();
  /** Orders and deliveries created by each tenant (they are kept for the sandbox's life). */
  final Map<String, java.util.concurrent.atomic.AtomicInteger> orderCounts = new ConcurrentHashMap<>();
  final Map<String, java.util.concurrent.atomic.AtomicInteger> deliveryCounts = new ConcurrentHashMap<>();
  final com.google.common.base.Supplier<WebhookTargets> targets = com.google.common.base.Suppliers.memoize(
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
    this.orderFlow = new ExchangeOrders(this);
    this.deliveryFlow = new ExchangeDeliveries(this);
    this.audit = new ExchangeAudit(this);
    this.hooks = new ExchangeWebhooks(this);
    this.board = new Board(context.clock());
    this.content = new Deliveries(context.seed());
    // Derived lazily: sandbox start-up stays fast for tests that never touch the exchange.
    this.signingKey = com.google.common.base.Suppliers.memoize(() -> ExchangeCrypto.ed25519(
        "sde-" + Long.toHexString(context.seed()),
        HexFormat.of().parseHex(ExchangeCrypto.sha256Hex("shudu-exchange-signing-key|" + context.seed()))));
  }

  SandboxContext context() {
    return context;
  }

  /**
   * Applies the sandbox's limits: board collections per tenant and their lifetime, claims and transfers, webhook
   * queue, orders, deliveries and webhooks per tenant.
   */
  public void limits(SandboxLimits l) {
    this.limits = l;
    board.limits(l.maxCollectionsPerTenant(), l.collectionTtl());
    board.maxEventsPerTenant(l.maxBoardEventsPerTenant());
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
  ThreadPoolExecutor webhookPool(String tenant) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(webhookQueue), r -> {
          Thread t = new Thread(r, "shudu-sandbox-webhooks-" + tenant);
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  String tenantOf(Webhook w) {
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
    r.route("POST", P + "/orders", orderFlow::createOrder);
    r.route("GET", P + "/orders", orderFlow::listOrders);
    r.route("GET", P + "/orders/{id}", q -> {
      Order o = orderFlow.order(q);
      synchronized (o) {
        return withEtag(Response.ok(orderFlow.view(o)), o);
      }
    });
    r.route("POST", P + "/orders/{id}/transitions", orderFlow::orderTransition);
    r.route("GET", P + "/orders/{id}/await", orderFlow::awaitOrder);
    r.route("GET", P + "/orders/{id}/audit", audit::audit);
    r.route("POST", P + "/orders/{id}/deliveries", deliveryFlow::createDelivery);
    r.route("GET", P + "/orders/{id}/deliveries", q -> {
      Order o = orderFlow.order(q);
      List<Map<String, Object>> views = new ArrayList<>();
      synchronized (o) {
        for (String id : o.deliveryIds) {
          views.add(deliveryFlow.view(deliveries.get(id)));
        }
      }
      return page(q, views, 100);
    });
    r.route("GET", P + "/deliveries/{id}", q -> {
      Delivery d = deliveryFlow.delivery(q);
      synchronized (d.order) {
        return withEtag(Response.ok(deliveryFlow.view(d)), d);
      }
    });
    r.route("POST", P + "/deliveries/{id}/transitions", deliveryFlow::deliveryTransition);
    r.route("GET", P + "/deliveries/{id}/await", deliveryFlow::awaitDelivery);
    r.route("GET", P + "/deliveries/{id}/manifest", q -> Response.ok(deliveryFlow.delivery(q).manifest));
    r.route("GET", P + "/deliveries/{id}/receipt", deliveryFlow::receipt);
    r.route("GET", P + "/deliveries/{id}/content", deliveryFlow::content);
    r.route("POST", P + "/webhooks", hooks::createWebhook);
    r.route("GET", P + "/webhooks", q -> page(q, webhooks.getOrDefault(q.tenant(), Map.of()).values().stream()
        .map(ExchangeWebhooks::view).toList(), 100));
    r.route("GET", P + "/webhooks/{id}", q -> {
      Webhook w = hooks.webhook(q);
      return Response.ok(ExchangeWebhooks.view(w)).header("ETag", etag(w));
    });
    r.route("DELETE", P + "/webhooks/{id}", q -> {
      Webhook w = hooks.webhook(q);
      checkIfMatch(q, "Webhook", w.id(), etag(w));
      webhooks.get(q.tenant()).remove(q.pathParam("id"));
      return Response.noContent();
    });
    r.route("POST", P + "/webhooks/{id}/ping", q -> {
      Webhook w = hooks.webhook(q);
      Map<String, Object> data = Map.of("message", "ping from the Shanghai Data Exchange sandbox");
      String eventId = hooks.dispatch(w, "ping", null, data);
      return Response.json(202, Map.of("eventId", eventId));
    });
    r.route("GET", P + "/sandbox/settings", q -> {
      Settings s = orderFlow.settings(q.tenant());
      return Response.ok(s).header("ETag", etag(s));
    });
    r.route("PUT", P + "/sandbox/settings", orderFlow::putSettings);
    r.route("POST", P + "/sandbox/delivery-faults", deliveryFlow::deliveryFault);
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

  static String etag(Order o) {
    return "\"" + o.id + "." + o.version + "\"";
  }

  static String etag(Delivery d) {
    return "\"" + d.id + "." + d.version + "\"";
  }

  static String etag(Webhook w) {
    return "\"" + w.id() + ".1\"";
  }

  static String etag(Settings s) {
    return "\"settings." + s.autoProgress() + "." + s.merchantDelayMs() + "." + s.exchangeDelayMs() + "."
        + s.allowPrivateWebhookTargets() + "\"";
  }

  static Response withEtag(Response r, Order o) {
    return r.header("ETag", etag(o));
  }

  static Response withEtag(Response r, Delivery d) {
    return r.header("ETag", etag(d));
  }

  /** A conditional write ({@code If-Match}) on a resource whose ETag is {@code current}: 412 when it changed. */
  static void checkIfMatch(Request q, String what, String id, String current) {
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

  Catalog.Product product(String id) {
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

  Catalog.Offer offer(String id) {
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
