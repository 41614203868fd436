package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.ClientConfig;
import io.shudu.core.RetryPolicy;
import io.shudu.core.okhttp.OkHttpTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SHUDU-HMAC-SHA256 test vectors of docs/signing.md: the code computes exactly the documented canonical request,
 * string to sign, signature and Authorization header; an independent HMAC computation agrees; and the full pipeline
 * sends the documented header over a real socket.
 */
class SigningVectorsTest {
  static final String AK = "AKDEMO0001";
  static final String SK = "sk_demo_7bXq3f9Lk2Vn8Rt4";
  static final String DATE = "20240824T105913Z";
  static final Instant AT = Instant.parse("2024-08-24T10:59:13Z");

  /** One documented vector: inputs and the expected values. */
  record Vector(String name, String method, String host, String rawPath, String rawQuery, String body,
      String contentType, String idempotencyKey, String ifMatch, String nonce, String canonical, String stringToSign,
      String signature, String signedHeaders) {}

  static Stream<Vector> vectors() {
    return Stream.of(
        new Vector("1", "GET", "api.shudu.example", "/v1/whoami", null, "", null, null, null,
            "5f2b8c1e9a7d4b3c8e1f2a9b7c6d5e4f",
            "GET\n/v1/whoami\n\nhost:api.shudu.example\n"
                + "x-shudu-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-shudu-date:20240824T105913Z\nx-shudu-nonce:5f2b8c1e9a7d4b3c8e1f2a9b7c6d5e4f\n"
                + "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "SHUDU-HMAC-SHA256\n20240824T105913Z\n5f2b8c1e9a7d4b3c8e1f2a9b7c6d5e4f\n"
                + "8fbee12aeb18326520db0b6b77517db305c2aa9d1b91db9b90ff317efd57a5f0",
            "764ffe0541dbd65f602f4578b4326dc4ddacf42b86012b01980f059298534332",
            "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce"),
        new Vector("2", "GET", "api.shudu.example", "/twin/v1/zones/Lingang%20Zone/entities",
            "type=building&limit=2&name=Dishui%20Lake&fields=name&fields=geometry", "", null, null, null,
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "GET\n/twin/v1/zones/Lingang%20Zone/entities\n"
                + "fields=name&fields=geometry&limit=2&name=Dishui%20Lake&type=building\nhost:api.shudu.example\n"
                + "x-shudu-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-shudu-date:20240824T105913Z\nx-shudu-nonce:0a1b2c3d4e5f60718293a4b5c6d7e8f9\n"
                + "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "SHUDU-HMAC-SHA256\n20240824T105913Z\n0a1b2c3d4e5f60718293a4b5c6d7e8f9\n"
                + "2be4a9fcd75cfca618e614392b1673e3859c6729c7dadad4db5ba4f3857219d9",
            "35e6caf33f3a937123995cb2e3912e963d92b660023a30c9e9d86fbb45d34ae9",
            "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce"),
        new Vector("3", "POST", "api.shudu.example:8443", "/exchange/v1/orders", null,
            "{\"productId\":\"p-001\",\"quantity\":2}", "application/json", "order-2024-0001", null,
            "c0ffee00c0ffee00c0ffee00c0ffee00",
            "POST\n/exchange/v1/orders\n\ncontent-type:application/json\nhost:api.shudu.example:8443\n"
                + "idempotency-key:order-2024-0001\n"
                + "x-shudu-content-sha256:6bd2946e90fc728d383fcd8959e1a0f7741a9533fd8a37c9d1d677ae2ac612f4\n"
                + "x-shudu-date:20240824T105913Z\nx-shudu-nonce:c0ffee00c0ffee00c0ffee00c0ffee00\n"
                + "content-type;host;idempotency-key;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce\n"
                + "6bd2946e90fc728d383fcd8959e1a0f7741a9533fd8a37c9d1d677ae2ac612f4",
            "SHUDU-HMAC-SHA256\n20240824T105913Z\nc0ffee00c0ffee00c0ffee00c0ffee00\n"
                + "9c4726b59116efe2f6b2ef5df5eb809885386473144cb017753077c9ff346027",
            "e11ec5ca4576e6daba3633ed0ee28fc2b0f6d41bc395c184425ddd3a24589ed4",
            "content-type;host;idempotency-key;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce"),
        repeated("4", "state=FINALIZED&limit=1&limit=3", "limit=1&limit=3&state=FINALIZED",
            "61fddbc0f7d7c7949e0cfa99067d447bfa19bfb997b3267a634d749bcfa034cc",
            "e0bac582b43cd1debcf26a8ddd5ce335f01bf8f31f89be88e5e31679edfc4087"),
        repeated("5", "state=FINALIZED&limit=3&limit=1", "limit=3&limit=1&state=FINALIZED",
            "24ace8206d37bd343664e5a4bb71650061c7eb0111453ac7a13e0a35eb835664",
            "7164d474af9726d43b0ed3b235510c76592a206e49072e7c9dcd2ee08b4962d1"),
        new Vector("6", "PATCH", "api.shudu.example", "/twin/v1/entities/bldg-001", null,
            "{\"properties\":{\"floors\":12}}", "application/merge-patch+json", "patch-2024-0001", "\"7\"",
            "abad1deaabad1deaabad1deaabad1dea",
            "PATCH\n/twin/v1/entities/bldg-001\n\ncontent-type:application/merge-patch+json\nhost:api.shudu.example\n"
                + "idempotency-key:patch-2024-0001\nif-match:\"7\"\n"
                + "x-shudu-content-sha256:408d617f1cbc0fe70aa0eb1e97eb300a7b4269195c484229d2caeb530f18e370\n"
                + "x-shudu-date:20240824T105913Z\nx-shudu-nonce:abad1deaabad1deaabad1deaabad1dea\n"
                + "content-type;host;idempotency-key;if-match;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce\n"
                + "408d617f1cbc0fe70aa0eb1e97eb300a7b4269195c484229d2caeb530f18e370",
            "SHUDU-HMAC-SHA256\n20240824T105913Z\nabad1deaabad1deaabad1deaabad1dea\n"
                + "59a836da2d73850faa4001c84964bdd0456130ca88d35eeac9f04222cc316b8d",
            "2be31f35bbaba248bc9e82c9bfbefe7ad5e26677ff0d6885e51b650821140286",
            "content-type;host;idempotency-key;if-match;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce"));
  }

  /** Vectors 4 and 5: the same GET with the values of a repeated parameter in either order. */
  static Vector repeated(String name, String rawQuery, String canonicalQuery, String canonicalHash, String signature) {
    String nonce = "1d2c3b4a59687766554433221100ffee";
    return new Vector(name, "GET", "api.shudu.example", "/exchange/v1/orders", rawQuery, "", null, null, null, nonce,
        "GET\n/exchange/v1/orders\n" + canonicalQuery + "\nhost:api.shudu.example\n"
            + "x-shudu-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            + "x-shudu-date:20240824T105913Z\nx-shudu-nonce:" + nonce + "\n"
            + "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce\n"
            + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "SHUDU-HMAC-SHA256\n20240824T105913Z\n" + nonce + "\n" + canonicalHash, signature,
        "host;x-shudu-content-sha256;x-shudu-date;x-shudu-nonce");
  }

  static String doc() throws IOException {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/signing.md"))) {
      p = p.getParent();
    }
    assertThat(p).as("docs/signing.md above the working directory").isNotNull();
    return Files.readString(p.resolve("docs/signing.md"));
  }

  private static String authorization(Vector v) {
    return "SHUDU-HMAC-SHA256 Credential=" + AK + ", SignedHeaders=" + v.signedHeaders() + ", Signature="
        + v.signature();
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void theCodeComputesTheDocumentedValues(Vector v) throws Exception {
    byte[] body = v.body().getBytes(StandardCharsets.UTF_8);
    String bodyHash = Signing.sha256Hex(body);
    TreeMap<String, String> headers = new TreeMap<>();
    headers.put("host", v.host());
    headers.put("x-shudu-date", DATE);
    headers.put("x-shudu-nonce", v.nonce());
    headers.put("x-shudu-content-sha256", bodyHash);
    if (v.contentType() != null) {
      headers.put("content-type", v.contentType());
    }
    if (v.idempotencyKey() != null) {
      headers.put("idempotency-key", v.idempotencyKey());
    }
    if (v.ifMatch() != null) {
      headers.put("if-match", v.ifMatch());
    }
    String canonical = Signing.canonicalRequest(v.method(), v.rawPath(), v.rawQuery(), headers, bodyHash);
    assertThat(canonical).isEqualTo(v.canonical());
    String sts = Signing.stringToSign(DATE, v.nonce(), canonical);
    assertThat(sts).isEqualTo(v.stringToSign());
    assertThat(Signing.signature(SK, sts)).isEqualTo(v.signature());

    // the same chain computed without the SDK's helpers
    String canonicalHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(v.canonical().getBytes(StandardCharsets.UTF_8)));
    assertThat(v.stringToSign()).endsWith("\n" + canonicalHash);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SK.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    assertThat(HexFormat.of().formatHex(mac.doFinal(v.stringToSign().getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(v.signature());
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void theDocumentShowsExactlyTheseValues(Vector v) throws Exception {
    String doc = doc();
    assertThat(doc).contains("#### Vector " + v.name() + ":");
    assertThat(doc).contains("Canonical request:\n\n```text\n" + v.canonical() + "\n```");
    assertThat(doc).contains("String to sign:\n\n```text\n" + v.stringToSign() + "\n```");
    assertThat(doc).contains("Signature: `" + v.signature() + "`");
    assertThat(doc).contains("Authorization: `" + authorization(v) + "`");
    assertThat(doc).contains("nonce `" + v.nonce() + "`");
    assertThat(doc).contains("secret access key `" + SK + "`").contains("access key id `" + AK + "`")
        .contains("signing time\n`" + DATE + "`");
  }

  private static String one(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as(what + " in:\n" + text).isTrue();
    return m.group(1);
  }

  /**
   * Reads each vector of docs/signing.md as a reader would: the inputs from its "Request:" lines (method, URL, headers,
   * body, nonce) and the key and time from the section's introduction, then computes the canonical request, string to
   * sign, signature and Authorization header from them alone and compares with what the vector shows. A byte count
   * the text gives for a body must be its UTF-8 length.
   */
  @Test
  void eachVectorsRequestLinesProduceItsDocumentedValues() throws Exception {
    String doc = doc();
    String section = doc.substring(doc.indexOf("### 1.6 Test vectors"), doc.indexOf("## 2. "));
    String ak = one(Pattern.compile("access key id `([^`]+)`"), section, "access key id");
    String sk = one(Pattern.compile("secret access key `([^`]+)`"), section, "secret access key");
    String date = one(Pattern.compile("signing time\\s+`([^`]+)`"), section, "signing time");
    List<String> names = new ArrayList<>();
    String[] parts = section.split("(?m)^#### Vector ");
    for (int i = 1; i < parts.length; i++) {
      String v = parts[i];
      String name = v.substring(0, v.indexOf(':'));
      names.add(name);
      String inputs = v.substring(v.indexOf("Request:"), v.indexOf("Canonical request:")).replaceAll("\\s+", " ");
      Matcher rl = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (\\S+)`").matcher(inputs);
      assertThat(rl.find()).as("vector " + name + ": request line in " + inputs).isTrue();
      String method = rl.group(1);
      URI url = URI.create(rl.group(2));
      TreeMap<String, String> headers = new TreeMap<>();
      headers.put("host", url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
      Matcher h = Pattern.compile("`(Content-Type|Idempotency-Key|If-Match): ([^`]+)`").matcher(inputs);
      while (h.find()) {
        headers.put(h.group(1).toLowerCase(java.util.Locale.ROOT), h.group(2));
      }
      String body = "";
      Matcher b = Pattern.compile("(?:(\\d+)-byte )?body `([^`]+)`").matcher(inputs);
      if (b.find()) {
        body = b.group(2);
        if (b.group(1) != null) {
          assertThat(body.getBytes(StandardCharsets.UTF_8)).as("vector " + name + ": the body's stated length")
              .hasSize(Integer.parseInt(b.group(1)));
        }
      }
      assertThat(headers.containsKey("content-type")).as("vector " + name + ": a body has a Content-Type")
          .isEqualTo(!body.isEmpty());
      String nonce = one(Pattern.compile("nonce\\s+`([0-9a-f]{32})`"), inputs, "vector " + name + " nonce");
      String bodyHash = Signing.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
      headers.put("x-shudu-date", date);
      headers.put("x-shudu-nonce", nonce);
      headers.put("x-shudu-content-sha256", bodyHash);

      String canonical = Signing.canonicalRequest(method, url.getRawPath(), url.getRawQuery(), headers, bodyHash);
      String sts = Signing.stringToSign(date, nonce, canonical);
      String signature = Signing.signature(sk, sts);
      String shownCanonical = one(Pattern.compile("Canonical request:\\s+```text\\n(.*?)\\n```", Pattern.DOTALL), v,
          "vector " + name + " canonical request");
      String shownSts = one(Pattern.compile("String to sign:\\s+```text\\n(.*?)\\n```", Pattern.DOTALL), v,
          "vector " + name + " string to sign");
      assertThat(canonical).as("vector " + name + " canonical request").isEqualTo(shownCanonical);
      assertThat(sts).as("vector " + name + " string to sign").isEqualTo(shownSts);
      assertThat(one(Pattern.compile("Signature: `([0-9a-f]+)`"), v, "signature")).as("vector " + name)
          .isEqualTo(signature);
      assertThat(one(Pattern.compile("Authorization: `([^`]+)`"), v, "authorization")).as("vector " + name)
          .isEqualTo(Signing.authorizationHeader(ak, headers.keySet(), signature));
    }
    assertThat(names).as("the vectors of the document").containsExactly("1", "2", "3", "4", "5", "6");
  }

  @ParameterizedTest(name = "vector {0}")
  @MethodSource("vectors")
  void thePipelineSendsTheDocumentedHeadersOverTheWire(Vector v) throws Exception {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start();
      proxy.enqueue(new MockResponse.Builder().code(200).body("{}").build());
      OkHttpClient viaProxy = new OkHttpClient.Builder().proxy(proxy.getProxyAddress()).build();
      ApiClient api = new ApiClient(ClientConfig.builder().endpoint("http://" + v.host())
          .transport(OkHttpTransport.of(viaProxy)).retryPolicy(RetryPolicy.none())
          .credentials(Auth.accessKey(AK, SK, Clock.fixed(AT, ZoneOffset.UTC), v::nonce)).build(), "test");
      ApiRequest.Builder b;
      if (v.name().equals("2")) {
        b = ApiRequest.builder("vector", "GET", "/twin/v1/zones/{}/entities", "Lingang Zone").query("type", "building")
            .query("limit", 2).query("name", "Dishui Lake").query("fields", "name").query("fields", "geometry");
      } else {
        b = ApiRequest.builder("vector", v.method(), v.rawPath());
        if (v.rawQuery() != null) {
          for (String kv : v.rawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            b.query(p[0], p[1]);
          }
        }
      }
      if (v.ifMatch() != null) {
        b.header("If-Match", v.ifMatch());
      }
      if (v.contentType() != null) {
        b.body(v.body().getBytes(StandardCharsets.UTF_8), v.contentType());
      }
      if (v.idempotencyKey() != null) {
        b.options(io.shudu.core.RequestOptions.builder().idempotencyKey(v.idempotencyKey()).build());
      }
      api.execute(b.build());
      RecordedRequest sent = proxy.takeRequest();
      assertThat(sent.getHeaders().get("Authorization")).isEqualTo(authorization(v));
      assertThat(sent.getHeaders().get("Host")).isEqualTo(v.host());
      assertThat(sent.getHeaders().get("X-Shudu-Date")).isEqualTo(DATE);
      assertThat(sent.getHeaders().get("X-Shudu-Nonce")).isEqualTo(v.nonce());
    }
  }

  @Test
  void canonicalisationRules() {
    assertThat(Signing.canonicalPath("")).isEqualTo("/");
    assertThat(Signing.canonicalPath("/a b/c%2fd/Things(1)")).isEqualTo("/a%20b/c%2Fd/Things%281%29");
    assertThat(Signing.canonicalPath("/%E4%B8%B4%E6%B8%AF")).isEqualTo("/%E4%B8%B4%E6%B8%AF"); // 临港, upper-case hex
    assertThat(Signing.canonicalQuery("b=2&a=1&a=0&flag&q=a+b&e=%7e")).isEqualTo("a=1&a=0&b=2&e=~&flag=&q=a%2Bb");
    // the values of a repeated name keep their order (the platform reads them in that order), names are sorted
    assertThat(Signing.canonicalQuery("limit=1&limit=3")).isEqualTo("limit=1&limit=3");
    assertThat(Signing.canonicalQuery("limit=3&limit=1")).isEqualTo("limit=3&limit=1");
    assertThat(Signing.canonicalQuery("z=1&limit=3&a=2&limit=1")).isEqualTo("a=2&limit=3&limit=1&z=1");
    TreeMap<String, String> h = new TreeMap<>();
    h.put("host", "  api.shudu.example ");
    h.put("x-custom", "a   b\t c");
    assertThat(Signing.canonicalRequest("get", "/", null, h, "x")).isEqualTo(
        "GET\n/\n\nhost:api.shudu.example\nx-custom:a b c\nhost;x-custom\nx");
  }

  @Test
  void everyAttemptGetsAFreshNonce() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse.Builder().code(503).build());
      server.enqueue(new MockResponse.Builder().code(200).body("{}").build());
      ApiClient api = new ApiClient(ClientConfig.builder().endpoint(server.url("/").toString())
          .credentials(io.shudu.core.Credentials.accessKey(AK, SK))
          .retryPolicy(RetryPolicy.builder().baseDelay(java.time.Duration.ofMillis(1))
              .maxDelay(java.time.Duration.ofMillis(2)).build()).build(), "test");
      api.execute(ApiRequest.builder("t", "GET", "/x").build());
      String n1 = server.takeRequest().getHeaders().get("X-Shudu-Nonce");
      String n2 = server.takeRequest().getHeaders().get("X-Shudu-Nonce");
      assertThat(n1).matches("[0-9a-f]{32}");
      assertThat(n2).matches("[0-9a-f]{32}").isNotEqualTo(n1);
    }
  }
}
