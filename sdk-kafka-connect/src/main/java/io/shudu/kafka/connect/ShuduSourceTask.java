package io.shudu.kafka.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedInfo;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.NotFoundException;
import io.shudu.core.ServiceException;
import io.shudu.core.ShuduException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task of {@link ShuduSourceConnector}: one feed subscription per assigned feed (carrying the task's keys of it),
 * whose events become {@link SourceRecord}s.
 *
 * <p>On start the task reads its source offsets from Connect and the feed's bounds from the platform
 * ({@link FeedSubscription#describe}); each source partition resumes after its stored id (or at the configured start
 * position), a stored id beyond the feed's newest event is handled by {@code offset.ahead.policy}, and the
 * subscription drops every event at or below its partition's resume point. Events pass from the subscription's
 * handler thread to {@link #poll()} through a bounded queue (the subscription's own buffer and reconnects absorb a slow
 * Kafka). A subscription that fails (a gap under {@code gap.policy=fail}, authentication, an unknown feed) fails the
 * task with the reason.
 */
public final class ShuduSourceTask extends SourceTask {
  /** Source partition field: the feed. */
  public static final String PARTITION_FEED = "feed";
  /** Source partition field: the key, for feeds carried by key. */
  public static final String PARTITION_KEY = "key";
  /** Source offset field: the last event id written. */
  public static final String OFFSET_ID = "id";
  /** Header: the event id (a long). */
  public static final String HEADER_ID = "shudu.id";
  /** Header: the feed. */
  public static final String HEADER_FEED = "shudu.feed";
  /** Header: the event type. */
  public static final String HEADER_TYPE = "shudu.type";
  /** Header: when the platform published the event (ISO-8601 UTC). */
  public static final String HEADER_PUBLISHED_AT = "shudu.publishedAt";
  /** Header: a W3C traceparent, the same for every copy of one event. */
  public static final String HEADER_TRACEPARENT = "traceparent";

  /** The value schema of {@code value.format=observation}: the programme's SensorThings observation. */
  public static final Schema OBSERVATION_SCHEMA = SchemaBuilder.struct().name("io.shudu.iot.Observation").version(1)
      .doc("A SensorThings observation from a Shudu IoT feed; result, resultQuality and parameters as JSON text")
      .field("id", Schema.OPTIONAL_INT64_SCHEMA)
      .field("phenomenonTime", Schema.OPTIONAL_STRING_SCHEMA)
      .field("resultTime", Schema.OPTIONAL_STRING_SCHEMA)
      .field("result", Schema.OPTIONAL_STRING_SCHEMA)
      .field("resultNumber", Schema.OPTIONAL_FLOAT64_SCHEMA)
      .field("resultQuality", Schema.OPTIONAL_STRING_SCHEMA)
      .field("validTime", Schema.OPTIONAL_STRING_SCHEMA)
      .field("parameters", Schema.OPTIONAL_STRING_SCHEMA)
      .field("datastream", Schema.OPTIONAL_INT64_SCHEMA)
      .field("multiDatastream", Schema.OPTIONAL_INT64_SCHEMA)
      .field("featureOfInterest", Schema.OPTIONAL_INT64_SCHEMA)
      .build();

  private static final Logger LOG = LoggerFactory.getLogger(ShuduSourceTask.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WHOLE_FEED = "";

  private ShuduSourceConfig config;
  private ClientConfig client;
  private BlockingQueue<SourceRecord> queue;
  private final List<Feed> feeds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean stopping;
  private int batchMax;
  private long pollWaitMs;
  private boolean observations;

  /** Creates the task (Connect does this). */
  public ShuduSourceTask() {}

  @Override
  public String version() {
    return ShuduSourceConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new ShuduSourceConfig(props);
    client = config.clientConfig();
    batchMax = config.getInt(ShuduSourceConfig.BATCH_MAX_RECORDS);
    pollWaitMs = config.getLong(ShuduSourceConfig.POLL_MAX_WAIT_MS);
    observations = config.valueFormat() == ShuduSourceConfig.ValueFormat.OBSERVATION;
    queue = new ArrayBlockingQueue<>(Math.max(batchMax, 64));
    stopping = false;
    try {
      for (Assignment a : Assignment.decode(props.get(ShuduSourceConfig.TASK_ASSIGNMENTS))) {
        Feed f = new Feed(a);
        feeds.add(f);
        f.open();
      }
    } catch (RuntimeException e) {
      stop();
      throw e instanceof ConnectException ? e : new ConnectException(e.getMessage(), e);
    }
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    checkSubscriptions();
    SourceRecord first = queue.poll(pollWaitMs, TimeUnit.MILLISECONDS);
    if (first == null) {
      return null;
    }
    List<SourceRecord> batch = new ArrayList<>(Math.min(batchMax, queue.size() + 1));
    batch.add(first);
    queue.drainTo(batch, batchMax - 1);
    return batch;
  }

  /** Fails the task when a subscription has failed; reopens one whose stored position is ahead, if allowed. */
  private void checkSubscriptions() {
    for (Feed f : feeds) {
      FeedSubscription s = f.subscription;
      if (s == null || s.state() != FeedSubscription.State.FAILED) {
        continue;
      }
      ShuduException e = s.failure().orElse(null);
      if (isAhead(e) && config.offsetAheadPolicy() != ShuduSourceConfig.OffsetAheadPolicy.FAIL) {
        LOG.warn("feed {}: the platform says the resume point is beyond its newest event (the feed was reset); "
            + "starting again per {}={}", f.feed, ShuduSourceConfig.OFFSET_AHEAD_POLICY,
            config.getString(ShuduSourceConfig.OFFSET_AHEAD_POLICY));
        f.open();
        continue;
      }
      throw new ConnectException(explain(f.feed, e), e);
    }
  }

  private static boolean isAhead(ShuduException e) {
    return e instanceof ServiceException se && se.status() == 409
        && se.code().orElse("").equals("feed_position_ahead");
  }

  private String explain(String feed, ShuduException e) {
    String why = e == null ? "unknown" : e.getMessage();
    if (e instanceof FeedGapException) {
      return "Shudu feed '" + feed + "' lost events (" + ShuduSourceConfig.GAP_POLICY + "=fail): " + why
          + " To accept the loss and continue, set " + ShuduSourceConfig.GAP_POLICY + "=continue (a gap record goes to "
          + ShuduSourceConfig.GAP_TOPIC + ") and restart the task.";
    }
    if (isAhead(e)) {
      return "Shudu feed '" + feed + "': the stored offset is beyond the feed's newest event ("
          + ShuduSourceConfig.OFFSET_AHEAD_POLICY + "=fail): " + why + " Set " + ShuduSourceConfig.OFFSET_AHEAD_POLICY
          + "=earliest or latest, or reset the connector's offsets, and restart the task.";
    }
    return "Shudu feed '" + feed + "' subscription failed: " + why;
  }

  @Override
  public void stop() {
    stopping = true;
    for (Feed f : feeds) {
      FeedSubscription s = f.subscription;
      if (s != null) {
        s.close();
      }
    }
    feeds.clear();
    if (queue != null) {
      queue.clear();
    }
  }

  // ---------------------------------------------------------------- one feed

  /** One assigned feed: its partitions' resume points and its subscription. Handler methods run on one thread. */
  private final class Feed implements FeedHandler<JsonNode> {
    final String feed;
    final List<String> keys;
    final String topic;
    final Map<String, Map<String, Object>> partitions = new LinkedHashMap<>();
    /** Per partition (key, or "" for the whole feed): the last id written; events at or below it are dropped. */
    Map<String, Long> resumeAfter = new HashMap<>();
    volatile FeedSubscription subscription;
    private final MessageDigest sha256;

    Feed(Assignment a) {
      this.feed = a.feed();
      this.keys = a.keys();
      this.topic = config.topic(feed);
      if (keys.isEmpty()) {
        partitions.put(WHOLE_FEED, Map.of(PARTITION_FEED, feed));
      } else {
        for (String k : keys) {
          partitions.put(k, Map.of(PARTITION_FEED, feed, PARTITION_KEY, k));
        }
      }
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Resolves each partition's resume point and (re)opens the subscription. */
    void open() {
      FeedSubscription old = subscription;
      if (old != null) {
        old.close();
      }
      Map<Map<String, Object>, Map<String, Object>> stored =
          context.offsetStorageReader().offsets(new ArrayList<>(partitions.values()));
      FeedInfo info;
      try {
        info = FeedSubscription.describe(client, feed);
      } catch (NotFoundException e) {
        throw new ConnectException("Shudu feed '" + feed + "' (setting " + ShuduSourceConfig.FEEDS + ") does not exist "
            + "on the platform or is not readable with these credentials: " + e.getMessage() + " Fix "
            + ShuduSourceConfig.FEEDS + " and restart the task.", e);
      }
      long floor = info.firstId() - 1; // resuming after this id reads everything still in the window
      Map<String, Long> resume = new HashMap<>();
      long minStored = Long.MAX_VALUE;
      boolean fromEarliest = false;
      for (Map.Entry<String, Map<String, Object>> p : partitions.entrySet()) {
        Long id = storedId(stored == null ? null : stored.get(p.getValue()));
        if (id != null && id > info.lastId()) {
          String what = "source offset " + id + " of " + p.getValue() + " is beyond the newest event " + info.lastId()
              + " of feed '" + feed + "' on the platform (the feed was reset, or the offsets belong to another "
              + "platform)";
          switch (config.offsetAheadPolicy()) {
            case FAIL -> throw new ConnectException("Shudu: the " + what + " (" + ShuduSourceConfig.OFFSET_AHEAD_POLICY
                + "=fail). Set " + ShuduSourceConfig.OFFSET_AHEAD_POLICY + "=earliest or latest to start again, or "
                + "reset the connector's offsets (PATCH /connectors/{name}/offsets), then restart the task.");
            case EARLIEST -> {
              LOG.warn("Shudu: the {}; starting again from the oldest event still available ({}=earliest)", what,
                  ShuduSourceConfig.OFFSET_AHEAD_POLICY);
              resume.put(p.getKey(), floor);
              fromEarliest = true;
              continue;
            }
            case LATEST -> {
              LOG.warn("Shudu: the {}; starting again after the newest event ({}=latest)", what,
                  ShuduSourceConfig.OFFSET_AHEAD_POLICY);
              resume.put(p.getKey(), info.lastId());
              continue;
            }
            default -> throw new IllegalStateException();
          }
        }
        if (id == null) {
          boolean earliest = config.startPosition() == ShuduSourceConfig.StartPosition.EARLIEST;
          resume.put(p.getKey(), earliest ? floor : info.lastId());
          fromEarliest |= earliest;
        } else {
          resume.put(p.getKey(), id);
          minStored = Math.min(minStored, id);
        }
      }
      long min = resume.values().stream().mapToLong(Long::longValue).min().orElse(info.lastId());
      FeedOptions.StartPosition start;
      if (fromEarliest && minStored >= floor) {
        // nothing stored was evicted: read the whole window (no gap report for what was evicted before we came)
        start = FeedOptions.StartPosition.earliest();
      } else {
        // stored positions (a gap is reported if events after them were evicted)
        start = FeedOptions.StartPosition.after(Math.max(0, min));
      }
      this.resumeAfter = resume;
      FeedOptions options = FeedOptions.builder()
          .bufferCapacity(config.getInt(ShuduSourceConfig.BUFFER_CAPACITY))
          .heartbeat(config.heartbeat())
          .reconnectBackoff(config.reconnectBackoffMin(), config.reconnectBackoffMax())
          .gapPolicy(config.gapPolicy() == ShuduSourceConfig.GapPolicy.CONTINUE
              ? FeedOptions.GapPolicy.CONTINUE : FeedOptions.GapPolicy.FAIL)
          .start(start)
          .build();
      LOG.info("Shudu: feed {} {} → topic {}, resuming at {} (feed bounds {}..{})", feed,
          keys.isEmpty() ? "(all keys)" : "keys " + keys, topic, start, info.firstId(), info.lastId());
      subscription = FeedSubscription.open(client, feed, keys, JsonNode.class, options, this);
    }

    @Override
    public void onEvent(FeedEvent<JsonNode> event) throws Exception {
      String p = keys.isEmpty() ? WHOLE_FEED : event.key();
      Long after = p == null ? null : resumeAfter.get(p);
      if (after == null) {
        LOG.debug("feed {}: event {} has key {}, which this task does not carry; skipped", feed, event.id(),
            event.key());
        return;
      }
      if (event.id() <= after) {
        return; // written before the restart
      }
      enqueue(record(p, event));
      resumeAfter.put(p, event.id());
    }

    @Override
    public void onGap(FeedGapException gap) {
      long position = gap.oldestAvailable() - 1;
      Iterator<Map.Entry<String, Long>> it = resumeAfter.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Long> e = it.next();
        if (e.getValue() >= position) {
          continue;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("feed", feed);
        value.put("key", e.getKey().equals(WHOLE_FEED) ? null : e.getKey());
        value.put("lostAfter", e.getValue());
        value.put("resumedAfter", position);
        value.put("oldestAvailable", gap.oldestAvailable());
        value.put("missedUpTo", gap.missed());
        value.put("detectedAt", Instant.now().toString());
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_FEED, feed);
        headers.addString(HEADER_TYPE, "gap");
        String recordKey = e.getKey().equals(WHOLE_FEED) ? feed : e.getKey();
        LOG.warn("Shudu: feed {} {}: events after id {} up to {} left the platform's replay window before they "
            + "could be read; gap record written to {} ({}=continue)", feed,
            e.getKey().equals(WHOLE_FEED) ? "" : "key " + e.getKey(), e.getValue(), position,
            config.getString(ShuduSourceConfig.GAP_TOPIC), ShuduSourceConfig.GAP_POLICY);
        try {
          enqueue(new SourceRecord(partitions.get(e.getKey()), Map.of(OFFSET_ID, position),
              config.getString(ShuduSourceConfig.GAP_TOPIC), null, Schema.OPTIONAL_STRING_SCHEMA, recordKey, null,
              value, System.currentTimeMillis(), headers));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("the task is stopping", ie);
        }
        e.setValue(position);
      }
    }

    private void enqueue(SourceRecord r) throws InterruptedException {
      while (!queue.offer(r, 100, TimeUnit.MILLISECONDS)) {
        if (stopping) {
          throw new InterruptedException("the task is stopping");
        }
      }
    }

    private SourceRecord record(String p, FeedEvent<JsonNode> event) {
      ConnectHeaders headers = new ConnectHeaders();
      headers.addLong(HEADER_ID, event.id());
      headers.addString(HEADER_FEED, feed);
      headers.addString(HEADER_TYPE, event.type());
      headers.addString(HEADER_PUBLISHED_AT, event.publishedAt().toString());
      headers.addString(HEADER_TRACEPARENT, traceparent(event.id()));
      Schema valueSchema = null;
      Object value;
      if (observations) {
        valueSchema = OBSERVATION_SCHEMA;
        value = observation(event);
      } else {
        value = plain(event.payload());
      }
      return new SourceRecord(partitions.get(p), Map.of(OFFSET_ID, event.id()), topic, null,
          Schema.OPTIONAL_STRING_SCHEMA, event.key(), valueSchema, value, event.publishedAt().toEpochMilli(),
          headers);
    }

    /** A stable W3C traceparent per event: trace and span ids derived from the feed and the event id. */
    private String traceparent(long id) {
      byte[] h = sha256.digest((feed + "/" + id).getBytes(StandardCharsets.UTF_8));
      HexFormat hex = HexFormat.of();
      return "00-" + hex.formatHex(h, 0, 16) + "-" + hex.formatHex(h, 16, 24) + "-01";
    }

    private Struct observation(FeedEvent<JsonNode> event) {
      JsonNode o = event.payload();
      if (!"observation".equals(event.type()) || o == null || !o.isObject()) {
        throw new IllegalArgumentException("event " + event.id() + " of feed '" + feed + "' has type '"
            + event.type() + "', not an observation: " + ShuduSourceConfig.VALUE_FORMAT + "=observation is for the "
            + "IoT observation feeds; use " + ShuduSourceConfig.VALUE_FORMAT + "=json for this feed");
      }
      Struct s = new Struct(OBSERVATION_SCHEMA);
      s.put("id", longOrNull(o.get("@iot.id")));
      s.put("phenomenonTime", textOrNull(o.get("phenomenonTime")));
      s.put("resultTime", textOrNull(o.get("resultTime")));
      JsonNode result = o.get("result");
      s.put("result", jsonOrNull(result));
      s.put("resultNumber", result != null && result.isNumber() ? result.doubleValue() : null);
      s.put("resultQuality", jsonOrNull(o.get("resultQuality")));
      s.put("validTime", textOrNull(o.get("validTime")));
      s.put("parameters", jsonOrNull(o.get("parameters")));
      s.put("datastream", longOrNull(o.path("Datastream").get("@iot.id")));
      s.put("multiDatastream", longOrNull(o.path("MultiDatastream").get("@iot.id")));
      s.put("featureOfInterest", longOrNull(o.path("FeatureOfInterest").get("@iot.id")));
      return s;
    }
  }

  private static Long storedId(Map<String, Object> offset) {
    Object id = offset == null ? null : offset.get(OFFSET_ID);
    return id instanceof Number n ? n.longValue() : null;
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || !n.canConvertToLong() ? null : n.longValue();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.isTextual() ? n.textValue() : n.toString();
  }

  private static String jsonOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.toString();
  }

  /** A JSON tree as the plain values Connect's schemaless converters take (maps, lists, strings, numbers). */
  static Object plain(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      n.forEach(v -> l.add(plain(v)));
      return l;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      BigInteger b = n.bigIntegerValue();
      return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (n.isNumber()) {
      BigDecimal d = n.decimalValue();
      double v = d.doubleValue();
      return Double.isFinite(v) ? (Object) v : d.toPlainString();
    }
    return JSON.convertValue(n, Object.class);
  }
}
