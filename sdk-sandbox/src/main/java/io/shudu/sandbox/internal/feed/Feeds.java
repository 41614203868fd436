package io.shudu.sandbox.internal.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import io.shudu.sandbox.internal.http.Response;
import io.shudu.sandbox.internal.http.Router;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The sandbox's live feeds: named, append-only event logs served as Server-Sent Events with strictly increasing
 * event ids and a bounded replay window. Services publish; clients subscribe over HTTP (see docs/api/feeds.md).
 * State survives a sandbox stop/restart: a subscriber that reconnects after a restart resumes without loss.
 *
 * <p>Publishing API used by the services (IoT simulators, twin change feed):
 * <pre>{@code
 * context.feeds().declare("traffic");   // optional: subscribers get 404 for a feed that does not exist yet
 * long id = context.feeds().publish("traffic", "observation", "datastream-42", payloadObject);
 * }</pre>
 *
 * <p>Each event travels as {@code id: <id>}, {@code event: <type>} and one {@code data:} line holding a CloudEvents
 * 1.0 JSON envelope whose {@code subject} is the partition key and whose {@code data} is the payload.
 *
 * <p>Ownership is fixed when a feed is created. A tenant's feeds ({@link #declareOwned(String, String)},
 * {@link #publishOwned(String, String, String, String, Object)}) live in that tenant's own namespace: only the owner
 * can list or subscribe to them, and only the services acting for the owner publish to them; another tenant asking
 * for the same name reaches its own namespace (or a sandbox-wide feed), never the owner's. Sandbox-wide feeds
 * ({@link #declare(String)}, {@link #publish(String, String, String, Object)}) are published only by the sandbox itself
 * (tests, tools), never from a tenant's request or data, and are readable by every tenant; a tenant's own feed of
 * the same name hides the sandbox-wide one from that tenant.
 */
public final class Feeds {
  /** Default replay window: events kept per feed. */
  public static final int DEFAULT_WINDOW = 100_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
  private static final Set<String> RESERVED_TYPES = Set.of("open", "gap", "message");
  private static final int BATCH = 512;
  private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);
  /** The traceparent of the request being handled on this thread: events it publishes carry it. */
  private static final ThreadLocal<String> PRODUCER_TRACE = new ThreadLocal<>();

  /**
   * Sets (or, with null, clears) the W3C traceparent of the request handled on this thread: events published
   * while it is set carry it as the CloudEvents {@code traceparent} extension attribute, so consumers can link to
   * the producer's trace. A value that is not a valid traceparent is ignored.
   *
   * @param traceparent the request's traceparent header, or null
   */
  public static void producerTrace(String traceparent) {
    if (traceparent == null || !io.shudu.core.internal.Tracing.isValid(traceparent)) {
      PRODUCER_TRACE.remove();
    } else {
      PRODUCER_TRACE.set(traceparent);
    }
  }

  /**
   * Test hook deciding, before each event frame is written to a subscriber, whether to cut that stream there.
   */
  @FunctionalInterface
  public interface StreamCutter {
    /**
     * Decides whether to cut.
     *
     * @param feed the feed
     * @param eventId the event about to be written
     * @param frameLength the frame's length in bytes
     * @return -1 to write the frame normally, or n (0 to frameLength - 1) to write only its first n bytes and end
     *     the response there
     */
    int cutAt(String feed, long eventId, int frameLength);
  }

  /** A feed's identity: its owner (null for a sandbox-wide feed) and its name. */
  private record FeedKey(String owner, String name) {}

  private final Map<FeedKey, FeedLog> logs = new ConcurrentHashMap<>();
  private final List<Consumer<String>> tenantListeners = new CopyOnWriteArrayList<>();
  private final AtomicInteger openStreams = new AtomicInteger();
  private final Clock clock;
  private volatile int defaultWindow;
  private volatile int maxFeedsPerTenant = Integer.MAX_VALUE;
  /** The names of each tenant's own feeds (guarded by itself, for the per-tenant limit). */
  private final Map<String, Set<String>> ownedNames = new ConcurrentHashMap<>();
  private volatile StreamCutter cutter;
  private volatile long epoch;

  /** Feeds with the default window ({@value #DEFAULT_WINDOW} events per feed) and the system clock. */
  public Feeds() {
    this(DEFAULT_WINDOW, Clock.systemUTC());
  }

  /**
   * Feeds with a given default window and clock.
   *
   * @param defaultWindow events kept per feed unless {@link #declare(String, int)} says otherwise
   * @param clock clock for the events' {@code time}
   */
  public Feeds(int defaultWindow, Clock clock) {
    checkWindow(defaultWindow);
    this.defaultWindow = defaultWindow;
    this.clock = clock;
  }

  private static void checkWindow(int window) {
    if (window < 1 || window > 10_000_000) {
      throw new IllegalArgumentException("window must be between 1 and 10000000 events, got " + window);
    }
  }

  /**
   * Sets how many feeds one tenant may own; creating one more is answered 429 (limit {@code maxFeedsPerTenant}).
   *
   * @param n at least 1
   */
  public void maxFeedsPerTenant(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("maxFeedsPerTenant must be at least 1, got " + n);
    }
    this.maxFeedsPerTenant = n;
  }

  /**
   * Checks that the tenant owns {@code feed} already or has room for one more feed.
   *
   * @param owner the tenant
   * @param feed the feed's name
   * @throws Problem 429 (limit {@code maxFeedsPerTenant}) when the feed would be one too many
   */
  public void checkRoom(String owner, String feed) {
    if (logs.containsKey(new FeedKey(owner, feed))) {
      return;
    }
    Set<String> mine = ownedNames.get(owner);
    if (mine != null) {
      synchronized (mine) {
        if (mine.size() >= maxFeedsPerTenant && !mine.contains(feed)) {
          throw tooManyFeeds(feed);
        }
      }
    }
  }

  private Problem tooManyFeeds(String feed) {
    return new Problem(429, "too_many_feeds", "Too many feeds", "This tenant already owns " + maxFeedsPerTenant
        + " live feeds, so feed '" + feed + "' cannot be created. Delete a feed you no longer need (DELETE "
        + "/feeds/v1/{feed}), publish to one of your existing feeds (a Datastream's properties.feed), or start the "
        + "sandbox with a higher limit (--limit maxFeedsPerTenant=<n>).").header("Retry-After", "60")
        .with("limit", "maxFeedsPerTenant").with("max", maxFeedsPerTenant);
  }

  /**
   * How many feeds a tenant owns (for tests).
   *
   * @param owner the tenant
   * @return the count
   */
  public int ownedCount(String owner) {
    Set<String> mine = ownedNames.get(owner);
    if (mine == null) {
      return 0;
    }
    synchronized (mine) {
      return mine.size();
    }
  }

  /**
   * Sets the window of feeds created from now on.
   *
   * @param window events kept per feed
   */
  public void defaultWindow(int window) {
    checkWindow(window);
    this.defaultWindow = window;
  }

  /**
   * Creates a feed if it does not exist yet, with the default window.
   *
   * @param feed the feed's name: 1-100 letters, digits, '.', '-' or '_'
   */
  public void declare(String feed) {
    log(feed);
  }

  /**
   * Creates a feed or changes its replay window (shrinking evicts the oldest events).
   *
   * @param feed the feed's name
   * @param window events kept
   */
  public void declare(String feed, int window) {
    checkWindow(window);
    FeedLog[] created = new FeedLog[1];
    FeedLog log = logs.computeIfAbsent(new FeedKey(null, checkName(feed)),
        k -> created[0] = new FeedLog(k.name(), null, window));
    if (created[0] == null) {
      log.resize(window);
    }
  }

  /**
   * Creates a tenant's own feed if it does not exist yet, with the default window, even beyond the tenant's feed
   * limit (it counts towards it: services declare a tenant's built-in feeds). Its owner is fixed now: only
   * {@code owner} can list it or subscribe to it; other tenants get 404 for the name, as if it did not exist.
   *
   * @param owner the tenant that owns the feed
   * @param feed the feed's name
   */
  public void declareOwned(String owner, String feed) {
    owned(owner, feed, false); // the services' own feeds of a tenant are never refused, but they count
  }

  /**
   * Registers a callback run with the tenant's name whenever a tenant lists or subscribes to feeds, before the feed
   * is looked up, so that services can create the tenant's own feeds (and the data behind them) on first use.
   *
   * @param listener called with the tenant; must be idempotent and fast after the first call
   */
  public void onTenantUse(Consumer<String> listener) {
    tenantListeners.add(listener);
  }

  /**
   * Appends an event to a feed (created on first use).
   *
   * @param feed feed name, such as {@code traffic} or {@code twin-changes}
   * @param type SSE event type, such as {@code observation} or {@code entity.updated}; {@code open}, {@code gap} and
   *     {@code message} are reserved
   * @param key partition key for per-key filtering (for example a datastream id), or null
   * @param payload object serialised as the event's JSON data (null for none)
   * @return the event id
   */
  public long publish(String feed, String type, String key, Object payload) {
    checkEvent(type, key);
    return append(log(feed), type, key, payload);
  }

  /**
   * Appends an event to a tenant's own feed (created on first use, owned by {@code owner}). Whatever the name, the
   * event never reaches another tenant's feed or a sandbox-wide feed.
   *
   * @param owner the tenant whose feed it is
   * @param feed feed name
   * @param type SSE event type (see {@link #publish(String, String, String, Object)})
   * @param key partition key, or null
   * @param payload the event's JSON data
   * @return the event id
   */
  public long publishOwned(String owner, String feed, String type, String key, Object payload) {
    checkEvent(type, key);
    return append(owned(owner, feed, true), type, key, payload);
  }

  private static void checkEvent(String type, String key) {
    if (type == null || !TYPE.matcher(type).matches() || RESERVED_TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be 1-100 letters, digits, '.', ':', '-' or '_' and not one of "
          + RESERVED_TYPES + ", got '" + type + "'");
    }
    if (key != null && (key.isEmpty() || key.length() > 200 || key.chars().anyMatch(Character::isISOControl))) {
      throw new IllegalArgumentException("key must be null or 1-200 characters without control characters, got '"
          + key + "'");
    }
  }

  private long append(FeedLog log, String type, String key, Object payload) {
    String feed = log.name();
    String data;
    String subject;
    try {
      data = Json.mapper().writeValueAsString(payload);
      subject = key == null ? null : Json.mapper().writeValueAsString(key);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the payload of a '" + type + "' event of feed " + feed
          + " cannot be serialised as JSON: " + e.getOriginalMessage(), e);
    }
    String time = Instant.now(clock).toString();
    String source = "/feeds/v1/" + log.name();
    String traceparent = PRODUCER_TRACE.get();
    return log.append(key, id -> {
      StringBuilder sb = new StringBuilder(data.length() + 256);
      sb.append("id: ").append(id).append("\nevent: ").append(type).append("\ndata: ")
          .append("{\"specversion\":\"1.0\",\"id\":\"").append(id).append("\",\"source\":\"").append(source)
          .append("\",\"type\":\"").append(type).append('"');
      if (subject != null) {
        sb.append(",\"subject\":").append(subject);
      }
      if (traceparent != null) {
        sb.append(",\"traceparent\":\"").append(traceparent).append('"');
      }
      sb.append(",\"time\":\"").append(time).append("\",\"datacontenttype\":\"application/json\",\"data\":")
          .append(data).append("}\n\n");
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    });
  }

  /**
   * The newest event id of a feed.
   *
   * @param feed the feed's name
   * @return the id, 0 when the feed has no events or does not exist
   */
  public long lastId(String feed) {
    FeedLog log = logs.get(new FeedKey(null, feed));
    return log == null ? 0 : log.lastId();
  }

  /**
   * The newest event id of a tenant's own feed.
   *
   * @param owner the tenant
   * @param feed the feed's name
   * @return the id, 0 when the feed has no events or does not exist
   */
  public long lastIdOwned(String owner, String feed) {
    FeedLog log = logs.get(new FeedKey(owner, feed));
    return log == null ? 0 : log.lastId();
  }

  /**
   * Test hook: cuts subscriber streams where the cutter says (null removes it).
   *
   * @param c the cutter or null
   */
  public void streamCutter(StreamCutter c) {
    this.cutter = c;
  }

  /**
   * Test hook: ends every open subscriber stream now (the clients reconnect).
   */
  public void disconnectAll() {
    epoch++;
    logs.values().forEach(FeedLog::wakeAll);
  }

  /**
   * How many subscriber streams are open.
   *
   * @return the count
   */
  public int openStreams() {
    return openStreams.get();
  }

  /**
   * Registers {@code GET /feeds/v1} and {@code GET /feeds/v1/{feed}}.
   *
   * @param router the sandbox router
   */
  public void register(Router router) {
    router.route("GET", "/feeds/v1", r -> {
      tenantUse(r.tenant());
      return Response.ok(Map.of("feeds", list(r.tenant())));
    });
    router.route("GET", "/feeds/v1/{feed}", this::subscribe);
    router.route("DELETE", "/feeds/v1/{feed}", this::delete);
  }

  /** Deletes one of the tenant's own feeds: its events are gone, its open streams end, its name is free again. */
  private Response delete(Request r) {
    String name = r.pathParam("feed");
    String tenant = r.tenant();
    FeedKey key = new FeedKey(tenant, name);
    FeedLog log = logs.get(key);
    if (log == null) {
      if (logs.containsKey(new FeedKey(null, name))) {
        throw new Problem(403, "not_owner", "Not your feed", "Feed '" + name + "' is a sandbox-wide feed; only "
            + "a tenant's own feeds can be deleted (GET /feeds/v1 lists them).");
      }
      throw Problem.notFound("There is no feed named '" + name + "' among this tenant's own feeds. GET /feeds/v1 "
          + "lists the feeds.");
    }
    Set<String> mine = ownedNames.computeIfAbsent(tenant, t -> new HashSet<>());
    synchronized (mine) {
      if (logs.remove(key, log)) {
        mine.remove(name);
      }
    }
    log.markDeleted();
    return Response.noContent();
  }

  private void tenantUse(String tenant) {
    for (Consumer<String> l : tenantListeners) {
      l.accept(tenant);
    }
  }

  /** The feeds a tenant can read, by name: its own, and the sandbox-wide ones its own do not hide. */
  private TreeMap<String, FeedLog> visible(String tenant) {
    TreeMap<String, FeedLog> out = new TreeMap<>();
    for (Map.Entry<FeedKey, FeedLog> e : logs.entrySet()) {
      String owner = e.getKey().owner();
      if (owner == null) {
        out.putIfAbsent(e.getKey().name(), e.getValue());
      } else if (owner.equals(tenant)) {
        out.put(e.getKey().name(), e.getValue());
      }
    }
    return out;
  }

  /** The feed named {@code name} as the tenant sees it: its own, else a sandbox-wide one, else null. */
  private FeedLog resolve(String tenant, String name) {
    FeedLog own = logs.get(new FeedKey(tenant, name));
    return own != null ? own : logs.get(new FeedKey(null, name));
  }

  private List<Map<String, Object>> list(String tenant) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (FeedLog log : visible(tenant).values()) {
      FeedLog.Bounds b = log.bounds();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", log.name());
      m.put("firstId", b.size() == 0 ? null : b.oldestId());
      m.put("lastId", b.lastId());
      m.put("size", b.size());
      m.put("window", b.window());
      m.put("href", "/feeds/v1/" + log.name());
      out.add(m);
    }
    return out;
  }

  private FeedLog log(String feed) {
    return logs.computeIfAbsent(new FeedKey(null, checkName(feed)),
        k -> new FeedLog(k.name(), null, defaultWindow));
  }

  private FeedLog owned(String owner, String feed, boolean limited) {
    if (owner == null || owner.isEmpty()) {
      throw new IllegalArgumentException("a tenant-owned feed needs its owner, got none for feed '" + feed + "'");
    }
    FeedKey key = new FeedKey(owner, checkName(feed));
    FeedLog existing = logs.get(key);
    if (existing != null) {
      return existing;
    }
    Set<String> mine = ownedNames.computeIfAbsent(owner, t -> new HashSet<>());
    synchronized (mine) {
      FeedLog log = logs.get(key);
      if (log != null) {
        return log;
      }
      if (limited && mine.size() >= maxFeedsPerTenant) {
        throw tooManyFeeds(feed);
      }
      log = new FeedLog(key.name(), owner, defaultWindow);
      logs.put(key, log);
      mine.add(feed);
      return log;
    }
  }

  private static String checkName(String feed) {
    if (feed == null || !NAME.matcher(feed).matches()) {
      throw new IllegalArgumentException("feed must be 1-100 letters, digits, '.', '-' or '_' starting with a letter "
          + "or digit, got '" + feed + "'");
    }
    return feed;
  }

  private Response subscribe(Request r) {
    String name = r.pathParam("feed");
    tenantUse(r.tenant());
    FeedLog log = resolve(r.tenant(), name);
    if (log == null || !log.readableBy(r.tenant())) {
      List<String> names = new ArrayList<>(visible(r.tenant()).keySet());
      throw Problem.notFound("There is no feed named '" + name + "'. GET /feeds/v1 lists the feeds: " + names + ".");
    }
    Set<String> keys = new LinkedHashSet<>(r.queryParams().getOrDefault("key", List.of()));
    for (String k : keys) {
      if (k.isEmpty() || k.length() > 200) {
        throw Problem.validation("key", "Query parameter 'key' must be 1-200 characters, got '" + k + "'.");
      }
    }
    if (keys.size() > 100) {
      throw Problem.validation("key", "At most 100 'key' parameters per stream, got " + keys.size() + ".");
    }
    int heartbeatMs = r.queryInt("heartbeat", 5000, 100, 300_000);
    String lastEventId = r.header("Last-Event-ID");
    String field = "Last-Event-ID";
    if (lastEventId == null) {
      lastEventId = r.query("lastEventId");
      field = "lastEventId";
    }
    FeedLog.Bounds bounds = log.bounds();
    long after;
    if (lastEventId != null) {
      try {
        after = Long.parseLong(lastEventId.trim());
      } catch (NumberFormatException e) {
        after = -1;
      }
      if (after < 0) {
        throw Problem.validation(field, field + " must be an event id (a decimal number >= 0) received from this "
            + "feed, got '" + lastEventId + "'.");
      }
      if (after > bounds.lastId()) {
        throw Problem.conflict("feed_position_ahead", field + " " + after + " is beyond the newest event "
            + bounds.lastId() + " of feed '" + name + "': the feed was reset (for example a new sandbox). Subscribe "
            + "again without " + field + " (delete the consumer's checkpoint).")
            .with("lastId", bounds.lastId());
      }
    } else {
      String start = r.query("start");
      if (start == null || start.equals("latest")) {
        after = bounds.lastId();
      } else if (start.equals("earliest")) {
        after = bounds.oldestId() - 1;
      } else {
        throw Problem.validation("start", "Query parameter 'start' must be 'latest' or 'earliest', got '" + start
            + "'.");
      }
    }
    long from = after;
    return Response.stream(200, "text/event-stream; charset=utf-8", -1,
            out -> stream(log, from, Set.copyOf(keys), heartbeatMs, out))
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no");
  }

  private void stream(FeedLog log, long after, Set<String> keys, int heartbeatMs, OutputStream raw)
      throws IOException {
    openStreams.incrementAndGet();
    long myEpoch = epoch;
    long heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMs);
    try {
      BufferedOutputStream out = new BufferedOutputStream(raw, 32 * 1024);
      FeedLog.Bounds b = log.bounds();
      writeAscii(out, "retry: 1000\nevent: open\ndata: {\"feed\":\"" + log.name() + "\",\"position\":" + after
          + ",\"lastId\":" + b.lastId() + ",\"oldestId\":" + b.oldestId() + "}\n\n");
      out.flush();
      long position = after;
      long lastWrite = System.nanoTime();
      List<FeedLog.Entry> batch = new ArrayList<>(BATCH);
      while (!Thread.currentThread().isInterrupted() && epoch == myEpoch && !log.deleted()) {
        batch.clear();
        FeedLog.Read read = log.read(position, keys, BATCH, batch);
        if (read.gap() != null) {
          FeedLog.Gap g = read.gap();
          writeAscii(out, "id: " + read.position() + "\nevent: gap\ndata: {\"requestedAfter\":" + g.requestedAfter()
              + ",\"oldestAvailable\":" + g.oldestAvailable() + ",\"missed\":" + g.missed() + "}\n\n");
          lastWrite = System.nanoTime();
        }
        position = read.position();
        StreamCutter c = cutter;
        for (FeedLog.Entry e : batch) {
          byte[] frame = e.frame();
          int cut = c == null ? -1 : c.cutAt(log.name(), e.id(), frame.length);
          if (cut >= 0) {
            out.write(frame, 0, Math.min(cut, frame.length));
            out.flush();
            throw new IOException("stream cut by the test hook before the end of event " + e.id());
          }
          out.write(frame);
        }
        if (!batch.isEmpty()) {
          lastWrite = System.nanoTime();
        }
        if (read.gap() == null && batch.isEmpty()) {
          out.flush();
          long idle = System.nanoTime() - lastWrite;
          if (idle >= heartbeatNanos) {
            out.write(HEARTBEAT);
            out.flush();
            lastWrite = System.nanoTime();
            continue;
          }
          try {
            log.awaitAfter(position, Math.min(heartbeatNanos - idle, TimeUnit.MILLISECONDS.toNanos(250)));
          } catch (InterruptedException e) {
            return; // the sandbox is stopping: end the stream
          }
        } else if (System.nanoTime() - lastWrite >= heartbeatNanos) {
          out.write(HEARTBEAT);
          lastWrite = System.nanoTime();
        }
      }
      out.flush();
    } finally {
      openStreams.decrementAndGet();
    }
  }

  private static void writeAscii(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }
}
