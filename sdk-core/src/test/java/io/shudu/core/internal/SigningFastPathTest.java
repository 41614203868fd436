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
}
