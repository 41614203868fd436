package io.shudu.sandbox.internal.http;

/**
 * One platform service of the sandbox (IoT, twin, exchange). Registered once per sandbox; state lives in the
 * service object and survives a {@code stop()}/{@code start()} restart of the sandbox.
 */
public interface SandboxService {
  /** Registers routes. Called once, before the first start. */
  void register(Router router);

  /** Called on every sandbox start (simulators, timers). */
  default void start() {}

  /** Called on every sandbox stop; open streams must end promptly. */
  default void stop() {}
}
