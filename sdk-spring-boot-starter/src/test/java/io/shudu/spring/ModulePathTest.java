package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.Sandbox;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The starter jar on the module path beside the SDK's JPMS modules: it resolves as the automatic module
 * {@code io.shudu.spring} (its Automatic-Module-Name) with io.shudu.core and io.shudu.twin and the Spring jars, no split
 * package, and its {@link ShuduProperties} builds a client configuration that a TwinClient of the io.shudu.twin module
 * uses against the sandbox. Runs on the built jar: in this module by the {@code module-path} execution after
 * {@code package}, in spring-boot4-tests on the starter jar it depends on.
 */
class ModulePathTest {
  /** The artifacts of the module layer: the starter, the SDK modules it is used with, their and Spring's jars. */
  static final Set<String> ARTIFACTS = Set.of("sdk-spring-boot-starter", "sdk-core", "sdk-twin", "guava",
      "failureaccess", "jspecify", "jackson-annotations", "jackson-core", "jackson-databind", "jackson-datatype-jsr310",
      "okhttp", "okhttp-jvm", "okhttp-sse", "okio", "okio-jvm", "kotlin-stdlib", "slf4j-api", "spring-core",
      "spring-jcl", "spring-beans", "spring-context", "spring-aop", "spring-expression", "spring-boot",
      "spring-boot-autoconfigure", "micrometer-observation", "micrometer-commons");
  static final Pattern JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

  static Path starterJar() {
    String property = System.getProperty("shudu.starter.jar");
    if (property != null) {
      return Path.of(property);
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (Path.of(entry).getFileName().toString().matches("sdk-spring-boot-starter-\\d.*\\.jar")) {
        return Path.of(entry);
      }
    }
    Assumptions.abort("the starter's classes are a folder here; the module-path execution runs this test on the jar");
    return null;
  }

  @Test
  void theStarterJarResolvesAsAnAutomaticModuleWithTheSdkModulesAndWorks() throws Exception {
    Path starter = starterJar();
    assertThat(starter).exists();
    List<Path> jars = new ArrayList<>(List.of(starter));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      Matcher m = JAR.matcher(p.getFileName().toString());
      if (Files.isRegularFile(p) && m.matches() && ARTIFACTS.contains(m.group(1))
          && !m.group(1).equals("sdk-spring-boot-starter")) {
        jars.add(p);
      }
    }
    ModuleFinder finder = ModuleFinder.of(jars.toArray(Path[]::new));
    Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
        Set.of("io.shudu.spring", "io.shudu.twin"));
    ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());

    Module spring = layer.findModule("io.shudu.spring").orElseThrow();
    assertThat(spring.getDescriptor().isAutomatic()).isTrue();
    assertThat(layer.findModule("io.shudu.core").orElseThrow().getDescriptor().isAutomatic()).isFalse();
    ClassLoader loader = layer.findLoader("io.shudu.spring");
    Class<?> propertiesType = loader.loadClass("io.shudu.spring.ShuduProperties");
    assertThat(propertiesType.getModule()).isSameAs(spring);

    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start()) {
      Object properties = propertiesType.getConstructor().newInstance();
      propertiesType.getMethod("setEndpoint", URI.class).invoke(properties, sandbox.baseUrl());
      propertiesType.getMethod("setApiKey", String.class).invoke(properties, sandbox.tenant("demo").apiKey());
      Object builder = propertiesType.getMethod("toClientConfigBuilder").invoke(properties);
      Object config = builder.getClass().getMethod("build").invoke(builder);
      assertThat(config.getClass().getModule().getName()).isEqualTo("io.shudu.core");

      Class<?> twinType = loader.loadClass("io.shudu.twin.TwinClient");
      assertThat(twinType.getModule().getName()).isEqualTo("io.shudu.twin");
      Object twin = twinType.getMethod("create", config.getClass()).invoke(null, config);
      Method entitiesMethod = twinType.getMethod("entities");
      Object entities = entitiesMethod.invoke(twin);
      Method get = entitiesMethod.getReturnType().getMethod("get", String.class);
      Object entity = get.invoke(entities, "lg-bldg-0001");
      assertThat(entity.getClass().getMethod("id").invoke(entity)).isEqualTo("lg-bldg-0001");
    }
  }
}
