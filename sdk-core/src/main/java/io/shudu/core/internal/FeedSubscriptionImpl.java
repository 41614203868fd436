package io.shudu.core.internal;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientException;
import io.shudu.core.ConflictException;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.ServiceException;
import io.shudu.core.ShuduException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running feed subscription: a reader thread that opens {@code GET /feeds/v1/{feed}}, parses the Server-Sent Events
 * with okhttp-sse, drops events already seen (id at most the resume point), decodes the rest and puts them in a
 * bounded buffer; and a handler thread that hands them to the {@link FeedHandler} one at a time and saves checkpoints.
 *
 * <p>The reader reconnects after any disconnect with the SDK's one backoff ({@link Backoff}: exponential, full jitter), resuming with
 * {@code Last-Event-ID} set to the last event it put in the buffer. When the buffer stays full for
 * {@link FeedOptions#overflowWait()}, the reader abandons the connection, waits until the handler has emptied the
 * buffer and reconnects from that same point: memory stays bounded and nothing is lost within the replay window.
 */
final class FeedSubscriptionImpl<T> implements FeedSubscription {
  private static final Logger LOG = LoggerFactory.getLogger("io.shudu.core.feeds");
  private static final MediaType EVENT_STREAM = MediaType.get("text/event-stream");

  /** An entry of the buffer: an event, or a gap to report. */
  private final class Item {
    final FeedEvent<T> event;
    final FeedGapException gap;
    final long gapPosition;
    final String traceparent;

    Item(FeedEvent<T> event, FeedGapException gap, long gapPosition) {
      this(event, gap, gapPosition, null);
    }

    Item(FeedEvent<T> event, FeedGapException gap, long gapPosition, String traceparent) {
      this.event = event;
      this.gap = gap;
      this.gapPosition = gapPosition;
      this.traceparent = traceparent;
    }
  }

  private final ApiClient api;
  private final OkHttpClient http;
  private final String feed;
  private final List<String> keys;
  private final FeedDecoder<T> decoder;
  private final FeedOptions options;
  private final FeedHandler<T> handler;
  private final CheckpointStore store;
  private final String consumer;
  private final ArrayBlockingQueue<Item> buffer;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final Thread reader;
  private final Thread handlerThread;
  private final Object failureLock = new Object();
  /** Listeners of this subscription ({@link io.shudu.core.ClientListener#feedStarted}). */
  private List<io.shudu.core.FeedListener> listeners = List.of();

  private volatile State state = State.CONNECTING;
  private volatile boolean closed;
  private volatile ShuduException failure;
  private volatile ShuduException readerFailure;
  private volatile boolean readerDone;
  private volatile Call currentCall;
  private volatile long resumeId;
  private volatile long lastDelivered;
  private volatile int maxBuffered;
  private final boolean resumeFromCheckpoint;
  private long savedCheckpoint;
  private int sinceCheckpoint;

  FeedSubscriptionImpl(ApiClient api, String feed, List<String> keys, FeedDecoder<T> decoder, FeedOptions options,
      FeedHandler<T> handler) {
    this.api = api;
    this.feed = feed;
    this.keys = keys;
    this.decoder = decoder;
    this.options = options;
    this.handler = handler;
    this.store = options.checkpointStore().orElse(null);
    this.consumer = options.consumer().orElse(null);
    this.buffer = new ArrayBlockingQueue<>(options.bufferCapacity());
    Duration heartbeat = options.heartbeat();
    this.http = api.http().newBuilder()
        .readTimeout(heartbeat.multipliedBy(3).plusSeconds(1))
        .callTimeout(Duration.ZERO)
        .build();
    OptionalLong checkpoint = store == null ? OptionalLong.empty() : store.load(consumer);
    resumeFromCheckpoint = checkpoint.isPresent();
    if (checkpoint.isPresent()) {
      resumeId = checkpoint.getAsLong();
      lastDelivered = resumeId;
    } else {
      FeedOptions.StartPosition start = options.start();
      resumeId = start.kind() == FeedOptions.StartPosition.Kind.AFTER_ID ? start.afterId() : -1;
      lastDelivered = -1;
    }
    savedCheckpoint = lastDelivered;
    this.reader = new Thread(this::readLoop, "shudu-feed-reader-" + feed);
    this.reader.setDaemon(true);
    this.handlerThread = new Thread(this::handleLoop, "shudu-feed-handler-" + feed);
    this.handlerThread.setDaemon(true);
  }

  void start() {
    java.util.ArrayList<io.shudu.core.FeedListener> chosen = new java.util.ArrayList<>();
    for (io.shudu.core.ClientListener l : api.config().listeners()) {
      try {
        io.shudu.core.FeedListener f = l.feedStarted(this, options);
        if (f != null) {
          chosen.add(f);
        }
      } catch (RuntimeException e) {
        LOG.warn("A ClientListener threw {} from feedStarted; ignored", e.toString());
      }
    }
    listeners = List.copyOf(chosen);
    reader.start();
    handlerThread.start();
  }

  // ---------------------------------------------------------------- reader

  private void readLoop() {
    int failures = 0;
    boolean reauthenticated = false;
    boolean first = true;
    try {
      while (!closed) {
        if (!first) {
          reconnects.incrementAndGet();
          tell(io.shudu.core.FeedListener::reconnecting);
        }
        first = false;
        Connection conn = new Connection();
        Duration retryAfter = null;
        try {
          Request request = api.prepare(request());
          Call call = http.newCall(request);
          currentCall = call;
          if (closed) {
            call.cancel();
            break;
          }
          try (Response response = call.execute()) {
            if (response.code() == 200) {
              ResponseBody body = response.body();
              MediaType type = body.contentType();
              if (type == null || !type.type().equals(EVENT_STREAM.type())
                  || !type.subtype().equals(EVENT_STREAM.subtype())) {
                readerFails(new ClientException("feeds.subscribe: " + feed + " answered 200 with content type " + type
                    + " instead of text/event-stream. Check that the endpoint is a Shudu platform and that no proxy "
                    + "rewrites event streams.", null, false));
                return;
              }
              EventSources.processResponse(response, conn);
            } else {
              byte[] bytes = response.body().bytes();
              ServiceException error = Errors.fromResponse(response.code(), response.headers().toMultimap(), bytes,
                  "feeds.subscribe");
              if (response.code() == 401 && !reauthenticated) {
                reauthenticated = true;
                api.config().credentials().invalidate();
                continue;
              }
              if (!Errors.isRetryableStatus(response.code())) {
                readerFails(explain(error));
                return;
              }
              retryAfter = Errors.retryAfter(response.header("Retry-After"), Instant.now()).orElse(null);
              LOG.debug("feed {}: HTTP {} while connecting; will retry", feed, response.code());
            }
          }
        } catch (ClientException e) {
          if (!e.retryable()) {
            readerFails(e);
            return;
          }
          LOG.debug("feed {}: could not prepare the request: {}", feed, e.getMessage());
        } catch (ServiceException e) {
          if (!e.retryable()) {
            readerFails(e);
            return;
          }
          LOG.debug("feed {}: credentials not available: {}", feed, e.getMessage());
        } catch (IOException e) {
          if (!closed) {
            LOG.debug("feed {}: connection failed: {}", feed, e.toString());
          }
        } finally {
          currentCall = null;
        }
        if (closed) {
          break;
        }
        if (conn.terminal != null) {
          readerFails(conn.terminal);
          return;
        }
        if (conn.stop) {
          return; // a gap under GapPolicy.FAIL is in the buffer; the handler ends the subscription when it gets there
        }
        if (conn.opened) {
          failures = 0;
          reauthenticated = false;
        }
        if (state != State.CONNECTING) {
          transition(State.RECONNECTING);
        }
        if (conn.overflowed) {
          if (options.overflowPolicy() == FeedOptions.OverflowPolicy.FAIL) {
            readerFails(new ClientException("Feed '" + feed + "': the handler is too slow: the buffer of "
                + options.bufferCapacity() + " events stayed full for " + options.overflowWait().toMillis()
                + " ms (OverflowPolicy.FAIL). Handle events faster, raise FeedOptions.bufferCapacity, or use "
                + "OverflowPolicy.RECONNECT.", null, false));
            return;
          }
          LOG.debug("feed {}: buffer full for {}; reconnecting after the handler drains it", feed,
              options.overflowWait());
          while (!buffer.isEmpty() && !closed) {
            Thread.sleep(2);
          }
          continue;
        }
        Duration delay = backoff(failures++);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
          delay = retryAfter.compareTo(options.reconnectBackoffMax()) > 0 ? options.reconnectBackoffMax() : retryAfter;
        }
        Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      readerFails(new ClientException("Feed '" + feed + "': the subscription's reader failed unexpectedly: " + e, e,
          false));
    } finally {
      readerDone = true;
    }
  }

  private ApiRequest request() {
    ApiRequest.Builder b = ApiRequest.builder("feeds.subscribe", "GET", "/feeds/v1/{}", feed)
        .header("Accept", "text/event-stream")
        .header("Cache-Control", "no-cache")
        .query("heartbeat", options.heartbeat().toMillis());
    for (String k : keys) {
      b.query("key", k);
    }
    long from = resumeId;
    if (from >= 0) {
      b.header("Last-Event-ID", Long.toString(from));
    } else {
      b.query("start", options.start().kind() == FeedOptions.StartPosition.Kind.EARLIEST ? "earliest" : "latest");
    }
    return b.build();
  }

  /** Adds to a 409 {@code feed_position_ahead} what to do about it with this subscription's options. */
  private ServiceException explain(ServiceException error) {
    if (!(error instanceof ConflictException c) || !c.code().orElse("").equals("feed_position_ahead")) {
      return error;
    }
    String advice = store != null
        ? " The resume point " + resumeId + " comes from the " + (resumeFromCheckpoint ? "saved " : "")
            + "checkpoint of consumer '" + consumer + "' in " + store + ": call CheckpointStore.reset(\"" + consumer
            + "\") on that store and subscribe again to start from the start position ("
            + describe(options.start()) + ")."
        : " Subscribe again with a start position that is not ahead of the feed (this one: "
            + describe(options.start()) + ").";
    return new ConflictException(c.status(), c.code().orElse(null), c.type().orElse(null), c.title().orElse(null),
        c.detail().orElse("") + advice, c.requestId().orElse(null), c.errors(), c.extensions());
  }

  private static String describe(FeedOptions.StartPosition start) {
    return switch (start.kind()) {
      case LATEST -> "StartPosition.latest()";
      case EARLIEST -> "StartPosition.earliest()";
      case AFTER_ID -> "StartPosition.after(" + start.afterId() + ")";
    };
  }

  private Duration backoff(int failures) {
    return Backoff.delay(options.reconnectBackoffMin(), options.reconnectBackoffMax(), failures + 1,
        ThreadLocalRandom.current());
  }

  /** Moves to a non-terminal state unless the subscription has already ended. */
  private void transition(State next) {
    synchronized (failureLock) {
      if (state != State.CLOSED && state != State.FAILED) {
        state = next;
      }
    }
  }

  private void readerFails(ShuduException e) {
    readerFailure = e;
    readerDone = true;
  }

  /** Receives the events of one connection on the reader thread. */
  private final class Connection extends EventSourceListener {
    boolean opened;
    boolean overflowed;
    boolean stop;
    ShuduException terminal;

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
      if (overflowed || stop || closed) {
        return;
      }
      Instant now = Instant.now();
      try {
        if ("open".equals(type)) {
          FeedDecoder.Open open = FeedDecoder.open(data);
          opened = true;
          if (resumeId < 0) {
            resumeId = open.position();
          }
          transition(State.STREAMING);
          boolean reconnect = connected.getCount() == 0;
          connected.countDown();
          tell(l -> l.connected(reconnect));
          return;
        }
        if ("gap".equals(type)) {
          FeedDecoder.Gap g = FeedDecoder.gap(data);
          long position = g.oldestAvailable() - 1;
          if (position <= resumeId) {
            return;
          }
          FeedGapException gap = new FeedGapException(feed, g.requestedAfter(), g.oldestAvailable(), g.missed());
          LOG.warn("feed {}: {} event(s) after id {} left the replay window before they could be read", feed,
              g.missed(), g.requestedAfter());
          tell(l -> l.gap(gap));
          if (!enqueue(new Item(null, gap, position))) {
            return;
          }
          if (options.gapPolicy() == FeedOptions.GapPolicy.FAIL) {
            stop = true;
            cancel();
          } else {
            resumeId = position;
          }
          return;
        }
        if (id == null) {
          throw new IOException("an event of type '" + type + "' has no id");
        }
        long eventId;
        try {
          eventId = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
          throw new IOException("the event id '" + id + "' is not a decimal number", e);
        }
        if (eventId <= resumeId) {
          return; // seen before this reconnect: at-least-once on the wire, exactly once to the handler
        }
        FeedDecoder.Traced<T> traced = decoder.decodeTraced(id, type, data, now);
        if (enqueue(new Item(traced.event(), null, 0, traced.traceparent()))) {
          resumeId = eventId;
        }
      } catch (IOException e) {
        terminal = new ClientException("Feed '" + feed + "': event " + id + " (" + type + ") could not be decoded: "
            + e.getMessage() + ". The subscription stops before it so that nothing is skipped silently; check that "
            + "the subscribed payload type matches the feed's events.", e, false);
        stop = true;
        cancel();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop = true;
        cancel();
      }
    }

    /** Puts an item in the buffer, waiting at most overflowWait; on overflow abandons the connection. */
    private boolean enqueue(Item item) throws InterruptedException {
      long wait = options.overflowWait().toNanos();
      if (!(wait == 0 ? buffer.offer(item) : buffer.offer(item, wait, TimeUnit.NANOSECONDS))) {
        overflowed = true;
        cancel();
        return false;
      }
      int size = buffer.size();
      if (size > maxBuffered) {
        maxBuffered = size;
      }
      return true;
    }

    private void cancel() {
      Call c = currentCall;
      if (c != null) {
        c.cancel();
      }
    }

    @Override
    public void onFailure(EventSource source, Throwable t, Response response) {
      if (!closed && !overflowed && !stop && t != null) {
        LOG.debug("feed {}: stream interrupted: {}", feed, t.toString());
      }
    }
  }

  // ---------------------------------------------------------------- handler

  private void handleLoop() {
    try {
      while (!closed) {
        Item item = buffer.poll(20, TimeUnit.MILLISECONDS);
        if (item == null) {
          if (readerDone && buffer.isEmpty()) {
            ShuduException e = readerFailure;
            if (e != null) {
              fail(e);
            } else if (!closed) {
              fail(new ClientException("Feed '" + feed + "': the subscription's reader stopped unexpectedly", null,
                  false));
            }
            break;
          }
          checkpoint(true); // idle: save what a batched checkpoint has not saved yet
          continue;
        }
        if (item.gap != null) {
          if (options.gapPolicy() == FeedOptions.GapPolicy.FAIL) {
            fail(item.gap);
            break;
          }
          try {
            handler.onGap(item.gap);
          } catch (ShuduException e) {
            fail(e);
            break;
          } catch (RuntimeException e) {
            fail(new ClientException("Feed '" + feed + "': FeedHandler.onGap threw " + e, e, false));
            break;
          }
          lastDelivered = Math.max(lastDelivered, item.gapPosition);
          checkpoint(true);
          continue;
        }
        FeedEvent<T> event = item.event;
        if (event.id() <= lastDelivered) {
          continue;
        }
        java.util.Optional<String> producer = java.util.Optional.ofNullable(item.traceparent);
        tell(l -> l.eventStarted(event, producer));
        try {
          handler.onEvent(event);
        } catch (Exception | Error e) {
          tell(l -> l.eventEnded(event, e));
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          fail(new ClientException("Feed '" + feed + "': the handler failed on event " + event.id() + " ("
              + event.type() + "): " + e + ". The event was not acknowledged; a new subscription with the same "
              + "checkpoint store receives it again.", e, false));
          if (e instanceof VirtualMachineError vme) {
            throw vme;
          }
          break;
        }
        tell(l -> l.eventEnded(event, null));
        lastDelivered = event.id();
        delivered.incrementAndGet();
        sinceCheckpoint++;
        checkpoint(sinceCheckpoint >= options.checkpointEvery());
      }
    } catch (InterruptedException e) {
      // closing
    } catch (ShuduException e) {
      fail(e);
    } finally {
      finish();
    }
  }

  private void checkpoint(boolean now) {
    if (store == null || !now || lastDelivered == savedCheckpoint || lastDelivered < 0) {
      return;
    }
    store.save(consumer, lastDelivered);
    savedCheckpoint = lastDelivered;
    sinceCheckpoint = 0;
  }

  private void fail(ShuduException e) {
    synchronized (failureLock) {
      if (failure == null) {
        failure = e;
      }
    }
    closed = true;
  }

  private void finish() {
    closed = true;
    Call c = currentCall;
    if (c != null) {
      c.cancel();
    }
    reader.interrupt();
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ShuduException saveFailure = null;
    try {
      checkpoint(true);
    } catch (ShuduException e) {
      saveFailure = e;
    } catch (RuntimeException e) {
      saveFailure = new ClientException("Feed '" + feed + "': the checkpoint store failed: " + e, e, false);
    }
    if (saveFailure != null) {
      fail(saveFailure);
    }
    ShuduException f;
    synchronized (failureLock) {
      f = failure;
      state = f == null ? State.CLOSED : State.FAILED;
    }
    Optional<ShuduException> ending = Optional.ofNullable(f);
    tell(l -> l.ended(ending));
    if (f != null) {
      LOG.warn("feed {}: subscription ended: {}", feed, f.getMessage());
      try {
        handler.onError(f);
      } catch (RuntimeException e) {
        LOG.warn("feed {}: FeedHandler.onError threw {}; ignored", feed, e.toString());
      }
    }
    terminated.countDown();
  }

  /** Tells each listener; a listener's exception is logged and ignored. */
  private void tell(java.util.function.Consumer<io.shudu.core.FeedListener> event) {
    for (io.shudu.core.FeedListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("feed {}: a FeedListener threw {}; ignored", feed, e.toString());
      }
    }
  }

  // ---------------------------------------------------------------- API

  @Override
  public String feed() {
    return feed;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public OptionalLong lastDeliveredId() {
    long id = lastDelivered;
    return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
  }

  @Override
  public long delivered() {
    return delivered.get();
  }

  @Override
  public long reconnects() {
    return reconnects.get();
  }

  @Override
  public int buffered() {
    return buffer.size();
  }

  @Override
  public int maxBuffered() {
    return maxBuffered;
  }

  @Override
  public Optional<ShuduException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (connected.getCount() == 0) {
        return true;
      }
      if (terminated.getCount() == 0) {
        ShuduException f = failure;
        if (f != null) {
          throw f;
        }
        return false;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      connected.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    closed = true;
    Call c = currentCall;
    if (c != null) {
      c.cancel();
    }
    reader.interrupt();
    if (Thread.currentThread() != handlerThread) {
      try {
        if (!terminated.await(10, TimeUnit.SECONDS)) {
          LOG.warn("feed {}: the handler did not finish its event within 10 s of close(); its thread is left to end "
              + "on its own", feed);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "FeedSubscription{feed=" + feed + ", keys=" + keys + ", state=" + state + ", lastDeliveredId="
        + lastDeliveredId() + ", delivered=" + delivered + ", reconnects=" + reconnects + "}";
  }
}
