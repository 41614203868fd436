package io.shudu.sandbox.internal.twin;

import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import io.shudu.sandbox.internal.SandboxContext;

/** Sandbox implementation of the city digital twin. */
public final class TwinService implements SandboxService {
  private final SandboxContext context;

  public TwinService(SandboxContext context) {
    this.context = context;
  }

  @Override
  public void register(Router router) {
    // routes are added by the twin service implementation
  }

  SandboxContext context() {
    return context;
  }
}
