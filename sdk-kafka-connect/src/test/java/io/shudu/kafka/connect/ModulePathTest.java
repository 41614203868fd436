package io.shudu.kafka.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceTask;
import org.junit.jupiter.api.Test;

/**
 * Runs after {@code package} (the {@code module-path} Surefire execution, see the pom): the packaged connector jar is
 * loaded as the automatic module {@code io.shudu.kafka.connect} (its manifest's Automatic-Module-Name) in a module
 * layer with the SDK's named modules (io.shudu.core and what it requires), as a modular Connect worker or application
 * would load it, so the JDK enforces io.shudu.core's module descriptor on the connector. Kafka's own classes stay
 * where the worker has them (the class path).
 */
class ModulePathTest {
  @Test
  void theConnectorJarLoadsAsAnAutomaticModuleWithTheSdksModules() throws Exception {
    Path jar = Path.of(System.getProperty("shudu.connector.jar", "target/missing.jar"));
    assertThat(jar).as("the packaged connector (this test runs after package)").exists();
    try (JarFile j = new JarFile(jar.toFile())) {
      assertThat(j.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.shudu.kafka.connect");
    }
    ModuleLayer layer = layer(jar);
    Module connectorModule = layer.findModule("io.shudu.kafka.connect").orElseThrow();
    Module core = layer.findModule("io.shudu.core").orElseThrow();
    assertThat(connectorModule.getDescriptor().isAutomatic()).isTrue();
    assertThat(core.getDescriptor().isAutomatic()).as("sdk-core is a named module with its own descriptor").isFalse();

    ClassLoader loader = layer.findLoader("io.shudu.kafka.connect");
    Class<?> connectorClass = loader.loadClass(ShuduSourceConnector.class.getName());
    assertThat(connectorClass.getModule()).isSameAs(connectorModule);
    assertThat(loader.loadClass("io.shudu.core.ClientConfig").getModule()).isSameAs(core);
    // the one internal package the connector uses is exported to it by name, and to no one else outside the SDK
    assertThat(core.isExported("io.shudu.core.internal", connectorModule)).isTrue();
    assertThat(core.isExported("io.shudu.core.internal")).isFalse();

    String version = System.getProperty("shudu.project.version");
    SourceConnector connector = (SourceConnector) connectorClass.getConstructor().newInstance();
    assertThat(connector.version()).as("read from the jar's version.properties").isEqualTo(version);
    Map<String, String> bad = ShuduSourceConfigTest.with("shudu.endpoint", "https://u:pw_in_url@api.shudu.example");
    assertThat(connector.validate(bad).configValues().toString()).contains("must not contain user-info")
        .doesNotContain("pw_in_url");
    connector.start(ShuduSourceConfigTest.good());
    assertThat(connector.taskConfigs(3)).hasSize(3);

    // a real call through the SDK's pipeline, inside the module layer
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> head =
          CompletableFuture.supplyAsync(() -> ShuduSourceConfigTest.answerOnceWith404(socket));
      Map<String, String> props = ShuduSourceConfigTest.with("shudu.endpoint", "http://127.0.0.1:"
          + socket.getLocalPort());
      props.put(ShuduSourceConfig.TASK_ASSIGNMENTS, Assignment.encode(List.of(new Assignment("traffic", List.of()))));
      SourceTask task = (SourceTask) loader.loadClass(ShuduSourceTask.class.getName()).getConstructor().newInstance();
      task.initialize(ShuduSourceConfigTest.noStoredOffsets(props));
      try {
        assertThatThrownBy(() -> task.start(props)).isInstanceOf(ConnectException.class);
      } finally {
        task.stop();
      }
      assertThat(head.get(30, TimeUnit.SECONDS)).containsPattern("(?i)user-agent: shudu-sdk-java/\\S+ \\(.*\\) "
          + "kafka-connect/" + Pattern.quote(version) + "\n");
    }
  }

  /** The connector jar and io.shudu.core with the modules it requires (from the test class path), in one layer. */
  private static ModuleLayer layer(Path connectorJar) {
    Map<String, Path> byName = new HashMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (!Files.exists(p) || p.toAbsolutePath().startsWith(Path.of("target").toAbsolutePath())) {
        continue; // the connector's own classes come from its jar only
      }
      try {
        for (ModuleReference ref : ModuleFinder.of(p).findAll()) {
          byName.putIfAbsent(ref.descriptor().name(), p);
        }
      } catch (FindException | IllegalArgumentException e) {
        // not usable as a module (no derivable name): never needed by the SDK's modules
      }
    }
    Map<String, Path> chosen = new LinkedHashMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of("io.shudu.core"));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      Path p = byName.get(name);
      if (p == null || chosen.putIfAbsent(name, p) != null) {
        continue;
      }
      for (ModuleDescriptor.Requires r : ModuleFinder.of(p).find(name).orElseThrow().descriptor().requires()) {
        if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
          todo.push(r.name());
        }
      }
    }
    assertThat(chosen).containsKey("io.shudu.core");
    Path[] paths = chosen.values().stream().distinct().toArray(Path[]::new);
    ModuleFinder finder = ModuleFinder.compose(ModuleFinder.of(connectorJar), ModuleFinder.of(paths));
    Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
        Set.of("io.shudu.kafka.connect", "io.shudu.core"));
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
  }
}
