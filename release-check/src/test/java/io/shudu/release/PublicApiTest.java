package io.shudu.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the public API of every published module, the way OkHttp guards its own: a dump of each module's public
 * signatures is checked in as {@code <module>/api/<module>.api}; the build fails when the compiled API differs from it.
 * After a deliberate change, regenerate the dumps and commit them with the change, so a reviewer sees the API diff:
 *
 * <pre>{@code ./mvnw -B -pl release-check -am verify -Dshudu.api.update -Dshudu.releaseCheck.skip}</pre>
 *
 * <p>It also holds every published signature to the client contract: no Jackson, OkHttp, Okio, Kotlin or Guava type
 * appears in a public signature, except in {@code io.shudu.core.okhttp}, the documented adapter for a caller's own
 * OkHttp client. The integration modules that are not JPMS modules (the Spring Boot starter, the Kafka Connect
 * connector) are dumped from their packages outside {@code internal}, and their signatures may name no third-party
 * type but those of the framework they integrate with (Spring, Kafka Connect) and the observability APIs the starter
 * wires (Micrometer, OpenTelemetry).
 */
class PublicApiTest {
  private static final Path ROOT = Path.of(System.getProperty("shudu.root", "..")).toAbsolutePath().normalize();
  private static final boolean UPDATE = Set.of("", "true").contains(System.getProperty("shudu.api.update", "false"));
  private static final List<String> FOREIGN = List.of("com.fasterxml.jackson.", "okhttp3.", "okio.", "kotlin.",
      "com.google.common.");
  private static final Set<String> FOREIGN_ALLOWED_IN = Set.of("io.shudu.core.okhttp");
  /** The published modules whose API is dumped and checked. */
  private static final String[] MODULES = {"sdk-core", "sdk-twin", "sdk-exchange", "sdk-iot", "sdk-sandbox",
      "sdk-micrometer", "sdk-opentelemetry", "sdk-spring-boot-starter", "sdk-kafka-connect"};

  /**
   * For the integration modules: the only packages, besides the JDK's and the SDK's own, whose types their public
   * signatures may name. The other modules are held to {@link #FOREIGN} alone.
   */
  private static List<String> frameworkPackages(String artifact) {
    return switch (artifact) {
      case "sdk-spring-boot-starter" -> List.of("org.springframework.", "io.micrometer.", "io.opentelemetry.");
      case "sdk-kafka-connect" -> List.of("org.apache.kafka.connect.", "org.apache.kafka.common.config.");
      default -> null;
    };
  }

  /** The modules' public types, one list per artifact. */
  static Stream<String> modules() {
    return Stream.of(MODULES);
  }

  /** The anchor class of each published module, by artifact id. */
  private static Class<?> anchor(String artifact) throws ClassNotFoundException {
    String name = switch (artifact) {
      case "sdk-core" -> "io.shudu.core.ClientConfig";
      case "sdk-twin" -> "io.shudu.twin.TwinClient";
      case "sdk-exchange" -> "io.shudu.exchange.ExchangeClient";
      case "sdk-iot" -> "io.shudu.iot.IotClient";
      case "sdk-sandbox" -> "io.shudu.sandbox.Sandbox";
      case "sdk-micrometer" -> "io.shudu.micrometer.ShuduMetrics";
      case "sdk-opentelemetry" -> "io.shudu.opentelemetry.ShuduTracing";
      case "sdk-spring-boot-starter" -> "io.shudu.spring.FeedListenerContainer";
      case "sdk-kafka-connect" -> "io.shudu.kafka.connect.ShuduSourceConnector";
      default -> throw new IllegalArgumentException(artifact);
    };
    return Class.forName(name, false, PublicApiTest.class.getClassLoader());
  }

  @ParameterizedTest
  @MethodSource("modules")
  void publicApiMatchesTheCheckedInDump(String artifact) throws Exception {
    List<Class<?>> api = publicTypes(anchor(artifact));
    assertThat(api).as("public types of %s", artifact).contains(anchor(artifact));
    String dump = api.stream().map(PublicApiTest::describe).collect(Collectors.joining("\n")) + "\n";
    Path file = ROOT.resolve(artifact).resolve("api").resolve(artifact + ".api");
    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, dump, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("No API dump at " + file + ": create it with ./mvnw -B -pl release-check -am verify -Dshudu.api.update "
          + "-Dshudu.releaseCheck.skip and commit it.");
    }
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    if (!expected.equals(dump)) {
      fail("The public API of " + artifact + " differs from " + ROOT.relativize(file) + ".\n"
          + "If the change is deliberate, regenerate the dump (./mvnw -B -pl release-check -am verify "
          + "-Dshudu.api.update -Dshudu.releaseCheck.skip), review it and commit it with the change; see "
          + "docs/versioning.md for what a change may break.\n" + diff(expected, dump));
    }
  }

  @ParameterizedTest
  @MethodSource("modules")
  void noThirdPartyTypeInAPublicSignature(String artifact) throws Exception {
    List<String> leaks = new ArrayList<>();
    List<String> framework = frameworkPackages(artifact);
    for (Class<?> type : publicTypes(anchor(artifact))) {
      if (FOREIGN_ALLOWED_IN.contains(type.getPackageName())) {
        continue;
      }
      for (Type t : signatureTypes(type)) {
        for (String name : rawNames(t, new HashSet<>())) {
          boolean foreign = FOREIGN.stream().anyMatch(name::startsWith);
          if (framework != null && !foreign) {
            foreign = !name.contains(".") || !(name.startsWith("java.") || name.startsWith("javax.")
                || name.startsWith("io.shudu.") || framework.stream().anyMatch(name::startsWith));
            foreign &= !isPrimitiveOrVoid(name);
          }
          if (foreign) {
            leaks.add(type.getName() + " uses " + name);
          }
        }
      }
    }
    assertThat(leaks).as("third-party types in public signatures of %s (wrap them or move them to internal)",
        artifact).isEmpty();
  }

  private static boolean isPrimitiveOrVoid(String name) {
    return Set.of("void", "boolean", "byte", "short", "int", "long", "char", "float", "double").contains(name);
  }

  /** Public types (top-level and nested) of the module's exported packages, sorted by name. */
  static List<Class<?>> publicTypes(Class<?> anchor) throws IOException, URISyntaxException {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> packages = exportedPackages(location);
    List<String> classNames = new ArrayList<>();
    try (FileSystem jar = Files.isDirectory(location) ? null : FileSystems.newFileSystem(location);
        Stream<Path> files = Files.walk(jar == null ? location : jar.getPath("/"))) {
      Path base = jar == null ? location : jar.getPath("/");
      files.map(p -> base.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .filter(n -> packages.contains(n.substring(0, n.lastIndexOf('.'))))
          .forEach(classNames::add);
    }
    List<Class<?>> types = new ArrayList<>();
    for (String name : new TreeSet<>(classNames)) {
      try {
        Class<?> c = Class.forName(name, false, anchor.getClassLoader());
        if (isVisible(c)) {
          types.add(c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        throw new AssertionError("cannot load " + name, e);
      }
    }
    return types;
  }

  private static Set<String> exportedPackages(Path location) throws IOException {
    Set<ModuleReference> refs = Files.isDirectory(location) && !Files.exists(location.resolve("module-info.class"))
        ? Set.of() : ModuleFinder.of(location).findAll();
    if (refs.isEmpty() && Files.isDirectory(location)) {
      // the class folder of a module without a descriptor: as an automatic module, it exports all its packages
      try (Stream<Path> files = Files.walk(location)) {
        return files.filter(p -> p.toString().endsWith(".class")).map(p -> location.relativize(p.getParent()))
            .map(p -> p.toString().replace('\\', '/').replace('/', '.'))
            .filter(p -> !p.endsWith(".internal") && !p.contains(".internal.") && !p.isEmpty())
            .collect(Collectors.toSet());
      }
    }
    if (refs.isEmpty()) {
      throw new AssertionError("no module descriptor in " + location);
    }
    ModuleDescriptor d = refs.iterator().next().descriptor();
    // an automatic module (a jar with Automatic-Module-Name, or none) exports all its packages
    Stream<String> exported = d.isAutomatic() ? d.packages().stream()
        : d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source);
    // ".internal" packages are exported for technical reasons only and are NOT API (see their package-info)
    return exported.filter(p -> !p.endsWith(".internal") && !p.contains(".internal.")).collect(Collectors.toSet());
  }

  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return !c.isSynthetic();
  }

  private static boolean isApi(Member m) {
    int mod = m.getModifiers();
    boolean open = Modifier.isPublic(mod)
        || (Modifier.isProtected(mod) && !Modifier.isFinal(m.getDeclaringClass().getModifiers()));
    return open && !m.isSynthetic() && !(m instanceof Method method && method.isBridge());
  }

  /** One block per type: its declaration, then its members sorted. */
  static String describe(Class<?> c) {
    StringBuilder out = new StringBuilder();
    String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
        : c.isRecord() ? "record" : "class";
    int mods = c.getModifiers() & ~(Modifier.INTERFACE | Modifier.ABSTRACT * (c.isInterface() ? 1 : 0));
    if (c.isEnum() || c.isRecord()) {
      mods &= ~(Modifier.FINAL | Modifier.STATIC);
    }
    out.append(Modifier.toString(mods)).append(mods == 0 ? "" : " ").append(kind).append(' ')
        .append(c.getTypeName());
    TypeVariable<?>[] vars = c.getTypeParameters();
    if (vars.length > 0) {
      out.append(Arrays.stream(vars).map(PublicApiTest::typeVariable).collect(Collectors.joining(", ", "<", ">")));
    }
    if (c.isRecord()) {
      out.append(Arrays.stream(c.getRecordComponents())
          .map(rc -> rc.getGenericType().getTypeName() + " " + rc.getName()).collect(Collectors.joining(", ", "(", ")")));
    }
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      out.append(" extends ").append(sup.getTypeName());
    }
    Type[] ifaces = c.getGenericInterfaces();
    if (ifaces.length > 0) {
      out.append(c.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(ifaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (c.isSealed()) {
      out.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getTypeName)
          .collect(Collectors.joining(", ")));
    }
    out.append('\n');
    Set<String> members = new TreeSet<>();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (isApi(k)) {
        members.add(k.toGenericString());
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (isApi(m)) {
        members.add(m.toGenericString());
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (isApi(f)) {
        members.add(f.toGenericString());
      }
    }
    String qualifier = c.getName() + ".";
    members.forEach(m -> out.append("  ").append(m.replace(qualifier, "")).append('\n'));
    return out.toString();
  }

  private static String typeVariable(TypeVariable<?> v) {
    List<String> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class).map(Type::getTypeName).toList();
    return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
  }

  /** Every type named by a type's public signatures: supertypes, members' parameters, results, exceptions, fields. */
  private static List<Type> signatureTypes(Class<?> c) {
    List<Type> types = new ArrayList<>();
    if (c.getGenericSuperclass() != null) {
      types.add(c.getGenericSuperclass());
    }
    types.addAll(Arrays.asList(c.getGenericInterfaces()));
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        types.add(rc.getGenericType());
      }
    }
    List<Executable> executables = new ArrayList<>(Arrays.asList(c.getDeclaredConstructors()));
    executables.addAll(Arrays.asList(c.getDeclaredMethods()));
    for (Executable e : executables) {
      if (!isApi(e)) {
        continue;
      }
      types.addAll(Arrays.asList(e.getGenericParameterTypes()));
      types.addAll(Arrays.asList(e.getGenericExceptionTypes()));
      if (e instanceof Method m) {
        types.add(m.getGenericReturnType());
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (isApi(f)) {
        types.add(f.getGenericType());
      }
    }
    return types;
  }

  private static Set<String> rawNames(Type t, Set<Type> seen) {
    Set<String> names = new LinkedHashSet<>();
    if (t == null || !seen.add(t)) {
      return names;
    }
    if (t instanceof Class<?> k) {
      while (k.isArray()) {
        k = k.getComponentType();
      }
      names.add(k.getName());
    } else if (t instanceof ParameterizedType p) {
      names.addAll(rawNames(p.getRawType(), seen));
      for (Type a : p.getActualTypeArguments()) {
        names.addAll(rawNames(a, seen));
      }
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        names.addAll(rawNames(b, seen));
      }
      for (Type b : w.getLowerBounds()) {
        names.addAll(rawNames(b, seen));
      }
    } else if (t instanceof GenericArrayType g) {
      names.addAll(rawNames(g.getGenericComponentType(), seen));
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        names.addAll(rawNames(b, seen));
      }
    }
    return names;
  }

  /** Lines only in the dump (-) or only in the compiled API (+), enough to see what changed. */
  private static String diff(String expected, String actual) {
    List<String> was = expected.lines().toList();
    List<String> now = actual.lines().toList();
    Set<String> wasSet = new HashSet<>(was);
    Set<String> nowSet = new HashSet<>(now);
    StringBuilder out = new StringBuilder();
    was.stream().filter(l -> !nowSet.contains(l)).limit(40).forEach(l -> out.append("- ").append(l).append('\n'));
    now.stream().filter(l -> !wasSet.contains(l)).limit(40).forEach(l -> out.append("+ ").append(l).append('\n'));
    return out.toString();
  }

  static {
    if (!Files.isDirectory(ROOT.resolve("sdk-core"))) {
      throw new UncheckedIOException(new IOException("shudu.root does not point at the project: " + ROOT));
    }
  }
}
