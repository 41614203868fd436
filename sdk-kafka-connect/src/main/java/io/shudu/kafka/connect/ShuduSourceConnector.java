package io.shudu.kafka.connect;

import io.shudu.core.internal.HttpLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A Kafka Connect source connector that carries Shudu live feeds (Jiading traffic, 5G fire alarms, dispatch, water
 * quality, the twin's change feed) into Kafka topics, built on the SDK's feed subscription.
 *
 * <ul>
 *   <li>Work: each configured feed is one unit of work, or, when {@code keys} filters it, each of its keys; units are
 *       spread over {@code tasks.max} tasks (a feed's keys round-robin over the tasks).</li>
 *   <li>Records: key = the event's partition key (so per-key order holds within a Kafka partition), value = the
 *       payload as schemaless JSON or as the observation struct, headers {@code shudu.id}, {@code shudu.feed},
 *       {@code shudu.type}, {@code shudu.publishedAt} and {@code traceparent}; timestamp = publishedAt.</li>
 *   <li>Offsets: source partition {@code {feed}} or {@code {feed, key}}, source offset {@code {id}} = the last event
 *       id written; tasks resume after it on any restart or rebalance.</li>
 *   <li>Exactly once: {@link #exactlyOnceSupport} answers {@link ExactlyOnceSupport#SUPPORTED}; with
 *       {@code exactly.once.source.support=enabled} on the workers, each {@code poll()} batch and its offsets commit in
 *       one Kafka transaction ({@code transaction.boundary=poll}, the default). Without it, delivery is at least
 *       once: after a crash, events after the last committed offset are written again, with the same
 *       {@code shudu.id} header.</li>
 * </ul>
 *
 * <pre>{@code
 * name=shudu-feeds
 * connector.class=io.shudu.kafka.connect.ShuduSourceConnector
 * tasks.max=3
 * shudu.endpoint=https://api.shudu.example
 * shudu.api.key=${file:/etc/kafka/shudu.properties:api.key}
 * feeds=traffic,fire-alarms,dispatch
 * }</pre>
 *
 * See docs/guide-kafka.md for the settings, the guarantees and their limits.
 */
public final class ShuduSourceConnector extends SourceConnector {
  /** The connector's version (the SDK's), as the build wrote it into {@code version.properties}. */
  public static final String VERSION = readVersion();

  private Map<String, String> props;
  private ShuduSourceConfig config;

  /** Creates the connector (Connect does this). */
  public ShuduSourceConnector() {}

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    this.config = new ShuduSourceConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return ShuduSourceTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    if (config == null) {
      throw new ConnectException("taskConfigs called before start");
    }
    List<List<Assignment>> split = split(config, maxTasks);
    List<Map<String, String>> out = new ArrayList<>();
    for (List<Assignment> units : split) {
      Map<String, String> task = new java.util.HashMap<>(props);
      task.put(ShuduSourceConfig.TASK_ASSIGNMENTS, Assignment.encode(units));
      out.add(task);
    }
    return out;
  }

  /**
   * Spreads the work over at most {@code maxTasks} tasks: whole feeds and keyed feeds' keys, round-robin, so that
   * each task gets a share and a feed's keys land on different tasks. A task handles each of its feeds with one
   * subscription (carrying that task's keys of the feed).
   */
  static List<List<Assignment>> split(ShuduSourceConfig config, int maxTasks) {
    List<String[]> units = new ArrayList<>();
    for (String feed : config.feeds()) {
      List<String> keys = config.keys().get(feed);
      if (keys == null) {
        units.add(new String[] {feed, null});
      } else {
        for (String k : keys) {
          units.add(new String[] {feed, k});
        }
      }
    }
    int tasks = Math.max(1, Math.min(maxTasks, units.size()));
    List<java.util.LinkedHashMap<String, List<String>>> perTask = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      perTask.add(new java.util.LinkedHashMap<>());
    }
    for (int i = 0; i < units.size(); i++) {
      String[] u = units.get(i);
      java.util.LinkedHashMap<String, List<String>> t = perTask.get(i % tasks);
      List<String> keys = t.computeIfAbsent(u[0], f -> new ArrayList<>());
      if (u[1] != null) {
        keys.add(u[1]);
      }
    }
    List<List<Assignment>> out = new ArrayList<>();
    for (java.util.LinkedHashMap<String, List<String>> t : perTask) {
      List<Assignment> as = new ArrayList<>();
      t.forEach((feed, keys) -> as.add(new Assignment(feed, List.copyOf(keys))));
      out.add(as);
    }
    return out;
  }

  @Override
  public void stop() {
    // nothing to release: tasks own the subscriptions
  }

  @Override
  public ConfigDef config() {
    return ShuduSourceConfig.CONFIG_DEF;
  }

  /**
   * Validates like Connect does, then adds the checks that span settings (credentials for the chosen scheme, key
   * filters naming configured feeds, topic names): each problem is reported on the setting it is about.
   */
  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config result = super.validate(connectorConfigs);
    for (ConfigValue v : result.configValues()) {
      if (ShuduSourceConfig.URL_SETTINGS.contains(v.name()) && v.value() instanceof String url) {
        v.value(HttpLog.redactUserInfo(url)); // Connect's REST answer echoes values: never a password in a URL
      }
    }
    boolean clean = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
    if (clean) {
      try {
        new ShuduSourceConfig(connectorConfigs);
      } catch (ConfigException e) {
        String setting = settingOf(e.getMessage());
        for (ConfigValue v : result.configValues()) {
          if (v.name().equals(setting)) {
            v.addErrorMessage(e.getMessage());
            return result;
          }
        }
        result.configValues().get(0).addErrorMessage(e.getMessage());
      }
    }
    return result;
  }

  private static String settingOf(String message) {
    String best = ShuduSourceConfig.FEEDS;
    int bestAt = Integer.MAX_VALUE;
    for (String name : ShuduSourceConfig.CONFIG_DEF.names()) {
      int at = message == null ? -1 : message.indexOf(name);
      // the earliest mention wins; on a tie the longer name (shudu.oauth2.client.id over shudu.auth...)
      if (at >= 0 && (at < bestAt || (at == bestAt && name.length() > best.length()))) {
        best = name;
        bestAt = at;
      }
    }
    return best;
  }

  private static String readVersion() {
    try (java.io.InputStream in = ShuduSourceConnector.class.getResourceAsStream("version.properties")) {
      java.util.Properties p = new java.util.Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  /**
   * Transaction boundaries come from the worker ({@code transaction.boundary=poll}, the default, or
   * {@code interval}): every record's offset is the event it carries, so any boundary between records is a
   * consistent resume point, and the connector does not define its own.
   */
  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }

  /**
   * Accepts offsets written with Connect's REST API ({@code PATCH /connectors/{name}/offsets}) when they have the
   * connector's shape: partition {@code {"feed": name}} or {@code {"feed": name, "key": key}}, offset
   * {@code {"id": n}} with n &gt;= 0 (or null to reset a partition).
   */
  @Override
  public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
    for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
      Map<String, ?> partition = e.getKey();
      Object feed = partition.get(ShuduSourceTask.PARTITION_FEED);
      if (!(feed instanceof String) || partition.keySet().stream().anyMatch(k -> !k.equals(ShuduSourceTask
          .PARTITION_FEED) && !k.equals(ShuduSourceTask.PARTITION_KEY))) {
        throw new ConnectException("Source partition " + partition + " is not one of this connector's: use "
            + "{\"feed\": \"traffic\"} or {\"feed\": \"traffic\", \"key\": \"12\"}");
      }
      Map<String, ?> offset = e.getValue();
      if (offset == null) {
        continue;
      }
      Object id = offset.get(ShuduSourceTask.OFFSET_ID);
      if (!(id instanceof Number n) || n.longValue() < 0 || offset.size() != 1) {
        throw new ConnectException("Source offset " + offset + " for " + partition + " is not one of this "
            + "connector's: use {\"id\": 42} (the last event id written; 0 for the feed's first event)");
      }
    }
    return true;
  }
}
