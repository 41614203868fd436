package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shudu.core.BadRequestException;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit chain against the sandbox over loopback: the actor is the authenticated party, content moved between
 * fields is detected, and hostile chains (missing fields, null events) are verification errors, never a
 * NullPointerException.
 */
class AuditChainTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;
  static SandboxControl control;
  static List<ExchangeKey> keys;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("auditor").clientConfig());
    control = new SandboxControl(sandbox.tenant("auditor").clientConfig());
    control.settings(false, 0, 0);
    keys = exchange.deliveries().keys();
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  static AuditExport terminatedChain(String reason) {
    Order o = exchange.orders().create("of-air-quality", IntendedUse.of("research", 30));
    exchange.orders().terminate(o.id(), reason);
    return exchange.audit().export(o.id());
  }

  @Test
  void theActorIsTheAuthenticatedCallerNeverAValueFromTheRequest() {
    Order o = exchange.orders().create("of-air-quality", IntendedUse.of("research", 30));
    // the tenant scripts the merchant's step (sandbox only): the chain says the tenant took it
    exchange.orders().transition(o.id(), OrderAction.OFFER, null);
    for (String claimed : List.of("merchant", "exchange", "buyer", "tenant:someone-else")) {
      assertThatThrownBy(() -> control.post("/exchange/v1/orders/" + o.id() + "/transitions",
          Map.of("action", "agree", "actor", claimed)))
          .isInstanceOf(BadRequestException.class).hasMessageContaining("actor is not accepted");
    }
    assertThat(exchange.orders().get(o.id()).state()).isEqualTo(OrderState.OFFERED);
    exchange.orders().terminate(o.id(), "changed plans");
    AuditExport chain = exchange.audit().export(o.id());
    ExchangeAudit.verifyOffline(chain, keys);
    assertThat(chain.events()).extracting(AuditEvent::type, AuditEvent::actor).containsExactly(
        org.assertj.core.groups.Tuple.tuple("order.requested", "tenant:auditor"),
        org.assertj.core.groups.Tuple.tuple("order.offered", "tenant:auditor"),
        org.assertj.core.groups.Tuple.tuple("order.terminated", "tenant:auditor"));
  }

  @Test
  void counterpartiesActingOnTheirOwnAreRecordedAsThemselves() {
    try (ExchangeClient other = ExchangeClient.create(sandbox.tenant("auto-buyer").clientConfig())) {
      new SandboxControl(sandbox.tenant("auto-buyer").clientConfig()).settings(true, 0, 0);
      Order o = other.orders().create("of-air-quality", IntendedUse.of("research", 30));
      other.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
      other.orders().agree(o.id());
      other.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(10));
      Delivery d = other.deliveries().request(o.id());
      d = other.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(10));
      String dId = d.id();
      // a delivery transition that names an actor is refused too
      assertThatThrownBy(() -> new SandboxControl(sandbox.tenant("auto-buyer").clientConfig()).post(
          "/exchange/v1/deliveries/" + dId + "/transitions", Map.of("action", "suspend", "actor", "merchant")))
          .isInstanceOf(BadRequestException.class).hasMessageContaining("actor is not accepted");
      AuditExport chain = other.audit().export(o.id());
      other.audit().verify(chain);
      assertThat(chain.events()).extracting(AuditEvent::type, AuditEvent::actor).containsExactly(
          org.assertj.core.groups.Tuple.tuple("order.requested", "tenant:auto-buyer"),
          org.assertj.core.groups.Tuple.tuple("order.offered", "merchant:" + o.merchantId()),
          org.assertj.core.groups.Tuple.tuple("order.agreed", "tenant:auto-buyer"),
          org.assertj.core.groups.Tuple.tuple("order.verified", "exchange"),
          org.assertj.core.groups.Tuple.tuple("order.finalized", "exchange"),
          org.assertj.core.groups.Tuple.tuple("delivery.requested", "tenant:auto-buyer"),
          org.assertj.core.groups.Tuple.tuple("delivery.started", "merchant:" + o.merchantId()),
          org.assertj.core.groups.Tuple.tuple("delivery.receipt_issued", "exchange"));
    }
  }

  @Test
  void contentMovedFromOneFieldIntoTheNextIsDetected() {
    AuditExport chain = terminatedChain("budget cut\nrefund: none");
    ExchangeAudit.verifyOffline(chain, keys);
    AuditEvent t = chain.events().get(1);
    assertThat(t.detail()).isEqualTo("budget cut\nrefund: none");
    // "budget cut" moves from detail into at; the stated hash stays
    AuditEvent moved = new AuditEvent(t.seq(), t.orderId(), t.type(), t.actor(), t.at() + "\nbudget cut",
        "refund: none", t.prevHash(), t.hash());
    // with fields joined by line feeds (the old form) the edit would have kept the hash
    assertThat(String.join("\n", moved.prevHash(), "2", moved.orderId(), moved.type(), moved.actor(), moved.at(),
        moved.detail())).isEqualTo(String.join("\n", t.prevHash(), "2", t.orderId(), t.type(), t.actor(), t.at(),
        t.detail()));
    assertThat(ExchangeCrypto.auditHash(moved.prevHash(), 2, moved.orderId(), moved.type(), moved.actor(), moved.at(),
        moved.detail())).isNotEqualTo(t.hash());
    AuditExport forged = new AuditExport(chain.orderId(), List.of(chain.events().get(0), moved),
        chain.headHash(), chain.keyId(), chain.signature());
    assertThatThrownBy(() -> ExchangeAudit.verifyOffline(forged, keys))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.AUDIT_CHAIN_BROKEN);
          assertThat(e.position()).isEqualTo(2);
        });
    assertThatThrownBy(() -> exchange.audit().verify(forged)).isInstanceOf(ExchangeVerificationException.class);

    // every other shift between neighbouring fields is detected as well
    String[] f = {t.orderId(), t.type(), t.actor(), t.at(), t.detail()};
    for (int i = 0; i + 1 < f.length; i++) {
      String[] g = f.clone();
      g[i] = f[i] + "\n" + f[i + 1].substring(0, 1);
      g[i + 1] = f[i + 1].substring(1);
      assertThat(ExchangeCrypto.auditHash(t.prevHash(), 2, g[0], g[1], g[2], g[3], g[4])).as("shift %s", i)
          .isNotEqualTo(t.hash());
    }
  }

  /** Verifies offline, online and asynchronously: each must fail with a verification error. */
  static void assertBroken(AuditExport chain, String what) {
    for (Runnable r : List.<Runnable>of(() -> ExchangeAudit.verifyOffline(chain, keys), () -> exchange.audit().verify(chain),
        () -> exchange.audit().verifyAsync(chain).join())) {
      Throwable t = catchThrowable(r::run);
      if (t instanceof CompletionException) {
        t = t.getCause();
      }
      assertThat(t).as(what).isInstanceOf(ExchangeVerificationException.class);
      assertThat(((ExchangeVerificationException) t).reason()).as(what)
          .isIn(ExchangeVerificationException.Reason.AUDIT_CHAIN_BROKEN,
              ExchangeVerificationException.Reason.BAD_SIGNATURE, ExchangeVerificationException.Reason.UNKNOWN_KEY);
    }
  }

  @Test
  void hostileChainsAreVerificationErrorsNeverNullPointerExceptions() {
    AuditExport chain = terminatedChain("hostile");
    ExchangeAudit.verifyOffline(chain, keys);
    List<UnaryOperator<AuditEvent>> nulls = List.of(
        e -> new AuditEvent(e.seq(), null, e.type(), e.actor(), e.at(), e.detail(), e.prevHash(), e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), null, e.actor(), e.at(), e.detail(), e.prevHash(), e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), e.type(), null, e.at(), e.detail(), e.prevHash(), e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), null, e.detail(), e.prevHash(), e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), e.at(), null, e.prevHash(), e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), e.at(), e.detail(), null, e.hash()),
        e -> new AuditEvent(e.seq(), e.orderId(), e.type(), e.actor(), e.at(), e.detail(), e.prevHash(), null),
        e -> new AuditEvent(0, e.orderId(), e.type(), e.actor(), e.at(), e.detail(), e.prevHash(), e.hash()));
    for (int field = 0; field < nulls.size(); field++) {
      for (int i = 0; i < chain.events().size(); i++) {
        List<AuditEvent> events = new ArrayList<>(chain.events());
        events.set(i, nulls.get(field).apply(events.get(i)));
        assertBroken(new AuditExport(chain.orderId(), events, chain.headHash(), chain.keyId(),
            chain.signature()), "field " + field + " of event " + (i + 1));
      }
    }
    assertBroken(new AuditExport(chain.orderId(), Arrays.asList(chain.events().get(0), null),
        chain.headHash(), chain.keyId(), chain.signature()), "a null event");
    assertBroken(new AuditExport(null, chain.events(), chain.headHash(), chain.keyId(), chain.signature()),
        "no orderId");
    assertBroken(new AuditExport(chain.orderId(), chain.events(), null, chain.keyId(), chain.signature()),
        "no headHash");
    assertBroken(new AuditExport(chain.orderId(), chain.events(), chain.headHash(), null, chain.signature()),
        "no keyId");
    assertBroken(new AuditExport(chain.orderId(), chain.events(), chain.headHash(), chain.keyId(), null),
        "no signature");
    assertBroken(new AuditExport(chain.orderId(), null, chain.headHash(), chain.keyId(), chain.signature()),
        "no events");
    assertBroken(new AuditExport(chain.orderId(), chain.events(), chain.headHash(), "sde-unknown",
        chain.signature()), "an unknown key");
    assertBroken(new AuditExport(chain.orderId(), chain.events(), chain.headHash(), chain.keyId(),
        "not base64url!"), "a malformed signature");
  }

  @Test
  void hostileFilesAreVerificationErrorsToo(@TempDir Path dir) throws Exception {
    List<String> docs = List.of("{}", "{\"orderId\": \"ord_x\"}", "{\"orderId\": \"ord_x\", \"events\": [{}]}",
        "{\"orderId\": \"ord_x\", \"events\": [null], \"headHash\": \"00\", \"keyId\": \"k\", \"signature\": \"s\"}",
        "{\"orderId\": \"ord_x\", \"events\": [{\"seq\": 1, \"orderId\": \"ord_x\"}], \"headHash\": \"00\", "
            + "\"keyId\": \"k\", \"signature\": \"s\"}",
        "{\"orderId\": null, \"events\": null, \"headHash\": null, \"keyId\": null, \"signature\": null}");
    int n = 0;
    for (String json : docs) {
      Path file = dir.resolve("chain-" + n++ + ".json");
      Files.writeString(file, json, StandardCharsets.UTF_8);
      assertBroken(ExchangeAudit.read(file), json);
    }
  }
}
