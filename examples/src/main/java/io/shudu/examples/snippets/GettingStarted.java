package io.shudu.examples.snippets;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.core.NotFoundException;
import io.shudu.core.Page;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ServiceException;
import io.shudu.sandbox.Sandbox;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * The code of docs/getting-started.md. Each region between {@code snippet:start} and {@code snippet:end} is copied
 * verbatim into the guide, and {@code DocSnippetsTest} fails the build when the two drift apart.
 */
public final class GettingStarted {
  private GettingStarted() {}

  /**
   * Runs every snippet against an embedded sandbox.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the snippets, printing what they print.
   *
   * @param out where to print
   * @return the number of underground structures listed near the T1 line
   */
  public static int run(PrintStream out) {
    // snippet:start first-call
    try (Sandbox sandbox = Sandbox.start();                        // in-process platform on a free port
         TwinClient twin = TwinClient.create(sandbox.clientConfig())) {
      Entity building = twin.entities().get("lg-bldg-0001");
      out.println(building.id() + " is a " + building.type() + " with " + building.properties().size() + " properties");
    }
    // snippet:end first-call
    try (Sandbox sandbox = Sandbox.start(); TwinClient twin = TwinClient.create(sandbox.clientConfig())) {
      out.println(productionConfig(URI.create("https://api.shudu.example")).endpoint());
      handleErrors(twin, out);
      return listNearby(twin, out);
    }
  }

  static ClientConfig productionConfig(URI endpoint) {
    // snippet:start platform-config
    ClientConfig config = ClientConfig.builder()
        .endpoint(endpoint)                                        // the platform's base URL
        .credentials(Credentials.defaultChain())                   // SHUDU_API_KEY, or AK/SK, or OAuth2 client
        .attemptTimeout(Duration.ofSeconds(10))
        .retryPolicy(RetryPolicy.builder().maxAttempts(4).build())
        .userAgentSuffix("my-partner-app/1.0")
        .build();
    // snippet:end platform-config
    return config;
  }

  static void handleErrors(TwinClient twin, PrintStream out) {
    // snippet:start errors
    try {
      twin.entities().get("no-such-building");
    } catch (NotFoundException e) {
      out.println("absent: " + e.detail().orElse("") + " (request id " + e.requestId().orElse("?") + ")");
    } catch (ServiceException e) {
      out.println("platform said " + e.status() + ": " + e.getMessage());
    }
    // snippet:end errors
  }

  static int listNearby(TwinClient twin, PrintStream out) {
    int count = 0;
    // snippet:start listing
    TwinQuery query = TwinQuery.builder()
        .types(EntityType.UNDERGROUND_STRUCTURE)
        .near(Position.of(121.904, 30.917), 500)                  // within 500 m of the zone centre
        .build();
    for (Page<Entity> page : twin.entities().query(query).withMaxItems(200).pages()) {
      count += page.items().size();
      out.println("page of " + page.items().size() + ", resume token " + page.nextToken().orElse("(end)"));
    }
    // snippet:end listing
    return count;
  }
}
