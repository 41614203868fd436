package io.shudu.core.internal;

import io.shudu.core.HttpTransport;
import io.shudu.core.okhttp.OkHttpTransport;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** The default shared transport and the scheduler used for async backoff. */
public final class Transports {
  private static final class Holder {
    static final OkHttpTransport SHARED = OkHttpTransport.of(newDefaultClient());
  }

  private static final class SchedulerHolder {
    static final ScheduledExecutorService SCHEDULER = newScheduler();
  }

  private Transports() {}

  /** The process-wide transport. */
  public static HttpTransport shared() {
    return Holder.SHARED;
  }

  /** The OkHttp client behind a transport. */
  public static OkHttpClient client(HttpTransport t) {
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
