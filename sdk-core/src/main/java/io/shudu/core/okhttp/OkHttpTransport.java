package io.shudu.core.okhttp;

import com.google.common.base.Preconditions;
import io.shudu.core.HttpTransport;
import okhttp3.OkHttpClient;

/**
 * Adapter that lets Shudu clients run on a caller-supplied {@link OkHttpClient}, sharing its connection pool,
 * dispatcher, proxy and TLS settings. This package is the only public API that names OkHttp types.
 *
 * <pre>{@code
 * OkHttpClient mine = new OkHttpClient.Builder().proxy(corporateProxy).build();
 * ClientConfig config = ClientConfig.builder()
 *     .endpoint(URI.create("https://platform.example"))
 *     .transport(OkHttpTransport.of(mine))
 *     .build();
 * }</pre>
 */
public final class OkHttpTransport implements HttpTransport {
  private final OkHttpClient client;

  private OkHttpTransport(OkHttpClient client) {
    this.client = client;
  }

  /**
   * Wraps an OkHttp client. Timeouts are still taken from the Shudu configuration per call.
   *
   * @param client the client to share
   * @return the transport
   */
  public static OkHttpTransport of(OkHttpClient client) {
    return new OkHttpTransport(Preconditions.checkNotNull(client, "client"));
  }

  /**
   * The wrapped client.
   *
   * @return the OkHttp client
   */
  public OkHttpClient okHttpClient() {
    return client;
  }

  @Override
  public String toString() {
    return "OkHttpTransport{" + client.connectionPool() + "}";
  }
}
