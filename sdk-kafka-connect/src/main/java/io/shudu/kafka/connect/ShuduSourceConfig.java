package io.shudu.kafka.connect;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.internal.HttpLog;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings of {@link ShuduSourceConnector}, declared as a Kafka {@link ConfigDef} and validated with messages that
 * name the setting and say how to fix it. Secrets ({@value ShuduSourceConfig#API_KEY}, {@value ShuduSourceConfig#SECRET_ACCESS_KEY},
 * {@value ShuduSourceConfig#OAUTH2_CLIENT_SECRET}) are {@link Type#PASSWORD} settings: Connect masks them in its REST answers and logs,
 * and they may come from a config provider ({@code ${file:/etc/shudu/secrets.properties:api.key}}).
 *
 * <pre>{@code
 * Map<String, String> props = Map.of(
 *     "connector.class", "io.shudu.kafka.connect.ShuduSourceConnector",
 *     "shudu.endpoint", "https://api.shudu.example",
 *     "shudu.api.key", "${file:/etc/shudu/secrets.properties:api.key}",
 *     "feeds", "traffic,fire-alarms");
 * ShuduSourceConfig config = new ShuduSourceConfig(props);   // ConfigException naming the bad setting
 * }</pre>
 */
public final class ShuduSourceConfig extends AbstractConfig {
  /** Setting: the platform's base URL. */
  public static final String ENDPOINT = "shudu.endpoint";
  /** Setting: which credentials to use: {@code api-key}, {@code access-key} or {@code oauth2}. */
  public static final String AUTH = "shudu.auth";
  /** Setting: the API key (for {@code shudu.auth=api-key}). */
  public static final String API_KEY = "shudu.api.key";
  /** Setting: the access key id (for {@code shudu.auth=access-key}). */
  public static final String ACCESS_KEY_ID = "shudu.access.key.id";
  /** Setting: the secret access key (for {@code shudu.auth=access-key}). */
  public static final String SECRET_ACCESS_KEY = "shudu.secret.access.key";
  /** Setting: the OAuth2 token endpoint (for {@code shudu.auth=oauth2}). */
  public static final String OAUTH2_TOKEN_URL = "shudu.oauth2.token.url";
  /** Setting: the OAuth2 client id. */
  public static final String OAUTH2_CLIENT_ID = "shudu.oauth2.client.id";
  /** Setting: the OAuth2 client secret. */
  public static final String OAUTH2_CLIENT_SECRET = "shudu.oauth2.client.secret";
  /** Setting: the OAuth2 scope (optional). */
  public static final String OAUTH2_SCOPE = "shudu.oauth2.scope";
  /** Setting: the feeds to carry. */
  public static final String FEEDS = "feeds";
  /** Setting: key filters, {@code feed:key} items. */
  public static final String KEYS = "keys";
  /** Setting: the topic name template. */
  public static final String TOPIC_TEMPLATE = "topic.template";
  /** Setting: the value format: {@code json} (schemaless) or {@code observation} (Connect schema). */
  public static final String VALUE_FORMAT = "value.format";
  /** Setting: where a source partition without a stored offset starts: {@code earliest} or {@code latest}. */
  public static final String START_POSITION = "start.position";
  /** Setting: what a gap does: {@code fail} or {@code continue}. */
  public static final String GAP_POLICY = "gap.policy";
  /** Setting: the topic gap records go to with {@code gap.policy=continue}. */
  public static final String GAP_TOPIC = "gap.topic";
  /** Setting: what a stored offset beyond the feed's newest event does: {@code fail}, {@code earliest}, {@code latest}. */
  public static final String OFFSET_AHEAD_POLICY = "offset.ahead.policy";
  /** Setting: the heartbeat interval asked of the platform, in milliseconds. */
  public static final String HEARTBEAT_MS = "heartbeat.ms";
  /** Setting: the smallest reconnect backoff, in milliseconds. */
  public static final String RECONNECT_BACKOFF_MIN_MS = "reconnect.backoff.min.ms";
  /** Setting: the largest reconnect backoff, in milliseconds. */
  public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
  /** Setting: events buffered per subscription between the network and the task. */
  public static final String BUFFER_CAPACITY = "buffer.capacity";
  /** Setting: the most records one {@code poll()} returns (one transaction in exactly-once mode). */
  public static final String BATCH_MAX_RECORDS = "batch.max.records";
  /** Setting: how long {@code poll()} waits for the first record, in milliseconds. */
  public static final String POLL_MAX_WAIT_MS = "poll.max.wait.ms";

  /** The URL settings: validated without echoing user-info, and shown redacted by {@link ShuduSourceConnector#validate}. */
  static final Set<String> URL_SETTINGS = Set.of(ENDPOINT, OAUTH2_TOKEN_URL);

  /** Internal task setting: the feeds and keys of one task (written by the connector). */
  static final String TASK_ASSIGNMENTS = "shudu.task.assignments";

  private static final String GROUP_PLATFORM = "Platform";
  private static final String GROUP_FEEDS = "Feeds";
  private static final String GROUP_STREAM = "Stream";
  private static final Pattern FEED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  /** Credentials schemes of {@value ShuduSourceConfig#AUTH}. */
  public enum Auth {
    /** An API key in {@value ShuduSourceConfig#API_KEY}. */
    API_KEY,
    /** An access key pair in {@value ShuduSourceConfig#ACCESS_KEY_ID} and {@value ShuduSourceConfig#SECRET_ACCESS_KEY} (request signing). */
    ACCESS_KEY,
    /** OAuth2 client credentials in {@value ShuduSourceConfig#OAUTH2_TOKEN_URL}, {@value ShuduSourceConfig#OAUTH2_CLIENT_ID}, {@value ShuduSourceConfig#OAUTH2_CLIENT_SECRET}. */
    OAUTH2
  }

  /** Value formats of {@value ShuduSourceConfig#VALUE_FORMAT}. */
  public enum ValueFormat {
    /** The payload as schemaless JSON (maps, lists, strings, numbers). */
    JSON,
    /** The programme's observation type as a Connect struct ({@link ShuduSourceTask#OBSERVATION_SCHEMA}). */
    OBSERVATION
  }

  /** Policies of {@value ShuduSourceConfig#GAP_POLICY}. */
  public enum GapPolicy {
    /** The task fails; restart it after deciding what to do about the lost events. */
    FAIL,
    /** A gap record goes to {@value ShuduSourceConfig#GAP_TOPIC} and the task continues with the oldest event still available. */
    CONTINUE
  }

  /** Policies of {@value ShuduSourceConfig#OFFSET_AHEAD_POLICY}, like Kafka's {@code auto.offset.reset}. */
  public enum OffsetAheadPolicy {
    /** The task fails with a message naming the feed, the stored offset and the feed's newest id. */
    FAIL,
    /** Start again from the oldest event still in the feed's replay window. */
    EARLIEST,
    /** Start again after the feed's newest event. */
    LATEST
  }

  /** Start positions of {@value ShuduSourceConfig#START_POSITION}. */
  public enum StartPosition {
    /** Every event still in the replay window. */
    EARLIEST,
    /** Only events published after the task started. */
    LATEST
  }

  /** The connector's configuration definition. */
  public static final ConfigDef CONFIG_DEF = configDef();

  private final List<String> feeds;
  private final Map<String, List<String>> keys;

  /**
   * Parses and validates settings.
   *
   * @param props the connector or task properties
   * @throws ConfigException naming the first bad setting
   */
  public ShuduSourceConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
    this.feeds = List.copyOf(new LinkedHashSet<>(getList(FEEDS)));
    this.keys = parseKeys(feeds, getList(KEYS));
    checkCredentials();
    if (getLong(RECONNECT_BACKOFF_MAX_MS) < getLong(RECONNECT_BACKOFF_MIN_MS)) {
      throw new ConfigException(RECONNECT_BACKOFF_MAX_MS, getLong(RECONNECT_BACKOFF_MAX_MS), "must be at least "
          + RECONNECT_BACKOFF_MIN_MS + " (" + getLong(RECONNECT_BACKOFF_MIN_MS) + ")");
    }
    String template = getString(TOPIC_TEMPLATE);
    for (String feed : feeds) {
      topicFor(template, feed);
    }
  }

  private static ConfigDef configDef() {
    ConfigDef d = new ConfigDef();
    int o = 0;
    d.define(ENDPOINT, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new UrlValidator(false), Importance.HIGH,
        "Base URL of the Shudu platform, such as https://api.shudu.example (http is accepted for loopback and "
            + "private networks such as a sandbox).", GROUP_PLATFORM, ++o, Width.LONG, "Endpoint");
    d.define(AUTH, Type.STRING, "api-key", new EnumValidator(AUTH, Auth.values()), Importance.HIGH,
        "Credentials to use: api-key (" + API_KEY + "), access-key (" + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY
            + ", signed requests) or oauth2 (" + OAUTH2_TOKEN_URL + ", " + OAUTH2_CLIENT_ID + ", "
            + OAUTH2_CLIENT_SECRET + ").", GROUP_PLATFORM, ++o, Width.SHORT, "Credentials");
    d.define(API_KEY, Type.PASSWORD, null, Importance.HIGH,
        "API key, for " + AUTH + "=api-key. Masked by Connect; may come from a config provider.",
        GROUP_PLATFORM, ++o, Width.LONG, "API key");
    d.define(ACCESS_KEY_ID, Type.STRING, null, Importance.HIGH, "Access key id, for " + AUTH + "=access-key.",
        GROUP_PLATFORM, ++o, Width.MEDIUM, "Access key id");
    d.define(SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.HIGH,
        "Secret access key, for " + AUTH + "=access-key. Masked by Connect; may come from a config provider.",
        GROUP_PLATFORM, ++o, Width.LONG, "Secret access key");
    d.define(OAUTH2_TOKEN_URL, Type.STRING, null, new UrlValidator(true), Importance.HIGH,
        "OAuth2 token endpoint, for " + AUTH + "=oauth2, without user-info (the client id and secret have their own "
            + "settings).", GROUP_PLATFORM, ++o, Width.LONG, "OAuth2 token URL");
    d.define(OAUTH2_CLIENT_ID, Type.STRING, null, Importance.HIGH, "OAuth2 client id, for " + AUTH + "=oauth2.",
        GROUP_PLATFORM, ++o, Width.MEDIUM, "OAuth2 client id");
    d.define(OAUTH2_CLIENT_SECRET, Type.PASSWORD, null, Importance.HIGH,
        "OAuth2 client secret, for " + AUTH + "=oauth2. Masked by Connect; may come from a config provider.",
        GROUP_PLATFORM, ++o, Width.LONG, "OAuth2 client secret");
    d.define(OAUTH2_SCOPE, Type.STRING, null, Importance.LOW, "OAuth2 scope to ask for (optional).",
        GROUP_PLATFORM, ++o, Width.MEDIUM, "OAuth2 scope");
    o = 0;
    d.define(FEEDS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new FeedsValidator(), Importance.HIGH,
        "Feeds to carry, comma-separated, such as traffic,fire-alarms,dispatch. Each feed is one unit of work unless "
            + KEYS + " splits it by key.", GROUP_FEEDS, ++o, Width.LONG, "Feeds");
    d.define(KEYS, Type.LIST, "", new KeysValidator(), Importance.MEDIUM,
        "Key filters as feed:key items, such as traffic:12,traffic:13. A feed listed here carries only those keys, "
            + "and its keys are spread over the tasks (tasks.max); a feed not listed carries every event.",
        GROUP_FEEDS, ++o, Width.LONG, "Key filters");
    d.define(TOPIC_TEMPLATE, Type.STRING, "shudu.${feed}", new TopicTemplateValidator(), Importance.HIGH,
        "Topic of each feed's records; ${feed} is replaced by the feed's name. The result must be a legal topic "
            + "name (letters, digits, '.', '_', '-').", GROUP_FEEDS, ++o, Width.MEDIUM, "Topic template");
    d.define(VALUE_FORMAT, Type.STRING, "json", new EnumValidator(VALUE_FORMAT, ValueFormat.values()),
        Importance.MEDIUM, "Record values: json (the payload, schemaless) or observation (the programme's "
            + "observation type as a Connect struct; for the IoT observation feeds).",
        GROUP_FEEDS, ++o, Width.SHORT, "Value format");
    o = 0;
    d.define(START_POSITION, Type.STRING, "latest", new EnumValidator(START_POSITION, StartPosition.values()),
        Importance.MEDIUM, "Where a feed (or key) without a stored offset starts: earliest (everything still in the "
            + "platform's replay window) or latest (events published from now on).",
        GROUP_STREAM, ++o, Width.SHORT, "Start position");
    d.define(GAP_POLICY, Type.STRING, "fail", new EnumValidator(GAP_POLICY, GapPolicy.values()), Importance.MEDIUM,
        "When events were lost to the platform's replay window: fail (the task fails) or continue (a gap record "
            + "goes to " + GAP_TOPIC + " and the task continues with the oldest event still available).",
        GROUP_STREAM, ++o, Width.SHORT, "Gap policy");
    d.define(GAP_TOPIC, Type.STRING, "shudu.gaps", new TopicValidator(GAP_TOPIC), Importance.LOW,
        "Topic of gap records (" + GAP_POLICY + "=continue).", GROUP_STREAM, ++o, Width.MEDIUM, "Gap topic");
    d.define(OFFSET_AHEAD_POLICY, Type.STRING, "fail",
        new EnumValidator(OFFSET_AHEAD_POLICY, OffsetAheadPolicy.values()), Importance.MEDIUM,
        "When a stored offset is beyond the feed's newest event (the feed was reset): fail, earliest or latest, "
            + "like Kafka's auto.offset.reset.", GROUP_STREAM, ++o, Width.SHORT, "Offset ahead policy");
    d.define(HEARTBEAT_MS, Type.LONG, 5_000L, ConfigDef.Range.between(100, 300_000), Importance.LOW,
        "Heartbeat interval asked of the platform, 100 to 300000 ms; a stream silent for three intervals is "
            + "reopened.", GROUP_STREAM, ++o, Width.SHORT, "Heartbeat (ms)");
    d.define(RECONNECT_BACKOFF_MIN_MS, Type.LONG, 200L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
        "Smallest reconnect backoff, 1 to 600000 ms.", GROUP_STREAM, ++o, Width.SHORT, "Backoff min (ms)");
    d.define(RECONNECT_BACKOFF_MAX_MS, Type.LONG, 10_000L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
        "Largest reconnect backoff, 1 to 600000 ms, at least " + RECONNECT_BACKOFF_MIN_MS + ".",
        GROUP_STREAM, ++o, Width.SHORT, "Backoff max (ms)");
    d.define(BUFFER_CAPACITY, Type.INT, 1_000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
        "Events buffered per subscription between the network and the task, 1 to 1000000.",
        GROUP_STREAM, ++o, Width.SHORT, "Buffer capacity");
    d.define(BATCH_MAX_RECORDS, Type.INT, 500, ConfigDef.Range.between(1, 100_000), Importance.LOW,
        "Most records per poll, 1 to 100000 (one transaction in exactly-once mode with "
            + "transaction.boundary=poll).", GROUP_STREAM, ++o, Width.SHORT, "Batch size");
    d.define(POLL_MAX_WAIT_MS, Type.LONG, 500L, ConfigDef.Range.between(1, 60_000), Importance.LOW,
        "How long a poll waits for the first record, 1 to 60000 ms.", GROUP_STREAM, ++o, Width.SHORT,
        "Poll wait (ms)");
    d.defineInternal(TASK_ASSIGNMENTS, Type.STRING, "", Importance.LOW);
    return d;
  }

  // ---------------------------------------------------------------- accessors

  /**
   * The feeds to carry, in configured order, without duplicates.
   *
   * @return the feeds
   */
  public List<String> feeds() {
    return feeds;
  }

  /**
   * The key filters per feed (feeds without a filter are absent).
   *
   * @return feed to keys
   */
  public Map<String, List<String>> keys() {
    return keys;
  }

  /**
   * The credentials scheme.
   *
   * @return the scheme
   */
  public Auth auth() {
    return enumValue(AUTH, Auth.class);
  }

  /**
   * The value format.
   *
   * @return the format
   */
  public ValueFormat valueFormat() {
    return enumValue(VALUE_FORMAT, ValueFormat.class);
  }

  /**
   * The start position for partitions without a stored offset.
   *
   * @return the position
   */
  public StartPosition startPosition() {
    return enumValue(START_POSITION, StartPosition.class);
  }

  /**
   * The gap policy.
   *
   * @return the policy
   */
  public GapPolicy gapPolicy() {
    return enumValue(GAP_POLICY, GapPolicy.class);
  }

  /**
   * The offset-ahead policy.
   *
   * @return the policy
   */
  public OffsetAheadPolicy offsetAheadPolicy() {
    return enumValue(OFFSET_AHEAD_POLICY, OffsetAheadPolicy.class);
  }

  /**
   * The topic of a feed's records.
   *
   * @param feed the feed
   * @return the topic
   */
  public String topic(String feed) {
    return topicFor(getString(TOPIC_TEMPLATE), feed);
  }

  /**
   * The heartbeat interval.
   *
   * @return the interval
   */
  public Duration heartbeat() {
    return Duration.ofMillis(getLong(HEARTBEAT_MS));
  }

  /**
   * The smallest reconnect backoff.
   *
   * @return the backoff
   */
  public Duration reconnectBackoffMin() {
    return Duration.ofMillis(getLong(RECONNECT_BACKOFF_MIN_MS));
  }

  /**
   * The largest reconnect backoff.
   *
   * @return the backoff
   */
  public Duration reconnectBackoffMax() {
    return Duration.ofMillis(getLong(RECONNECT_BACKOFF_MAX_MS));
  }

  /**
   * A client configuration for the platform with the configured credentials.
   *
   * @return the configuration
   */
  public ClientConfig clientConfig() {
    URI endpoint = URI.create(getString(ENDPOINT));
    Credentials credentials = switch (auth()) {
      case API_KEY -> Credentials.apiKey(getPassword(API_KEY).value());
      case ACCESS_KEY -> Credentials.accessKey(getString(ACCESS_KEY_ID), getPassword(SECRET_ACCESS_KEY).value());
      case OAUTH2 -> getString(OAUTH2_SCOPE) == null
          ? Credentials.oauth2(URI.create(getString(OAUTH2_TOKEN_URL)), getString(OAUTH2_CLIENT_ID),
              getPassword(OAUTH2_CLIENT_SECRET).value())
          : Credentials.oauth2(URI.create(getString(OAUTH2_TOKEN_URL)), getString(OAUTH2_CLIENT_ID),
              getPassword(OAUTH2_CLIENT_SECRET).value(), getString(OAUTH2_SCOPE));
    };
    return ClientConfig.builder().endpoint(endpoint).credentials(credentials)
        .userAgentSuffix("kafka-connect/" + ShuduSourceConnector.VERSION).build();
  }

  // ---------------------------------------------------------------- validation

  private <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    return Enum.valueOf(type, getString(name).trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  private void checkCredentials() {
    switch (auth()) {
      case API_KEY -> requireSecret(API_KEY, "the platform's API key");
      case ACCESS_KEY -> {
        requireString(ACCESS_KEY_ID, "the access key id");
        requireSecret(SECRET_ACCESS_KEY, "the secret access key");
      }
      case OAUTH2 -> {
        requireString(OAUTH2_TOKEN_URL, "the OAuth2 token endpoint URL");  // its validator checked the URL
        requireString(OAUTH2_CLIENT_ID, "the OAuth2 client id");
        requireSecret(OAUTH2_CLIENT_SECRET, "the OAuth2 client secret");
      }
      default -> throw new IllegalStateException();
    }
  }

  private void requireString(String name, String what) {
    String v = getString(name);
    if (v == null || v.isBlank()) {
      throw new ConfigException(name + " is required with " + AUTH + "=" + getString(AUTH) + ": set it to " + what
          + ".");
    }
  }

  private void requireSecret(String name, String what) {
    Password p = getPassword(name);
    if (p == null || p.value() == null || p.value().isBlank()) {
      // never echo the value: it is a secret
      throw new ConfigException(name + " is required with " + AUTH + "=" + getString(AUTH) + ": set it to " + what
          + " (a config provider such as ${file:/path/secrets.properties:key} keeps it out of the connector's "
          + "configuration).");
    }
  }

  private static Map<String, List<String>> parseKeys(List<String> feeds, List<String> items) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String item : items) {
      int colon = item.indexOf(':');
      String feed = item.substring(0, colon);
      if (!feeds.contains(feed)) {
        throw new ConfigException(KEYS, item, "names feed '" + feed + "', which is not in " + FEEDS + " " + feeds
            + ": add the feed to " + FEEDS + " or remove the key filter.");
      }
      List<String> ks = out.computeIfAbsent(feed, f -> new ArrayList<>());
      String key = item.substring(colon + 1);
      if (!ks.contains(key)) {
        ks.add(key);
      }
    }
    for (Map.Entry<String, List<String>> e : out.entrySet()) {
      if (e.getValue().size() > 10_000) {
        throw new ConfigException(KEYS, e.getKey() + ":...", "lists more than 10000 keys of feed '" + e.getKey()
            + "'; carry the whole feed instead (no key filter).");
      }
      e.setValue(List.copyOf(e.getValue()));
    }
    return Map.copyOf(out);
  }

  static String topicFor(String template, String feed) {
    String topic = template.replace("${feed}", feed);
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new ConfigException(TOPIC_TEMPLATE, template, "gives the topic name '" + topic + "' for feed '" + feed
          + "', which is not a legal Kafka topic name: use 1-249 letters, digits, '.', '_' or '-', and ${feed} for "
          + "the feed's name.");
    }
    return topic;
  }

  /**
   * Validates an http(s) URL setting. A URL with user-info ({@code user:password@}) is refused, and never echoed as
   * it was typed: Kafka prints a {@link ConfigException}'s value, and {@link AbstractConfig} logs accepted values.
   */
  private static final class UrlValidator implements ConfigDef.Validator {
    private final boolean tokenUrl;

    UrlValidator(boolean tokenUrl) {
      this.tokenUrl = tokenUrl;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String example = tokenUrl ? "https://auth.shudu.example/oauth2/token" : "https://api.shudu.example";
      if (value == null || value.toString().isBlank()) {
        if (tokenUrl) {
          return; // optional here; required with shudu.auth=oauth2 (checked with the other credentials)
        }
        throw new ConfigException(name + " is required: set it to the platform's base URL, such as " + example);
      }
      String s = value.toString();
      String shown = HttpLog.redactUserInfo(s);
      if (!shown.equals(s)) {
        throw new ConfigException(name + " must not contain user-info (user:password@): a password in the URL "
            + "would end up in logs. Remove it and set the credentials with " + AUTH + " and "
            + (tokenUrl ? OAUTH2_CLIENT_ID + "/" + OAUTH2_CLIENT_SECRET : "its settings") + " instead; got '" + shown
            + "'");
      }
      try {
        URI u = new URI(s);
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
            || u.getHost() == null) {
          throw new ConfigException(name, s, "must be an absolute http(s) URL such as " + example);
        }
        if (!tokenUrl) {
          ClientConfig.builder().endpoint(u); // the SDK's own checks (no query or fragment...)
        }
      } catch (java.net.URISyntaxException e) {
        throw new ConfigException(name, s, "is not a URL: " + e.getReason());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, s, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "an http(s) URL without user-info";
    }
  }

  /** Validates one of an enum's names (lower case, dashes). */
  private static final class EnumValidator implements ConfigDef.Validator {
    private final String setting;
    private final List<String> names = new ArrayList<>();

    EnumValidator(String setting, Enum<?>[] values) {
      this.setting = setting;
      for (Enum<?> v : values) {
        names.add(v.name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
    }

    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? null : value.toString().trim().toLowerCase(Locale.ROOT).replace('_', '-');
      if (s == null || !names.contains(s)) {
        throw new ConfigException(setting, value, "must be one of " + String.join(", ", names));
      }
    }

    @Override
    public String toString() {
      return String.join(", ", names);
    }
  }

  /** Validates the feed list. */
  private static final class FeedsValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) value;
      if (list == null) {
        return; // ConfigDef reports the missing setting
      }
      if (list.isEmpty()) {
        throw new ConfigException(name + " is required: list at least one feed, such as traffic,fire-alarms");
      }
      if (list.size() > 1_000) {
        throw new ConfigException(name, "(" + list.size() + " feeds)", "lists more than 1000 feeds");
      }
      for (String f : list) {
        if (!FEED.matcher(f).matches()) {
          throw new ConfigException(name, String.join(",", list), "has '" + f + "', which is not a feed name: feed "
              + "names are 1-100 letters, digits, '.', '-' or '_' starting with a letter or digit (GET /feeds/v1 "
              + "lists them)");
        }
      }
    }

    @Override
    public String toString() {
      return "feed names, comma-separated";
    }
  }

  /** Validates feed:key items. */
  private static final class KeysValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) value;
      if (list == null) {
        return;
      }
      Set<String> seen = new LinkedHashSet<>();
      for (String item : list) {
        int colon = item.indexOf(':');
        String key = colon < 0 ? "" : item.substring(colon + 1);
        if (colon <= 0 || !FEED.matcher(item.substring(0, colon)).matches() || key.isEmpty() || key.length() > 200
            || key.chars().anyMatch(Character::isISOControl)) {
          throw new ConfigException(name, item, "is not a feed:key item: write the feed's name, a colon and the "
              + "key (1-200 characters), such as traffic:12");
        }
        seen.add(item);
      }
    }

    @Override
    public String toString() {
      return "feed:key items, comma-separated";
    }
  }

  /** Validates a topic template. */
  private static final class TopicTemplateValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      topicFor(s, "traffic"); // a sample feed name; the constructor checks every configured feed
    }

    @Override
    public String toString() {
      return "a topic name with ${feed}";
    }
  }

  /** Validates a topic name. */
  private static final class TopicValidator implements ConfigDef.Validator {
    private final String setting;

    TopicValidator(String setting) {
      this.setting = setting;
    }

    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      if (!TOPIC.matcher(s).matches() || s.equals(".") || s.equals("..")) {
        throw new ConfigException(setting, s, "is not a legal Kafka topic name: use 1-249 letters, digits, '.', '_' "
            + "or '-'");
      }
    }

    @Override
    public String toString() {
      return "a topic name";
    }
  }
}
