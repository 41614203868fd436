package io.shudu.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Webhook signatures: the documented vectors, rotation, the tolerance window both ways, and safe messages. */
class WebhookVerifierTest {
  private static final String SECRET = "whsec_demo_4Kx9Qm2Lp7";
  private static final Instant T = Instant.ofEpochSecond(1724497153L);
  private static final String BODY_1 = "{\"id\":\"evt_001\",\"type\":\"order.settled\"}";
  private static final String HEADER_1 = "t=1724497153,v1=f202387f0871a86c9cef8be96c45d08f153a8359d9cde26576f33f803c225145";
  private static final String BODY_2 = "{\"id\":\"evt_002\",\"type\":\"twin.entity.updated\"}";
  private static final String HEADER_2 = "t=1724497153,v1=094a58faa3561b2da14957d39ca2d10f71f70ad706ec3115f5554d4a24892028,"
      + "v1=88d28ff17091805228975e361d1393ae71b64b87524d4ea569d08a455e2cb4e6";

  private static WebhookVerifier verifier(Instant now, String... secrets) {
    WebhookVerifier.Builder b = WebhookVerifier.builder().clock(Clock.fixed(now, ZoneOffset.UTC));
    for (String s : secrets) {
      b.secret(s);
    }
    return b.build();
  }

  private static String doc() throws Exception {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docs/signing.md"))) {
      p = p.getParent();
    }
    assertThat(p).isNotNull();
    return Files.readString(p.resolve("docs/signing.md"));
  }

  @Test
  void theDocumentedVectorsAreWhatTheSignerProducesAndTheVerifierAccepts() throws Exception {
    assertThat(T).isEqualTo(Instant.parse("2024-08-24T10:59:13Z"));
    assertThat(WebhookVerifier.sign(SECRET, T, BODY_1)).isEqualTo(HEADER_1);
    assertThat(WebhookVerifier.sign(List.of("whsec_old_1111", "whsec_new_2222"), T,
        BODY_2.getBytes(StandardCharsets.UTF_8))).isEqualTo(HEADER_2);
    String doc = doc();
    assertThat(doc).contains("Header: `" + HEADER_1 + "`").contains("Header: `" + HEADER_2 + "`")
        .contains("Secret `" + SECRET + "`, `t` = `1724497153`").contains("body `" + BODY_1 + "`")
        .contains("body `" + BODY_2 + "`").contains("Signed bytes: `1724497153." + BODY_1 + "`");

    assertThat(verifier(T, SECRET).verify(BODY_1, HEADER_1)).isEqualTo(T);
    assertThat(verifier(T.plusSeconds(30), "whsec_new_2222").verify(BODY_2, HEADER_2)).isEqualTo(T);
    assertThat(verifier(T, "whsec_old_1111").verify(BODY_2, HEADER_2)).isEqualTo(T);
    assertThat(verifier(T, "whsec_unrelated", "whsec_new_2222").verify(BODY_2.getBytes(StandardCharsets.UTF_8),
        HEADER_2)).isEqualTo(T);
  }

  @Test
  void theToleranceWindowIsEnforcedInBothDirections() {
    WebhookVerifier v = WebhookVerifier.builder().secret(SECRET).tolerance(Duration.ofMinutes(5))
        .clock(Clock.fixed(T, ZoneOffset.UTC)).build();
    assertThat(v.verify(BODY_1, WebhookVerifier.sign(SECRET, T.minusSeconds(300), BODY_1))).isNotNull();
    assertThat(v.verify(BODY_1, WebhookVerifier.sign(SECRET, T.plusSeconds(300), BODY_1))).isNotNull();

    Throwable old = catchThrowable(() -> v.verify(BODY_1, WebhookVerifier.sign(SECRET, T.minusSeconds(301), BODY_1)));
    assertThat(old).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("late delivery or a replay").hasMessageContaining("2024-08-24T10:54:12Z");
    assertThat(((SignatureVerificationException) old).reason())
        .isEqualTo(SignatureVerificationException.Reason.TIMESTAMP_TOO_OLD);

    Throwable future = catchThrowable(() -> v.verify(BODY_1, WebhookVerifier.sign(SECRET, T.plusSeconds(301), BODY_1)));
    assertThat(((SignatureVerificationException) future).reason())
        .isEqualTo(SignatureVerificationException.Reason.TIMESTAMP_IN_FUTURE);
    assertThat(future).hasMessageContaining("Check this server's clock");
  }

  @Test
  void aChangedBodyOrAWrongSecretDoesNotMatchAndTheMessageRevealsNothing() {
    String expected = WebhookVerifier.sign("whsec_right", T, BODY_1);
    for (Runnable attempt : List.<Runnable>of(
        () -> verifier(T, "whsec_right").verify(BODY_1.replace("settled", "refunded"), HEADER_1),
        () -> verifier(T, "whsec_right").verify(BODY_1, HEADER_1),
        () -> verifier(T, SECRET).verify(BODY_1 + " ", HEADER_1))) {
      Throwable t = catchThrowable(attempt::run);
      assertThat(t).isInstanceOf(SignatureVerificationException.class)
          .hasMessageContaining("signing secret").hasMessageContaining("raw body")
          .hasMessageNotContaining("whsec_right").hasMessageNotContaining(SECRET)
          .hasMessageNotContaining(expected.substring(expected.indexOf("v1=") + 3));
      assertThat(((SignatureVerificationException) t).reason()).isEqualTo(SignatureVerificationException.Reason.NO_MATCH);
      assertThat(t).isInstanceOf(ShuduException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "v1=abc", "t=abc,v1=f202387f0871a86c9cef8be96c45d08f153a8359d9cde26576f33f803c225145",
      "t=1724497153", "t=1724497153,v1=zz", "t=1724497153,t=1724497153,v1=f202387f0871a86c9cef8be96c45d08f153a8359d9cde26576f33f803c225145",
      "garbage", "t=1724497153;v1=f202387f0871a86c9cef8be96c45d08f153a8359d9cde26576f33f803c225145"})
  void malformedHeadersAreRefusedWithAHint(String header) {
    Throwable t = catchThrowable(() -> verifier(T, SECRET).verify(BODY_1, header));
    assertThat(t).isInstanceOf(SignatureVerificationException.class);
    SignatureVerificationException e = (SignatureVerificationException) t;
    assertThat(e.reason()).isIn(SignatureVerificationException.Reason.MALFORMED_HEADER,
        SignatureVerificationException.Reason.MISSING_HEADER);
    assertThat(e.getMessage()).contains("Shudu-Signature");
  }

  @Test
  void unknownSchemesAreIgnoredAndUpperCaseHexIsAccepted() {
    String upper = HEADER_1.replace("v1=f202", "v0=deadbeef,v2=cafe,v1=F202").toUpperCase().replace("T=", "t=")
        .replace("V0=", "v0=").replace("V2=", "v2=").replace("V1=", "v1=");
    assertThat(verifier(T, SECRET).verify(BODY_1, upper)).isEqualTo(T);
  }

  @Test
  void aMissingHeaderSaysSo() {
    Throwable t = catchThrowable(() -> verifier(T, SECRET).verify(BODY_1, null));
    assertThat(((SignatureVerificationException) t).reason()).isEqualTo(SignatureVerificationException.Reason.MISSING_HEADER);
  }

  @Test
  void theBuilderValidatesItsInputs() {
    assertThat(catchThrowable(() -> WebhookVerifier.builder().build())).hasMessageContaining("at least one secret");
    assertThat(catchThrowable(() -> WebhookVerifier.builder().secret(""))).hasMessageContaining("secret must not be empty");
    assertThat(catchThrowable(() -> WebhookVerifier.builder().tolerance(Duration.ZERO)))
        .hasMessageContaining("tolerance must be positive");
    assertThat(WebhookVerifier.builder().secret(SECRET).build().toString()).doesNotContain(SECRET);
  }

  @Test
  void theSystemClockIsTheDefault() {
    WebhookVerifier v = WebhookVerifier.builder().secret(SECRET).build();
    Instant now = Instant.now();
    assertThat(v.verify(BODY_1, WebhookVerifier.sign(SECRET, now, BODY_1))).isEqualTo(now.truncatedTo(
        java.time.temporal.ChronoUnit.SECONDS));
  }
}
