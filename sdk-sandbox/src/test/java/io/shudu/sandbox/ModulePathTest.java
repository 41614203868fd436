package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the {@code module-path} Surefire execution): the sandbox exports only its API package and
 * serves requests with the JDK enforcing its module descriptor.
 */
@SuppressWarnings("exports") // public for JUnit on the module path; it is a test, not API
public class ModulePathTest {
  /** Created by JUnit. */
  public ModulePathTest() {}

  @Test
  public void exportsOnlyItsApiAndServes() throws Exception {
    Module module = ModulePathTest.class.getModule();
    assertThat(module.isNamed()).as("this execution must run the module on the module path").isTrue();
    assertThat(module.getDescriptor().exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet())).containsExactly("io.shudu.sandbox");
    try (Sandbox sandbox = Sandbox.start()) {
      HttpURLConnection c = (HttpURLConnection) sandbox.clientConfig().endpoint().resolve("/health").toURL()
          .openConnection();
      try (InputStream in = c.getInputStream()) {
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isNotEmpty();
      }
    }
  }
}
