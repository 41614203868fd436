package io.shudu.sandbox.internal.exchange;

import io.shudu.sandbox.internal.http.Router;
import io.shudu.sandbox.internal.http.SandboxService;
import io.shudu.sandbox.internal.SandboxContext;

/** Sandbox implementation of the Shanghai Data Exchange and digital asset board. */
public final class ExchangeService implements SandboxService {
  private final SandboxContext context;

  public ExchangeService(SandboxContext context) {
    this.context = context;
  }

  @Override
  public void register(Router router) {
    // routes are added by the exchange service implementation
  }

  SandboxContext context() {
    return context;
  }
}
