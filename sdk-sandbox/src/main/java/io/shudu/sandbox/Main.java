package io.shudu.sandbox;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox from the command line until Ctrl-C, and prints what a partner needs to call it with curl or the
 * SDK: the base URL and the demo tenant's API key, access key pair and OAuth2 client.
 *
 * <pre>
 * java -jar sdk-sandbox/target/sdk-sandbox-0.1.0-SNAPSHOT-cli.jar --port 8080
 * java -jar sdk-sandbox-cli.jar --port 8080 --seed 7 --rate 0 --host 0.0.0.0
 * </pre>
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "Usage: java -jar sdk-sandbox-<version>-cli.jar [options]",
      "  --port N     port to listen on (default 8080; 0 picks a free port)",
      "  --host H     address to bind (default 127.0.0.1; 0.0.0.0 for every interface)",
      "  --seed N     seed of the generated datasets (default 20220824): same seed, same data",
      "  --rate R     live observations per second per simulated feed (default 5; 0 turns simulators off)",
      "  --open       accept requests without credentials as tenant 'open' (conformance suites only)",
      "  --limit K=V  set a resource limit, for example --limit maxStreamsPerTenant=20 --limit headerTimeout=5s",
      "               (repeatable; docs/testing-with-sandbox.md lists every limit and its default)",
      "  --help       show this help");

  private Main() {}

  /**
   * Starts the sandbox and blocks until the process is interrupted (Ctrl-C).
   *
   * @param args command line options, see {@code --help}
   * @throws InterruptedException if the main thread is interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    Sandbox sandbox;
    try {
      sandbox = start(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (sandbox == null) {
      return; // --help
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sandbox.close();
      System.out.println("Shudu sandbox stopped.");
      stopped.countDown();
    }, "shudu-sandbox-shutdown"));
    stopped.await();
  }

  /**
   * Parses the options, starts the sandbox and prints its base URL and the demo tenant's credentials.
   *
   * @param args command line options
   * @param out where to print
   * @return the running sandbox (the caller closes it), or null after {@code --help}
   * @throws IllegalArgumentException for an unknown option or a bad value, with a message naming it
   */
  static Sandbox start(String[] args, PrintStream out) {
    Sandbox.Builder b = Sandbox.builder().port(8080);
    SandboxLimits.Builder limits = SandboxLimits.builder();
    long seed = 20220824L;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> {
          out.println(USAGE);
          return null;
        }
        case "--open" -> b.openMode(true);
        case "--port" -> b.port(intValue(a, value(args, ++i, a), 0, 65535));
        case "--host" -> b.host(value(args, ++i, a));
        case "--seed" -> {
          String v = value(args, ++i, a);
          try {
            seed = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed must be an integer, got '" + v + "'");
          }
          b.seed(seed);
        }
        case "--rate" -> {
          String v = value(args, ++i, a);
          try {
            b.simulationRate(Double.parseDouble(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rate must be a number of observations per second, got '" + v + "'");
          }
        }
        case "--limit" -> {
          String v = value(args, ++i, a);
          int eq = v.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--limit needs name=value, got '" + v + "'");
          }
          limits.set(v.substring(0, eq).trim(), v.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option '" + a + "'");
      }
    }
    b.limits(limits.build());
    Sandbox sandbox = b.start();
    SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
    String base = sandbox.baseUrl().toString();
    out.println("Shudu sandbox running at " + base + " (seed " + seed + ")");
    out.println();
    out.println("Tenant '" + demo.name() + "' (sandbox-only credentials, new on every start):");
    out.println("  API key            " + demo.apiKey());
    out.println("  Access key id      " + demo.accessKeyId());
    out.println("  Secret access key  " + demo.secretAccessKey());
    out.println("  OAuth2 client      " + demo.clientId() + " / " + demo.clientSecret() + " (token URL " + base
        + "/oauth2/token)");
    out.println();
    out.println("Try:");
    out.println("  curl " + base + "/health");
    out.println("  curl -H 'X-Api-Key: " + demo.apiKey() + "' " + base + "/v1/whoami");
    out.println("  curl -u '" + demo.clientId() + ":" + demo.clientSecret() + "' -d grant_type=client_credentials "
        + base + "/oauth2/token");
    out.println("Or from Java: ClientConfig.builder().endpoint(\"" + base + "\").credentials(Credentials.apiKey(\""
        + demo.apiKey() + "\")).build()");
    out.println();
    out.println("Press Ctrl-C to stop.");
    out.flush();
    return sandbox;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int intValue(String option, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be an integer, got '" + v + "'");
    }
  }
}
