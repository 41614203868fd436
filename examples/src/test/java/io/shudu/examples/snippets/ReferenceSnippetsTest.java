package io.shudu.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shudu.core.CheckpointStore;
import io.shudu.core.ClientConfig;
import io.shudu.core.FeedSubscription;
import io.shudu.core.SignatureVerificationException;
import io.shudu.core.WebhookVerifier;
import io.shudu.core.WhoAmI;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.WebhookRegistration;
import io.shudu.iot.Datastream;
import io.shudu.iot.Expr;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Observation;
import io.shudu.iot.Thing;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import java.util.List;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Runs the code of the reference pages (feeds, architecture, signing) and of the exchange guide's set-up. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferenceSnippetsTest {
  private Sandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
  }

  @AfterAll
  void stop() {
    sandbox.close();
  }

  @Test
  void theFeedsPageExampleReceivesWhatTheTrafficFeedSendsAndRunsTwiceInTheSameFolder(@TempDir Path state)
      throws Exception {
    try (IotClient iot = IotClient.create(sandbox.clientConfig())) {
      Datastream signal = first(iot, "traffic");
      Instant first = Instant.parse("2026-11-25T08:00:00Z");
      iot.observations().create(signal.id(), Observation.of(first, "NS_GREEN"));
      Map<String, Object> board = new ConcurrentHashMap<>();
      try (FeedSubscription sub = ReferenceSnippets.openByName(sandbox.clientConfig(), state,
          Long.toString(signal.id()), board)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> board.containsKey(Long.toString(signal.id())));
        assertThat(sub.state()).isEqualTo(FeedSubscription.State.STREAMING);
      }
      assertThat(board).containsOnlyKeys(Long.toString(signal.id()));
      assertThat(board.get(Long.toString(signal.id())).toString())
          .isEqualTo("TrafficReading[phenomenonTime=" + first + ", result=NS_GREEN]");
      long saved = CheckpointStore.file(state.resolve("feeds.checkpoints")).load("signal-board/traffic")
          .orElseThrow();

      // a second run in the same folder continues after the checkpoint
      iot.observations().create(signal.id(), Observation.of(first.plusSeconds(1), "EW_GREEN"));
      board.clear();
      try (FeedSubscription sub = ReferenceSnippets.openByName(sandbox.clientConfig(), state,
          Long.toString(signal.id()), board)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !board.isEmpty());
        assertThat(sub.failure()).isEmpty();
      }
      assertThat(board.get(Long.toString(signal.id())).toString()).contains("result=EW_GREEN");
      assertThat(CheckpointStore.file(state.resolve("feeds.checkpoints")).load("signal-board/traffic")
          .orElseThrow()).isGreaterThan(saved);
    }
  }

  private static Datastream first(IotClient iot, String feed) {
    return iot.datastreams().list(IotQuery.builder()
        .filter(Expr.property("Thing/properties/feed").eq(feed)).build()).stream().findFirst().orElseThrow();
  }

  @Test
  void theSigningPageConfigSignsEveryRequest() {
    var tenant = sandbox.tenant(Sandbox.DEFAULT_TENANT);
    ClientConfig config = ReferenceSnippets.accessKeyConfig(sandbox.baseUrl(), tenant.accessKeyId(),
        tenant.secretAccessKey());
    assertThat(WhoAmI.ask(config).authScheme()).isEqualTo("aksk");
    assertThat(config.toString()).doesNotContain(tenant.secretAccessKey());
  }

  @Test
  void theSigningPageVerifierAcceptsSignedDeliveriesAndRefusesForgedOnes() {
    String header = ReferenceSnippets.signForTests();
    Instant at = ReferenceSnippets.verifyWebhook("whsec_demo_4Kx9Qm2Lp7",
        "{\"id\":\"evt_001\"}".getBytes(StandardCharsets.UTF_8), header);
    assertThat(at).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    assertThatThrownBy(() -> ReferenceSnippets.verifyWebhook("whsec_demo_4Kx9Qm2Lp7",
        "{\"id\":\"evt_002\"}".getBytes(StandardCharsets.UTF_8), header))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void theExchangeGuideSetUpAndWebhookCodeRun() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ReferenceSnippets.exchangeSetup(new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("\\d+ data products");

    Map<String, String> secrets = new HashMap<>();
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.clientConfig())) {
      WebhookRegistration reg = ReferenceSnippets.registerWebhook(exchange, secrets);
      assertThat(secrets).containsEntry("exchange-webhook", reg.secret());
      byte[] body = "{\"id\":\"evt_7\",\"type\":\"order.settled\"}".getBytes(StandardCharsets.UTF_8);
      String signed = WebhookVerifier.sign(reg.secret(), Instant.now(), body);
      ReferenceSnippets.receiveWebhook(secrets, body, signed);
      assertThatThrownBy(() -> ReferenceSnippets.receiveWebhook(secrets, body,
          WebhookVerifier.sign("whsec_someone_else", Instant.now(), body)))
          .isInstanceOf(SignatureVerificationException.class);
    }
  }

  @Test
  void theConventionsPageMeasuresATwinSensorAgainstItsIotThingWithOneGeometryType() {
    try (TwinClient twin = TwinClient.create(sandbox.clientConfig());
        IotClient iot = IotClient.create(sandbox.clientConfig())) {
      List<Entity> sensors = twin.entities().query(TwinQuery.builder().types(EntityType.SENSOR)
          .bbox(120.8, 31.0, 121.5, 31.5).build()).stream().limit(2).toList();
      assertThat(sensors).hasSize(2);
      Thing own = thingOf(iot, sensors.get(0));
      Thing other = thingOf(iot, sensors.get(1));
      assertThat(ReferenceSnippets.twinToIotMetres(sensors.get(0), own)).as("the same device").isLessThan(1.0);
      assertThat(ReferenceSnippets.twinToIotMetres(sensors.get(0), other)).as("another device").isGreaterThan(1.0);
    }
  }

  private static Thing thingOf(IotClient iot, Entity sensor) {
    return iot.things().list(IotQuery.builder().filter(Expr.property("properties/code").eq(sensor.text("iotThingId")))
        .expand("Locations").build()).stream().findFirst().orElseThrow();
  }
}
