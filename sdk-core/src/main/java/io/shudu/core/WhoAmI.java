package io.shudu.core;

import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;

/**
 * Whom the platform takes a configuration's credentials for: the answer of {@code GET /v1/whoami}, the cheapest
 * authenticated call. A health check uses it to prove that the platform is reachable and accepts the credentials.
 *
 * <pre>{@code
 * WhoAmI me = WhoAmI.ask(config.toBuilder().retryPolicy(RetryPolicy.none()).build());
 * log.info("Shudu answers for tenant {} ({})", me.tenant(), me.authScheme());
 * }</pre>
 *
 * @param tenant the tenant the credentials belong to
 * @param authScheme how the platform authenticated the call ({@code api-key}, {@code access-key}, {@code oauth2})
 * @param requestId the platform's id of the call, for support
 */
public record WhoAmI(String tenant, String authScheme, String requestId) {
  /**
   * Asks the platform once, with the configuration's endpoint, credentials, timeouts and retry policy.
   *
   * @param config the client configuration
   * @return the platform's answer
   * @throws AuthenticationException if the platform rejects the credentials (HTTP 401)
   * @throws PermissionDeniedException if the credentials may not call the platform (HTTP 403)
   * @throws ShuduException on any other failure (no answer, timeout, other HTTP status)
   */
  public static WhoAmI ask(ClientConfig config) {
    return new ApiClient(config, "health").call(ApiRequest.builder("core.whoami", "GET", "/v1/whoami").build(),
        WhoAmI.class);
  }
}
