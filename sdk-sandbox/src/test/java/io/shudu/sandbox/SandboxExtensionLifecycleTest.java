package io.shudu.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drives the extension's callbacks the way JUnit does (class context, then method contexts, then the end of the
 * class) to check that it starts one sandbox per class, reuses it, clears faults after each test and closes it.
 */
class SandboxExtensionLifecycleTest {

  /** A minimal ExtensionContext: a store (one map per context, looked up through the parents) and a test method. */
  private static ExtensionContext context(ExtensionContext parent, Method testMethod) {
    Map<Object, Object> values = new HashMap<>();
    ExtensionContext[] self = new ExtensionContext[1];
    ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(
        SandboxExtensionLifecycleTest.class.getClassLoader(), new Class<?>[] {ExtensionContext.Store.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "get" -> {
            Object v = values.get(args[0]);
            if (v == null && parent != null) {
              v = parent.getStore(ExtensionContext.Namespace.GLOBAL).get(args[0], Object.class);
            }
            yield v;
          }
          case "put" -> values.put(args[0], args[1]);
          case "remove" -> values.remove(args[0]);
          default -> throw new UnsupportedOperationException(method.getName());
        });
    self[0] = (ExtensionContext) Proxy.newProxyInstance(SandboxExtensionLifecycleTest.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getStore" -> store;
          case "getParent" -> Optional.ofNullable(parent);
          case "getTestMethod" -> Optional.ofNullable(testMethod);
          case "toString" -> "fake context";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return self[0];
  }

  @SuppressWarnings("unused")
  private static void takesASandbox(Sandbox sandbox) {
    // its parameter is resolved in the test below
  }

  @Test
  void oneSandboxPerClassReusedByItsTestsAndClosedAfterTheClass() throws Exception {
    SandboxExtension extension = SandboxExtension.builder().simulationRate(0).seed(11).build();
    assertThat(catchThrowable(extension::sandbox)).hasMessageContaining("the sandbox is not running");

    ExtensionContext classContext = context(null, null);
    Method m = SandboxExtensionLifecycleTest.class.getDeclaredMethod("oneSandboxPerClassReusedByItsTestsAndClosedAfterTheClass");
    extension.beforeAll(classContext);
    Sandbox sandbox = extension.sandbox();
    assertThat(sandbox.running()).isTrue();
    assertThat(sandbox.toString()).contains("seed=11");

    ExtensionContext methodContext = context(classContext, m);
    java.lang.reflect.Parameter p = SandboxExtensionLifecycleTest.class.getDeclaredMethod("takesASandbox", Sandbox.class)
        .getParameters()[0];
    org.junit.jupiter.api.extension.ParameterContext parameter = (org.junit.jupiter.api.extension.ParameterContext)
        Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {org.junit.jupiter.api.extension.ParameterContext.class}, (proxy, method, args) -> p);
    assertThat(extension.supportsParameter(parameter, methodContext)).isTrue();
    assertThat(extension.resolveParameter(parameter, methodContext)).isSameAs(sandbox);
    extension.beforeAll(context(classContext, null)); // a nested class reuses its outer class's sandbox
    assertThat(extension.sandbox()).isSameAs(sandbox);
    sandbox.injectFault(Fault.connectionReset());
    extension.afterEach(methodContext);
    assertThat(RawHttp.send(sandbox.baseUrl(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
        .isEqualTo(200); // the fault was cleared after the test

    extension.afterAll(classContext);
    assertThat(sandbox.running()).isFalse();

    ExtensionContext nextClass = context(null, null);
    extension.beforeAll(nextClass);
    assertThat(extension.sandbox()).isNotSameAs(sandbox);
    assertThat(extension.sandbox().running()).isTrue();
    extension.afterAll(nextClass);
  }
}
