package io.shudu.examples.exchange;

import io.shudu.core.ClientConfig;
import io.shudu.core.Versioned;
import io.shudu.exchange.Asset;
import io.shudu.exchange.AuditEvent;
import io.shudu.exchange.AuditExport;
import io.shudu.exchange.CatalogQuery;
import io.shudu.exchange.Certificate;
import io.shudu.exchange.Claim;
import io.shudu.exchange.Delivery;
import io.shudu.exchange.DeliveryState;
import io.shudu.exchange.DownloadResult;
import io.shudu.exchange.DryRunResult;
import io.shudu.exchange.ExchangeAssets;
import io.shudu.exchange.ExchangeAudit;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.ExchangeKey;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import io.shudu.exchange.OrderAction;
import io.shudu.exchange.OrderState;
import io.shudu.exchange.Product;
import io.shudu.sandbox.Sandbox;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A data buyer on the Shanghai Data Exchange: searches the catalog in Chinese, dry-runs its intended use against an
 * offer's policy, orders the product, downloads and verifies it and its signed receipt, verifies the order's audit
 * chain offline, and claims a work of the "申生不息" series and writes it as SVG.
 *
 * <p>Run against the embedded sandbox with {@code main}, or call {@link #run} from the city tour or your own code.
 */
public final class DataExchangeExample {
  private DataExchangeExample() {}

  /**
   * Runs the example against an embedded sandbox.
   *
   * @param args optional output folder (default {@code exchange-output})
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "exchange-output");
    try (Sandbox sandbox = Sandbox.start()) {
      // the exchange hands its public keys over out of band; the sandbox gives them to its owner directly
      Files.createDirectories(out);
      Path keys = Files.writeString(out.resolve("exchange-keys.json"), sandbox.exchangeKeys());
      System.out.println(run(sandbox.clientConfig(), keys, out, System.out));
    }
  }

  /**
   * Runs the whole flow.
   *
   * @param config client configuration (a sandbox's or the platform's)
   * @param exchangeKeysFile the exchange's public keys (a JWK set, obtained once out of band), pinned: receipts and
   *     the audit chain are verified against these, never against keys fetched from the endpoint
   * @param outDir folder for the downloaded data, the audit chain and the SVG (created if missing)
   * @param out where to print progress
   * @return a one-line summary
   * @throws Exception on failure (verification failures are {@link io.shudu.exchange.ExchangeVerificationException})
   */
  public static String run(ClientConfig config, Path exchangeKeysFile, Path outDir, PrintStream out)
      throws Exception {
    Files.createDirectories(outDir);
    // a run replaces what an earlier run wrote here: every other file has a fixed name, the audit file the order's id
    try (java.util.stream.Stream<Path> earlier = Files.list(outDir)) {
      for (Path p : earlier.filter(p -> p.getFileName().toString().matches("audit-ord_\\w+\\.json")).toList()) {
        Files.delete(p);
      }
    }
    // snippet:start pin
    List<ExchangeKey> pinned = ExchangeKey.read(exchangeKeysFile); // handed over by the exchange, out of band
    ExchangeClient.Builder client = ExchangeClient.builder(config).trustedKeys(pinned);
    // snippet:end pin
    try (ExchangeClient exchange = client.build()) {
      // 1. Search the catalog (Chinese full text) and look at the facets.
      // snippet:start search
      CatalogQuery query = CatalogQuery.text("空气质量");
      Product product = exchange.catalog().search(query).stream().findFirst()
          .orElseThrow(() -> new IllegalStateException("no product matches " + query.text()));
      Map<String, Map<String, Integer>> facets = exchange.catalog().facets(CatalogQuery.all());
      out.printf("Catalog: %d products by category %s%n", facets.get("category").values().stream()
          .mapToInt(Integer::intValue).sum(), facets.get("category"));
      out.printf("Found %s 「%s」 (%s) by %s, version %s, certificates %s%n", product.id(), product.title().zh(),
          product.title().en(), product.merchantName(), product.latestVersion(),
          product.certificates().stream().map(Certificate::type).toList());
      // snippet:end search

      // 2. Dry-run the intended use before ordering.
      // snippet:start dry-run
      String offerId = product.offerIds().get(0);
      IntendedUse abroad = IntendedUse.of("marketing", 30).withTerritory("SG");
      DryRunResult refused = exchange.policies().dryRun(offerId, abroad);
      out.println("Dry-run of a marketing use in Singapore: " + refused.explain());
      IntendedUse use = IntendedUse.of("research", 180);
      DryRunResult allowed = exchange.policies().dryRun(offerId, use);
      out.println("Dry-run of a research use in China: " + allowed.explain());
      if (!allowed.allowed()) {
        throw new IllegalStateException("the research use should be allowed: " + allowed.explain());
      }
      // snippet:end dry-run

      // 3. Order; the merchant offers, we agree, the exchange verifies and finalises.
      // snippet:start order
      Order order = exchange.orders().create(offerId, use);
      out.println("Order " + order.id() + " is " + order.state() + ", waiting on the " + order.waitingOn());
      exchange.orders().awaitState(order.id(), OrderState.OFFERED, Duration.ofSeconds(30));
      Versioned<Order> offered = exchange.orders().getVersioned(order.id()); // the offer as read, with its ETag
      exchange.orders().transition(order.id(), OrderAction.AGREE, "research use", offered.etag()); // 412 if changed
      order = exchange.orders().awaitState(order.id(), OrderState.FINALIZED, Duration.ofSeconds(30));
      out.println("Order " + order.id() + " is " + order.state());
      // snippet:end order

      // 4. Delivery: stream to a file, verifying every chunk, the Merkle root and the signed receipt.
      // snippet:start delivery
      Delivery delivery = exchange.deliveries().request(order.id());
      delivery = exchange.deliveries().awaitState(delivery.id(), DeliveryState.STARTED, Duration.ofSeconds(30));
      Path data = outDir.resolve(product.id() + ".ndjson");
      long[] last = {0};
      DownloadResult result = exchange.deliveries().download(delivery.id(), data, (done, total) -> {
        if (done - last[0] >= total / 4 || done == total) {
          last[0] = done;
          out.printf("  downloaded %,d of %,d bytes%n", done, total);
        }
      });
      exchange.deliveries().complete(delivery.id(), result.merkleRoot());
      out.println("Delivered " + result.bytes() + " bytes to " + data + "; Merkle root " + result.merkleRoot()
          + " matches the receipt signed with the pinned key " + result.receipt().keyId());
      // snippet:end delivery

      // 5. The order's audit chain, exported and verified offline with the exchange's pinned keys.
      // snippet:start audit
      List<ExchangeKey> keys = exchange.trustedKeys();
      AuditExport chain = exchange.audit().export(order.id());
      Path auditFile = outDir.resolve("audit-" + order.id() + ".json");
      ExchangeAudit.write(chain, auditFile);
      ExchangeAudit.verifyOffline(ExchangeAudit.read(auditFile), keys);
      out.println("Audit chain of " + chain.events().size() + " events verified offline: "
          + chain.events().stream().map(AuditEvent::type).toList());
      // snippet:end audit

      // 6. The digital asset board: claim a free work of 申生不息 and draw it.
      // snippet:start claim
      Claim claim = exchange.assets().claim(ExchangeAssets.SERIES, "tour-visitor");
      Asset work = claim.asset();
      Path svg = ExchangeAssets.writeSvg(work, outDir.resolve("shen-sheng-bu-xi-" + work.tokenId() + ".svg"));
      out.println("Claimed " + work.name() + " (rarity rank " + work.rarityRank() + " of 10,000, traits "
          + work.traits() + ") -> " + svg);
      // snippet:end claim

      return "bought " + product.id() + " (" + result.bytes() + " bytes, root " + result.merkleRoot().substring(0, 12)
          + "…, receipt verified), audit chain of " + chain.events().size() + " events verified, claimed "
          + work.name();
    }
  }
}
