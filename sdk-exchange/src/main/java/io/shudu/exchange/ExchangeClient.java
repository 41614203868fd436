package io.shudu.exchange;

import io.shudu.core.ClientConfig;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.exchange.internal.AssetsApi;
import io.shudu.exchange.internal.AuditApi;
import io.shudu.exchange.internal.CatalogApi;
import io.shudu.exchange.internal.DeliveriesApi;
import io.shudu.exchange.internal.KeyRing;
import io.shudu.exchange.internal.OrdersApi;
import io.shudu.exchange.internal.PoliciesApi;
import io.shudu.exchange.internal.WebhooksApi;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client of the Shanghai Data Exchange (上海数据交易所) and its digital asset board: catalog search, offers and policy
 * dry-runs, orders as a typed state machine, verifiable delivery with signed receipts, the per-order audit hash chain,
 * webhooks, and the "申生不息" series, grouped in sub-APIs ({@link #catalog()}, {@link #policies()},
 * {@link #orders()}, {@link #deliveries()}, {@link #audit()}, {@link #assets()}, {@link #webhooks()}). Every
 * sub-API has {@code withOptions(RequestOptions)} for per-call options; every operation has a blocking method and an
 * {@code ...Async} method that never throws (failures arrive through the future); every list is a
 * {@link io.shudu.core.PagedIterable}; reads of mutable resources have {@code getVersioned} and their writes an
 * {@code ifMatch}. Thread-safe; create one per application and close it at the end.
 *
 * <pre>{@code
 * try (ExchangeClient exchange = ExchangeClient.create(config)) {
 *   Product p = exchange.catalog().search(CatalogQuery.text("地铁客流")).iterator().next();
 *   String offerId = p.offerIds().get(0);
 *   IntendedUse use = IntendedUse.of("research", 90);
 *   if (exchange.policies().dryRun(offerId, use).allowed()) {
 *     Order o = exchange.orders().create(offerId, use);
 *     exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(30));
 *     exchange.orders().transition(o.id(), OrderAction.AGREE, null);
 *     exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(30));
 *     Delivery d = exchange.deliveries().request(o.id());
 *     exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(30));
 *     DownloadResult r = exchange.deliveries().download(d.id(), Path.of("data.ndjson"), null);
 *     exchange.deliveries().complete(d.id(), r.merkleRoot());
 *     exchange.audit().verify(exchange.audit().export(o.id()));
 *   }
 * }
 * }</pre>
 *
 * <p>Receipts and audit chains are signed by the exchange. By default they are verified with the keys the endpoint
 * publishes, which proves the content matches what the endpoint signed, but not that the endpoint is the exchange.
 * Pin the exchange's keys, obtained once out of band, to prove that too:
 *
 * <pre>{@code
 * ExchangeClient exchange = ExchangeClient.builder(config)
 *     .trustedKeys(ExchangeKey.read(Path.of("exchange-keys.json")))
 *     .build();
 * }</pre>
 *
 * <p>Writes after a failure: when a create, transition, delivery request, claim or transfer fails and its exception's
 * {@link io.shudu.core.ShuduException#outcome() outcome()} is not {@code ANSWERED}, call the same method with the same
 * arguments on {@code withOptions(RequestOptions.repeatOf(e))}, for example
 * {@code exchange.orders().withOptions(RequestOptions.repeatOf(e)).create(offerId, use)}: the platform applies the
 * write at most once and answers with its first result (docs/api/core.md, "Writes whose outcome you can always
 * learn"). Orders, deliveries, claims and
 * transfers also take a client reference of yours, unique per tenant, that finds them again after anything.
 */
public final class ExchangeClient implements AutoCloseable {
  private final ApiClient api;
  private final ExecutorService downloads;
  private final ExchangeCatalog catalog;
  private final ExchangePolicies policies;
  private final ExchangeOrders orders;
  private final ExchangeDeliveries deliveries;
  private final ExchangeAudit audit;
  private final ExchangeAssets assets;
  private final ExchangeWebhooks webhooks;

  private final List<ExchangeKey> trustedKeys;

  private ExchangeClient(ClientConfig config, List<ExchangeKey> trustedKeys) {
    this.api = new ApiClient(config, "exchange");
    this.trustedKeys = trustedKeys;
    KeyRing keys = new KeyRing(api, trustedKeys == null ? null : DeliveriesApi.keyMap(trustedKeys));
    AtomicInteger n = new AtomicInteger();
    this.downloads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "shudu-exchange-download-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    RequestOptions none = RequestOptions.defaults();
    this.catalog = new CatalogApi(api, none);
    this.policies = new PoliciesApi(api, none);
    this.orders = new OrdersApi(api, none);
    this.deliveries = new DeliveriesApi(api, none, keys, downloads);
    this.audit = new AuditApi(api, none, keys);
    this.assets = new AssetsApi(api, none);
    this.webhooks = new WebhooksApi(api, none);
  }

  /**
   * Creates a client.
   *
   * @param config endpoint, credentials, timeouts and retries
   * @return the client
   */
  public static ExchangeClient create(ClientConfig config) {
    if (config == null) {
      throw new NullPointerException("config must not be null");
    }
    return new ExchangeClient(config, null);
  }

  /**
   * A builder, to pin the exchange's keys.
   *
   * @param config endpoint, credentials, timeouts and retries
   * @return the builder
   */
  public static Builder builder(ClientConfig config) {
    if (config == null) {
      throw new NullPointerException("config must not be null");
    }
    return new Builder(config);
  }

  /**
   * The pinned keys.
   *
   * @return the keys configured with {@link Builder#trustedKeys}, or an empty list when the client trusts the keys
   *     the endpoint publishes
   */
  public List<ExchangeKey> trustedKeys() {
    return trustedKeys == null ? List.of() : trustedKeys;
  }

  /** Builds an {@link ExchangeClient}. Not thread-safe; the client is. */
  public static final class Builder {
    private final ClientConfig config;
    private List<ExchangeKey> trustedKeys;

    private Builder(ClientConfig config) {
      this.config = config;
    }

    /**
     * Pins the exchange's keys: receipts, downloads and audit chains verify only against these, never against keys
     * fetched from the endpoint (which serves the content too). A signature by any other key is
     * {@link ExchangeVerificationException} {@code UNKNOWN_KEY}; when the exchange rotates its key, pin the new one.
     *
     * @param keys the keys, at least one (for example {@link ExchangeKey#read})
     * @return this builder
     */
    public Builder trustedKeys(List<ExchangeKey> keys) {
      if (keys == null || keys.isEmpty() || keys.stream().anyMatch(java.util.Objects::isNull)) {
        throw new IllegalArgumentException("trustedKeys needs at least one key (and no null): read them with "
            + "ExchangeKey.read(file)");
      }
      this.trustedKeys = List.copyOf(keys);
      return this;
    }

    /**
     * Pins the keys of a JWK set file (see {@link ExchangeKey#read}).
     *
     * @param jwkSetFile the file
     * @return this builder
     */
    public Builder trustedKeys(Path jwkSetFile) {
      return trustedKeys(ExchangeKey.read(jwkSetFile));
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public ExchangeClient build() {
      return new ExchangeClient(config, trustedKeys);
    }
  }

  /**
   * Catalog search, products and merchants.
   *
   * @return the catalog API
   */
  public ExchangeCatalog catalog() {
    return catalog;
  }

  /**
   * Offers, usage policies and dry-runs.
   *
   * @return the policies API
   */
  public ExchangePolicies policies() {
    return policies;
  }

  /**
   * Orders.
   *
   * @return the orders API
   */
  public ExchangeOrders orders() {
    return orders;
  }

  /**
   * Verifiable deliveries, receipts and keys.
   *
   * @return the deliveries API
   */
  public ExchangeDeliveries deliveries() {
    return deliveries;
  }

  /**
   * Audit hash chains.
   *
   * @return the audit API
   */
  public ExchangeAudit audit() {
    return audit;
  }

  /**
   * The digital asset board.
   *
   * @return the assets API
   */
  public ExchangeAssets assets() {
    return assets;
  }

  /**
   * Webhook endpoints.
   *
   * @return the webhooks API
   */
  public ExchangeWebhooks webhooks() {
    return webhooks;
  }

  /**
   * Closes the client: later calls on it (and on its {@code withOptions} views) fail with an
   * {@link IllegalStateException}, async ones through their future; downloads in progress finish. The HTTP
   * transport belongs to the {@link ClientConfig} and stays open for other clients. Idempotent.
   */
  @Override
  public void close() {
    api.close();
    downloads.shutdown();
  }
}
