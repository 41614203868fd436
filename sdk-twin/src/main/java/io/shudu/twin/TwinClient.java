package io.shudu.twin;

import io.shudu.core.ClientConfig;
import io.shudu.core.RequestOptions;
import io.shudu.core.geo.Position;
import io.shudu.core.internal.ApiClient;
import io.shudu.twin.internal.TwinApis;

/**
 * Client of the city digital twin: typed entities with ETags and merge patches, relationships and traversal,
 * spatial/property queries with stable cursors, atomic batches, history and pipe-network analysis. Thread-safe;
 * create one per application and close it at shutdown.
 *
 * <pre>{@code
 * try (TwinClient twin = TwinClient.create(config)) {
 *   Entity b = twin.entities().get("lg-bldg-0001");
 *   for (Entity s : twin.entities().query(TwinQuery.builder()
 *       .types(EntityType.UNDERGROUND_STRUCTURE)
 *       .near(Position.of(121.9040, 30.9230), 250)
 *       .depthBetween(0, 6)
 *       .build())) {
 *     System.out.println(s.id() + " " + s.text("kind"));
 *   }
 *   IsolationResult burst = twin.networks().isolate("w-seg-00100");
 *   System.out.println("close " + burst.valvesToClose().size() + " valves; "
 *       + burst.affectedBuildings().size() + " buildings lose water");
 * }
 * }</pre>
 *
 * <p>Per-call options: every sub-API has {@code withOptions(RequestOptions)}, a view whose calls use them
 * (timeouts, headers, idempotency key). Every operation has a blocking form and an {@code ...Async} form that never
 * throws: bad arguments and failures arrive through its future.
 *
 * <p>Writes after a failure: when a write fails and its exception's
 * {@link io.shudu.core.ShuduException#outcome() outcome()} is not {@code ANSWERED}, call the same method with the same
 * arguments through {@code withOptions(RequestOptions.repeatOf(e))}: the platform applies the write at most once and answers with its
 * first result (docs/api/core.md, "Writes whose outcome you can always learn"). Entity ids (and relationship ids you
 * choose) are client references too: an identical create repeated answers with what exists.
 */
public final class TwinClient implements AutoCloseable {
  private final ApiClient api;
  private final TwinEntities entities;
  private final TwinRelationships relationships;
  private final TwinHistory history;
  private final TwinNetworks networks;
  private final TwinChanges changes;

  private TwinClient(ApiClient api) {
    this.api = api;
    this.entities = new TwinApis.Entities(api, RequestOptions.defaults());
    this.relationships = new TwinApis.Relationships(api, RequestOptions.defaults());
    this.history = new TwinApis.History(api, RequestOptions.defaults());
    this.networks = new TwinApis.Networks(api, RequestOptions.defaults());
    this.changes = new TwinApis.Changes(api, RequestOptions.defaults());
  }

  /**
   * Creates a client.
   *
   * @param config endpoint, credentials, timeouts, retries
   * @return the client
   */
  public static TwinClient create(ClientConfig config) {
    java.util.Objects.requireNonNull(config, "config");
    return new TwinClient(new ApiClient(config, "twin"));
  }

  /**
   * Entity operations.
   *
   * @return the entity API
   */
  public TwinEntities entities() {
    return entities;
  }

  /**
   * Relationship operations.
   *
   * @return the relationship API
   */
  public TwinRelationships relationships() {
    return relationships;
  }

  /**
   * History.
   *
   * @return the history API
   */
  public TwinHistory history() {
    return history;
  }

  /**
   * Network analyses and dataset statistics.
   *
   * @return the network API
   */
  public TwinNetworks networks() {
    return networks;
  }

  /**
   * The change feed (Server-Sent Events, resumable).
   *
   * @return the change feed API
   */
  public TwinChanges changes() {
    return changes;
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public ClientConfig config() {
    return api.config();
  }

  /**
   * Closes the client: later calls on it (and on its {@code withOptions} views) fail with an
   * {@link IllegalStateException}, async ones through their future. Connections are pooled by the configuration's
   * transport and stay open for other clients; feed subscriptions are closed by their own {@code close()}.
   * Idempotent.
   */
  @Override
  public void close() {
    api.close();
  }
}
