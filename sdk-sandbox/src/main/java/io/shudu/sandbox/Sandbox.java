package io.shudu.sandbox;

import com.google.common.base.Preconditions;
import io.shudu.core.ClientConfig;
import io.shudu.sandbox.internal.SandboxAuth;
import io.shudu.sandbox.internal.SandboxContext;
import io.shudu.sandbox.internal.SandboxServer;
import io.shudu.sandbox.internal.exchange.ExchangeService;
import io.shudu.sandbox.internal.feed.Feeds;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import io.shudu.sandbox.internal.iot.IotService;
import io.shudu.sandbox.internal.twin.TwinService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * An embeddable, in-process Shudu platform: the twin, data exchange and IoT services with seeded demo data, on the
 * sandbox's own small HTTP/1.1 server, with bounded resources ({@link SandboxLimits}). Use it in tests and demos
 * instead of the network.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start()) {
 *   TwinClient twin = TwinClient.create(sandbox.clientConfig());
 *   System.out.println(twin.entities().get("lingang-zone"));
 * }
 * }</pre>
 *
 * <p>It verifies the same credentials as the platform (API key, AK/SK signatures with replay protection, OAuth2
 * client credentials) and keeps tenants apart. {@link #stop()} followed by {@link #restart()} keeps all state and
 * the port, so apps can be tested against a platform restart. {@link #injectFault(Fault)} makes it misbehave on
 * purpose (latency, 429/503 with Retry-After, connection reset, truncated body, dropped answer). In JUnit 5 tests use
 * {@link SandboxExtension}; from a shell run {@link Main} ({@code java -jar sdk-sandbox-<version>-cli.jar --port 8080}).
 * Thread-safe.
 */
public final class Sandbox implements AutoCloseable {
  /** The tenant that {@link #clientConfig()} uses. */
  public static final String DEFAULT_TENANT = "demo";
  /** Tenant names the sandbox gives to requests without credentials (open mode; health, token and key endpoints). */
  private static final java.util.Set<String> RESERVED_TENANTS = java.util.Set.of("open", "anonymous");

  private final String host;
  private final SandboxAuth auth;
  private final SandboxServer server;
  private final List<SandboxService> services;
  private final ScheduledExecutorService scheduler;
  private final SandboxContext context;
  private final SandboxLimits limits;
  private final ExchangeService exchange;
  private int port;
  private boolean running;

  private Sandbox(Builder b) {
    this.host = b.host;
    this.port = b.port;
    Clock clock = b.clock;
    this.auth = new SandboxAuth(clock);
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "shudu-sandbox-sim");
      t.setDaemon(true);
      return t;
    });
    Feeds feeds = new Feeds(Math.min(b.limits.feedEventsPerFeed(), 10_000_000), clock);
    feeds.maxFeedsPerTenant(b.limits.maxFeedsPerTenant());
    this.context = new SandboxContext(b.seed, b.openMode, b.simulationRate, clock, scheduler, feeds, b.limits);
    Router router = new Router();
    router.anonymous("GET", "/health", r -> Response.ok(Map.of("status", "UP", "services", serviceNames())));
    router.anonymous("POST", "/oauth2/token", r -> Response.ok(auth.issueToken(r)).header("Cache-Control", "no-store"));
    router.route("GET", "/v1/whoami", r -> {
      Map<String, Object> me = new LinkedHashMap<>();
      me.put("tenant", r.tenant());
      me.put("requestId", r.requestId());
      me.put("authScheme", scheme(r.header("X-Api-Key"), r.header("Authorization")));
      return Response.ok(me);
    });
    // per tenant: a shared counter would tell each tenant how many calls the others make
    Map<String, java.util.concurrent.atomic.AtomicLong> echoes = new java.util.concurrent.ConcurrentHashMap<>();
    router.route("POST", "/v1/echo", r -> {
      com.fasterxml.jackson.databind.JsonNode body = r.json();
      Map<String, Object> echo = new LinkedHashMap<>();
      echo.put("tenant", r.tenant());
      echo.put("requestId", r.requestId());
      echo.put("sequence", echoes.computeIfAbsent(r.tenant(), t -> new java.util.concurrent.atomic.AtomicLong())
          .incrementAndGet());
      echo.put("echo", body);
      return Response.json(201, echo);
    });
    this.exchange = new ExchangeService(context);
    exchange.limits(b.limits);
    this.services = List.of(new TwinService(context), exchange, new IotService(context));
    for (SandboxService s : services) {
      s.register(router);
    }
    context.feeds().register(router);
    this.limits = b.limits;
    auth.limits(limits.maxTokensPerTenant(), limits.maxNoncesPerKey());
    auth.maxTenants(limits.maxTenants());
    this.server = new SandboxServer(router, auth, b.openMode, limits, clock);
    auth.tenant(DEFAULT_TENANT);
  }

  private static String scheme(String apiKey, String authz) {
    if (apiKey != null) {
      return "api-key";
    }
    if (authz == null) {
      return "open";
    }
    return authz.startsWith("Bearer ") ? "oauth2" : "aksk";
  }

  private static List<String> serviceNames() {
    return List.of("twin", "exchange", "iot");
  }

  /**
   * Starts a sandbox on a free loopback port with default settings.
   *
   * @return the running sandbox
   */
  public static Sandbox start() {
    return builder().start();
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts again after {@link #stop()}, on the same port, with all state kept.
   *
   * @return this sandbox
   */
  public synchronized Sandbox restart() {
    Preconditions.checkState(!running, "the sandbox is already running");
    IOException last = null;
    for (int i = 0; i < 50; i++) {
      try {
        port = server.start(host, port);
        running = true;
        services.forEach(SandboxService::start);
        return this;
      } catch (IOException e) {
        last = e; // the port may linger briefly after a stop
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new UncheckedIOException("The sandbox could not bind " + host + ":" + port
        + "; choose another port with Sandbox.builder().port(...)", last);
  }

  /** Stops serving; open streams are cut. State is kept for {@link #restart()}. */
  public synchronized void stop() {
    if (running) {
      services.forEach(SandboxService::stop);
      server.stop();
      running = false;
    }
  }

  /** Stops and releases everything. */
  @Override
  public synchronized void close() {
    stop();
    scheduler.shutdownNow();
  }

  /**
   * Whether it is serving.
   *
   * @return true while running
   */
  public synchronized boolean running() {
    return running;
  }

  /**
   * Base URL, such as {@code http://127.0.0.1:53111}.
   *
   * @return the URL
   */
  public URI baseUrl() {
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  /**
   * The bound port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * A tenant and its credentials; created on first use. Each tenant has its own data (twin, SensorThings, exchange
   * orders, board, webhooks, settings, feeds, idempotency keys) that no other tenant can read or change.
   *
   * @param name tenant name, letters, digits and dashes; not {@code open} or {@code anonymous}, which the sandbox
   *     uses for requests without credentials
   * @return the tenant
   */
  public SandboxTenant tenant(String name) {
    checkTenantName(name);
    return view(auth.tenant(name));
  }

  private static void checkTenantName(String name) {
    Preconditions.checkArgument(name != null && name.matches("[a-z0-9][a-z0-9-]{0,39}"),
        "tenant name must be 1-40 lower-case letters, digits or dashes, got '%s'", name);
    Preconditions.checkArgument(!RESERVED_TENANTS.contains(name),
        "tenant name '%s' is reserved for requests without credentials; choose another name", name);
  }

  private SandboxTenant view(SandboxAuth.TenantKeys k) {
    return new SandboxTenant(k.tenant(), baseUrl(), k.apiKey(), k.accessKeyId(), k.secretAccessKey(), k.clientId(),
        k.clientSecret());
  }

  /**
   * Creates a tenant with some credentials given (null ones generated), for the command line's tenants file.
   *
   * @throws IllegalArgumentException for a bad or existing name, or a credential another tenant uses
   */
  SandboxTenant createTenant(String name, String apiKey, String accessKeyId, String secretAccessKey, String clientId,
      String clientSecret) {
    checkTenantName(name);
    return view(auth.create(name, apiKey, accessKeyId, secretAccessKey, clientId, clientSecret));
  }

  /**
   * The default tenant's API-key client configuration.
   *
   * @return the configuration
   */
  public ClientConfig clientConfig() {
    return tenant(DEFAULT_TENANT).clientConfig();
  }

  /**
   * Injects a fault into the next matching requests.
   *
   * @param fault the fault
   */
  public void injectFault(Fault fault) {
    server.injectFault(Preconditions.checkNotNull(fault, "fault"));
  }

  /** Removes faults not yet triggered. */
  public void clearFaults() {
    server.clearFaults();
  }

  /**
   * Sets the lifetime of OAuth2 access tokens issued from now on (default 10 minutes).
   *
   * @param lifetime positive duration
   */
  public void tokenLifetime(Duration lifetime) {
    Preconditions.checkArgument(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(),
        "lifetime must be positive");
    auth.tokenLifetime(lifetime);
  }

  /**
   * The limits this sandbox enforces.
   *
   * @return the limits
   */
  public SandboxLimits limits() {
    return limits;
  }

  /** The request pipeline, for the sandbox's own tests. */
  SandboxServer server() {
    return server;
  }

  /** The authenticator, for the sandbox's own tests. */
  SandboxAuth auth() {
    return auth;
  }

  /**
   * The exchange's public signing keys as a JWK set (the document {@code GET /exchange/v1/keys} serves), as the
   * exchange would hand them over out of band. Write them to a file and pin them, so that receipts and audit chains
   * are verified without trusting keys fetched from the endpoint that also serves the content:
   *
   * <pre>{@code
   * Files.writeString(keysFile, sandbox.exchangeKeys());
   * ExchangeClient exchange = ExchangeClient.builder(sandbox.clientConfig()).trustedKeys(keysFile).build();
   * }</pre>
   *
   * <p>The key is derived from the seed: sandboxes with the same seed sign with the same key.
   *
   * @return the JWK set as JSON
   */
  public String exchangeKeys() {
    return exchange.publicKeys();
  }

  /** Internal services and state, for the sandbox's own tests. */
  SandboxContext context() {
    return context;
  }

  @Override
  public String toString() {
    return "Sandbox{" + baseUrl() + ", running=" + running + ", seed=" + context.seed() + ", openMode="
        + context.openMode() + "}";
  }

  /** Builds a {@link Sandbox}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private long seed = 20220824L;
    private boolean openMode;
    private double simulationRate = 5.0;
    private Clock clock = Clock.systemUTC();
    private SandboxLimits limits = SandboxLimits.defaults();

    private Builder() {}

    /**
     * Replay window of every live feed: the newest events each feed keeps for subscribers to resume from (default
     * 100,000). A small window lets a test overrun it and see how a consumer reports the gap. Shortcut for
     * {@link SandboxLimits.Builder#feedEventsPerFeed(int)}.
     *
     * @param events 1 to 10,000,000
     * @return this builder
     */
    public Builder feedWindow(int events) {
      Preconditions.checkArgument(events >= 1 && events <= 10_000_000,
          "feedWindow must be between 1 and 10000000 events, got %s", events);
      this.limits = limits.toBuilder().feedEventsPerFeed(events).build();
      return this;
    }

    /**
     * Largest request body accepted (default 64 MiB); a larger one is answered 413. Shortcut for
     * {@link SandboxLimits.Builder#maxRequestBytes(int)}.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxRequestBytes(int bytes) {
      Preconditions.checkArgument(bytes >= 1, "maxRequestBytes must be >= 1, got %s", bytes);
      this.limits = limits.toBuilder().maxRequestBytes(bytes).build();
      return this;
    }

    /**
     * Resource limits: connections, headers, timeouts, streams and stored state per tenant (default
     * {@link SandboxLimits#defaults()}).
     *
     * @param l the limits
     * @return this builder
     */
    public Builder limits(SandboxLimits l) {
      this.limits = Preconditions.checkNotNull(l, "limits");
      return this;
    }

    /**
     * Port to bind, 0 (default) for a free one.
     *
     * @param p the port
     * @return this builder
     */
    public Builder port(int p) {
      Preconditions.checkArgument(p >= 0 && p <= 65535, "port must be 0-65535, got %s", p);
      this.port = p;
      return this;
    }

    /**
     * Address to bind (default 127.0.0.1).
     *
     * @param h host or address
     * @return this builder
     */
    public Builder host(String h) {
      this.host = Preconditions.checkNotNull(h, "host");
      return this;
    }

    /**
     * Seed of the generated datasets (default 20220824): same seed, same data.
     *
     * @param s seed
     * @return this builder
     */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /**
     * Accepts requests without credentials as tenant {@code open}. Only for conformance suites that cannot send
     * credentials: never enable it outside tests.
     *
     * @param enabled whether open mode is on
     * @return this builder
     */
    public Builder openMode(boolean enabled) {
      this.openMode = enabled;
      return this;
    }

    /**
     * Live observations per second per simulated feed (default 5; 0 disables the simulators).
     *
     * @param perSecond rate
     * @return this builder
     */
    public Builder simulationRate(double perSecond) {
      Preconditions.checkArgument(perSecond >= 0 && perSecond <= 10_000, "simulationRate must be 0-10000, got %s",
          perSecond);
      this.simulationRate = perSecond;
      return this;
    }

    /**
     * Clock used for signatures, tokens and timestamps.
     *
     * @param c clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = Preconditions.checkNotNull(c, "clock");
      return this;
    }

    /** A builder with the same settings, so that later changes to this one do not reach it. */
    Builder copy() {
      Builder c = new Builder();
      c.host = host;
      c.port = port;
      c.seed = seed;
      c.openMode = openMode;
      c.simulationRate = simulationRate;
      c.clock = clock;
      c.limits = limits;
      return c;
    }

    /**
     * Builds without starting.
     *
     * @return the stopped sandbox; call {@link Sandbox#restart()} to start
     */
    public Sandbox build() {
      return new Sandbox(this);
    }

    /**
     * Builds and starts.
     *
     * @return the running sandbox
     */
    public Sandbox start() {
      Sandbox s = new Sandbox(this);
      try {
        return s.restart();
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    }
  }

}
