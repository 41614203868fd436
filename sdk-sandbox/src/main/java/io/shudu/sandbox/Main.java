package io.shudu.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Runs the sandbox from the command line until Ctrl-C, and prints what a partner needs to call it with curl or the
 * SDK: the base URL and the API key, access key pair and OAuth2 client of the demo tenant and of every tenant asked
 * for with {@code --tenants} or {@code --tenants-file}, so that a partner can test tenant isolation against a
 * standalone instance.
 *
 * <pre>
 * java -jar sdk-sandbox/target/sdk-sandbox-0.1.0-SNAPSHOT-cli.jar --port 8080
 * java -jar sdk-sandbox-cli.jar --port 8080 --seed 7 --rate 0 --host 0.0.0.0
 * java -jar sdk-sandbox-cli.jar --tenants alpha,beta --tenants-file tenants.txt
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
      "  --tenants a,b,c     also create these tenants (each with its own data) and print their credentials",
      "  --tenants-file F    also create the tenants listed in file F, one per line: a name, optionally followed by",
      "                      apiKey=, accessKeyId=, secretAccessKey=, clientId=, clientSecret= (others generated)",
      "  --limit K=V  set a resource limit, for example --limit maxStreamsPerTenant=20 --limit headerTimeout=5s",
      "               (repeatable; docs/testing-with-sandbox.md lists every limit and its default)",
      "  --help       show this help");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
  private static final Pattern CREDENTIAL = Pattern.compile("[\\x21-\\x7e]{8,200}");
  private static final List<String> FIELDS = List.of("apiKey", "accessKeyId", "secretAccessKey",
      "clientId", "clientSecret");

  /** A tenant to create: its name and the credentials given for it (field -> value; missing ones are generated). */
  private record TenantSpec(String name, Map<String, String> credentials) {}

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
    Map<String, TenantSpec> wanted = new LinkedHashMap<>();
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
        case "--tenants" -> {
          for (String n : value(args, ++i, a).split(",", -1)) {
            addTenant(wanted, new TenantSpec(tenantName(n.trim(), "--tenants"), Map.of()), "--tenants");
          }
        }
        case "--tenants-file" -> {
          String file = value(args, ++i, a);
          for (TenantSpec t : readTenants(Path.of(file))) {
            addTenant(wanted, t, file);
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
    List<SandboxTenant> extra = new ArrayList<>();
    try {
      for (TenantSpec t : wanted.values()) {
        Map<String, String> c = t.credentials();
        extra.add(sandbox.createTenant(t.name(), c.get("apiKey"), c.get("accessKeyId"), c.get("secretAccessKey"),
            c.get("clientId"), c.get("clientSecret")));
      }
    } catch (IllegalArgumentException e) {
      sandbox.close();
      throw e;
    } catch (IllegalStateException e) { // more tenants than --limit maxTenants allows: a bad option, like the others
      sandbox.close();
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    SandboxTenant demo = sandbox.tenant(Sandbox.DEFAULT_TENANT);
    String base = sandbox.baseUrl().toString();
    out.println("Shudu sandbox running at " + base + " (seed " + seed + ")");
    out.println();
    printTenant(out, demo, base, "sandbox-only credentials, new on every start");
    for (SandboxTenant t : extra) {
      printTenant(out, t, base, wanted.get(t.name()).credentials().isEmpty()
          ? "sandbox-only credentials, new on every start" : "credentials from the tenants file, others generated");
    }
    if (!extra.isEmpty()) {
      out.println("Each tenant has its own data: no tenant can read, change or subscribe to another's.");
      out.println();
    }
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

  private static void printTenant(PrintStream out, SandboxTenant t, String base, String note) {
    out.println("Tenant '" + t.name() + "' (" + note + "):");
    out.println("  API key            " + t.apiKey());
    out.println("  Access key id      " + t.accessKeyId());
    out.println("  Secret access key  " + t.secretAccessKey());
    out.println("  OAuth2 client      " + t.clientId() + " / " + t.clientSecret() + " (token URL " + base
        + "/oauth2/token)");
    out.println();
  }

  private static String tenantName(String n, String where) {
    if (!NAME.matcher(n).matches()) {
      throw new IllegalArgumentException(where + ": a tenant name must be 1-40 lower-case letters, digits or dashes "
          + "starting with a letter or digit, got '" + n + "'");
    }
    if (n.equals("open") || n.equals("anonymous")) {
      throw new IllegalArgumentException(where + ": the tenant name '" + n + "' is reserved for requests without "
          + "credentials; choose another name");
    }
    return n;
  }

  private static void addTenant(Map<String, TenantSpec> wanted, TenantSpec t, String where) {
    if (t.name().equals(Sandbox.DEFAULT_TENANT)) {
      throw new IllegalArgumentException(where + ": the tenant '" + Sandbox.DEFAULT_TENANT + "' always exists; "
          + "list only other tenants");
    }
    if (wanted.putIfAbsent(t.name(), t) != null) {
      throw new IllegalArgumentException(where + ": tenant '" + t.name() + "' is given twice");
    }
  }

  /** Reads a tenants file: one tenant per line, blank lines and lines starting with '#' ignored. */
  private static List<TenantSpec> readTenants(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("--tenants-file: cannot read '" + file + "': " + e.getMessage());
    }
    List<TenantSpec> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      Map<String, String> creds = new LinkedHashMap<>();
      for (int p = 1; p < parts.length; p++) {
        int eq = parts[p].indexOf('=');
        String field = eq < 0 ? parts[p] : parts[p].substring(0, eq);
        if (eq < 0 || !FIELDS.contains(field)) {
          throw new IllegalArgumentException(where + ": expected field=value with a field among " + FIELDS
              + ", got '" + field + "'");
        }
        String v = parts[p].substring(eq + 1);
        if (!CREDENTIAL.matcher(v).matches()) {
          // the value may be a secret: name the field, never echo it
          throw new IllegalArgumentException(where + ": " + field + " must be 8-200 printable ASCII characters "
              + "without spaces");
        }
        if (creds.put(field, v) != null) {
          throw new IllegalArgumentException(where + ": " + field + " is given twice");
        }
      }
      out.add(new TenantSpec(tenantName(parts[0], where), Map.copyOf(creds)));
    }
    return out;
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
