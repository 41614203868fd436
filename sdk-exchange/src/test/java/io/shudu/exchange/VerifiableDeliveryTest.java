package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.ConflictException;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resumable, verified delivery and tamper detection: cut connections, flipped bytes, forged receipts, edited chains. */
class VerifiableDeliveryTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;
  static SandboxControl control;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("verify").clientConfig());
    control = new SandboxControl(sandbox.tenant("verify").clientConfig());
    control.settings(true, 0, 0);
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  /** A started delivery of the 16 MiB bus dataset. */
  static Delivery started(String offerId, String purpose) {
    Order o = exchange.orders().create(offerId, IntendedUse.of(purpose, 30));
    exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(10));
    Delivery d = exchange.deliveries().request(o.id());
    return exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(10));
  }

  @Test
  void resumesWithRangeAfterTheConnectionIsCutMidStream(@TempDir Path dir) throws Exception {
    Delivery d = started("of-bus-gps", "research");
    Path clean = dir.resolve("clean.bin");
    DownloadResult reference = exchange.deliveries().download(d.id(), clean, null);
    assertThat(reference.resumes()).isZero();

    long cut = 5L * 1024 * 1024 + 12_345; // inside chunk 5
    control.deliveryFault(d.id(), "cut", cut);
    List<Long> progress = new ArrayList<>();
    Path file = dir.resolve("resumed.bin");
    DownloadResult r = exchange.deliveries().download(d.id(), file, (done, total) -> progress.add(done));
    assertThat(r.resumes()).isEqualTo(1);
    assertThat(r.merkleRoot()).isEqualTo(reference.merkleRoot());
    assertThat(Files.mismatch(file, clean)).isEqualTo(-1);
    assertThat(progress).isSorted();

    // a partial file from an earlier run is verified and resumed from where it stopped
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(3L * 1024 * 1024 + 7);
    }
    DownloadResult resumed = exchange.deliveries().download(d.id(), file, null);
    assertThat(resumed.resumedFrom()).isEqualTo(3L * 1024 * 1024);
    assertThat(Files.mismatch(file, clean)).isEqualTo(-1);
  }

  @Test
  void resumesAfterThePlatformDropsTheConnectionMidDownload(@TempDir Path dir) throws Exception {
    Delivery d = started("of-taxi-od", "research");
    java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
    Path file = dir.resolve("taxi.bin");
    DownloadResult r = exchange.deliveries().download(d.id(), file, (done, total) -> {
      if (done >= 2L * 1024 * 1024 && restarted.compareAndSet(false, true)) {
        sandbox.stop(); // closes every open connection, like a platform restart
        sandbox.restart();
      }
    });
    assertThat(restarted).isTrue();
    assertThat(r.resumes()).isGreaterThanOrEqualTo(1);
    assertThat(Files.size(file)).isEqualTo(d.sizeBytes());
    assertThat(r.merkleRoot()).isEqualTo(exchange.deliveries().receipt(d.id()).merkleRoot());
  }

  @Test
  void truncatedAnswersAreRetriedTransparently(@TempDir Path dir) throws Exception {
    Delivery d = started("of-12345-hotline", "research");
    // the receipt and manifest answers are cut in half on the wire: the pipeline retries these GETs
    sandbox.injectFault(io.shudu.sandbox.Fault.truncatedBody().onPath("/exchange/v1/deliveries/").times(2));
    java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
    DownloadResult r;
    try (ExchangeClient counting = ExchangeClient.create(sandbox.tenant("verify").clientConfig().toBuilder()
        .addListener(new io.shudu.core.ClientListener() {
          @Override
          public void retryScheduled(Attempt failed, java.time.Duration delay, String reason) {
            retries.incrementAndGet();
          }
        }).build())) {
      r = counting.deliveries().download(d.id(), dir.resolve("hotline.bin"), null);
    }
    assertThat(retries.get()).isEqualTo(2);
    assertThat(r.bytes()).isEqualTo(d.sizeBytes());
    exchange.deliveries().verifyReceiptAsync(r.receipt()).join();
    assertThat(exchange.deliveries().keysAsync().join()).extracting(ExchangeKey::kid)
        .containsExactly(r.receipt().keyId());
    exchange.audit().verifyAsync(exchange.audit().exportAsync(d.orderId()).join()).join();
  }

  @Test
  void aFlippedByteIsDetectedAndTheFileIsCutBackToVerifiedChunks(@TempDir Path dir) throws Exception {
    Delivery d = started("of-retail-index", "commercial");
    long at = 1024L * 1024 + 99; // chunk 1
    control.deliveryFault(d.id(), "flip", at);
    Path file = dir.resolve("flipped.bin");
    assertThatThrownBy(() -> exchange.deliveries().download(d.id(), file, null))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.CHUNK_HASH_MISMATCH);
          assertThat(e.position()).isEqualTo(1);
          assertThat(e.getMessage()).contains("Chunk 1");
        });
    assertThat(Files.size(file)).isEqualTo(1024L * 1024);
    // the fault was one-off: downloading again resumes and verifies
    DownloadResult ok = exchange.deliveries().download(d.id(), file, null);
    assertThat(ok.resumedFrom()).isEqualTo(1024L * 1024);
    assertThat(Files.size(file)).isEqualTo(d.sizeBytes());

    // a byte flipped at rest is detected offline
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x40;
    Path tampered = dir.resolve("tampered.bin");
    Files.write(tampered, bytes);
    List<ExchangeKey> keys = exchange.deliveries().keys();
    DeliveryManifest m = exchange.deliveries().manifest(d.id());
    assertThatThrownBy(() -> ExchangeDeliveries.verifyFile(tampered, m, ok.receipt(), keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.CHUNK_HASH_MISMATCH);
          assertThat(e.position()).isEqualTo(m.chunkHashes().size() - 1);
        });

    // to a stream: the mismatch is raised too
    control.deliveryFault(d.id(), "flip", 10);
    assertThatThrownBy(() -> exchange.deliveries().download(d.id(), new ByteArrayOutputStream(), null))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> assertThat(e.position()).isZero());
  }

  @Test
  void aForgedReceiptIsDetected(@TempDir Path dir) throws Exception {
    Delivery d = started("of-weather-grid", "research");
    Receipt real = exchange.deliveries().receipt(d.id());
    exchange.deliveries().verifyReceipt(real);
    List<ExchangeKey> keys = exchange.deliveries().keys();
    ExchangeDeliveries.verifyReceipt(real, keys);

    Receipt moreBytes = new Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount() + 1, real.merkleRoot(), real.issuedAt(), real.keyId(),
        real.algorithm(), real.signature());
    assertThatThrownBy(() -> exchange.deliveries().verifyReceipt(moreBytes))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));

    java.security.KeyPair attacker = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    java.security.Signature s = java.security.Signature.getInstance("Ed25519");
    s.initSign(attacker.getPrivate());
    Receipt otherRoot = new Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount(), "ab".repeat(32), real.issuedAt(), real.keyId(), real.algorithm(), null);
    s.update(otherRoot.signedMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Receipt forged = new Receipt(otherRoot.deliveryId(), otherRoot.orderId(),
        otherRoot.productId(), otherRoot.productVersion(), otherRoot.byteCount(), otherRoot.merkleRoot(),
        otherRoot.issuedAt(), otherRoot.keyId(), otherRoot.algorithm(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    assertThatThrownBy(() -> ExchangeDeliveries.verifyReceipt(forged, keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));
    Receipt unknownKey = new Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount(), real.merkleRoot(), real.issuedAt(), "attacker-key", real.algorithm(),
        real.signature());
    assertThatThrownBy(() -> exchange.deliveries().verifyReceipt(unknownKey))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY));

    // a file that matches a forged receipt's claims still fails: the receipt is checked first
    Path file = dir.resolve("w.bin");
    DownloadResult r = exchange.deliveries().download(d.id(), file, null);
    assertThatThrownBy(() -> ExchangeDeliveries.verifyFile(file, exchange.deliveries().manifest(d.id()), forged, keys))
        .isInstanceOf(ExchangeVerificationException.class);
    assertThat(ExchangeDeliveries.verifyFile(file, exchange.deliveries().manifest(d.id()), r.receipt(), keys))
        .isEqualTo(real.merkleRoot());
  }

  @Test
  void anEditedAuditEntryIsDetected() {
    Delivery d = started("of-ev-charging", "research");
    AuditExport chain = exchange.audit().export(d.orderId());
    List<ExchangeKey> keys = exchange.deliveries().keys();
    ExchangeAudit.verifyOffline(chain, keys);

    List<AuditEvent> events = new ArrayList<>(chain.events());
    AuditEvent e2 = events.get(1);
    events.set(1, new AuditEvent(e2.seq(), e2.orderId(), e2.type(), "buyer", e2.at(), e2.detail(), e2.prevHash(),
        e2.hash()));
    AuditExport edited = new AuditExport(chain.orderId(), events, chain.headHash(), chain.keyId(),
        chain.signature());
    assertThatThrownBy(() -> ExchangeAudit.verifyOffline(edited, keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.AUDIT_CHAIN_BROKEN);
          assertThat(e.position()).isEqualTo(2);
        });

    // re-hashing the whole chain after the edit breaks the exchange's signature over the head
    List<AuditEvent> rehashed = new ArrayList<>();
    String prev = io.shudu.core.internal.ExchangeCrypto.ZERO_HASH;
    for (AuditEvent e : edited.events()) {
      String h = io.shudu.core.internal.ExchangeCrypto.auditHash(prev, e.seq(), e.orderId(), e.type(), e.actor(),
          e.at(), e.detail());
      rehashed.add(new AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), e.at(), e.detail(), prev, h));
      prev = h;
    }
    AuditExport forged = new AuditExport(chain.orderId(), rehashed, prev, chain.keyId(),
        chain.signature());
    assertThatThrownBy(() -> exchange.audit().verify(forged))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));

    // a removed event breaks the links
    List<AuditEvent> dropped = new ArrayList<>(chain.events());
    dropped.remove(2);
    assertThatThrownBy(() -> ExchangeAudit.verifyOffline(new AuditExport(chain.orderId(), dropped, chain.headHash(),
        chain.keyId(), chain.signature()), keys)).isInstanceOf(ExchangeVerificationException.class)
        .hasMessageContaining("Event 3");
  }

  @Test
  void deliveryStateMachineRejectsInvalidTransitions() {
    Delivery d = started("of-3d-buildings", "research");
    assertThat(d.waitingOn()).isEqualTo(Party.BUYER);
    assertThat(d.nextActions()).extracting(NextDeliveryAction::action).containsExactly(DeliveryAction.SUSPEND,
        DeliveryAction.COMPLETE, DeliveryAction.TERMINATE);
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), DeliveryAction.RESUME))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).contains("invalid_transition");
          assertThat(e.getMessage()).contains("STARTED").contains("suspend (merchant) -> SUSPENDED")
              .contains("complete (buyer) -> COMPLETED");
        });
    assertThat(exchange.deliveries().transition(d.id(), DeliveryAction.SUSPEND).state()).isEqualTo(DeliveryState.SUSPENDED);
    assertThatThrownBy(() -> exchange.deliveries().download(d.id(), new ByteArrayOutputStream(), null))
        .isInstanceOf(ConflictException.class).hasMessageContaining("SUSPENDED");
    assertThatThrownBy(() -> exchange.deliveries().awaitState(d.id(), DeliveryState.COMPLETED,
        Duration.ofMillis(200))).isInstanceOfSatisfying(AwaitStateException.class,
            e -> assertThat(e.waitingOn()).contains(Party.MERCHANT));
    assertThat(exchange.deliveries().transitionAsync(d.id(), DeliveryAction.RESUME).join().state())
        .isEqualTo(DeliveryState.STARTED);
    assertThat(exchange.deliveries().transition(d.id(), DeliveryAction.TERMINATE).state()).isEqualTo(DeliveryState.TERMINATED);
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), DeliveryAction.COMPLETE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complete(deliveryId, merkleRoot)");
  }
}
