package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.ClientConfig;
import io.shudu.core.FeedEvent;
import io.shudu.core.FeedGapException;
import io.shudu.core.FeedHandler;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.FeedClient;
import io.shudu.core.okhttp.OkHttpTransport;
import io.shudu.sandbox.internal.feed.Feeds;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault test of issue 3: a 100,000-event feed while connections are cut at random points more than 100 times,
 * from both ends: the sandbox ends streams in the middle of a frame (its stream cutter hook), the client's network
 * layer resets the connection after a random number of bytes (an OkHttp network interceptor), connection resets and
 * 503s are injected into reconnects, and the sandbox restarts half-way. The handler must see every event exactly once
 * and in order. And a replay-window overrun must be reported, never hidden.
 */
class FeedsFaultTest {
  /** A test payload. */
  public record Tick(long seq, String note) {}

  private static final int EVENTS = 100_000;

  private Sandbox sandbox;
  private Feeds feeds;
  private ApiClient api;

  @BeforeEach
  void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    feeds = sandbox.context().feeds();
    api = new ApiClient(sandbox.clientConfig(), "test");
  }

  @AfterEach
  void stop() {
    feeds.streamCutter(null);
    sandbox.close();
  }

  static void await(String what, Duration max, BooleanSupplier condition) {
    Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
  }

  @Test
  void aHundredThousandEventsThroughHundredsOfCutsArriveExactlyOnceInOrder() throws Exception {
    feeds.declare("fault", EVENTS);
    Random random = new Random(20261125L);
    AtomicInteger cuts = new AtomicInteger();
    AtomicInteger nextCut = new AtomicInteger(200 + random.nextInt(600));
    feeds.streamCutter((feed, eventId, frameLength) -> {
      if (nextCut.decrementAndGet() > 0) {
        return -1;
      }
      synchronized (random) {
        nextCut.set(200 + random.nextInt(600));
        int n = cuts.incrementAndGet();
        if (n % 10 == 0) {
          // the next reconnect meets a reset connection, every 20th a 503
          sandbox.injectFault(n % 20 == 0 ? Fault.status(503, null).onPath("/feeds/")
              : Fault.connectionReset().onPath("/feeds/"));
        }
        return random.nextInt(frameLength); // cut inside the frame, anywhere from its first byte to its last
      }
    });

    // the client side: the connection is reset after a random number of bytes, wherever that falls in a frame
    AtomicInteger resets = new AtomicInteger();
    Random clientRandom = new Random(77L);
    Interceptor resetter = chain -> {
      Response r = chain.proceed(chain.request());
      if (r.code() != 200 || !chain.request().url().encodedPath().startsWith("/feeds/v1/")) {
        return r;
      }
      long budget;
      synchronized (clientRandom) {
        budget = 20_000 + clientRandom.nextInt(300_000);
      }
      ResponseBody original = r.body();
      ForwardingSource limited = new ForwardingSource(original.source()) {
        private long left = budget;

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
          if (left <= 0) {
            resets.incrementAndGet();
            throw new SocketException("Connection reset (injected by the test)");
          }
          long n = super.read(sink, Math.min(byteCount, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
      return r.newBuilder().body(ResponseBody.create(Okio.buffer(limited), original.contentType(), -1)).build();
    };
    OkHttpClient http = new OkHttpClient.Builder().addNetworkInterceptor(resetter).build();
    ClientConfig config = sandbox.clientConfig().toBuilder().transport(OkHttpTransport.of(http)).build();
    ApiClient faulty = new ApiClient(config, "fault-test");

    AtomicLong expected = new AtomicLong(1);
    AtomicReference<String> violation = new AtomicReference<>();
    FeedHandler<Tick> handler = e -> {
      long want = expected.get();
      if (e.id() != want || e.payload().seq() != want) {
        violation.compareAndSet(null, "expected event " + want + " but got id " + e.id() + " seq "
            + e.payload().seq());
      }
      expected.set(e.id() + 1);
    };
    FeedSubscription sub = FeedClient.subscribe(faulty, "fault", List.of(), Tick.class, FeedOptions.builder()
        .start(FeedOptions.StartPosition.earliest())
        .reconnectBackoff(Duration.ofMillis(2), Duration.ofMillis(50))
        .heartbeat(Duration.ofMillis(500))
        .bufferCapacity(4096)
        .build(), handler);
    try {
      assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
      // publish in bulk while the consumer streams
      for (long i = 1; i <= EVENTS; i++) {
        feeds.publish("fault", "tick", "k" + (i % 16), new Tick(i, "tick"));
        if (i % 5000 == 0) {
          Thread.yield(); // let the consumer interleave with the publisher (pacing only; nothing waits on time)
        }
        if (i == EVENTS / 2) {
          sandbox.stop(); // and a platform restart half-way, while publishing goes on
        }
        if (i == EVENTS / 2 + 10_000) {
          sandbox.restart();
        }
      }
      await("all events", Duration.ofSeconds(90), () -> sub.delivered() >= EVENTS || sub.failure().isPresent());
      System.out.printf("fault test: %d events, %d server-side cuts, %d client-side resets, %d reconnects, "
          + "max buffered %d%n", sub.delivered(), cuts.get(), resets.get(), sub.reconnects(), sub.maxBuffered());
      assertThat(sub.failure()).isEmpty();
      assertThat(violation.get()).isNull();
      assertThat(sub.delivered()).isEqualTo(EVENTS);
      assertThat(expected.get()).isEqualTo(EVENTS + 1);
      assertThat(sub.lastDeliveredId()).hasValue(EVENTS);
      assertThat(cuts.get()).isGreaterThanOrEqualTo(100);
      assertThat(resets.get()).isGreaterThanOrEqualTo(20);
      // every client-side reset ends a stream; a server-side cut may hit a stream the client has already left, and
      // the injected resets and 503s fail some reconnect attempts: so at least the resets, and well over 100 in all
      assertThat(sub.reconnects()).isGreaterThanOrEqualTo(Math.max(150, resets.get()));
    } finally {
      sub.close();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void aReplayWindowOverrunIsReportedWithExactlyWhatWasLost() throws Exception {
    feeds.declare("overrun", 1000);
    CountDownLatch release = new CountDownLatch(1);
    List<Long> delivered = new CopyOnWriteArrayList<>();
    List<FeedGapException> gaps = new CopyOnWriteArrayList<>();
    FeedHandler<Tick> handler = new FeedHandler<>() {
      @Override
      public void onEvent(FeedEvent<Tick> e) throws InterruptedException {
        if (delivered.isEmpty()) {
          release.await(); // stalled while the platform moves on
        }
        delivered.add(e.id());
      }

      @Override
      public void onGap(FeedGapException gap) {
        gaps.add(gap);
      }
    };
    FeedSubscription sub = FeedClient.subscribe(api, "overrun", List.of(), Tick.class, FeedOptions.builder()
        .start(FeedOptions.StartPosition.earliest())
        .bufferCapacity(8)
        .overflowWait(Duration.ofMillis(10))
        .gapPolicy(FeedOptions.GapPolicy.CONTINUE)
        .reconnectBackoff(Duration.ofMillis(2), Duration.ofMillis(20))
        .build(), handler);
    try {
      assertThat(sub.awaitConnected(Duration.ofSeconds(30))).isTrue();
      // the handler stalls on the first event; publish until the reader has given its connection up (the buffer
      // stayed full for longer than overflowWait): only then can the platform evict events the client has not read
      // (before that, they may already sit in the socket's buffers and arrive without a gap)
      AtomicLong published = new AtomicLong();
      await("the reader to give up its connection", Duration.ofSeconds(30), () -> {
        if (published.get() < 100) {
          long i = published.incrementAndGet();
          feeds.publish("overrun", "tick", null, new Tick(i, "tick"));
        }
        return sub.buffered() == 8 && feeds.openStreams() == 0;
      });
      for (long i = published.get() + 1; i <= 5000; i++) {
        feeds.publish("overrun", "tick", null, new Tick(i, "tick"));
      }
      release.countDown();
      await("the last event", Duration.ofSeconds(30),
          () -> sub.lastDeliveredId().orElse(0) >= 5000 || sub.failure().isPresent());
      assertThat(sub.failure()).isEmpty();
      assertThat(gaps).isNotEmpty();
      // every id is either delivered or inside a reported gap, each exactly once
      long next = 1;
      int d = 0;
      int g = 0;
      while (next <= 5000) {
        if (d < delivered.size() && delivered.get(d) == next) {
          d++;
          next++;
        } else {
          assertThat(g).as("event %s was neither delivered nor reported lost", next).isLessThan(gaps.size());
          FeedGapException gap = gaps.get(g++);
          assertThat(gap.requestedAfter()).isEqualTo(next - 1);
          assertThat(gap.missed()).isEqualTo(gap.oldestAvailable() - next);
          next = gap.oldestAvailable();
        }
      }
      assertThat(d).isEqualTo(delivered.size());
      assertThat(g).isEqualTo(gaps.size());
      assertThat(sub.maxBuffered()).isLessThanOrEqualTo(8);
    } finally {
      sub.close();
    }
  }
}
