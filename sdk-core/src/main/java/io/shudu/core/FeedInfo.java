package io.shudu.core;

/**
 * A feed's bounds on the platform, as {@code GET /feeds/v1} lists them: which event ids a subscription can still read.
 * Get it with {@link FeedSubscription#describe}.
 *
 * <pre>{@code
 * FeedInfo traffic = FeedSubscription.describe(config, "traffic");
 * long behind = traffic.lastId() - myCheckpoint;   // events this consumer still has to read
 * }</pre>
 *
 * @param name the feed's name
 * @param firstId the oldest event id still in the replay window ({@code lastId + 1} while the window is empty)
 * @param lastId the newest event id (0 before the first event)
 * @param size how many events the window holds now
 * @param window the most events the feed keeps
 */
public record FeedInfo(String name, long firstId, long lastId, long size, long window) {}
