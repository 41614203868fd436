package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The signing hot path's shortcuts give exactly what the specified transformations give: header values collapsed
 * without a regular expression, and canonical paths of unreserved characters returned as sent.
 */
class SigningFastPathTest {
  private static final String ALPHABET = "aZ09-_.~ \t\n\u000B\f\r\u0001/%é😀:;,=+&";

  private static String random(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(max);
    for (int i = 0; i < n; i++) {
      sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0, r.nextInt(
          ALPHABET.codePointCount(0, ALPHABET.length())))));
    }
    return sb.toString();
  }

  @Test
  void collapsedHeaderValuesMatchTrimAndReplaceAllOnRandomInput() {
    Random r = new Random(20261201L);
    for (int i = 0; i < 50_000; i++) {
      String v = random(r, 24);
      StringBuilder sb = new StringBuilder();
      Signing.appendCollapsed(sb, v);
      assertThat(sb.toString()).as("value %s", v.codePoints().mapToObj(Integer::toHexString).toList())
          .isEqualTo(v.trim().replaceAll("\\s+", " "));
    }
  }

  @Test
  void canonicalPathsOfUnreservedCharactersAreThePathAsSent() {
    Random r = new Random(7L);
    String unreserved = "abcXYZ019-_.~/";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder p = new StringBuilder("/");
      int n = r.nextInt(30);
      for (int k = 0; k < n; k++) {
        p.append(unreserved.charAt(r.nextInt(unreserved.length())));
      }
      String path = p.toString();
      StringBuilder slow = new StringBuilder();
      String[] segs = path.split("/", -1);
      for (int k = 0; k < segs.length; k++) {
        if (k > 0) {
          slow.append('/');
        }
        slow.append(Signing.encode(java.net.URLDecoder.decode(segs[k].replace("+", "%2B"),
            java.nio.charset.StandardCharsets.UTF_8)));
      }
      assertThat(Signing.canonicalPath(path)).isEqualTo(slow.toString());
    }
    assertThat(Signing.canonicalPath("/a%2fb/c d")).isEqualTo("/a%2Fb/c%20d");
  }

  @Test
  void theReusedHmacEngineSignsWithWhicheverSecretItIsGiven() throws Exception {
    String a = "secret-a-0123456789";
    String b = new String("secret-b-0123456789".toCharArray());
    String bCopy = new String(b.toCharArray());
    for (int i = 0; i < 50; i++) {
      String secret = i % 3 == 0 ? a : i % 3 == 1 ? b : bCopy;
      String sts = "SHUDU-HMAC-SHA256\n20261201T050000Z\nnonce-" + i + "\n" + Signing.sha256Hex(new byte[i]);
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          "HmacSHA256"));
      String expected = java.util.HexFormat.of().formatHex(mac.doFinal(sts.getBytes(
          java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(Signing.signature(secret, sts)).isEqualTo(expected);
      assertThat(Signing.signature(secret, sts)).isEqualTo(expected);
    }
  }

  @Test
  void hexAndTheEmptyBodyHashMatchTheJdk() throws Exception {
    Random r = new Random(11L);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(40)];
      r.nextBytes(b);
      assertThat(Signing.hex(b)).isEqualTo(java.util.HexFormat.of().formatHex(b));
      int off = b.length == 0 ? 0 : r.nextInt(b.length);
      int len = b.length - off == 0 ? 0 : r.nextInt(b.length - off);
      assertThat(Signing.hex(b, off, len)).isEqualTo(java.util.HexFormat.of().formatHex(b, off, off + len));
      assertThat(Signing.sha256Hex(b)).isEqualTo(java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(b)));
    }
    assertThat(Signing.sha256Hex(new byte[0])).isEqualTo(java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(new byte[0])));
  }

  @Test
  void traceIdsAndTraceparentsAreWellFormedAndFresh() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String id = Tracing.newTraceId();
      assertThat(id).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      String tp = Tracing.traceparent(id);
      assertThat(Tracing.isValid(tp)).as(tp).isTrue();
      assertThat(tp).startsWith("00-" + id + "-").endsWith("-01");
      assertThat(seen.add(id)).isTrue();
      assertThat(seen.add(tp)).isTrue();
    }
  }

  /** The Authorization parser as first specified: split on commas, a map of the parts (the last repeated one wins). */
  private static Signing.Authorization parseBySplitting(String header) {
    if (header == null || !header.startsWith(Signing.ALGORITHM + " ")) {
      return null;
    }
    java.util.Map<String, String> parts = new java.util.LinkedHashMap<>();
    for (String p : header.substring(Signing.ALGORITHM.length() + 1).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
      }
    }
    String cred = parts.get("Credential");
    String signed = parts.get("SignedHeaders");
    String sig = parts.get("Signature");
    if (cred == null || signed == null || sig == null || cred.isEmpty() || sig.isEmpty()) {
      return null;
    }
    return new Signing.Authorization(cred, java.util.List.of(signed.split(";")), sig);
  }

  @Test
  void authorizationHeadersParseAsTheSplittingParserDid() {
    Random r = new Random(5L);
    String valid = Signing.ALGORITHM + " Credential=AK1, SignedHeaders=host;x-shudu-date, Signature=abc123";
    String alphabet = "=,; CredntialSgHds";
    int parsed = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder(valid);
      int edits = r.nextInt(4);
      for (int k = 0; k < edits; k++) {
        int at = Signing.ALGORITHM.length() + r.nextInt(sb.length() - Signing.ALGORITHM.length());
        switch (r.nextInt(3)) {
          case 0 -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> sb.deleteCharAt(at);
          default -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      if (r.nextInt(10) == 0) {
        sb.append(r.nextBoolean() ? ", Signature=second" : ",");
      }
      String h = sb.toString();
      Signing.Authorization expected = parseBySplitting(h);
      assertThat(Signing.parse(h)).as(h).isEqualTo(expected);
      if (expected != null) {
        parsed++;
      }
    }
    assertThat(parsed).isGreaterThan(10_000);
  }
}
