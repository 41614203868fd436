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
  static Deliveries.Delivery started(String offerId, String purpose) {
    Orders.Order o = exchange.orders().create(offerId, Policies.IntendedUse.of(purpose, 30));
    exchange.orders().awaitState(o.id(), Orders.State.OFFERED, Duration.ofSeconds(10));
    exchange.orders().agree(o.id());
    exchange.orders().awaitState(o.id(), Orders.State.FINALIZED, Duration.ofSeconds(10));
    Deliveries.Delivery d = exchange.deliveries().request(o.id());
    return exchange.deliveries().awaitState(d.id(), Deliveries.State.STARTED, Duration.ofSeconds(10));
  }

  @Test
  void resumesWithRangeAfterTheConnectionIsCutMidStream(@TempDir Path dir) throws Exception {
    Deliveries.Delivery d = started("of-bus-gps", "research");
    Path clean = dir.resolve("clean.bin");
    Deliveries.DownloadResult reference = exchange.deliveries().download(d.id(), clean, null);
    assertThat(reference.resumes()).isZero();

    long cut = 5L * 1024 * 1024 + 12_345; // inside chunk 5
    control.deliveryFault(d.id(), "cut", cut);
    List<Long> progress = new ArrayList<>();
    Path file = dir.resolve("resumed.bin");
    Deliveries.DownloadResult r = exchange.deliveries().download(d.id(), file, (done, total) -> progress.add(done));
    assertThat(r.resumes()).isEqualTo(1);
    assertThat(r.merkleRoot()).isEqualTo(reference.merkleRoot());
    assertThat(Files.mismatch(file, clean)).isEqualTo(-1);
    assertThat(progress).isSorted();

    // a partial file from an earlier run is verified and resumed from where it stopped
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(3L * 1024 * 1024 + 7);
    }
    Deliveries.DownloadResult resumed = exchange.deliveries().download(d.id(), file, null);
    assertThat(resumed.resumedFrom()).isEqualTo(3L * 1024 * 1024);
    assertThat(Files.mismatch(file, clean)).isEqualTo(-1);
  }

  @Test
  void resumesAfterThePlatformDropsTheConnectionMidDownload(@TempDir Path dir) throws Exception {
    Deliveries.Delivery d = started("of-taxi-od", "research");
    java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
    Path file = dir.resolve("taxi.bin");
    Deliveries.DownloadResult r = exchange.deliveries().download(d.id(), file, (done, total) -> {
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
    Deliveries.Delivery d = started("of-12345-hotline", "research");
    // the receipt and manifest answers are cut in half on the wire: the pipeline retries these GETs
    sandbox.injectFault(io.shudu.sandbox.Fault.truncatedBody().onPath("/exchange/v1/deliveries/").times(2));
    java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
    Deliveries.DownloadResult r;
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
    Deliveries.Delivery d = started("of-retail-index", "commercial");
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
    Deliveries.DownloadResult ok = exchange.deliveries().download(d.id(), file, null);
    assertThat(ok.resumedFrom()).isEqualTo(1024L * 1024);
    assertThat(Files.size(file)).isEqualTo(d.sizeBytes());

    // a byte flipped at rest is detected offline
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x40;
    Path tampered = dir.resolve("tampered.bin");
    Files.write(tampered, bytes);
    List<ExchangeKey> keys = exchange.deliveries().keys();
    Deliveries.Manifest m = exchange.deliveries().manifest(d.id());
    assertThatThrownBy(() -> Deliveries.verifyFile(tampered, m, ok.receipt(), keys))
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
    Deliveries.Delivery d = started("of-weather-grid", "research");
    Deliveries.Receipt real = exchange.deliveries().receipt(d.id());
    exchange.deliveries().verifyReceipt(real);
    List<ExchangeKey> keys = exchange.deliveries().keys();
    Deliveries.verifyReceipt(real, keys);

    Deliveries.Receipt moreBytes = new Deliveries.Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount() + 1, real.merkleRoot(), real.issuedAt(), real.keyId(),
        real.algorithm(), real.signature());
    assertThatThrownBy(() -> exchange.deliveries().verifyReceipt(moreBytes))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));

    java.security.KeyPair attacker = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    java.security.Signature s = java.security.Signature.getInstance("Ed25519");
    s.initSign(attacker.getPrivate());
    Deliveries.Receipt otherRoot = new Deliveries.Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount(), "ab".repeat(32), real.issuedAt(), real.keyId(), real.algorithm(), null);
    s.update(otherRoot.signedMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Deliveries.Receipt forged = new Deliveries.Receipt(otherRoot.deliveryId(), otherRoot.orderId(),
        otherRoot.productId(), otherRoot.productVersion(), otherRoot.byteCount(), otherRoot.merkleRoot(),
        otherRoot.issuedAt(), otherRoot.keyId(), otherRoot.algorithm(),
        Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
    assertThatThrownBy(() -> Deliveries.verifyReceipt(forged, keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));
    Deliveries.Receipt unknownKey = new Deliveries.Receipt(real.deliveryId(), real.orderId(), real.productId(),
        real.productVersion(), real.byteCount(), real.merkleRoot(), real.issuedAt(), "attacker-key", real.algorithm(),
        real.signature());
    assertThatThrownBy(() -> exchange.deliveries().verifyReceipt(unknownKey))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.UNKNOWN_KEY));

    // a file that matches a forged receipt's claims still fails: the receipt is checked first
    Path file = dir.resolve("w.bin");
    Deliveries.DownloadResult r = exchange.deliveries().download(d.id(), file, null);
    assertThatThrownBy(() -> Deliveries.verifyFile(file, exchange.deliveries().manifest(d.id()), forged, keys))
        .isInstanceOf(ExchangeVerificationException.class);
    assertThat(Deliveries.verifyFile(file, exchange.deliveries().manifest(d.id()), r.receipt(), keys))
        .isEqualTo(real.merkleRoot());
  }

  @Test
  void anEditedAuditEntryIsDetected() {
    Deliveries.Delivery d = started("of-ev-charging", "research");
    Audit.AuditExport chain = exchange.audit().export(d.orderId());
    List<ExchangeKey> keys = exchange.deliveries().keys();
    Audit.verifyOffline(chain, keys);

    List<Audit.AuditEvent> events = new ArrayList<>(chain.events());
    Audit.AuditEvent e2 = events.get(1);
    events.set(1, new Audit.AuditEvent(e2.seq(), e2.orderId(), e2.type(), "buyer", e2.at(), e2.detail(), e2.prevHash(),
        e2.hash()));
    Audit.AuditExport edited = new Audit.AuditExport(chain.orderId(), events, chain.headHash(), chain.keyId(),
        chain.signature());
    assertThatThrownBy(() -> Audit.verifyOffline(edited, keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.AUDIT_CHAIN_BROKEN);
          assertThat(e.position()).isEqualTo(2);
        });

    // re-hashing the whole chain after the edit breaks the exchange's signature over the head
    List<Audit.AuditEvent> rehashed = new ArrayList<>();
    String prev = io.shudu.core.internal.ExchangeCrypto.ZERO_HASH;
    for (Audit.AuditEvent e : edited.events()) {
      String h = io.shudu.core.internal.ExchangeCrypto.auditHash(prev, e.seq(), e.orderId(), e.type(), e.actor(),
          e.at(), e.detail());
      rehashed.add(new Audit.AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), e.at(), e.detail(), prev, h));
      prev = h;
    }
    Audit.AuditExport forged = new Audit.AuditExport(chain.orderId(), rehashed, prev, chain.keyId(),
        chain.signature());
    assertThatThrownBy(() -> exchange.audit().verify(forged))
        .isInstanceOfSatisfying(ExchangeVerificationException.class,
            e -> assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));

    // a removed event breaks the links
    List<Audit.AuditEvent> dropped = new ArrayList<>(chain.events());
    dropped.remove(2);
    assertThatThrownBy(() -> Audit.verifyOffline(new Audit.AuditExport(chain.orderId(), dropped, chain.headHash(),
        chain.keyId(), chain.signature()), keys)).isInstanceOf(ExchangeVerificationException.class)
        .hasMessageContaining("Event 3");
  }

  @Test
  void deliveryStateMachineRejectsInvalidTransitions() {
    Deliveries.Delivery d = started("of-3d-buildings", "research");
    assertThat(d.waitingOn()).isEqualTo(Party.BUYER);
    assertThat(d.nextActions()).extracting(Orders.NextAction::action).containsExactly("suspend", "complete",
        "terminate");
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), "resume"))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).contains("invalid_transition");
          assertThat(e.getMessage()).contains("STARTED").contains("suspend (merchant) -> SUSPENDED")
              .contains("complete (buyer) -> COMPLETED");
        });
    assertThat(exchange.deliveries().transition(d.id(), "suspend").state()).isEqualTo(Deliveries.State.SUSPENDED);
    assertThatThrownBy(() -> exchange.deliveries().download(d.id(), new ByteArrayOutputStream(), null))
        .isInstanceOf(ConflictException.class).hasMessageContaining("SUSPENDED");
    assertThatThrownBy(() -> exchange.deliveries().awaitState(d.id(), Deliveries.State.COMPLETED,
        Duration.ofMillis(200))).isInstanceOfSatisfying(AwaitStateException.class,
            e -> assertThat(e.waitingOn()).contains(Party.MERCHANT));
    assertThat(exchange.deliveries().transitionAsync(d.id(), "resume").join().state())
        .isEqualTo(Deliveries.State.STARTED);
    assertThat(exchange.deliveries().transition(d.id(), "terminate").state()).isEqualTo(Deliveries.State.TERMINATED);
    assertThatThrownBy(() -> exchange.deliveries().transition(d.id(), "fly"))
        .hasMessageContaining("Unknown delivery action 'fly'");
  }
}
