package io.shudu.iot;

import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Observations: the common entity operations plus those of a datastream's time series: its observations, a time
 * window, the newest one, adding one, and adding many in one request (the dataArray extension) with a typed result of
 * which rows were created and which were rejected.
 *
 * <pre>{@code
 * IotObservations observations = iot.observations();
 * for (Observation o : observations.history(doxId, Instant.now().minus(Duration.ofDays(7)), Instant.now())) {
 *   System.out.println(o.phenomenonTime() + " " + o.resultAsDouble());
 * }
 * DataArrayResult r = observations.createDataArray(doxId, lastHour);
 * r.rejected().forEach(x -> System.out.println("row " + x.index() + ": " + x.problem()));
 * }</pre>
 */
public interface IotObservations extends IotEntities<Observation> {
  /**
   * Adds an observation to a datastream ({@code POST Datastreams(id)/Observations}); the FeatureOfInterest is
   * generated from the Thing's location when the observation has none.
   *
   * @param datastreamId the datastream
   * @param observation the observation (phenomenonTime and result)
   * @return the created observation
   */
  Observation create(long datastreamId, Observation observation);

  /**
   * Async {@link #create(long, Observation)}.
   *
   * @param datastreamId the datastream
   * @param observation the observation
   * @return the future created observation
   */
  CompletableFuture<Observation> createAsync(long datastreamId, Observation observation);

  /**
   * Creates many observations of one datastream in one request ({@code POST CreateObservations}, the dataArray
   * extension). Rows the platform rejects do not fail the call: the result lists the created rows with their ids and
   * the rejected rows with the platform's problem, by their index in {@code observations}. Rows that carry a
   * FeatureOfInterest refer to an existing one ({@code FeatureOfInterest.ref(id)}).
   *
   * @param datastreamId the datastream
   * @param observations 1 to 10,000 observations, each with phenomenonTime and result
   * @return which rows were created (ids) and which were rejected (problems)
   * @throws IllegalArgumentException if a row lacks phenomenonTime or result (nothing is sent)
   */
  DataArrayResult createDataArray(long datastreamId, List<Observation> observations);

  /**
   * Async {@link #createDataArray}.
   *
   * @param datastreamId the datastream
   * @param observations the observations
   * @return the future result
   */
  CompletableFuture<DataArrayResult> createDataArrayAsync(long datastreamId, List<Observation> observations);

  /**
   * The observations of a datastream ({@code Datastreams(id)/Observations}), in id order.
   *
   * @param datastreamId the datastream
   * @return the listing
   */
  PagedIterable<Observation> ofDatastream(long datastreamId);

  /**
   * The observations of a datastream with query options, such as a time filter and an order.
   *
   * @param datastreamId the datastream
   * @param query options
   * @return the listing
   */
  PagedIterable<Observation> ofDatastream(long datastreamId, IotQuery query);

  /**
   * The observations of a datastream within {@code [from, to)}, oldest first.
   *
   * @param datastreamId the datastream
   * @param from inclusive start
   * @param to exclusive end, after {@code from}
   * @return the listing
   */
  PagedIterable<Observation> history(long datastreamId, Instant from, Instant to);

  /**
   * The newest observation of a datastream (by phenomenonTime), if it has any.
   *
   * @param datastreamId the datastream
   * @return the newest observation, or empty
   */
  Optional<Observation> latest(long datastreamId);

  /**
   * Async {@link #latest}.
   *
   * @param datastreamId the datastream
   * @return the future newest observation, or empty
   */
  CompletableFuture<Optional<Observation>> latestAsync(long datastreamId);

  /**
   * The same operations with per-call options.
   *
   * @param options the options
   * @return a view using them
   */
  @Override
  IotObservations withOptions(RequestOptions options);
}
