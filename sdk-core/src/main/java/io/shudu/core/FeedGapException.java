package io.shudu.core;

/**
 * Events were lost to a subscription: it asked to resume after an event that has already left the platform's replay
 * window (the consumer was away, or too slow, for longer than the window lasts). The SDK never skips events
 * silently; this exception says exactly what was missed. With {@link FeedOptions.GapPolicy#FAIL} the subscription ends
 * with it; with {@link FeedOptions.GapPolicy#CONTINUE} it is handed to {@link FeedHandler#onGap} first.
 *
 * <p>To avoid gaps: checkpoint more often, subscribe with a bigger buffer or a faster handler, or ask the platform
 * operator for a longer replay window. To recover: re-read the missed period with the service's query API (for
 * example SensorThings observations by {@code phenomenonTime}) and continue.
 */
public class FeedGapException extends ShuduException {
  private static final long serialVersionUID = 1L;

  private final String feed;
  private final long requestedAfter;
  private final long oldestAvailable;
  private final long missed;

  /**
   * Creates the exception.
   *
   * @param feed the feed's name
   * @param requestedAfter the id the subscription asked to resume after
   * @param oldestAvailable the oldest event id still in the replay window
   * @param missed how many events of the feed were evicted after {@code requestedAfter} (with a key filter, the
   *     count covers all keys of the feed: an upper bound of the events this subscription missed)
   */
  public FeedGapException(String feed, long requestedAfter, long oldestAvailable, long missed) {
    super("Feed '" + feed + "': events after id " + requestedAfter + " were lost: the oldest event still in the "
        + "platform's replay window is " + oldestAvailable + " (" + missed + " event(s) evicted). The consumer was "
        + "away or too slow for longer than the replay window; re-read the missed period with the query API, or "
        + "subscribe with GapPolicy.CONTINUE and handle FeedHandler.onGap to accept the loss explicitly.", null);
    this.feed = feed;
    this.requestedAfter = requestedAfter;
    this.oldestAvailable = oldestAvailable;
    this.missed = missed;
  }

  /**
   * The feed's name.
   *
   * @return the feed
   */
  public String feed() {
    return feed;
  }

  /**
   * The id the subscription asked to resume after.
   *
   * @return the requested resume point
   */
  public long requestedAfter() {
    return requestedAfter;
  }

  /**
   * The oldest event id still available; delivery continues with it (or the next one matching the key filter).
   *
   * @return the oldest available id
   */
  public long oldestAvailable() {
    return oldestAvailable;
  }

  /**
   * How many events of the feed were evicted after the requested resume point (all keys).
   *
   * @return the count of missed events
   */
  public long missed() {
    return missed;
  }
}
