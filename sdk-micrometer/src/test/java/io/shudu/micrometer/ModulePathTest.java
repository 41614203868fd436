package io.shudu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedSubscription;
import io.shudu.sandbox.Sandbox;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the {@code module-path} Surefire execution): the module exports only its API package and
 * meters a real call to the sandbox with the JDK enforcing its descriptor. Public, because on the module path JUnit
 * reaches only what the module exports.
 */
@SuppressWarnings("exports") // public for JUnit on the module path; it is a test, not API
public class ModulePathTest {
  /** Created by JUnit. */
  public ModulePathTest() {}

  @Test
  public void exportsOnlyItsApiAndMetersACall() {
    Module module = ModulePathTest.class.getModule();
    assertThat(module.isNamed()).as("this execution must run the module on the module path").isTrue();
    assertThat(module.getDescriptor().exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet())).containsExactly("io.shudu.micrometer");
    try (Sandbox sandbox = Sandbox.start()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ClientConfig config = sandbox.clientConfig().toBuilder().addListener(new ShuduMetrics(registry)).build();
      FeedSubscription.describe(config, "twin-changes");
      assertThat(registry.get("shudu.client.calls").tag("service", "feeds").timer().count()).isEqualTo(1);
    }
  }
}
