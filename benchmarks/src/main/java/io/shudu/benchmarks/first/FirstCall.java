package io.shudu.benchmarks.first;

import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.twin.Entity;
import io.shudu.twin.TwinClient;

/**
 * A partner's one-call program: build a client, fetch one twin entity, print its id (and the
 * process CPU time so far), exit. {@link FirstCallCompare}
 * times it as a whole process, from launch to exit.
 */
public final class FirstCall {
  private FirstCall() {}

  /**
   * Makes one call.
   *
   * @param args the sandbox's base URL and an API key
   */
  public static void main(String[] args) {
    ClientConfig config = ClientConfig.builder().endpoint(args[0]).credentials(Credentials.apiKey(args[1])).build();
    try (TwinClient twin = TwinClient.create(config)) {
      Entity e = twin.entities().get("lg-bldg-0001");
      // the id, and the CPU time of the whole process so far (all threads: JIT, GC, class loading included)
      System.out.println(e.id() + " " + ProcessHandle.current().info().totalCpuDuration()
          .map(d -> d.toMillis()).orElse(-1L));
    }
  }
}
