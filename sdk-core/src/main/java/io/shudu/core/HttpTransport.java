package io.shudu.core;

import io.shudu.core.internal.Transports;

/**
 * The connection pool and dispatcher behind clients. Clients built without one share {@link #shared()}, so
 * building many clients is cheap. To reuse your own OkHttp client (proxy, certificate pinning, interceptors,
 * its pool), wrap it with {@code io.shudu.core.okhttp.OkHttpTransport.of(okHttpClient)}.
 *
 * <p>Sealed: the SDK's pipeline (retries, signing, timeouts, tracing) runs on OkHttp, so the OkHttp adapter is the one
 * accepted implementation; there is nothing to implement for another HTTP stack.
 */
public sealed interface HttpTransport permits io.shudu.core.okhttp.OkHttpTransport {
  /**
   * The process-wide default transport (daemon threads; nothing to close).
   *
   * @return the shared transport
   */
  static HttpTransport shared() {
    return Transports.shared();
  }
}
