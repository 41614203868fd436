package io.shudu.core.internal;

import io.shudu.core.HttpTransport;
import io.shudu.core.okhttp.OkHttpTransport;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** The default shared transport and the scheduler used for async backoff. */
public final class Transports {
  private static final class Holder {
    static final OkHttpTransport SHARED = OkHttpTransport.of(newDefaultClient());
  }

  /** The shared client with TLS: initialised only when a client for an {@code https} endpoint is first built. */
  private static final class TlsHolder {
    static final OkHttpClient SHARED_TLS = Holder.SHARED.okHttpClient().newBuilder()
        .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
        .followSslRedirects(true)
        .build();
  }

  private static final class SchedulerHolder {
    static final ScheduledExecutorService SCHEDULER = newScheduler();
  }

  private Transports() {}

  /** The process-wide transport. */
  public static HttpTransport shared() {
    return Holder.SHARED;
  }

  /**
   * The OkHttp client for calls to {@code endpoint} over a transport. The shared default transport speaks cleartext
   * only, so that a program talking to an {@code http://} endpoint (the sandbox, a local gateway) never initialises
   * the TLS stack and the JDK's trust store (about 90 ms of a one-call program's start-up with a class-data archive,
   * benchmarks/run.sh, first); for an {@code https://} endpoint it gives the shared client with TLS, built once, on
   * the same connection pool and dispatcher. A caller's own transport is used as it is.
   *
   * @param t the transport
   * @param endpoint the endpoint the calls go to
   * @return the client
   */
  public static OkHttpClient client(HttpTransport t, java.net.URI endpoint) {
    if (t == Holder.SHARED && "https".equalsIgnoreCase(endpoint.getScheme())) {
      return TlsHolder.SHARED_TLS;
    }
    if (t instanceof OkHttpTransport o) {
      return o.okHttpClient();
    }
    throw new IllegalArgumentException("Unsupported transport " + t.getClass().getName()
        + "; use HttpTransport.shared() or OkHttpTransport.of(okHttpClient)");
  }

  /** Scheduler for async retry delays (one daemon thread; it only schedules). */
  public static ScheduledExecutorService scheduler() {
    return SchedulerHolder.SCHEDULER;
  }

  private static OkHttpClient newDefaultClient() {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(512);
    dispatcher.setMaxRequestsPerHost(256);
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        // cleartext only: no TLS set-up until an https endpoint asks for it (client(transport, endpoint)); a
        // redirect from http to https is then answered to the caller instead of followed
        .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "shudu-retry-scheduler");
      t.setDaemon(true);
      return t;
    });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }
}
