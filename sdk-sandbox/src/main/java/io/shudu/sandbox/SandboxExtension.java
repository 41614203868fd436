package io.shudu.sandbox;

import com.google.common.base.Preconditions;
import io.shudu.core.ClientConfig;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link Sandbox} per test class, started before the first test and closed after the
 * last. Faults injected by a test are cleared after it, so they never leak into the next test. Test methods,
 * lifecycle methods and constructors can declare a {@link Sandbox} or a {@link ClientConfig} (the default tenant's
 * API-key configuration) parameter.
 *
 * <p>Declaratively, with defaults:
 * <pre>{@code
 * @ExtendWith(SandboxExtension.class)
 * class TwinAppTest {
 *   @Test
 *   void readsTheZone(Sandbox sandbox) {
 *     try (TwinClient twin = TwinClient.create(sandbox.clientConfig())) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>Programmatically, to configure the sandbox (the field must be static):
 * <pre>{@code
 * class ExchangeAppTest {
 *   @RegisterExtension
 *   static SandboxExtension sandbox = SandboxExtension.builder().seed(7).simulationRate(0).build();
 *
 *   @Test
 *   void buysData() {
 *     ClientConfig config = sandbox.clientConfig();
 *     sandbox.sandbox().injectFault(Fault.status(503, Duration.ofSeconds(1)));
 *     ...
 *   }
 * }
 * }</pre>
 */
@SuppressWarnings("exports") // JUnit is an optional (static) dependency: only test code uses this class
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback,
    ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);

  private final Builder settings;
  private volatile Sandbox current;

  /** An extension with the default sandbox settings, as used by {@code @ExtendWith(SandboxExtension.class)}. */
  public SandboxExtension() {
    this(new Builder());
  }

  /** The settings the sandbox is started with (for tests of the builder). */
  Builder settings() {
    return settings;
  }

  private SandboxExtension(Builder settings) {
    this.settings = settings;
  }

  /**
   * A builder for a configured extension, to register with {@code @RegisterExtension} on a static field.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The running sandbox of the current test class.
   *
   * @return the sandbox
   * @throws IllegalStateException outside a test class using this extension
   */
  public Sandbox sandbox() {
    Sandbox s = current;
    Preconditions.checkState(s != null, "the sandbox is not running: register SandboxExtension on a static field "
        + "with @RegisterExtension (or use @ExtendWith) and call this from a test");
    return s;
  }

  /**
   * The default tenant's API-key client configuration.
   *
   * @return the configuration
   */
  public ClientConfig clientConfig() {
    return sandbox().clientConfig();
  }

  /**
   * A tenant of the running sandbox.
   *
   * @param name tenant name
   * @return the tenant and its credentials
   */
  public SandboxTenant tenant(String name) {
    return sandbox().tenant(name);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    sandbox(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Sandbox s = current;
    if (s != null) {
      s.clearFaults();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Sandbox s = context.getStore(NAMESPACE).get(this, Sandbox.class);
    if (s != null && !parentHas(context)) {
      context.getStore(NAMESPACE).remove(this);
      s.close();
      if (current == s) {
        current = null;
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Sandbox.class || type == ClientConfig.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Sandbox s = sandbox(context);
    return parameter.getParameter().getType() == Sandbox.class ? s : s.clientConfig();
  }

  private boolean parentHas(ExtensionContext context) {
    Optional<ExtensionContext> parent = context.getParent();
    return parent.isPresent() && parent.get().getStore(NAMESPACE).get(this, Sandbox.class) != null;
  }

  /** The sandbox of the class-level context, started on first use (store lookups also see enclosing classes). */
  private synchronized Sandbox sandbox(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    Sandbox s = classContext.getStore(NAMESPACE).get(this, Sandbox.class);
    if (s == null) {
      s = settings.newSandbox();
      classContext.getStore(NAMESPACE).put(this, s);
    }
    current = s;
    return s;
  }

  /** Configures a {@link SandboxExtension}. */
  public static final class Builder {
    // every setting and its validation live in Sandbox.Builder; this builder only forwards to it
    private final Sandbox.Builder sandbox;

    private Builder() {
      this(Sandbox.builder());
    }

    private Builder(Sandbox.Builder sandbox) {
      this.sandbox = sandbox;
    }

    /**
     * Seed of the generated datasets (see {@link Sandbox.Builder#seed}).
     *
     * @param s the seed
     * @return this builder
     */
    public Builder seed(long s) {
      sandbox.seed(s);
      return this;
    }

    /**
     * Accept requests without credentials (see {@link Sandbox.Builder#openMode}).
     *
     * @param enabled whether open mode is on
     * @return this builder
     */
    public Builder openMode(boolean enabled) {
      sandbox.openMode(enabled);
      return this;
    }

    /**
     * Live observations per second per simulated feed; 0 disables the simulators (see
     * {@link Sandbox.Builder#simulationRate}).
     *
     * @param perSecond the rate, 0 to 10,000
     * @return this builder
     */
    public Builder simulationRate(double perSecond) {
      sandbox.simulationRate(perSecond);
      return this;
    }

    /**
     * Clock for signatures, tokens and timestamps (see {@link Sandbox.Builder#clock}).
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      sandbox.clock(c);
      return this;
    }

    /**
     * Largest request body accepted (see {@link Sandbox.Builder#maxRequestBytes}).
     *
     * @param bytes at least 1
     * @return this builder
     */
    public Builder maxRequestBytes(int bytes) {
      sandbox.maxRequestBytes(bytes);
      return this;
    }

    /**
     * Resource limits of the sandbox (see {@link Sandbox.Builder#limits}), for example low per-tenant limits to test
     * how an application handles a {@code 429} naming one:
     *
     * <pre>{@code
     * @RegisterExtension
     * static SandboxExtension sandbox = SandboxExtension.builder()
     *     .limits(SandboxLimits.builder().maxWebhooksPerTenant(2).build())
     *     .build();
     * }</pre>
     *
     * @param l the limits (default {@link SandboxLimits#defaults()})
     * @return this builder
     */
    public Builder limits(SandboxLimits l) {
      sandbox.limits(l);
      return this;
    }

    /**
     * Builds the extension; the sandbox starts when the test class starts.
     *
     * @return the extension
     */
    public SandboxExtension build() {
      return new SandboxExtension(new Builder(sandbox.copy()));
    }

    Sandbox newSandbox() {
      return sandbox.copy().start();
    }
  }
}
