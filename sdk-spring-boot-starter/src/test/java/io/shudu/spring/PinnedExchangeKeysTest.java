package io.shudu.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.Delivery;
import io.shudu.exchange.DeliveryState;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.ExchangeKey;
import io.shudu.exchange.ExchangeVerificationException;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import io.shudu.exchange.OrderState;
import io.shudu.exchange.Receipt;
import io.shudu.sandbox.Sandbox;
import io.shudu.spring.autoconfigure.ShuduAutoConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code shudu.exchange.trusted-keys}: the auto-configured {@link ExchangeClient} pins the keys of a JWK Set file, so
 * a receipt signed by another platform (an impostor that publishes its own key) is refused while the genuine
 * platform's receipts verify; a missing or malformed file fails start-up naming the property.
 */
class PinnedExchangeKeysTest {
  static Sandbox genuine;
  static Sandbox impostor;

  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ShuduAutoConfiguration.class));

  @BeforeAll
  static void start() {
    genuine = Sandbox.builder().seed(1).simulationRate(0).start();
    impostor = Sandbox.builder().seed(2).simulationRate(0).start();
    for (Sandbox s : List.of(genuine, impostor)) {
      // orders and deliveries progress by themselves, at once
      new ApiClient(s.clientConfig(), "exchange").call(ApiRequest.builder("test.settings", "PUT",
          "/exchange/v1/sandbox/settings").json(Map.of("autoProgress", true, "merchantDelayMs", 0,
          "exchangeDelayMs", 0)).build(), JsonNode.class);
    }
  }

  @AfterAll
  static void stop() {
    genuine.close();
    impostor.close();
  }

  static String[] properties(Sandbox platform, String trustedKeys) {
    return new String[] {"shudu.endpoint=" + platform.baseUrl(), "shudu.api-key=" + platform.tenant("demo").apiKey(),
        "shudu.exchange.trusted-keys=" + trustedKeys};
  }

  static Receipt receiptOfADelivery(ExchangeClient exchange) {
    Order o = exchange.orders().create("of-air-quality", IntendedUse.of("research", 30));
    exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(30));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(30));
    Delivery d = exchange.deliveries().request(o.id());
    exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(30));
    return exchange.deliveries().receipt(d.id());
  }

  @Test
  void thePinnedBeanRejectsAnImpostorsReceiptAndAcceptsTheGenuineOne(@TempDir Path dir) throws Exception {
    Path keysFile = dir.resolve("exchange-keys.json");
    Files.writeString(keysFile, genuine.exchangeKeys());
    List<ExchangeKey> genuineKeys = ExchangeKey.parse(genuine.exchangeKeys());

    // the impostor publishes its own key at /exchange/v1/keys: an unpinned client would trust it
    runner.withPropertyValues("shudu.endpoint=" + impostor.baseUrl(),
        "shudu.api-key=" + impostor.tenant("demo").apiKey()).run(context -> {
          ExchangeClient unpinned = context.getBean(ExchangeClient.class);
          assertThat(unpinned.trustedKeys()).isEmpty();
          unpinned.deliveries().verifyReceipt(receiptOfADelivery(unpinned));
        });
    runner.withPropertyValues(properties(impostor, keysFile.toUri().toString())).run(context -> {
      assertThat(context).hasNotFailed();
      ExchangeClient pinned = context.getBean(ExchangeClient.class);
      assertThat(pinned.trustedKeys()).isEqualTo(genuineKeys);
      Receipt receipt = receiptOfADelivery(pinned);
      assertThatThrownBy(() -> pinned.deliveries().verifyReceipt(receipt))
          .isInstanceOfSatisfying(ExchangeVerificationException.class, e ->
              assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY));
    });
    // the same pinning against the genuine platform: its receipts verify
    runner.withPropertyValues(properties(genuine, "file:" + keysFile)).run(context -> {
      ExchangeClient pinned = context.getBean(ExchangeClient.class);
      assertThat(pinned.trustedKeys()).isEqualTo(genuineKeys);
      pinned.deliveries().verifyReceipt(receiptOfADelivery(pinned));
    });
  }

  @Test
  void anUnreadableOrMalformedKeySetFailsStartUpNamingTheProperty(@TempDir Path dir) throws Exception {
    Path notJwk = dir.resolve("not-a-jwk-set.json");
    Files.writeString(notJwk, "{\"keys\": []}");
    for (String value : List.of("file:" + dir.resolve("missing.json"), "file:" + notJwk,
        "classpath:no/such/exchange-keys.json")) {
      runner.withPropertyValues(properties(genuine, value)).run(context -> {
        assertThat(context).as(value).hasFailed();
        assertThat(ShuduAutoConfigurationTest.messages(context)).as(value).contains("shudu.exchange.trusted-keys");
      });
    }
  }
}
