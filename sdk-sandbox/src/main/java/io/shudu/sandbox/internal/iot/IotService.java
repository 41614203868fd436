package io.shudu.sandbox.internal.iot;

import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import io.shudu.sandbox.internal.SandboxContext;

/** Sandbox implementation of OGC SensorThings API 1.0/1.1 and live feeds. */
public final class IotService implements SandboxService {
  private final SandboxContext context;

  public IotService(SandboxContext context) {
    this.context = context;
  }

  @Override
  public void register(Router router) {
    // routes are added by the iot service implementation
  }

  SandboxContext context() {
    return context;
  }
}
