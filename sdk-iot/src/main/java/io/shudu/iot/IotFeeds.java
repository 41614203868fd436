package io.shudu.iot;

import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The programme's feeds: their Things and Datastreams, and live subscriptions that deliver every new Observation
 * exactly once and in order per datastream, resuming after disconnects (and after restarts with a
 * {@link io.shudu.core.CheckpointStore} in the {@link FeedOptions}). Event keys are Datastream ids.
 *
 * <pre>{@code
 * try (FeedSubscription sub = iot.feeds().subscribe(ProgrammeFeed.TRAFFIC, FeedOptions.defaults(),
 *     event -> System.out.println(event.key() + " " + event.payload().result()))) {
 *   sub.awaitTermination(Duration.ofMinutes(1));
 * }
 * }</pre>
 *
 * <p>{@link #withOptions} applies to the calls that read the catalogue ({@link #things}, {@link #datastreams}, the
 * look-up of {@link #subscribeDatastream}); the event stream itself is configured by {@link FeedOptions}.
 */
public interface IotFeeds {
  /**
   * The Things of one of the programme's feeds, with their Locations.
   *
   * @param feed the feed
   * @return the listing
   */
  PagedIterable<Thing> things(ProgrammeFeed feed);

  /**
   * The Datastreams of a feed observing one property, such as the water-quality feed's
   * {@code Dissolved oxygen (DO)}, with their Thing.
   *
   * @param feed the feed
   * @param observedPropertyName the ObservedProperty's name
   * @return the listing
   */
  PagedIterable<Datastream> datastreams(ProgrammeFeed feed, String observedPropertyName);

  /**
   * Subscribes to every new Observation of one of the programme's feeds. Opening does not block: the subscription
   * connects in the background.
   *
   * @param feed the feed
   * @param options buffering, reconnect, gap and checkpoint options
   * @param handler receives the observations on the subscription's handler thread
   * @return the running subscription; close it to stop
   */
  FeedSubscription subscribe(ProgrammeFeed feed, FeedOptions options, FeedHandler<Observation> handler);

  /**
   * Subscribes to a feed by name, optionally to some of its datastreams only.
   *
   * @param feed the feed name, such as {@code water-quality}
   * @param datastreamIds datastreams to receive (empty: all of the feed)
   * @param options options
   * @param handler receives the observations
   * @return the running subscription
   */
  FeedSubscription subscribe(String feed, List<Long> datastreamIds, FeedOptions options,
      FeedHandler<Observation> handler);

  /**
   * Subscribes to the new observations of one datastream; its feed is read from the datastream (or its Thing) first.
   *
   * @param datastreamId the datastream
   * @param options options
   * @param handler receives the observations
   * @return the running subscription
   * @throws io.shudu.core.NotFoundException if there is no such datastream
   */
  FeedSubscription subscribeDatastream(long datastreamId, FeedOptions options, FeedHandler<Observation> handler);

  /**
   * Async {@link #subscribeDatastream}: the look-up does not block the caller.
   *
   * @param datastreamId the datastream
   * @param options options
   * @param handler receives the observations
   * @return the future running subscription
   */
  CompletableFuture<FeedSubscription> subscribeDatastreamAsync(long datastreamId, FeedOptions options,
      FeedHandler<Observation> handler);

  /**
   * The same operations with per-call options for the catalogue reads.
   *
   * @param options the options
   * @return a view using them
   */
  IotFeeds withOptions(RequestOptions options);
}
