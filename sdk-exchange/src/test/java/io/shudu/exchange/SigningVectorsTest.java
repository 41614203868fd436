package io.shudu.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.internal.ExchangeCrypto;
import io.shudu.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/signing-exchange.md: each is recomputed here and must also appear verbatim in the document,
 * so the document, the SDK and the sandbox cannot drift apart.
 */
class SigningVectorsTest {
  static final String DOC = read();

  static String read() {
    try {
      return Files.readString(Path.of("..", "docs", "signing-exchange.md"), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("docs/signing-exchange.md is missing", e);
    }
  }

  static String documented(String value) {
    assertThat(DOC).as("docs/signing-exchange.md must state %s", value).contains(value);
    return value;
  }

  static byte[] leaf(String chunk) {
    var md = ExchangeCrypto.leafDigest();
    md.update(chunk.getBytes(StandardCharsets.UTF_8));
    return md.digest();
  }

  static KeyPair testKey() throws Exception {
    byte[] seed = HexFormat.of().parseHex(documented(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    g.initialize(255, new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] b) {
        System.arraycopy(seed, 0, b, 0, b.length);
      }
    });
    return g.generateKeyPair();
  }

  static String sign(KeyPair k, String message) throws Exception {
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(k.getPrivate());
    s.update(message.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }

  @Test
  void merkleTree() {
    List<byte[]> leaves = new ArrayList<>(List.of(leaf("shudu"), leaf("数据"), leaf("exchange")));
    assertThat(HexFormat.of().formatHex(leaves.get(0))).isEqualTo(documented(
        "ced10abe36c62eb3c4e3478071538e8a5bda934f868990863e431f772639b965"));
    assertThat(HexFormat.of().formatHex(leaves.get(1))).isEqualTo(documented(
        "8cf3b44a8d7d138d23640b3a16840cd22c2879ed01b19e18fcfdefc5e457169d"));
    assertThat(HexFormat.of().formatHex(leaves.get(2))).isEqualTo(documented(
        "d7f6ddb1b3c0f72e584a722cba2a5587440348f3c17a82d57d6017253fcfc8ac"));
    assertThat(ExchangeCrypto.merkleRoot(leaves.subList(0, 2))).isEqualTo(documented(
        "b80b39d3e14d60dc72aa640fa1fdd6121fc7f8f72041fa98d8ce08fd2af2dc4d"));
    assertThat(ExchangeCrypto.merkleRoot(leaves)).isEqualTo(documented(
        "15987b3b6f5820746225d7ccc50e8a43aeb2cc9afd906175e23d38a79040ea42"));
    assertThat(ExchangeCrypto.merkleRoot(List.of())).isEqualTo(documented(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }

  @Test
  void deliveryReceipt() throws Exception {
    KeyPair k = testKey();
    String x = documented("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg");
    byte[] enc = k.getPublic().getEncoded();
    assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(
        java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length))).isEqualTo(x);
    Receipt r = new Receipt("dlv_test1", "ord_test1", "dp-air-quality", "1.1.0", 8_388_608L,
        "15987b3b6f5820746225d7ccc50e8a43aeb2cc9afd906175e23d38a79040ea42", "2026-01-01T00:00:00Z", "sde-test",
        "Ed25519", documented("BUBq0wiITwQuM_Wldaeu_E5Wg8bzet3wL5VhJLwjeqemvSQtYclZBWxdCktNt6jjAoge0Tqj-YT5TSxT_3SNCQ"));
    assertThat(DOC).contains(r.signedMessage());
    assertThat(sign(k, r.signedMessage())).isEqualTo(r.signature());
    ExchangeDeliveries.verifyReceipt(r, List.of(new ExchangeKey("sde-test", "Ed25519", x)));
  }

  @Test
  void aReceiptSignatureCannotBeMovedToAReceiptWithShiftedFields() throws Exception {
    KeyPair k = testKey();
    List<ExchangeKey> keys = List.of(new ExchangeKey("sde-test", "Ed25519",
        "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg"));
    String root = "15987b3b6f5820746225d7ccc50e8a43aeb2cc9afd906175e23d38a79040ea42";
    Receipt signed = new Receipt("dlv_test1", "ord_test1", "dp-air-quality\n1.1.0", "2.0.0",
        8_388_608L, root, "2026-01-01T00:00:00Z", "sde-test", "Ed25519", null);
    String sig = sign(k, signed.signedMessage());
    Receipt shifted = new Receipt("dlv_test1", "ord_test1", "dp-air-quality", "1.1.0\n2.0.0",
        8_388_608L, root, "2026-01-01T00:00:00Z", "sde-test", "Ed25519", sig);
    assertThat(shifted.signedMessage()).isEqualTo(signed.signedMessage());
    for (Receipt r : List.of(shifted, new Receipt("dlv_test1", "ord_test1", "dp-air-quality\n"
        + "1.1.0", "2.0.0", 8_388_608L, root, "2026-01-01T00:00:00Z", "sde-test", "Ed25519", sig))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExchangeDeliveries.verifyReceipt(r, keys))
          .isInstanceOfSatisfying(ExchangeVerificationException.class, e -> assertThat(e.reason())
              .isEqualTo(ExchangeVerificationException.Reason.BAD_SIGNATURE));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExchangeDeliveries.verifyReceipt(new Receipt(
        "dlv_test1", "ord_test1", "dp-air-quality", null, 8_388_608L, root, "2026-01-01T00:00:00Z", "sde-test",
        "Ed25519", sig), keys)).isInstanceOf(ExchangeVerificationException.class);
  }

  @Test
  void auditChain() throws Exception {
    String c1 = ExchangeCrypto.auditCanonical(ExchangeCrypto.ZERO_HASH, 1, "ord_test1", "order.requested",
        "tenant:demo", "2026-01-01T00:00:00Z", "offer=of-air-quality");
    assertThat(DOC).contains("```text\n" + c1 + "```");
    String h1 = ExchangeCrypto.auditHash(ExchangeCrypto.ZERO_HASH, 1, "ord_test1", "order.requested", "tenant:demo",
        "2026-01-01T00:00:00Z", "offer=of-air-quality");
    String c2 = ExchangeCrypto.auditCanonical(h1, 2, "ord_test1", "order.offered", "merchant:m-datagrand",
        "2026-01-01T00:00:01Z", "");
    assertThat(DOC).contains("```text\n" + c2 + "```");
    String h2 = ExchangeCrypto.auditHash(h1, 2, "ord_test1", "order.offered", "merchant:m-datagrand",
        "2026-01-01T00:00:01Z", "");
    assertThat(h1).isEqualTo(documented("003b2a85f9047ea413e1abc1ee5e0d6de4e5d8ba5eb3ee5c52138216cf9e9265"))
        .isEqualTo(ExchangeCrypto.sha256Hex(c1));
    assertThat(h2).isEqualTo(documented("fc8c908f278aa685caa6701875684b2aff6b6ff8ef9c67458fc067aa62e0745b"))
        .isEqualTo(ExchangeCrypto.sha256Hex(c2));
    // the same hash computed without the SDK's helper, from the rule in the document
    StringBuilder manual = new StringBuilder();
    for (String f : List.of("shudu-audit-event-v2", ExchangeCrypto.ZERO_HASH, "1", "ord_test1", "order.requested",
        "tenant:demo", "2026-01-01T00:00:00Z", "offer=of-air-quality")) {
      manual.append(f.getBytes(StandardCharsets.UTF_8).length).append(':').append(f).append('\n');
    }
    assertThat(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(manual.toString().getBytes(StandardCharsets.UTF_8)))).isEqualTo(h1);
    String sig = documented("MhohqWRSHknX2DEApMSo1r3AKxWR_SfNEj5_lyRCqoHNKwGn72gXVTYN23_76JPSC9yb8OVFW7wfWmx-2BlvCw");
    assertThat(sign(testKey(), ExchangeCrypto.auditHeadMessage("ord_test1", 2, h2, "sde-test"))).isEqualTo(sig);
    AuditExport chain = new AuditExport("ord_test1", List.of(
        new AuditEvent(1, "ord_test1", "order.requested", "tenant:demo", "2026-01-01T00:00:00Z",
            "offer=of-air-quality", ExchangeCrypto.ZERO_HASH, h1),
        new AuditEvent(2, "ord_test1", "order.offered", "merchant:m-datagrand", "2026-01-01T00:00:01Z", "", h1,
            h2)),
        h2, "sde-test", sig);
    ExchangeAudit.verifyOffline(chain, List.of(new ExchangeKey("sde-test", "Ed25519",
        "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg")));
  }

  @Test
  void contentMovedFromOneFieldIntoTheNextChangesTheHash() {
    String h1 = documented("003b2a85f9047ea413e1abc1ee5e0d6de4e5d8ba5eb3ee5c52138216cf9e9265");
    String[] original = {h1, "2", "ord_test1", "order.terminated", "tenant:demo", "2026-01-01T00:00:01Z",
        "budget cut\nrefund: none"};
    String[] moved = {h1, "2", "ord_test1", "order.terminated", "tenant:demo", "2026-01-01T00:00:01Z\nbudget cut",
        "refund: none"};
    // the ambiguous version-1 form (fields joined with line feeds) could not tell them apart
    assertThat(ExchangeCrypto.sha256Hex(String.join("\n", original))).isEqualTo(ExchangeCrypto.sha256Hex(
        String.join("\n", moved))).isEqualTo(documented(
        "91b71842560635ef906c729e67a4ab8bf7cf8c79bdf0a19cc35453ed4ee5cb60"));
    String a = ExchangeCrypto.auditHash(original[0], 2, original[2], original[3], original[4], original[5],
        original[6]);
    String b = ExchangeCrypto.auditHash(moved[0], 2, moved[2], moved[3], moved[4], moved[5], moved[6]);
    assertThat(a).isEqualTo(documented("676637be6a82ef188948bd69836642004a04cf5c8ff8598a0901c6bd0ec90411"));
    assertThat(b).isEqualTo(documented("b53a4f0751b3f0cd0d90a4c470fa0d425b64fdb2fe2861fe1fdfa9f562c4ef84"))
        .isNotEqualTo(a);
  }

  @Test
  void provenanceHash() {
    Map<String, String> t1 = new LinkedHashMap<>();
    t1.put("background", "dawn");
    t1.put("landmark", "the-bund");
    t1.put("palette", "haipai-blue");
    t1.put("pattern", "plain");
    t1.put("emblem", "none");
    t1.put("frame", "none");
    Map<String, String> t2 = new LinkedHashMap<>(t1);
    t2.put("landmark", "yu-garden");
    assertThat(ExchangeCrypto.canonicalTraits(t1)).isEqualTo(documented(
        "background=dawn;landmark=the-bund;palette=haipai-blue;pattern=plain;emblem=none;frame=none"));
    String w1 = ExchangeCrypto.workHash("demo", 1, t1);
    String w2 = ExchangeCrypto.workHash("demo", 2, t2);
    assertThat(w1).isEqualTo(documented("b4b6177b8d70ae1729b8253b7ce6ff085e984a704fe181b2dc084db2e9c16336"));
    assertThat(w2).isEqualTo(documented("98daca97d462387a2a5ac0fae36df7e1c530986c924eca2b035e3aea5934c3cf"));
    assertThat(ExchangeCrypto.sha256Hex(w1 + w2)).isEqualTo(documented(
        "3aaacdb30645684cc7b370088f67249af3f78377fcf3316d4f0a8d87681e11be"));
  }

  @Test
  void theSeriesCommitmentAndTheSvgHashAreDocumented() {
    try (Sandbox sandbox = Sandbox.builder().simulationRate(0).start();
         ExchangeClient exchange = ExchangeClient.create(sandbox.clientConfig())) {
      documented(exchange.assets().collection(ExchangeAssets.SERIES).provenanceHash());
    }
    documented(AssetBoardTest.SVG_SHA256);
  }
}
