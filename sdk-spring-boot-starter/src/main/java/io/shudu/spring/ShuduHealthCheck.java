package io.shudu.spring;

import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.core.ShuduException;
import io.shudu.core.WhoAmI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks that the platform is reachable and accepts the credentials: one {@code GET /v1/whoami} without retries. The
 * result names the endpoint, the tenant and the authentication scheme, never a secret. Both Spring Boot lines' health
 * indicators are built on it.
 */
public final class ShuduHealthCheck {
  /**
   * What the check found.
   *
   * @param up whether the platform answered and accepted the credentials
   * @param details endpoint, tenant, scheme, latency, or the reason it is down
   */
  public record Result(boolean up, Map<String, Object> details) {}

  private final ClientConfig config;
  private final ClientConfig once;

  /**
   * A check against a configuration's endpoint with its credentials.
   *
   * @param config the configuration
   * @param timeout longest wait for the answer
   */
  public ShuduHealthCheck(ClientConfig config, Duration timeout) {
    this.config = config;
    ClientConfig.Builder b = config.toBuilder().retryPolicy(RetryPolicy.none()).callTimeout(timeout);
    if (config.attemptTimeout().compareTo(timeout) > 0) {
      b.attemptTimeout(timeout);
    }
    this.once = b.build();
  }

  /**
   * The tenant the platform answers for these credentials, or null when it cannot be asked.
   *
   * @return the tenant
   */
  public String tenant() {
    Result r = check();
    Object t = r.details().get("tenant");
    return r.up() && t != null ? t.toString() : null;
  }

  /**
   * Runs the check.
   *
   * @return the result
   */
  public Result check() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("endpoint", config.endpoint().toString());
    long start = System.nanoTime();
    try {
      WhoAmI me = WhoAmI.ask(once);
      details.put("tenant", me.tenant());
      details.put("authentication", me.authScheme());
      details.put("latencyMs", Duration.ofNanos(System.nanoTime() - start).toMillis());
      return new Result(true, details);
    } catch (AuthenticationException e) {
      details.put("error", "authentication failed (HTTP 401): the platform rejected the credentials");
      return new Result(false, details);
    } catch (PermissionDeniedException e) {
      details.put("error", "permission denied (HTTP 403): the credentials may not call the platform");
      return new Result(false, details);
    } catch (ServiceException e) {
      details.put("error", "the platform answered HTTP " + e.status());
      return new Result(false, details);
    } catch (ShuduException e) {
      details.put("error", "no answer: " + e.getClass().getSimpleName() + ": " + e.getMessage());
      return new Result(false, details);
    }
  }
}
