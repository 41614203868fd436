package io.shudu.sandbox.internal.feed;

/**
 * The sandbox's live feeds: named, append-only event logs served as Server-Sent Events with strictly increasing
 * event ids and a bounded replay window. Services publish; clients subscribe over HTTP (see docs/api/feeds.md).
 * State survives a sandbox stop/restart.
 *
 * <p>Publishing API used by the services (IoT simulators, twin change feed):
 * <pre>{@code
 * long id = context.feeds().publish("traffic", "observation", "datastream-42", payloadObject);
 * }</pre>
 */
public final class Feeds {
  /**
   * Appends an event to a feed (created on first use).
   *
   * @param feed feed name, such as {@code traffic} or {@code twin-changes}
   * @param type SSE event type, such as {@code observation} or {@code entity.updated}
   * @param key partition key for per-key filtering (for example a datastream id), or null
   * @param payload object serialised as the event's JSON data
   * @return the event id
   */
  public long publish(String feed, String type, String key, Object payload) {
    throw new UnsupportedOperationException("feeds are being implemented");
  }
}
