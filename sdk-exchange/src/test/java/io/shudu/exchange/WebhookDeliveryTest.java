package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.SignatureVerificationException;
import io.shudu.core.WebhookVerifier;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed webhooks from the exchange to a local receiver, verified with core's WebhookVerifier. */
class WebhookDeliveryTest {
  record Received(byte[] body, String signature, String eventId) {}

  Sandbox sandbox;
  MockWebServer receiver;
  final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  volatile int answer = 204;

  @BeforeEach
  void start() throws Exception {
    sandbox = Sandbox.builder().simulationRate(0).start();
    receiver = new MockWebServer();
    receiver.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest r) {
        received.add(new Received(r.getBody() == null ? new byte[0] : r.getBody().toByteArray(),
            r.getHeaders().get(WebhookVerifier.HEADER), r.getHeaders().get("Shudu-Event-Id")));
        return new MockResponse.Builder().code(answer).build();
      }
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
    sandbox.close();
  }

  String url() {
    return receiver.url("/hooks").toString();
  }

  @Test
  void orderEventsArriveSignedAndVerify() throws Exception {
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.tenant("hooks").clientConfig())) {
      SandboxControl control = new SandboxControl(sandbox.tenant("hooks").clientConfig());
      control.settings(true, 10, 10);
      control.allowPrivateWebhookTargets(); // the receiver listens on loopback
      WebhookRegistration reg = exchange.webhooks().register(url(), List.of("*"));
      assertThat(reg.secret()).startsWith("whsec_");
      assertThat(reg.toString()).doesNotContain(reg.secret());
      WebhookVerifier verifier = ExchangeWebhooks.verifier(reg.secret());

      Order o = exchange.orders().create("of-poi", IntendedUse.of("commercial", 30));
      exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
      Received first = received.poll(10, TimeUnit.SECONDS);
      Received second = received.poll(10, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(second).isNotNull();
      for (Received r : List.of(first, second)) {
        verifier.verify(r.body(), r.signature());
        JsonNode event = Json.mapper().readTree(r.body());
        assertThat(event.get("orderId").asText()).isEqualTo(o.id());
        assertThat(event.get("id").asText()).isEqualTo(r.eventId());
        assertThat(event.at("/data/auditEvent/hash").asText()).hasSize(64);
      }
      assertThat(List.of(Json.mapper().readTree(first.body()).get("type").asText(),
          Json.mapper().readTree(second.body()).get("type").asText()))
          .containsExactlyInAnyOrder("order.requested", "order.offered");

      // a tampered payload or another secret does not verify
      byte[] tampered = new String(first.body(), StandardCharsets.UTF_8).replace("order.", "orders.")
          .getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> verifier.verify(tampered, first.signature()))
          .isInstanceOf(SignatureVerificationException.class);
      assertThatThrownBy(() -> ExchangeWebhooks.verifier("whsec_other").verify(first.body(), first.signature()))
          .isInstanceOf(SignatureVerificationException.class);

      String pingId = exchange.webhooks().ping(reg.id());
      Received ping = received.poll(10, TimeUnit.SECONDS);
      assertThat(ping.eventId()).isEqualTo(pingId);
      verifier.verify(ping.body(), ping.signature());
      assertThat(exchange.webhooks().list()).extracting(Webhook::id).containsExactly(reg.id());
    }
  }

  @Test
  void failedDeliveriesAreRetriedAndReported() throws Exception {
    answer = 500;
    try (ExchangeClient exchange = ExchangeClient.create(sandbox.tenant("hooks2").clientConfig())) {
      new SandboxControl(sandbox.tenant("hooks2").clientConfig()).allowPrivateWebhookTargets();
      WebhookRegistration reg = exchange.webhooks().registerAsync(url(), List.of("ping")).join();
      String id = exchange.webhooks().pingAsync(reg.id()).join();
      for (int i = 0; i < 3; i++) {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        assertThat(r.eventId()).isEqualTo(id);
      }
      // the platform records the delivery after its third answer: wait until it has
      WebhookDelivery log = await().atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(20))
          .until(() -> exchange.webhooks().get(reg.id()).deliveries(), d -> !d.isEmpty()).get(0);
      assertThat(log.delivered()).isFalse();
      assertThat(log.attempts()).isEqualTo(3);
      assertThat(log.status()).isEqualTo(500);
      exchange.webhooks().delete(reg.id());
      assertThat(exchange.webhooks().list()).isEmpty();
      assertThatThrownBy(() -> exchange.webhooks().get(reg.id())).isInstanceOf(io.shudu.core.NotFoundException.class);
    }
  }
}
