package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinned exchange keys: a platform that signs with a key you did not pin fails verification, even though its own
 * {@code /exchange/v1/keys} serves that key; with the right keys pinned everything verifies.
 */
class PinnedKeysTest {
  /** The platform you mean to talk to, whose keys you obtained out of band. */
  static Sandbox genuine;
  /** Another platform (an impostor, or a man in the middle) that signs with its own key and publishes it. */
  static Sandbox impostor;
  static List<ExchangeKey> genuineKeys;

  @BeforeAll
  static void start() {
    genuine = Sandbox.builder().seed(1).simulationRate(0).start();
    impostor = Sandbox.builder().seed(2).simulationRate(0).start();
    genuineKeys = ExchangeKey.parse(genuine.exchangeKeys());
    new SandboxControl(impostor.clientConfig()).settings(true, 0, 0);
  }

  @AfterAll
  static void stop() {
    genuine.close();
    impostor.close();
  }

  static Delivery started(ExchangeClient exchange) {
    Order o = exchange.orders().create("of-air-quality", IntendedUse.of("research", 30));
    exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(10));
    Delivery d = exchange.deliveries().request(o.id());
    return exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(10));
  }

  static ExchangeVerificationException.Reason reasonOf(Runnable r) {
    Throwable t = catchThrowable(r::run);
    if (t instanceof CompletionException) {
      t = t.getCause();
    }
    assertThat(t).isInstanceOf(ExchangeVerificationException.class);
    return ((ExchangeVerificationException) t).reason();
  }

  @Test
  void aDeliverySignedWithANonPinnedKeyFailsEvenWhenTheEndpointServesThatKey(@TempDir Path dir) {
    Path keysFile = dir.resolve("exchange-keys.json");
    ExchangeKey.write(genuineKeys, keysFile);
    try (ExchangeClient unpinned = ExchangeClient.create(impostor.clientConfig());
         ExchangeClient pinned = ExchangeClient.builder(impostor.clientConfig()).trustedKeys(keysFile).build()) {
      Delivery d = started(unpinned);
      // the impostor's own endpoint serves the key it signs with: without pinning, everything "verifies"
      assertThat(unpinned.deliveries().keys()).extracting(ExchangeKey::kid)
          .doesNotContainAnyElementsOf(genuineKeys.stream().map(ExchangeKey::kid).toList());
      unpinned.deliveries().download(d.id(), new ByteArrayOutputStream(), null);
      unpinned.audit().verify(unpinned.audit().export(d.orderId()));

      // pinned to the genuine exchange's keys, nothing the impostor signed is accepted
      assertThat(pinned.trustedKeys()).isEqualTo(genuineKeys);
      Receipt receipt = pinned.deliveries().receipt(d.id());
      assertThat(reasonOf(() -> pinned.deliveries().verifyReceipt(receipt)))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      assertThat(reasonOf(() -> pinned.deliveries().verifyReceiptAsync(receipt).join()))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertThatThrownBy(() -> pinned.deliveries().download(d.id(), out, null))
          .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
            assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
            assertThat(e.getMessage()).contains("not among the exchange keys you pinned")
                .contains(receipt.keyId());
          });
      assertThat(out.size()).as("nothing is written before the receipt verifies").isZero();
      assertThat(reasonOf(() -> pinned.deliveries().download(d.id(), dir.resolve("data.bin"), null)))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      assertThat(reasonOf(() -> pinned.deliveries().downloadAsync(d.id(), new ByteArrayOutputStream(), null)
          .join())).isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      AuditExport chain = pinned.audit().export(d.orderId());
      assertThat(reasonOf(() -> pinned.audit().verify(chain)))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      assertThat(reasonOf(() -> pinned.audit().verifyAsync(chain).join()))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);
      assertThat(reasonOf(() -> ExchangeAudit.verifyOffline(chain, genuineKeys)))
          .isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY);

      // a pinned key under the same key id but with other key material: the signature does not verify
      ExchangeKey sameIdOtherKey = new ExchangeKey(receipt.keyId(), "Ed25519", genuineKeys.get(0).x());
      try (ExchangeClient confused = ExchangeClient.builder(impostor.clientConfig())
          .trustedKeys(List.of(sameIdOtherKey)).build()) {
        assertThat(reasonOf(() -> confused.deliveries().verifyReceipt(receipt)))
            .isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE);
        assertThat(reasonOf(() -> confused.deliveries().download(d.id(), new ByteArrayOutputStream(), null)))
            .isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE);
        assertThat(reasonOf(() -> confused.audit().verify(chain)))
            .isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE);
      }
    }
  }

  @Test
  void withTheRightKeysPinnedEverythingVerifiesWithoutFetchingKeys(@TempDir Path dir) throws Exception {
    Path keysFile = dir.resolve("exchange-keys.json");
    Files.writeString(keysFile, genuine.exchangeKeys());
    new SandboxControl(genuine.clientConfig()).settings(true, 0, 0);
    try (ExchangeClient pinned = ExchangeClient.builder(genuine.clientConfig()).trustedKeys(keysFile).build()) {
      Delivery d = started(pinned);
      // the keys endpoint is broken for the rest of the test: pinned verification never needs it
      genuine.injectFault(io.shudu.sandbox.Fault.status(503, Duration.ofSeconds(1)).onPath("/exchange/v1/keys").times(1_000));
      try {
        DownloadResult r = pinned.deliveries().download(d.id(), dir.resolve("air.bin"), null);
        assertThat(r.bytes()).isEqualTo(d.sizeBytes());
        pinned.deliveries().verifyReceipt(r.receipt());
        pinned.audit().verify(pinned.audit().export(d.orderId()));
        pinned.audit().verifyAsync(pinned.audit().exportAsync(d.orderId()).join()).join();
      } finally {
        genuine.clearFaults();
      }
    }
  }

  @Test
  void keyFilesAreCheckedWhenTheyAreRead(@TempDir Path dir) throws Exception {
    assertThat(ExchangeKey.parse(genuine.exchangeKeys())).hasSize(1);
    Path file = dir.resolve("keys.json");
    ExchangeKey.write(genuineKeys, file);
    assertThat(ExchangeKey.read(file)).isEqualTo(genuineKeys);
    for (String bad : List.of("", "[]", "{}", "{\"keys\": []}", "{\"keys\": [{\"kid\": \"k\", \"crv\": \"P-256\", "
        + "\"x\": \"abc\"}]}", "{\"keys\": [{\"kid\": \"k\", \"crv\": \"Ed25519\", \"x\": \"dG9vIHNob3J0\"}]}",
        "{\"keys\": [{\"crv\": \"Ed25519\", \"x\": \"" + genuineKeys.get(0).x() + "\"}]}")) {
      assertThatThrownBy(() -> ExchangeKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ExchangeClient.builder(genuine.clientConfig()).trustedKeys(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one key");
  }
}
