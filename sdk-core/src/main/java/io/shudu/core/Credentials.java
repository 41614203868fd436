package io.shudu.core;

import io.shudu.core.internal.Auth;
import java.net.URI;
import java.util.Optional;

/**
 * How a client proves who it is. Use a factory; implement the interface only to plug in your own scheme (for
 * example keys fetched from a vault). Implementations must be thread-safe and must keep secrets out of
 * {@code toString}.
 *
 * <pre>{@code
 * Credentials key   = Credentials.apiKey(System.getenv("SHUDU_API_KEY"));
 * Credentials aksk  = Credentials.accessKey("AKID...", secret);          // HMAC-SHA256 request signing
 * Credentials oauth = Credentials.oauth2(URI.create("https://platform/oauth2/token"), "client", secret);
 * Credentials auto  = Credentials.defaultChain();                        // system properties, then environment
 * }</pre>
 */
public interface Credentials {

  /** The request being authorised, as the credentials see it. Only headers can be changed. */
  interface OutgoingRequest {
    /**
     * HTTP method, upper case.
     *
     * @return the method
     */
    String method();

    /**
     * Target URI (scheme, host, port, raw path and raw query).
     *
     * @return the URI
     */
    URI uri();

    /**
     * First value of a header, if set.
     *
     * @param name header name
     * @return the value
     */
    Optional<String> header(String name);

    /**
     * Sets (replaces) a header.
     *
     * @param name header name
     * @param value header value
     */
    void setHeader(String name, String value);

    /**
     * The request body, empty for none.
     *
     * @return body bytes (do not modify)
     */
    byte[] body();
  }

  /**
   * Adds authentication to one attempt. Called for every attempt, so signatures and timestamps are fresh.
   *
   * @param request the attempt to authorise
   */
  void authorize(OutgoingRequest request);

  /** Called after the platform answered 401 so cached tokens are dropped before the one retry. */
  default void invalidate() {}

  /**
   * A platform API key, sent as {@code X-Api-Key}.
   *
   * @param apiKey the key
   * @return credentials
   */
  static Credentials apiKey(String apiKey) {
    return Auth.apiKey(apiKey);
  }

  /**
   * An access key pair; every request is signed with {@code SHUDU-HMAC-SHA256} (see docs/signing.md).
   *
   * @param accessKeyId the public key id
   * @param secretAccessKey the secret, never sent
   * @return credentials
   */
  static Credentials accessKey(String accessKeyId, String secretAccessKey) {
    return Auth.accessKey(accessKeyId, secretAccessKey);
  }

  /**
   * OAuth2 client credentials. Tokens are cached, refreshed before they expire, and fetched once for all
   * concurrent callers.
   *
   * @param tokenEndpoint the token URL
   * @param clientId the client id
   * @param clientSecret the client secret
   * @return credentials
   */
  static Credentials oauth2(URI tokenEndpoint, String clientId, String clientSecret) {
    return Auth.oauth2(tokenEndpoint, clientId, clientSecret, null);
  }

  /**
   * OAuth2 client credentials with a scope.
   *
   * @param tokenEndpoint the token URL
   * @param clientId the client id
   * @param clientSecret the client secret
   * @param scope space-separated scopes
   * @return credentials
   */
  static Credentials oauth2(URI tokenEndpoint, String clientId, String clientSecret, String scope) {
    return Auth.oauth2(tokenEndpoint, clientId, clientSecret, scope);
  }

  /**
   * Finds credentials in system properties, then environment variables: {@code shudu.apiKey}/{@code SHUDU_API_KEY};
   * {@code shudu.accessKeyId}+{@code shudu.secretAccessKey} / {@code SHUDU_ACCESS_KEY_ID}+{@code SHUDU_SECRET_ACCESS_KEY};
   * {@code shudu.clientId}+{@code shudu.clientSecret}+{@code shudu.tokenUrl} /
   * {@code SHUDU_CLIENT_ID}+{@code SHUDU_CLIENT_SECRET}+{@code SHUDU_TOKEN_URL}. Resolved at the first request;
   * when nothing is found that request fails with a message naming these variables.
   *
   * @return the chain
   */
  static Credentials defaultChain() {
    return Auth.defaultChain(System::getProperty, System::getenv);
  }

  /**
   * No authentication (open endpoints only).
   *
   * @return credentials that add nothing
   */
  static Credentials anonymous() {
    return Auth.anonymous();
  }
}
