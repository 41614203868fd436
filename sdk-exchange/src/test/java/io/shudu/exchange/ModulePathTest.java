package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;


import io.shudu.sandbox.Sandbox;
import java.lang.module.ModuleDescriptor;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs on the module path (the {@code module-path} Surefire execution): the module exports only its API package, and a
 * real call to the sandbox works with the JDK enforcing the module descriptor (its requires, and the packages it opens
 * to Jackson for its models). Public, because on the module path JUnit reaches only what the module exports.
 */
@SuppressWarnings("exports") // public for JUnit on the module path; it is a test, not API
public class ModulePathTest {
  /** Created by JUnit. */
  public ModulePathTest() {}

  @Test
  public void exportsOnlyItsApiAndCallsTheSandbox() {
    Module module = ModulePathTest.class.getModule();
    assertThat(module.isNamed()).as("this execution must run the module on the module path").isTrue();
    assertThat(module.getDescriptor().exports().stream().filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet())).containsExactly("io.shudu.exchange");
    try (Sandbox sandbox = Sandbox.start()) {
      try (ExchangeClient exchange = ExchangeClient.create(sandbox.clientConfig())) {
        assertThat(exchange.catalog().search(CatalogQuery.all()).stream().limit(1)).hasSize(1);
      }
    }
  }
}
