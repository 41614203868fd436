package io.shudu.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.FeedSubscription;
import io.shudu.core.HttpTransport;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds every service client to the one client contract (docs/api-conventions.md, CONTRACT of issue 11), by
 * reflection over the compiled clients:
 *
 * <ul>
 *   <li>the client has sub-API accessors (methods without parameters returning a type of the client's package) and no
 *       operations of its own;
 *   <li>every sub-API type is an interface with {@code withOptions(RequestOptions)} returning its own type;
 *   <li>every operation {@code foo(...)} has {@code fooAsync(...)} with the same parameters returning
 *       {@code CompletableFuture}, and every {@code fooAsync} has its blocking {@code foo} (listings, which return the
 *       lazy {@code PagedIterable}, and subscriptions, which return a running {@code FeedSubscription}, are already
 *       non-blocking and have no async twin);
 *   <li>a server-side collection is a {@code PagedIterable}: no operation returns a {@code List}, {@code Set},
 *       {@code Collection}, {@code Iterable} or array of the module's models, and no module-own page or results type
 *       (a type with a continuation, next link or cursor);
 *   <li>the paging vocabulary: no operation or builder method named {@code nextLink}.
 * </ul>
 *
 * <p>No Jackson, OkHttp or Guava type in a public signature is held by {@link PublicApiTest} (all modules, every public
 * type). This test also holds the sdk-core guardrails: {@link HttpTransport} is sealed with the OkHttp adapter as its
 * one implementation, no module re-exports Guava ({@code requires transitive com.google.common}), and every exported
 * {@code internal} package says in its package-info that it is NOT API.
 */
class ClientContractTest {
  private static final Path ROOT = Path.of(System.getProperty("shudu.root", "..")).toAbsolutePath().normalize();

  /** Every client the contract covers. */
  private static final List<String> CLIENTS = List.of("io.shudu.twin.TwinClient", "io.shudu.iot.IotClient",
      "io.shudu.exchange.ExchangeClient");

  /**
   * KNOWN EXCEPTIONS, to be emptied by the integrator: clients still being migrated to the contract on their own
   * branches (issue 11). Their violations are printed, not failed. Once a client conforms, the test fails until it is
   * removed from this set, so the list cannot outlive the migration.
   */
  static final Set<String> NOT_YET_MIGRATED = Set.of();

  /**
   * Sub-API methods that answer from the client without a call to the platform, so they need no async form
   * ({@code Type.method}).
   */
  static final Set<String> LOCAL_METHODS = Set.of("IotEntities.entitySet");

  /**
   * Methods whose list is one document of the platform, not a collection of resources to page through
   * ({@code Type.method}): the exchange's signing keys are one JWK Set (RFC 7517).
   */
  static final Set<String> DOCUMENT_LISTS = Set.of("ExchangeDeliveries.keys", "ExchangeDeliveries.keysAsync");

  @ParameterizedTest
  @ValueSource(strings = {"io.shudu.twin.TwinClient", "io.shudu.iot.IotClient", "io.shudu.exchange.ExchangeClient"})
  void everyClientFollowsTheContract(String clientName) throws Exception {
    Class<?> client = Class.forName(clientName, false, getClass().getClassLoader());
    List<String> violations = violations(client);
    if (NOT_YET_MIGRATED.contains(clientName)) {
      System.out.println("[client contract] KNOWN EXCEPTION " + client.getSimpleName() + " (not yet migrated): "
          + violations.size() + " violations" + (violations.isEmpty() ? "" : ":\n  " + String.join("\n  ",
          violations)));
      assertThat(violations).as(clientName + " now follows the contract: remove it from NOT_YET_MIGRATED")
          .isNotEmpty();
      return;
    }
    assertThat(violations).as("contract violations of %s (docs/api-conventions.md)", client.getSimpleName())
        .isEmpty();
  }

  @Test
  void theTestSeesEveryClientAndItsSubApis() throws Exception {
    assertThat(NOT_YET_MIGRATED).allMatch(CLIENTS::contains);
    Class<?> twin = Class.forName("io.shudu.twin.TwinClient");
    assertThat(subApis(twin).keySet()).contains("entities", "relationships", "history", "networks", "changes");
    // the checks find what they are meant to find: a made-up surface with every fault
    assertThat(checkSubApi(Broken.class, "broken")).anyMatch(v -> v.contains("not an interface"))
        .anyMatch(v -> v.contains("withOptions")).anyMatch(v -> v.contains("fetch(java.lang.String) has no fetchAsync"))
        .anyMatch(v -> v.contains("orphanAsync(int) has no blocking"))
        .anyMatch(v -> v.contains("returns a java.util.List"))
        .anyMatch(v -> v.contains("own paging type"));
  }

  /** A deliberately broken sub-API: proves the checks catch each kind of violation. */
  @SuppressWarnings("unused")
  public static final class Broken {
    /**
     * No async twin.
     *
     * @param id an id
     * @return a value
     */
    public Versionless fetch(String id) {
      return null;
    }

    /**
     * No blocking twin.
     *
     * @param n a number
     * @return a future
     */
    public CompletableFuture<String> orphanAsync(int n) {
      return null;
    }

    /**
     * A plain list of models.
     *
     * @return a list
     */
    public List<Versionless> all() {
      return null;
    }

    /**
     * Async {@link #all}.
     *
     * @return a list
     */
    public CompletableFuture<List<Versionless>> allAsync() {
      return null;
    }

    /**
     * An own results type.
     *
     * @return results
     */
    public OwnResults search() {
      return null;
    }

    /**
     * Async {@link #search}.
     *
     * @return results
     */
    public CompletableFuture<OwnResults> searchAsync() {
      return null;
    }
  }

  /**
   * A model of the made-up surface.
   *
   * @param id id
   */
  public record Versionless(String id) {}

  /**
   * A home-made page of the made-up surface.
   *
   * @param items items
   * @param nextLink next page
   */
  public record OwnResults(List<Versionless> items, String nextLink) {}

  @Test
  void httpTransportIsSealedToTheOkHttpAdapter() {
    assertThat(HttpTransport.class.isSealed()).isTrue();
    assertThat(HttpTransport.class.getPermittedSubclasses()).containsExactly(io.shudu.core.okhttp.OkHttpTransport.class);
    assertThat(Modifier.isFinal(io.shudu.core.okhttp.OkHttpTransport.class.getModifiers())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sdk-core", "sdk-twin", "sdk-exchange", "sdk-iot", "sdk-sandbox", "sdk-micrometer",
      "sdk-opentelemetry"})
  void noModuleReExportsGuavaAndInternalPackagesSayNotApi(String artifact) throws Exception {
    Class<?> anchor = switch (artifact) {
      case "sdk-core" -> io.shudu.core.ClientConfig.class;
      case "sdk-twin" -> Class.forName("io.shudu.twin.TwinClient");
      case "sdk-exchange" -> Class.forName("io.shudu.exchange.ExchangeClient");
      case "sdk-iot" -> Class.forName("io.shudu.iot.IotClient");
      case "sdk-micrometer" -> Class.forName("io.shudu.micrometer.ShuduMetrics");
      case "sdk-opentelemetry" -> Class.forName("io.shudu.opentelemetry.ShuduTracing");
      default -> Class.forName("io.shudu.sandbox.Sandbox");
    };
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<ModuleReference> refs = ModuleFinder.of(location).findAll();
    assertThat(refs).as("module descriptor of " + artifact).hasSize(1);
    ModuleDescriptor d = refs.iterator().next().descriptor();
    for (ModuleDescriptor.Requires r : d.requires()) {
      if (r.name().equals("com.google.common")) {
        assertThat(r.modifiers()).as(d.name() + ": no public signature uses Guava, so it must not be re-exported")
            .doesNotContain(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
      }
    }
    for (ModuleDescriptor.Exports e : d.exports()) {
      if (e.source().endsWith(".internal") || e.source().contains(".internal.")) {
        // an internal package goes to the SDK's own modules by name, never to everyone
        assertThat(e.isQualified()).as(d.name() + " exports " + e.source() + " to all modules: export it only to the "
            + "SDK modules that need it (exports ... to io.shudu.twin, ...)").isTrue();
        assertThat(e.targets()).as(d.name() + ": targets of " + e.source()).allMatch(t -> t.startsWith("io.shudu."));
        Path info = ROOT.resolve(artifact).resolve("src/main/java").resolve(e.source().replace('.', '/'))
            .resolve("package-info.java");
        assertThat(info).as("package-info of exported " + e.source()).exists();
        assertThat(Files.readString(info, StandardCharsets.UTF_8)).as(info.toString()).contains("NOT API");
      }
    }
  }

  /**
   * io.shudu.core.internal is exported by name to the SDK's modules only; code outside them (the examples, the Spring
   * starter) uses the public API, or it would break on the module path.
   */
  @Test
  void onlyTheSdksModulesUseCoresInternalPackage() throws Exception {
    List<String> users = new ArrayList<>();
    for (String dir : List.of("examples/src/main/java", "examples/src/test/java", "examples-spring/src/main/java",
        "sdk-spring-boot-starter/src/main/java")) {
      Path root = ROOT.resolve(dir);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (java.util.stream.Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          if (Files.readString(f, StandardCharsets.UTF_8).contains("io.shudu.core.internal")) {
            users.add(ROOT.relativize(f).toString());
          }
        }
      }
    }
    assertThat(users).as("files outside the SDK's modules that use io.shudu.core.internal").isEmpty();
    assertThat(ROOT.resolve("examples/src/main/java")).as("the examples are where this test looks").isDirectory();
  }

  // ------------------------------------------------------------------ the checks

  static List<String> violations(Class<?> client) {
    List<String> out = new ArrayList<>();
    String pkg = client.getPackageName();
    for (Method m : publicMethods(client)) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Class<?> r = m.getReturnType();
      boolean operation = m.getParameterCount() > 0 || CompletableFuture.class.isAssignableFrom(r)
          || PagedIterable.class.isAssignableFrom(r) || FeedSubscription.class.isAssignableFrom(r);
      if (operation) {
        out.add(client.getSimpleName() + "." + signature(m) + " is an operation on the client: move it to a sub-API");
      }
    }
    Map<String, Class<?>> apis = subApis(client);
    if (apis.isEmpty()) {
      out.add(client.getSimpleName() + " has no sub-API accessors");
    }
    for (Map.Entry<String, Class<?>> api : apis.entrySet()) {
      out.addAll(checkSubApi(api.getValue(), client.getSimpleName() + "." + api.getKey() + "()"));
    }
    assertThat(pkg).startsWith("io.shudu.");
    return out;
  }

  /** Accessors: public instance methods without parameters returning a non-model type of the client's package. */
  static Map<String, Class<?>> subApis(Class<?> client) {
    Map<String, Class<?>> apis = new LinkedHashMap<>();
    for (Method m : publicMethods(client)) {
      Class<?> r = m.getReturnType();
      if (!Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0
          && r.getPackageName().equals(client.getPackageName()) && !r.isEnum() && !r.isRecord()
          && !r.isPrimitive() && r != client) {
        apis.put(m.getName(), r);
      }
    }
    return apis;
  }

  static List<String> checkSubApi(Class<?> api, String where) {
    List<String> out = new ArrayList<>();
    String name = where + " " + api.getSimpleName();
    if (!api.isInterface()) {
      out.add(name + " is not an interface (sub-APIs are public interfaces implemented in internal)");
    }
    Method withOptions = null;
    try {
      withOptions = api.getMethod("withOptions", RequestOptions.class);
    } catch (NoSuchMethodException e) {
      out.add(name + " has no withOptions(RequestOptions)");
    }
    if (withOptions != null && withOptions.getReturnType() != api) {
      out.add(name + ".withOptions returns " + withOptions.getReturnType().getSimpleName() + ", not its own type");
    }
    List<Method> methods = publicMethods(api);
    for (Method m : methods) {
      if (Modifier.isStatic(m.getModifiers()) || m.getName().equals("withOptions")) {
        continue;
      }
      String sig = name + "." + signature(m);
      Class<?> r = m.getReturnType();
      if (m.getName().endsWith("Async")) {
        if (!CompletableFuture.class.isAssignableFrom(r)) {
          out.add(sig + " returns " + r.getSimpleName() + ", not a CompletableFuture");
        }
        String blocking = m.getName().substring(0, m.getName().length() - "Async".length());
        if (find(methods, blocking, m.getParameterTypes()) == null) {
          out.add(sig + " has no blocking " + blocking + " with the same parameters");
        }
      } else if (!PagedIterable.class.isAssignableFrom(r) && !FeedSubscription.class.isAssignableFrom(r)
          && !LOCAL_METHODS.contains(m.getDeclaringClass().getSimpleName() + "." + m.getName())) {
        Method async = find(methods, m.getName() + "Async", m.getParameterTypes());
        if (async == null) {
          out.add(sig + " has no " + m.getName() + "Async with the same parameters");
        }
      }
      if (m.getName().equals("nextLink")) {
        out.add(sig + ": continuation is an opaque token (Page.continuationToken), not a next link");
      }
      if (!DOCUMENT_LISTS.contains(m.getDeclaringClass().getSimpleName() + "." + m.getName())) {
        out.addAll(collectionChecks(sig, m.getGenericReturnType(), api.getPackageName()));
      }
    }
    return out;
  }

  /** A server-side collection is a PagedIterable: no List/Set/array of models, no own page or results type. */
  private static List<String> collectionChecks(String sig, Type returned, String pkg) {
    List<String> out = new ArrayList<>();
    Type t = returned;
    if (t instanceof ParameterizedType p && p.getRawType() == CompletableFuture.class) {
      t = p.getActualTypeArguments()[0];
    }
    Class<?> raw = raw(t);
    if (raw == null) {
      return out;
    }
    if (raw.isArray() || (Iterable.class.isAssignableFrom(raw) && !PagedIterable.class.isAssignableFrom(raw))
        || Collection.class.isAssignableFrom(raw)) {
      Class<?> element = raw.isArray() ? raw.getComponentType()
          : t instanceof ParameterizedType p ? raw(p.getActualTypeArguments()[0]) : null;
      if (element == null || element.getPackageName().startsWith("io.shudu.")) {
        out.add(sig + " returns a " + raw.getName() + " of " + (element == null ? "?" : element.getSimpleName())
            + ": a server-side collection is a PagedIterable");
      }
    } else if (raw.getPackageName().equals(pkg) && isOwnPage(raw)) {
      out.add(sig + " returns " + raw.getSimpleName() + ", an own paging type: return PagedIterable");
    }
    return out;
  }

  private static boolean isOwnPage(Class<?> type) {
    Set<String> paging = Set.of("continuationToken", "nextLink", "nextToken", "nextPageToken", "cursor", "hasMore",
        "nextCursor");
    return Arrays.stream(type.getMethods()).anyMatch(m -> m.getParameterCount() == 0 && paging.contains(m.getName()));
  }

  private static Class<?> raw(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return null;
  }

  private static Method find(List<Method> methods, String name, Class<?>[] params) {
    for (Method m : methods) {
      if (m.getName().equals(name) && Arrays.equals(m.getParameterTypes(), params)) {
        return m;
      }
    }
    return null;
  }

  /** Public methods declared by the type or its supertypes (not Object's), in a stable order. */
  private static List<Method> publicMethods(Class<?> type) {
    List<Method> out = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (m.getDeclaringClass() != Object.class && !m.isSynthetic() && !m.isBridge()
          && !(m.getName().equals("close") && m.getParameterCount() == 0)) {
        out.add(m);
      }
    }
    out.sort(Comparator.comparing(ClientContractTest::signature));
    return out;
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName)
        .collect(java.util.stream.Collectors.joining(",", "(", ")"));
  }
}
