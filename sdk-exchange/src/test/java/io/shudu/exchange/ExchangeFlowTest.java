package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.NotFoundException;
import io.shudu.sandbox.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog, policies, orders, deliveries and the audit chain end to end against the sandbox over loopback. */
class ExchangeFlowTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("flow").clientConfig());
    new SandboxControl(sandbox.tenant("flow").clientConfig()).settings(true, 20, 20);
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  @Test
  void searchesInChineseAndEnglishWithFiltersFacetsAndPages() {
    List<Product> metro = exchange.catalog().search(CatalogQuery.text("地铁客流")).stream().toList();
    assertThat(metro).extracting(Product::id).containsExactly("dp-metro-flow");
    assertThat(metro.get(0).title().en()).contains("Metro");
    assertThat(metro.get(0).versions()).hasSize(2);
    assertThat(metro.get(0).schema()).isNotEmpty();
    assertThat(metro.get(0).sample().rows()).hasSize(3);
    assertThat(metro.get(0).certificates()).extracting(Certificate::type).contains("DATA_PRODUCT_REGISTRATION");

    // a two-character Chinese word matches through bigrams; English words too
    assertThat(exchange.catalog().search(CatalogQuery.text("合规")).stream().map(Product::id))
        .contains("dp-compliance-kit", "dp-quality-report");
    assertThat(exchange.catalog().search(CatalogQuery.text("air quality")).stream().map(Product::id))
        .containsExactly("dp-air-quality");
    assertThat(exchange.catalog().search(CatalogQuery.text("不存在的东西")).stream()).isEmpty();

    List<Product> transport = exchange.catalog().search(CatalogQuery.all().withCategory("transport"))
        .withPageSize(1).stream().toList();
    assertThat(transport).hasSize(3).allMatch(p -> p.category().equals("transport"));

    Map<String, Map<String, Integer>> facets = exchange.catalog().facets(CatalogQuery.all());
    int total = (int) exchange.catalog().search(CatalogQuery.all()).stream().count();
    assertThat(facets.get("category").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
    assertThat(facets.get("category")).containsEntry("transport", 3);
    assertThat(facets.get("merchantType")).containsKeys("DATA_SUPPLIER_BUYER", "EVALUATION", "CONSULTING");

    io.shudu.core.Page<Product> page = exchange.catalog().search(CatalogQuery.all()).withPageSize(5).firstPage();
    assertThat(page.items()).hasSize(5);
    assertThat(page.continuationToken()).isNotNull();
    List<Product> next = exchange.catalog().search(CatalogQuery.all()).withPageSize(5).withMaxItems(5)
        .resumeFrom(page.continuationToken()).toListAsync().join();
    assertThat(next).hasSize(5).extracting(Product::id).doesNotContainAnyElementsOf(
        page.items().stream().map(Product::id).toList());
    assertThat(exchange.catalog().search(CatalogQuery.all().withMerchantType(MerchantType.CONSULTING))
        .stream().map(Product::merchantId)).containsOnly("m-zhiyuan");
  }

  @Test
  void listsMerchantsOfAllSixTypes() {
    List<Merchant> merchants = exchange.catalog().merchants().toListAsync().join();
    assertThat(merchants.stream().map(Merchant::type).distinct()).containsExactlyInAnyOrder(
        MerchantType.values());
    assertThat(exchange.catalog().merchant("m-pingce").qualifications()).hasSizeGreaterThanOrEqualTo(2);
    assertThatThrownBy(() -> exchange.catalog().merchant("m-nope")).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("m-nope");
  }

  @Test
  void dryRunSaysExactlyWhyAUseIsNotAllowed() {
    DryRunResult ok = exchange.policies().dryRun("of-metro-flow", IntendedUse.of("research", 90));
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.violations()).isEmpty();

    IntendedUse bad = IntendedUse.of("marketing", 400).withTerritory("SG")
        .withRedistribution(Redistribution.ALLOWED);
    DryRunResult no = exchange.policies().dryRunAsync("of-metro-flow", bad).join();
    assertThat(no.allowed()).isFalse();
    assertThat(no.violations()).extracting(PolicyViolation::code).containsExactlyInAnyOrder(
        "purpose_not_permitted", "duration_exceeded", "territory_not_permitted", "cross_border_forbidden",
        "redistribution_not_permitted");
    assertThat(no.explain()).contains("marketing").contains("365 days").contains("SG");

    // personal information cannot leave the country even when the offer allows cross-border use
    DryRunResult pi = exchange.policies().dryRun("of-supply-chain",
        IntendedUse.of("research", 30).withTerritory("SG"));
    assertThat(pi.allowed()).isTrue();
    DryRunResult credit = exchange.policies().dryRun("of-sme-credit",
        IntendedUse.of("credit-assessment", 30).withCrossBorder(true));
    assertThat(credit.violations()).extracting(PolicyViolation::field).contains("personalInformation",
        "crossBorder");

    // ordering a disallowed use is refused with every reason
    assertThatThrownBy(() -> exchange.orders().create("of-metro-flow", bad))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.code()).contains("policy_violation");
          assertThat(e.getMessage()).contains("marketing");
        });
  }

  @Test
  void ordersMoveThroughTheStateMachineAndDeliverVerifiedData(@TempDir Path dir) throws Exception {
    Order o = exchange.orders().create("of-air-quality", IntendedUse.of("research", 30));
    assertThat(o.state()).isEqualTo(OrderState.REQUESTED);
    assertThat(o.waitingOn()).isEqualTo(Party.MERCHANT);

    Order offered = exchange.orders().awaitState(o.id(), OrderState.OFFERED, Duration.ofSeconds(10));
    assertThat(offered.waitingOn()).isEqualTo(Party.BUYER);
    assertThatThrownBy(() -> exchange.orders().transition(o.id(), OrderAction.FINALIZE, null))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.code()).contains("invalid_transition");
          assertThat(e.getMessage()).contains("OFFERED").contains("agree (buyer) -> AGREED")
              .contains("terminate");
        });
    assertThatThrownBy(() -> exchange.deliveries().request(o.id())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("order_not_finalized");
    exchange.orders().agreeAsync(o.id()).join();
    Order done = exchange.orders().awaitStateAsync(o.id(), OrderState.FINALIZED, Duration.ofSeconds(10))
        .join();
    assertThat(done.state()).isEqualTo(OrderState.FINALIZED);
    assertThat(done.waitingOn()).isNull();
    assertThatThrownBy(() -> exchange.orders().terminate(o.id(), "changed my mind"))
        .isInstanceOf(ConflictException.class).hasMessageContaining("none (the order is final)");

    Delivery d = exchange.deliveries().request(o.id());
    exchange.deliveries().awaitState(d.id(), DeliveryState.STARTED, Duration.ofSeconds(10));
    List<Long> progress = new ArrayList<>();
    Path file = dir.resolve("air.ndjson");
    DownloadResult r = exchange.deliveries().download(d.id(), file, (done1, total) -> progress.add(done1));
    assertThat(Files.size(file)).isEqualTo(r.bytes()).isEqualTo(d.sizeBytes());
    assertThat(progress).isSorted().last().isEqualTo(d.sizeBytes());
    assertThat(r.merkleRoot()).isEqualTo(r.receipt().merkleRoot());
    assertThat(r.receipt().toString()).doesNotContain(r.receipt().signature());

    ByteArrayOutputStream mem = new ByteArrayOutputStream();
    DownloadResult again = exchange.deliveries().downloadAsync(d.id(), mem, null).join();
    assertThat(again.merkleRoot()).isEqualTo(r.merkleRoot());
    assertThat(mem.toByteArray()).isEqualTo(Files.readAllBytes(file));

    assertThatThrownBy(() -> exchange.deliveries().complete(d.id(), "00".repeat(32)))
        .isInstanceOf(ConflictException.class).hasMessageContaining("merkle_root_mismatch");
    assertThat(exchange.deliveries().complete(d.id(), r.merkleRoot()).state()).isEqualTo(DeliveryState.COMPLETED);

    List<ExchangeKey> keys = exchange.deliveries().keys();
    assertThat(ExchangeDeliveries.verifyFile(file, exchange.deliveries().manifest(d.id()), r.receipt(), keys))
        .isEqualTo(r.merkleRoot());

    AuditExport chain = exchange.audit().export(o.id());
    exchange.audit().verify(chain);
    assertThat(chain.events()).extracting(AuditEvent::type).containsSubsequence("order.requested",
        "order.offered", "order.agreed", "order.verified", "order.finalized", "delivery.requested",
        "delivery.started", "delivery.receipt_issued", "delivery.completed");
    Path exported = dir.resolve("audit.json");
    ExchangeAudit.write(chain, exported);
    ExchangeAudit.verifyOffline(ExchangeAudit.read(exported), keys);
  }

  @Test
  void awaitStateSaysWhichSideHasNotActed() {
    exchange.close();
    try (ExchangeClient manual = ExchangeClient.create(sandbox.tenant("manual").clientConfig())) {
      SandboxControl control = new SandboxControl(sandbox.tenant("manual").clientConfig());
      control.settings(false, 0, 0);
      Order o = manual.orders().create("of-poi", IntendedUse.of("commercial", 30));
      assertThatThrownBy(() -> manual.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofMillis(300)))
          .isInstanceOfSatisfying(AwaitStateException.class, e -> {
            assertThat(e.timedOut()).isTrue();
            assertThat(e.waitingOn()).contains(Party.MERCHANT);
            assertThat(e.currentState()).isEqualTo(OrderState.REQUESTED);
            assertThat(e.awaitedState()).isEqualTo(OrderState.FINALIZED);
            assertThat(e.getMessage()).contains("waiting on the merchant").contains("offer (merchant) -> OFFERED");
          });
      manual.orders().transition(o.id(), OrderAction.OFFER, "sandbox merchant offers");
      assertThatThrownBy(() -> manual.orders().awaitStateAsync(o.id(), OrderState.AGREED, Duration.ofMillis(200))
          .join()).hasCauseInstanceOf(AwaitStateException.class).hasMessageContaining("the buyer (you)");
      manual.orders().agree(o.id());
      assertThatThrownBy(() -> manual.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofMillis(200)))
          .isInstanceOfSatisfying(AwaitStateException.class, e -> assertThat(e.waitingOn()).contains(Party.EXCHANGE));
      manual.orders().terminate(o.id(), "budget cut");
      assertThatThrownBy(() -> manual.orders().awaitState(o.id(), OrderState.FINALIZED, Duration.ofSeconds(5)))
          .isInstanceOfSatisfying(AwaitStateException.class, e -> {
            assertThat(e.timedOut()).isFalse();
            assertThat(e.getMessage()).contains("ended TERMINATED (budget cut)");
          });
      assertThat(manual.orders().list(OrderState.TERMINATED).stream().map(Order::id)).contains(o.id());
    } finally {
      exchange = ExchangeClient.create(sandbox.tenant("flow").clientConfig());
    }
  }

  @Test
  void badInputGetsClearMessages() {
    assertThatThrownBy(() -> IntendedUse.of(" ", 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purpose");
    assertThatThrownBy(() -> IntendedUse.of("research", 0)).hasMessageContaining("durationDays");
    assertThatThrownBy(() -> IntendedUse.of("research", 10).withTerritory("China"))
        .hasMessageContaining("territory");
    assertThatThrownBy(() -> exchange.catalog().product(" ")).hasMessageContaining("productId");
    assertThatThrownBy(() -> exchange.catalog().search(CatalogQuery.all()).withPageSize(0))
        .hasMessageContaining("pageSize");
    assertThatThrownBy(() -> exchange.catalog().search(CatalogQuery.all()).resumeFrom("garbage!").firstPage())
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("cursor"));
    assertThatThrownBy(() -> exchange.catalog().search(CatalogQuery.all().withCategory("toys")).firstPage())
        .isInstanceOf(BadRequestException.class).hasMessageContaining("transport");
    assertThatThrownBy(() -> exchange.orders().create("of-missing", IntendedUse.of("research", 1)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> exchange.orders().transition("ord_missing", OrderAction.AGREE, null))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> exchange.orders().awaitState("x", null, Duration.ZERO))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("state");
    assertThatThrownBy(() -> exchange.assets().claim(ExchangeAssets.SERIES, "has space"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account");
    assertThatThrownBy(() -> exchange.webhooks().register("ftp://x", List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
  }
}
