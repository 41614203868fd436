package io.shudu.core.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code SHUDU-HMAC-SHA256} request-signing scheme, shared by the client and the sandbox's verifier.
 * Specified, with test vectors, in {@code docs/signing.md}.
 */
public final class Signing {
  public static final String ALGORITHM = "SHUDU-HMAC-SHA256";
  public static final String DATE_HEADER = "X-Shudu-Date";
  public static final String NONCE_HEADER = "X-Shudu-Nonce";
  public static final String CONTENT_SHA256_HEADER = "X-Shudu-Content-Sha256";
  /** Headers always signed. */
  public static final List<String> MANDATORY_SIGNED = List.of("host", "x-shudu-content-sha256", "x-shudu-date",
      "x-shudu-nonce");
  /**
   * Headers signed whenever present, besides host and the three x-shudu-* headers; the verifier refuses a request
   * that carries one of them unsigned.
   */
  public static final List<String> OPTIONAL_SIGNED = List.of("content-type", "idempotency-key", "if-match",
      "if-none-match");

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** SHA-256 of the empty body (every GET, DELETE and HEAD signs it): hashed once. */
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  /**
   * One SHA-256 and one HmacSHA256 engine per thread: looking the algorithms up in the providers on every request
   * cost more than hashing a request (benchmarks/run.sh, signing). Both are reset before each use.
   */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  });
  /** The secret (the very String instance) this thread's HMAC engine was last initialised with. */
  private static final ThreadLocal<String> HMAC_SECRET = new ThreadLocal<>();
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  });

  private Signing() {}

  /** Parsed {@code Authorization} header of the scheme. */
  public record Authorization(String accessKeyId, List<String> signedHeaders, String signature) {
    @Override
    public String toString() {
      return "Authorization{accessKeyId=" + accessKeyId + ", signedHeaders=" + signedHeaders + ", signature=REDACTED}";
    }
  }

  /**
   * The canonical request.
   *
   * @param method HTTP method
   * @param rawPath path as sent (percent-encoded)
   * @param rawQuery query as sent, or null
   * @param signedHeaders lower-case header names mapped to their values, in any order
   * @param bodySha256Hex hex SHA-256 of the body
   * @return the canonical request text
   */
  public static String canonicalRequest(String method, String rawPath, String rawQuery,
      SortedMap<String, String> signedHeaders, String bodySha256Hex) {
    StringBuilder sb = new StringBuilder(256 + (rawPath == null ? 0 : rawPath.length())
        + (rawQuery == null ? 0 : rawQuery.length()));
    sb.append(method.toUpperCase(Locale.ROOT)).append('\n');
    sb.append(canonicalPath(rawPath)).append('\n');
    sb.append(canonicalQuery(rawQuery)).append('\n');
    for (Map.Entry<String, String> h : signedHeaders.entrySet()) {
      sb.append(h.getKey()).append(':');
      appendCollapsed(sb, h.getValue());
      sb.append('\n');
    }
    boolean first = true;
    for (String name : signedHeaders.keySet()) {
      if (!first) {
        sb.append(';');
      }
      sb.append(name);
      first = false;
    }
    sb.append('\n').append(bodySha256Hex);
    return sb.toString();
  }

  /** The string to sign. */
  public static String stringToSign(String timestamp, String nonce, String canonicalRequest) {
    return ALGORITHM + "\n" + timestamp + "\n" + nonce + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
  }

  /** Hex HMAC-SHA256 of the string to sign under the secret. */
  public static String signature(String secret, String stringToSign) {
    Mac mac = HMAC.get();
    // doFinal leaves the engine initialised with its key: a thread signing with the same secret again skips init
    if (HMAC_SECRET.get() != secret) {
      try {
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      } catch (InvalidKeyException e) {
        HMAC_SECRET.remove();
        throw new IllegalStateException("HmacSHA256 refused the key", e);
      }
      HMAC_SECRET.set(secret);
    }
    return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Appends a header value trimmed, with every run of whitespace as one space (what
   * {@code value.trim().replaceAll("\\s+", " ")} gives, without a regular expression per header).
   */
  static void appendCollapsed(StringBuilder sb, String value) {
    int from = 0;
    int to = value.length();
    while (from < to && value.charAt(from) <= ' ') {
      from++;
    }
    while (to > from && value.charAt(to - 1) <= ' ') {
      to--;
    }
    boolean inSpace = false;
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
        inSpace = true;
      } else {
        if (inSpace) {
          sb.append(' ');
          inSpace = false;
        }
        sb.append(c);
      }
    }
  }

  /** The Authorization header value. */
  public static String authorizationHeader(String accessKeyId, Iterable<String> signedHeaders, String signature) {
    return ALGORITHM + " Credential=" + accessKeyId + ", SignedHeaders=" + String.join(";", signedHeaders)
        + ", Signature=" + signature;
  }

  /** Parses an Authorization header of this scheme, or returns null when it is not one. */
  public static Authorization parse(String header) {
    if (header == null || !header.startsWith(ALGORITHM + " ")) {
      return null;
    }
    String cred = null;
    String signed = null;
    String sig = null;
    int from = ALGORITHM.length() + 1;
    while (from <= header.length()) {
      int comma = header.indexOf(',', from);
      int end = comma < 0 ? header.length() : comma;
      int eq = header.indexOf('=', from);
      if (eq > from && eq < end) {
        String name = header.substring(from, eq).trim();
        String value = header.substring(eq + 1, end).trim();
        // the last of a repeated part wins, as a map of the parts gives
        switch (name) {
          case "Credential" -> cred = value;
          case "SignedHeaders" -> signed = value;
          case "Signature" -> sig = value;
          default -> { }
        }
      }
      from = end + 1;
    }
    if (cred == null || signed == null || sig == null || cred.isEmpty() || sig.isEmpty()) {
      return null;
    }
    return new Authorization(cred, List.of(signed.split(";")), sig);
  }

  /** Hex SHA-256. */
  public static String sha256Hex(byte[] data) {
    if (data.length == 0) {
      return EMPTY_SHA256;
    }
    MessageDigest md = SHA256.get();
    md.reset();
    return hex(md.digest(data));
  }

  /** Lower-case hex of the bytes, in one array and one string. */
  public static String hex(byte[] bytes) {
    return hex(bytes, 0, bytes.length);
  }

  /** Lower-case hex of {@code len} bytes from {@code off}. */
  public static String hex(byte[] bytes, int off, int len) {
    byte[] out = new byte[len * 2];
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[2 * i] = HEX_DIGITS[b >>> 4];
      out[2 * i + 1] = HEX_DIGITS[b & 0xf];
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** Constant-time comparison of two hex strings. */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    if (unreservedOrSlash(rawPath)) {
      return rawPath; // each segment decodes and re-encodes to itself
    }
    StringBuilder sb = new StringBuilder();
    String[] segs = rawPath.split("/", -1);
    for (int i = 0; i < segs.length; i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(encode(decode(segs[i])));
    }
    return sb.toString();
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String[]> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq);
      String v = eq < 0 ? "" : p.substring(eq + 1);
      pairs.add(new String[] {encode(decode(k)), encode(decode(v))});
    }
    // Stable sort by name only: the values of a repeated parameter keep the order they were sent in, because the
    // platform reads them in that order (limit=1&limit=3 and limit=3&limit=1 mean different things).
    pairs.sort((x, y) -> x[0].compareTo(y[0]));
    StringBuilder sb = new StringBuilder();
    for (String[] kv : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(kv[0]).append('=').append(kv[1]);
    }
    return sb.toString();
  }

  private static boolean unreservedOrSlash(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** RFC 3986 encoding: unreserved characters kept, everything else as %XX of its UTF-8 bytes. */
  public static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
