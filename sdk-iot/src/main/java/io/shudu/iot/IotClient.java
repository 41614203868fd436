package io.shudu.iot;

import io.shudu.core.ClientConfig;
import io.shudu.core.RequestOptions;
import io.shudu.core.internal.ApiClient;
import io.shudu.iot.internal.IotApis;
import java.util.Objects;

/**
 * Client of the programme's AIoT feeds over OGC SensorThings API 1.1 (1.0 supported). One sub-API per entity set
 * ({@link #things()}, {@link #datastreams()}, {@link #observations()}, ...) with typed entities, queries, lazy
 * listings with opaque continuation tokens, create (with deep insert), conditional update (JSON merge patch with
 * If-Match) and delete; the observations of a datastream with batch creation (dataArray) and a typed partial result;
 * and {@link #feeds()}: live feeds that lose nothing. Every operation has a blocking and an {@code ...Async} form;
 * every sub-API has {@code withOptions(RequestOptions)}. Thread-safe; create one and reuse it.
 *
 * <pre>{@code
 * try (IotClient iot = IotClient.create(config)) {
 *   // a week of dissolved oxygen at a Qingpu station, oldest first
 *   Datastream dox = iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)").iterator().next();
 *   Instant now = Instant.now();
 *   for (Observation o : iot.observations().history(dox.id(), now.minus(Duration.ofDays(7)), now)) {
 *     System.out.println(o.phenomenonTime() + " " + o.resultAsDouble() + " mg/L");
 *   }
 *   // a conditional update: fails with PreconditionFailedException if someone changed the Thing meanwhile
 *   Versioned<Thing> station = iot.things().getVersioned(dox.thing().id());
 *   iot.things().update(station.value().id(), Thing.ref(station.value().id()).withDescription("checked"),
 *       station.etag());
 *   // live: every new traffic observation, exactly once, resumable with a CheckpointStore
 *   FeedSubscription sub = iot.feeds().subscribe(ProgrammeFeed.TRAFFIC, FeedOptions.defaults(),
 *       event -> System.out.println(event.key() + " " + event.payload().result()));
 * }
 * }</pre>
 *
 * <p>Writes after a failure: every create and update sends an Idempotency-Key. When a write fails and its exception's
 * {@link io.shudu.core.ShuduException#outcome() outcome()} is not {@code ANSWERED}, repeat the same call with the same
 * arguments on {@code withOptions(RequestOptions.repeatOf(e))}: the platform applies the write at most once and
 * answers with its first result (docs/api/core.md, "Writes whose outcome you can always learn").
 */
public final class IotClient implements AutoCloseable {
  private final ApiClient api;
  private final SensorThingsVersion version;
  private final IotEntities<Thing> things;
  private final IotEntities<Location> locations;
  private final IotEntities<HistoricalLocation> historicalLocations;
  private final IotEntities<Datastream> datastreams;
  private final IotEntities<MultiDatastream> multiDatastreams;
  private final IotEntities<Sensor> sensors;
  private final IotEntities<ObservedProperty> observedProperties;
  private final IotEntities<FeatureOfInterest> featuresOfInterest;
  private final IotObservations observations;
  private final IotFeeds feeds;

  private IotClient(ClientConfig config, SensorThingsVersion version) {
    this.api = new ApiClient(Objects.requireNonNull(config, "config"), "iot");
    this.version = Objects.requireNonNull(version, "version");
    String root = "/iot/" + version.pathSegment();
    RequestOptions d = RequestOptions.defaults();
    this.things = new IotApis.Entities<>(api, root, EntitySet.THINGS, d);
    this.locations = new IotApis.Entities<>(api, root, EntitySet.LOCATIONS, d);
    this.historicalLocations = new IotApis.Entities<>(api, root, EntitySet.HISTORICAL_LOCATIONS, d);
    this.datastreams = new IotApis.Entities<>(api, root, EntitySet.DATASTREAMS, d);
    this.multiDatastreams = new IotApis.Entities<>(api, root, EntitySet.MULTI_DATASTREAMS, d);
    this.sensors = new IotApis.Entities<>(api, root, EntitySet.SENSORS, d);
    this.observedProperties = new IotApis.Entities<>(api, root, EntitySet.OBSERVED_PROPERTIES, d);
    this.featuresOfInterest = new IotApis.Entities<>(api, root, EntitySet.FEATURES_OF_INTEREST, d);
    this.observations = new IotApis.Observations(api, root, d);
    this.feeds = new IotApis.Feeds(api, root, d);
  }

  /**
   * A client for SensorThings 1.1.
   *
   * @param config the client configuration
   * @return the client
   */
  public static IotClient create(ClientConfig config) {
    return new IotClient(config, SensorThingsVersion.V1_1);
  }

  /**
   * A client for a given SensorThings version.
   *
   * @param config the client configuration
   * @param version {@link SensorThingsVersion#V1_1} or {@link SensorThingsVersion#V1_0}
   * @return the client
   */
  public static IotClient create(ClientConfig config, SensorThingsVersion version) {
    return new IotClient(config, version);
  }

  /**
   * The SensorThings version this client speaks.
   *
   * @return the version
   */
  public SensorThingsVersion version() {
    return version;
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
   * Things: the sensing platforms (a buoy, a crossing, a detector).
   *
   * @return the Things API
   */
  public IotEntities<Thing> things() {
    return things;
  }

  /**
   * Locations of Things.
   *
   * @return the Locations API
   */
  public IotEntities<Location> locations() {
    return locations;
  }

  /**
   * HistoricalLocations: where Things were, and when.
   *
   * @return the HistoricalLocations API
   */
  public IotEntities<HistoricalLocation> historicalLocations() {
    return historicalLocations;
  }

  /**
   * Datastreams: one observed property of one Thing by one Sensor.
   *
   * @return the Datastreams API
   */
  public IotEntities<Datastream> datastreams() {
    return datastreams;
  }

  /**
   * MultiDatastreams: several observed properties in one result array.
   *
   * @return the MultiDatastreams API
   */
  public IotEntities<MultiDatastream> multiDatastreams() {
    return multiDatastreams;
  }

  /**
   * Sensors.
   *
   * @return the Sensors API
   */
  public IotEntities<Sensor> sensors() {
    return sensors;
  }

  /**
   * ObservedProperties.
   *
   * @return the ObservedProperties API
   */
  public IotEntities<ObservedProperty> observedProperties() {
    return observedProperties;
  }

  /**
   * FeaturesOfInterest.
   *
   * @return the FeaturesOfInterest API
   */
  public IotEntities<FeatureOfInterest> featuresOfInterest() {
    return featuresOfInterest;
  }

  /**
   * Observations, with a datastream's history, newest observation and batch creation (dataArray).
   *
   * @return the Observations API
   */
  public IotObservations observations() {
    return observations;
  }

  /**
   * The programme's feeds: their Things and Datastreams, and live subscriptions.
   *
   * @return the feeds API
   */
  public IotFeeds feeds() {
    return feeds;
  }

  /**
   * Closes the client: later calls on it (and on its {@code withOptions} views) fail with an
   * {@link IllegalStateException}, async ones through their future. The HTTP transport belongs to the
   * {@link ClientConfig} and stays open for other clients; feed subscriptions are closed by their own
   * {@code close()}. Idempotent.
   */
  @Override
  public void close() {
    api.close();
  }
}
