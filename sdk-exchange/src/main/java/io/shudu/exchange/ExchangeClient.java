package io.shudu.exchange;

import io.shudu.core.ClientConfig;
import io.shudu.core.internal.ApiClient;
import io.shudu.exchange.internal.KeyRing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client of the Shanghai Data Exchange (上海数据交易所) and its digital asset board: catalog search, offers and policy
 * dry-runs, orders as a typed state machine, verifiable delivery with signed receipts, the per-order audit hash chain,
 * webhooks, and the "申生不息" series. Every operation has a blocking method and an {@code ...Async} method;
 * thread-safe; create one per application and close it at the end.
 *
 * <pre>{@code
 * try (ExchangeClient exchange = ExchangeClient.create(config)) {
 *   Catalog.Product p = exchange.catalog().search(Catalog.SearchQuery.text("地铁客流")).iterator().next();
 *   String offerId = p.offerIds().get(0);
 *   Policies.IntendedUse use = Policies.IntendedUse.of("research", 90);
 *   if (exchange.policies().dryRun(offerId, use).allowed()) {
 *     Orders.Order o = exchange.orders().create(offerId, use);
 *     exchange.orders().awaitState(o.id(), Orders.State.OFFERED, Duration.ofSeconds(30));
 *     exchange.orders().agree(o.id());
 *     exchange.orders().awaitState(o.id(), Orders.State.FINALIZED, Duration.ofSeconds(30));
 *     Deliveries.Delivery d = exchange.deliveries().request(o.id());
 *     exchange.deliveries().awaitState(d.id(), Deliveries.State.STARTED, Duration.ofSeconds(30));
 *     Deliveries.DownloadResult r = exchange.deliveries().download(d.id(), Path.of("data.ndjson"), null);
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
 */
public final class ExchangeClient implements AutoCloseable {
  private final ExecutorService downloads;
  private final Catalog catalog;
  private final Policies policies;
  private final Orders orders;
  private final Deliveries deliveries;
  private final Audit audit;
  private final Assets assets;
  private final Webhooks webhooks;

  private final List<ExchangeKey> trustedKeys;

  private ExchangeClient(ClientConfig config, List<ExchangeKey> trustedKeys) {
    ApiClient api = new ApiClient(config, "exchange");
    this.trustedKeys = trustedKeys;
    KeyRing keys = new KeyRing(api, trustedKeys == null ? null : Deliveries.keyMap(trustedKeys));
    AtomicInteger n = new AtomicInteger();
    this.downloads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "shudu-exchange-download-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.catalog = new Catalog(api);
    this.policies = new Policies(api);
    this.orders = new Orders(api);
    this.deliveries = new Deliveries(api, keys, downloads);
    this.audit = new Audit(api, keys);
    this.assets = new Assets(api);
    this.webhooks = new Webhooks(api);
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
  public Catalog catalog() {
    return catalog;
  }

  /**
   * Offers, usage policies and dry-runs.
   *
   * @return the policies API
   */
  public Policies policies() {
    return policies;
  }

  /**
   * Orders.
   *
   * @return the orders API
   */
  public Orders orders() {
    return orders;
  }

  /**
   * Verifiable deliveries, receipts and keys.
   *
   * @return the deliveries API
   */
  public Deliveries deliveries() {
    return deliveries;
  }

  /**
   * Audit hash chains.
   *
   * @return the audit API
   */
  public Audit audit() {
    return audit;
  }

  /**
   * The digital asset board.
   *
   * @return the assets API
   */
  public Assets assets() {
    return assets;
  }

  /**
   * Webhook endpoints.
   *
   * @return the webhooks API
   */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** Stops the download threads; the shared HTTP transport stays open for other clients. */
  @Override
  public void close() {
    downloads.shutdown();
  }
}
