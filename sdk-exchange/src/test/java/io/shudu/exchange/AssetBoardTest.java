package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.shudu.core.BadRequestException;
import io.shudu.core.ConflictException;
import io.shudu.core.PermissionDeniedException;
import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digital asset board: the 10,000-work series, provenance, claims, gifts, the no-finance rules and SVG. */
class AssetBoardTest {
  static Sandbox sandbox;
  static ExchangeClient exchange;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.builder().simulationRate(0).start();
    exchange = ExchangeClient.create(sandbox.tenant("board").clientConfig());
  }

  @AfterAll
  static void stop() {
    exchange.close();
    sandbox.close();
  }

  static Map<String, String> traits(String bg, String landmark, String palette, String pattern, String emblem,
      String frame) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("background", bg);
    t.put("landmark", landmark);
    t.put("palette", palette);
    t.put("pattern", pattern);
    t.put("emblem", emblem);
    t.put("frame", frame);
    return t;
  }

  @Test
  void theSeriesHasExactly10000UniqueWorksMatchingTheCommittedProvenance() {
    AssetCollection series = exchange.assets().collection(ExchangeAssets.SERIES);
    assertThat(series.supply()).isEqualTo(10_000);
    assertThat(series.name().zh()).isEqualTo("申生不息");
    assertThat(series.provenanceCommittedAt()).isBefore(series.revealedAt());

    List<Asset> works = exchange.assets().assets(ExchangeAssets.SERIES).stream().toList();
    assertThat(works).hasSize(10_000);
    Set<String> combos = new HashSet<>();
    Set<Integer> ranks = new HashSet<>();
    for (Asset a : works) {
      combos.add(ExchangeCrypto.canonicalTraits(a.traits()));
      ranks.add(a.rarityRank());
    }
    assertThat(combos).hasSize(10_000);
    assertThat(ranks).hasSize(10_000).contains(1, 10_000);

    ProvenanceReport report = ExchangeAssets.verifyProvenance(series, works);
    assertThat(report.uniqueTraitSets()).isEqualTo(10_000);
    assertThat(report.computedHash()).isEqualTo(series.provenanceHash());
    assertThat(exchange.assets().verifyProvenanceAsync(ExchangeAssets.SERIES).join().computedHash())
        .isEqualTo(series.provenanceHash());

    // a sandbox restarted with another seed serves the very same series
    try (Sandbox other = Sandbox.builder().seed(99).simulationRate(0).start();
         ExchangeClient c = ExchangeClient.create(other.clientConfig())) {
      assertThat(c.assets().collection(ExchangeAssets.SERIES).provenanceHash()).isEqualTo(series.provenanceHash());
    }

    // one changed trait is detected
    Asset first = works.get(0);
    Map<String, String> changed = new LinkedHashMap<>(first.traits());
    changed.put("frame", first.traits().get("frame").equals("none") ? "circle" : "none");
    List<Asset> tampered = new java.util.ArrayList<>(works);
    tampered.set(0, new Asset(first.id(), first.collectionId(), first.tokenId(), first.name(), true, changed,
        first.rarityScore(), first.rarityRank(), first.hash(), first.claimed(), first.owner(), first.provenance()));
    assertThatThrownBy(() -> ExchangeAssets.verifyProvenance(series, tampered))
        .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> {
          assertThat(e.reason()).isEqualTo(ExchangeVerificationException.Reason.PROVENANCE_MISMATCH);
          assertThat(e.position()).isEqualTo(1);
        });
  }

  @Test
  void aClaimIsFreeOncePerAccountAndGiftsFollowTheRules() {
    Claim c = exchange.assets().claim(ExchangeAssets.SERIES, "alice");
    assertThat(c.newlyClaimed()).isTrue();
    assertThat(c.asset().owner()).isEqualTo("alice");
    assertThat(c.asset().provenance()).extracting(ProvenanceEvent::type).containsExactly("MINTED", "CLAIMED");
    Claim again = exchange.assets().claimAsync(ExchangeAssets.SERIES, "alice").join();
    assertThat(again.newlyClaimed()).isFalse();
    assertThat(again.asset().id()).isEqualTo(c.asset().id());

    Asset gift = exchange.assets().transfer(c.asset().id(), "alice", "bob", "生日快乐");
    assertThat(gift.owner()).isEqualTo("bob");
    assertThat(gift.provenance()).extracting(ProvenanceEvent::type).endsWith("TRANSFERRED");
    assertThat(exchange.assets().accountAssets("bob")).extracting(Asset::id).containsExactly(c.asset().id());
    assertThat(exchange.assets().accountAssets("alice")).isEmpty();
    assertThatThrownBy(() -> exchange.assets().transfer(c.asset().id(), "alice", "carol", null))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("not_owner");
    // alice already claimed: giving her work away does not entitle her to another
    assertThat(exchange.assets().claim(ExchangeAssets.SERIES, "alice").newlyClaimed()).isFalse();
    // another tenant has its own issue of the series: this tenant's claims and accounts are invisible there, and
    // its "bob" is another account
    try (ExchangeClient other = ExchangeClient.create(sandbox.tenant("someone-else").clientConfig())) {
      Asset seen = other.assets().asset(c.asset().id());
      assertThat(seen.claimed()).isFalse();
      assertThat(seen.owner()).isNull();
      assertThat(seen.provenance()).extracting(ProvenanceEvent::type).containsExactly("MINTED");
      assertThat(other.assets().accountAssets("bob")).isEmpty();
    }
  }

  @Test
  void pricesResaleAndFinancialFeaturesAreRejected() {
    SandboxControl raw = new SandboxControl(sandbox.tenant("board").clientConfig());
    Claim c = exchange.assets().claim(ExchangeAssets.SERIES, "dora");
    assertThatThrownBy(() -> raw.post("/exchange/v1/board/transfers", Map.of("assetId", c.asset().id(),
        "fromAccount", "dora", "toAccount", "erin", "price", "99.00")))
        .isInstanceOfSatisfying(BadRequestException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.code()).contains("financial_feature_forbidden");
          assertThat(e.getMessage()).contains("price").contains("no pricing, resale market or financial features");
        });
    assertThatThrownBy(() -> raw.post("/exchange/v1/board/listings", Map.of("assetId", c.asset().id())))
        .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("resale_forbidden");
    assertThatThrownBy(() -> raw.post("/exchange/v1/board/collections/" + ExchangeAssets.SERIES + "/claims",
        Map.of("account", "fay", "currency", "CNY"))).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("currency");
    assertThat(exchange.assets().asset(c.asset().id()).owner()).isEqualTo("dora");
  }

  @Test
  void aCollectionNeverIssuesMoreThanItsSupply() {
    AssetCollection small = exchange.assets().createCollection("Test mini series", 5, 42);
    assertThat(exchange.assets().verifyProvenance(small.id()).works()).isEqualTo(5);
    Set<Integer> tokens = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(exchange.assets().claim(small.id(), "acct-" + i).asset().tokenId());
    }
    assertThat(tokens).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThatThrownBy(() -> exchange.assets().claim(small.id(), "acct-late"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).contains("collection_exhausted"));
    assertThat(exchange.assets().claim(small.id(), "acct-3").newlyClaimed()).isFalse();
    assertThat(exchange.assets().collection(small.id()).issued()).isEqualTo(5);
    assertThatThrownBy(() -> exchange.assets().createCollection("x", 10_001, 1))
        .hasMessageContaining("supply");
  }

  @Test
  void theProvenanceHashIsCommittedBeforeTheRevealAndVerifiesAfterIt() throws Exception {
    AssetCollection hidden = exchange.assets().createCollection("Reveal test", 12, 7, java.time.Duration.ofMillis(1500));
    assertThat(hidden.revealed()).isFalse();
    assertThat(hidden.provenanceHash()).hasSize(64);
    List<Asset> before = exchange.assets().assets(hidden.id()).stream().toList();
    assertThat(before).hasSize(12).allSatisfy(a -> {
      assertThat(a.revealed()).isFalse();
      assertThat(a.traits()).isEmpty();
      assertThat(a.hash()).isNull();
    });
    Claim early = exchange.assets().claim(hidden.id(), "early-bird");
    assertThat(early.asset().traits()).isEmpty();
    assertThatThrownBy(() -> ExchangeAssets.verifyProvenance(hidden, before)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not revealed").hasMessageContaining(hidden.provenanceHash());
    await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(50))
        .until(() -> exchange.assets().collection(hidden.id()).revealed());
    // the hash published before the reveal matches the works revealed afterwards
    ProvenanceReport report = ExchangeAssets.verifyProvenance(hidden, exchange.assets().assets(hidden.id()).stream()
        .toList());
    assertThat(report.computedHash()).isEqualTo(hidden.provenanceHash());
    assertThat(exchange.assets().asset(early.asset().id()).traits()).hasSize(6);
  }

  @Test
  void rendersByteIdenticalSvgFromTraits(@TempDir Path dir) throws Exception {
    Map<String, String> t = traits("night-shanghai", "oriental-pearl", "haipai-blue", "waves", "magnolia", "circle");
    String svg = ExchangeAssets.renderSvg(t);
    assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n").doesNotContain("\r");
    assertThat(ExchangeCrypto.sha256Hex(svg)).isEqualTo(SVG_SHA256);
    // trait order in the map does not matter, only the values
    Map<String, String> reordered = new LinkedHashMap<>();
    List.of("frame", "emblem", "pattern", "palette", "landmark", "background").forEach(k -> reordered.put(k, t.get(k)));
    assertThat(ExchangeAssets.renderSvg(reordered)).isEqualTo(svg);
    assertThat(ExchangeAssets.renderSvg(traits("snow", "oriental-pearl", "haipai-blue", "waves", "magnolia", "circle")))
        .isNotEqualTo(svg);

    Asset work = exchange.assets().asset(ExchangeAssets.SERIES + "-1");
    Path file = ExchangeAssets.writeSvg(work, dir.resolve("work-1.svg"));
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(ExchangeAssets.renderSvg(work.traits()));

    // every work of the series renders
    for (Asset a : exchange.assets().assets(ExchangeAssets.SERIES).withMaxItems(500)) {
      assertThat(ExchangeAssets.renderSvg(a.traits())).contains("<g id=\"landmark\">");
    }
    assertThatThrownBy(() -> ExchangeAssets.renderSvg(traits("mars", "oriental-pearl", "haipai-blue", "waves", "none",
        "none"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("background");
    Map<String, String> missing = new LinkedHashMap<>(t);
    missing.remove("palette");
    assertThatThrownBy(() -> ExchangeAssets.renderSvg(missing)).hasMessageContaining("palette");
  }

  /** SHA-256 of the SVG of (night-shanghai, oriental-pearl, haipai-blue, waves, magnolia, circle); see docs. */
  static final String SVG_SHA256 = "1db9ac3dcdce751846be0fbbe37b40b0adcfb4b5a35f0ff889963d5394a1d81c";
}
