package io.shudu.core.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.google.common.base.Preconditions;
import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedInfo;
import io.shudu.core.NotFoundException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one way to open a live feed subscription ({@code GET /feeds/v1/{feed}} as Server-Sent Events). Service clients
 * call {@link #subscribe}; {@link FeedSubscription#open} calls {@link #open}. See {@link FeedSubscriptionImpl} for
 * the reader, buffer, handler and reconnect machinery.
 *
 * <pre>{@code
 * FeedSubscription sub = FeedClient.subscribe(api, "traffic", List.of("datastream-42"), Observation.class,
 *     options, handler);
 * }</pre>
 */
public final class FeedClient {
  private static final Pattern FEED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private FeedClient() {}

  /**
   * Opens a subscription through a service client's pipeline (its credentials, User-Agent and transport).
   *
   * @param api the service client's pipeline
   * @param feed the feed's name, such as {@code traffic} or {@code twin-changes}
   * @param keys partition keys to receive (empty: every event of the feed)
   * @param payloadType the payload class
   * @param options buffering, reconnect, gap and checkpoint options
   * @param handler receives the events on the subscription's handler thread
   * @param <T> the payload type
   * @return the running subscription
   */
  public static <T> FeedSubscription subscribe(ApiClient api, String feed, List<String> keys, Class<T> payloadType,
      FeedOptions options, FeedHandler<T> handler) {
    Preconditions.checkNotNull(payloadType, "payloadType");
    return subscribe(api, feed, keys, Json.mapper().constructType(payloadType), options, handler);
  }

  /**
   * Opens a subscription whose payload is a generic type.
   *
   * @param api the service client's pipeline
   * @param feed the feed's name
   * @param keys partition keys to receive (empty: every event of the feed)
   * @param payloadType the payload type
   * @param options buffering, reconnect, gap and checkpoint options
   * @param handler receives the events
   * @param <T> the payload type
   * @return the running subscription
   */
  public static <T> FeedSubscription subscribe(ApiClient api, String feed, List<String> keys,
      TypeReference<T> payloadType, FeedOptions options, FeedHandler<T> handler) {
    Preconditions.checkNotNull(payloadType, "payloadType");
    return subscribe(api, feed, keys, Json.mapper().constructType(payloadType), options, handler);
  }

  /**
   * Opens a subscription with its own pipeline built from a client configuration.
   *
   * @param config the client configuration
   * @param feed the feed's name
   * @param keys partition keys to receive (empty: every event of the feed)
   * @param payloadType the payload class
   * @param options buffering, reconnect, gap and checkpoint options
   * @param handler receives the events
   * @param <T> the payload type
   * @return the running subscription
   */
  public static <T> FeedSubscription open(ClientConfig config, String feed, List<String> keys, Class<T> payloadType,
      FeedOptions options, FeedHandler<T> handler) {
    Preconditions.checkNotNull(config, "config");
    return subscribe(new ApiClient(config, "feeds"), feed, keys, payloadType, options, handler);
  }

  /**
   * Reads a feed's bounds from {@code GET /feeds/v1}.
   *
   * @param config the client configuration
   * @param feed the feed's name
   * @return the bounds
   * @throws NotFoundException if the listing has no feed of that name for the caller
   */
  public static FeedInfo describe(ClientConfig config, String feed) {
    Preconditions.checkNotNull(config, "config");
    checkFeed(feed);
    JsonNode list;
    try (ApiResponse r = new ApiClient(config, "feeds").execute(
        ApiRequest.builder("feeds.list", "GET", "/feeds/v1").build())) {
      list = r.json(JsonNode.class).path("feeds");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode f : list) {
      String name = f.path("name").asText();
      if (name.equals(feed)) {
        long lastId = f.path("lastId").asLong();
        long size = f.path("size").asLong();
        long firstId = f.hasNonNull("firstId") ? f.path("firstId").asLong() : lastId + 1;
        return new FeedInfo(name, firstId, lastId, size, f.path("window").asLong());
      }
      names.add(name);
    }
    throw new NotFoundException(404, "not_found", null, "Not found", "There is no feed named '" + feed
        + "' readable with these credentials; the platform lists " + names + ".", null, List.of(), Map.of());
  }

  private static <T> FeedSubscription subscribe(ApiClient api, String feed, List<String> keys, JavaType payloadType,
      FeedOptions options, FeedHandler<T> handler) {
    Preconditions.checkNotNull(api, "api");
    checkFeed(feed);
    Preconditions.checkNotNull(keys, "keys (use List.of() for every key)");
    Preconditions.checkArgument(keys.size() <= 100, "at most 100 keys per subscription, got %s", keys.size());
    for (String k : keys) {
      Preconditions.checkArgument(k != null && !k.isBlank() && k.length() <= 200,
          "keys must be 1-200 characters and not blank, got '%s'", k);
    }
    Preconditions.checkNotNull(options, "options (use FeedOptions.defaults())");
    Preconditions.checkNotNull(handler, "handler");
    FeedSubscriptionImpl<T> sub = new FeedSubscriptionImpl<>(api, feed, List.copyOf(keys),
        new FeedDecoder<>(feed, payloadType), options, handler);
    sub.start();
    return sub;
  }

  /**
   * Validates a feed name: 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit.
   *
   * @param feed the name
   * @return the name
   */
  public static String checkFeed(String feed) {
    Preconditions.checkArgument(feed != null && FEED.matcher(feed).matches(),
        "feed must be 1-100 letters, digits, '.', '-' or '_' starting with a letter or digit, got '%s'", feed);
    return feed;
  }
}
