package io.shudu.consumer;

import io.shudu.exchange.ExchangeClient;
import io.shudu.iot.IotClient;
import io.shudu.sandbox.Sandbox;
import io.shudu.twin.Entity;
import io.shudu.twin.TwinClient;

/** One call to an in-process sandbox through the published artifacts; prints where the client classes came from. */
public final class Main {
  private Main() {}

  /**
   * Runs the call.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    try (Sandbox sandbox = Sandbox.start();
        TwinClient twin = TwinClient.create(sandbox.clientConfig());
        IotClient iot = IotClient.create(sandbox.clientConfig());
        ExchangeClient exchange = ExchangeClient.create(sandbox.clientConfig())) {
      Entity building = twin.entities().get("lg-bldg-0001");
      System.out.println("consumer ok: " + building.id() + " is a " + building.type() + "; "
          + TwinClient.class.getModule() + ", " + IotClient.class.getModule() + ", "
          + ExchangeClient.class.getModule());
    }
  }
}
