package io.shudu.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a live feed. The starter subscribes when the application context starts and
 * closes the subscription gracefully when it stops: the event in hand finishes and its checkpoint is saved.
 *
 * <p>The method takes one parameter: a {@code FeedEvent<T>} or the payload {@code T} itself (for example
 * {@code io.shudu.iot.Observation} on the IoT feeds). Its checkpoint goes to the application's
 * {@link io.shudu.core.CheckpointStore} bean under {@link #consumer()}; with the {@link JdbcCheckpointStore} and a
 * Spring transaction manager, the method runs in a transaction that also saves the checkpoint, so its database writes
 * happen exactly once even across crashes. A method that throws rolls that transaction back; the listener is
 * subscribed again from its last checkpoint after {@code shudu.feeds.restart-delay}.
 *
 * <pre>{@code
 * @ShuduFeedListener(feed = "traffic", consumer = "rider-routing/closures")
 * void onTraffic(FeedEvent<Observation> event) {
 *   jdbc.update("INSERT INTO road_closures ...", ...);   // commits with the checkpoint
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ShuduFeedListener {
  /**
   * The feed's name, such as {@code traffic} or {@code water-quality}.
   *
   * @return the feed
   */
  String feed();

  /**
   * The consumer name under which the checkpoint is kept; keep it stable across releases. Empty (the default) uses
   * {@code <bean name>.<method name>}.
   *
   * @return the consumer name
   */
  String consumer() default "";

  /**
   * Event keys to receive (for IoT feeds: Datastream ids); empty for the whole feed.
   *
   * @return the keys
   */
  String[] keys() default {};

  /**
   * Where a consumer without a checkpoint starts.
   *
   * @return the start position
   */
  FeedConsumer.Start start() default FeedConsumer.Start.LATEST;

  /**
   * Whether the handler and its checkpoint share one transaction when the checkpoint store is a
   * {@link JdbcCheckpointStore} and the context has a transaction manager. False keeps the store's own commits
   * (at-least-once delivery).
   *
   * @return true by default
   */
  boolean transactional() default true;
}
