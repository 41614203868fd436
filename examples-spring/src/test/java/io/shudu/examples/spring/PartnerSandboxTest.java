package io.shudu.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.sandbox.Sandbox;
import io.shudu.twin.TwinClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

// snippet:start sandbox-test
/** A partner's own @SpringBootTest: the whole application, its Shudu clients on an in-process sandbox. */
@SpringBootTest(properties = {
    "shudu.sandbox.enabled=true",          // starts io.shudu.sandbox.Sandbox (test scope) with the context
    "shudu.sandbox.simulation-rate=0",     // no simulated feed events: the test publishes its own
    "spring.datasource.url=jdbc:h2:mem:partner-test;DB_CLOSE_DELAY=-1"})
class PartnerSandboxTest {
  @Autowired
  TwinClient twin;
  @Autowired
  Sandbox sandbox;
  @Autowired
  RouteController routes;

  @Test
  void routesOverTheSandboxTwin() {
    assertThat(twin.entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
    assertThat(routes.route("jd-j12", "jd-j08").roads()).isNotEmpty();
    assertThat(sandbox.running()).isTrue();
  }
}
// snippet:end sandbox-test
