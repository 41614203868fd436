package io.shudu.core;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the signature of a webhook (or any event) the platform delivers to your endpoint. The platform sends the
 * header {@value #HEADER}{@code : t=<unix seconds>,v1=<hex>[,v1=<hex>...]} where each {@code v1} is the lower-case hex
 * HMAC-SHA256, under one of the endpoint's signing secrets, of the bytes {@code "<t>." + payload}. Several {@code v1}
 * values appear while a secret is being rotated. The verifier accepts a delivery when any {@code v1} matches any
 * configured secret (constant-time comparison) and the timestamp is within the tolerance window of its clock, in
 * either direction: too old is a late delivery or a replay, too far in the future is clock skew or a forgery. The
 * exact scheme and test vectors are in {@code docs/signing.md}. Immutable and thread-safe.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder()
 *     .secret(System.getenv("SHUDU_WEBHOOK_SECRET"))
 *     .tolerance(Duration.ofMinutes(5))
 *     .build();
 *
 * // in your HTTP handler, with the raw body bytes exactly as received:
 * try {
 *   verifier.verify(rawBody, request.getHeader(WebhookVerifier.HEADER));
 * } catch (SignatureVerificationException e) {
 *   return badRequest(e.getMessage());
 * }
 *
 * // in your tests, sign a payload the way the platform does:
 * String header = WebhookVerifier.sign("whsec_test", Instant.now(), "{\"type\":\"order.settled\"}");
 * }</pre>
 */
public final class WebhookVerifier {
  /** Name of the signature header. */
  public static final String HEADER = "Shudu-Signature";
  /** Default tolerance window: five minutes either way. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private final List<byte[]> secrets;
  private final Duration tolerance;
  private final Clock clock;

  private WebhookVerifier(Builder b) {
    ImmutableList.Builder<byte[]> s = ImmutableList.builder();
    for (String secret : b.secrets) {
      s.add(secret.getBytes(StandardCharsets.UTF_8));
    }
    this.secrets = s.build();
    this.tolerance = b.tolerance;
    this.clock = b.clock;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a delivery.
   *
   * @param payload the raw request body exactly as received (do not parse and re-serialise it first)
   * @param signatureHeader the value of the {@value #HEADER} header, possibly null
   * @return the signed timestamp
   * @throws SignatureVerificationException when the header is missing or malformed, the timestamp is outside the
   *     tolerance window, or no signature matches
   */
  public Instant verify(byte[] payload, String signatureHeader) {
    Preconditions.checkNotNull(payload, "payload must not be null (use an empty array for an empty body)");
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new SignatureVerificationException(SignatureVerificationException.Reason.MISSING_HEADER,
          "The " + HEADER + " header is missing. Check that your web framework passes request headers through "
          + "and that the delivery came from the Shudu platform.");
    }
    long timestamp = -1;
    List<byte[]> candidates = new ArrayList<>();
    for (String part : signatureHeader.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw malformed();
      }
      String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (timestamp != -1 || !value.matches("[0-9]{1,12}")) {
          throw malformed();
        }
        timestamp = Long.parseLong(value);
      } else if (key.equals("v1")) {
        if (!value.matches("[0-9a-fA-F]{64}")) {
          throw malformed();
        }
        candidates.add(value.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
      }
      // other schemes (v0, future versions) are ignored, so a newer platform can add them
    }
    if (timestamp < 0 || candidates.isEmpty()) {
      throw malformed();
    }
    Instant signedAt = Instant.ofEpochSecond(timestamp);
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(tolerance))) {
      throw new SignatureVerificationException(SignatureVerificationException.Reason.TIMESTAMP_TOO_OLD,
          "The delivery was signed at " + signedAt + ", more than " + tolerance.toSeconds() + " s before this "
          + "server's clock (" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): it is a late delivery "
          + "or a replay. Check this server's clock (NTP); widen the tolerance only if deliveries are known to queue.");
    }
    if (signedAt.isAfter(now.plus(tolerance))) {
      throw new SignatureVerificationException(SignatureVerificationException.Reason.TIMESTAMP_IN_FUTURE,
          "The delivery claims to be signed at " + signedAt + ", more than " + tolerance.toSeconds() + " s after "
          + "this server's clock (" + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "). Check this "
          + "server's clock (NTP).");
    }
    byte[] signedBytes = signedPayload(timestamp, payload);
    boolean match = false;
    for (byte[] secret : secrets) {
      byte[] expected = HexFormat.of().formatHex(hmac(secret, signedBytes)).getBytes(StandardCharsets.US_ASCII);
      for (byte[] candidate : candidates) {
        // evaluate every pair, so the time taken does not tell which secret or position matched
        match |= MessageDigest.isEqual(expected, candidate);
      }
    }
    if (!match) {
      throw new SignatureVerificationException(SignatureVerificationException.Reason.NO_MATCH,
          "No " + HEADER + " v1 signature matches (" + candidates.size() + " signature(s) checked against "
          + secrets.size() + " secret(s)). Check that the verifier uses this endpoint's signing secret (after a "
          + "rotation, configure both the old and the new one) and that the payload is the raw body as received, "
          + "not parsed and re-serialised.");
    }
    return signedAt;
  }

  /**
   * Verifies a delivery whose body is text (UTF-8).
   *
   * @param payload the raw body
   * @param signatureHeader the {@value #HEADER} header value, possibly null
   * @return the signed timestamp
   * @throws SignatureVerificationException when verification fails
   */
  public Instant verify(String payload, String signatureHeader) {
    Preconditions.checkNotNull(payload, "payload must not be null");
    return verify(payload.getBytes(StandardCharsets.UTF_8), signatureHeader);
  }

  /**
   * Signs a payload the way the platform does, for partners' tests and local tools.
   *
   * @param secret the endpoint's signing secret
   * @param timestamp the signing time (whole seconds are used)
   * @param payload the body bytes
   * @return the {@value #HEADER} header value {@code t=<unix>,v1=<hex>}
   */
  public static String sign(String secret, Instant timestamp, byte[] payload) {
    Preconditions.checkArgument(secret != null && !secret.isEmpty(), "secret must not be empty");
    Preconditions.checkNotNull(timestamp, "timestamp");
    Preconditions.checkNotNull(payload, "payload");
    long t = timestamp.getEpochSecond();
    Preconditions.checkArgument(t >= 0, "timestamp must not be before 1970, got %s", timestamp);
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
        signedPayload(t, payload)));
  }

  /**
   * Signs a text payload (UTF-8) the way the platform does.
   *
   * @param secret the endpoint's signing secret
   * @param timestamp the signing time (whole seconds are used)
   * @param payload the body
   * @return the {@value #HEADER} header value
   */
  public static String sign(String secret, Instant timestamp, String payload) {
    Preconditions.checkNotNull(payload, "payload");
    return sign(secret, timestamp, payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Signs a payload with several secrets at once, as the platform does while a secret is rotated.
   *
   * @param secrets the secrets, old and new
   * @param timestamp the signing time (whole seconds are used)
   * @param payload the body bytes
   * @return the header value {@code t=<unix>,v1=<hex>,v1=<hex>...}
   */
  public static String sign(List<String> secrets, Instant timestamp, byte[] payload) {
    Preconditions.checkArgument(secrets != null && !secrets.isEmpty(), "secrets must not be empty");
    StringBuilder sb = new StringBuilder();
    for (String s : secrets) {
      String one = sign(s, timestamp, payload);
      sb.append(sb.length() == 0 ? one : one.substring(one.indexOf(',')));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "WebhookVerifier{secrets=" + secrets.size() + " (REDACTED), tolerance=" + tolerance + ", clock=" + clock + "}";
  }

  private static SignatureVerificationException malformed() {
    return new SignatureVerificationException(SignatureVerificationException.Reason.MALFORMED_HEADER,
        "The " + HEADER + " header is malformed: expected t=<unix seconds>,v1=<64 hex digits>[,v1=...]. Check that "
        + "the header is passed through unchanged (no proxy rewriting it).");
  }

  private static byte[] signedPayload(long timestamp, byte[] payload) {
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[prefix.length + payload.length];
    System.arraycopy(prefix, 0, all, 0, prefix.length);
    System.arraycopy(payload, 0, all, prefix.length, payload.length);
    return all;
  }

  private static byte[] hmac(byte[] secret, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Builds a {@link WebhookVerifier}. Not thread-safe; the verifier is. */
  public static final class Builder {
    private final List<String> secrets = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a signing secret. Add both the old and the new secret while rotating.
     *
     * @param secret the endpoint's signing secret
     * @return this builder
     */
    public Builder secret(String secret) {
      Preconditions.checkArgument(secret != null && !secret.isBlank(),
          "secret must not be empty; use the signing secret shown for your webhook endpoint");
      secrets.add(secret);
      return this;
    }

    /**
     * How far the signed timestamp may be from the clock, in either direction (default 5 minutes).
     *
     * @param d positive, at most one day
     * @return this builder
     */
    public Builder tolerance(Duration d) {
      Preconditions.checkArgument(d != null && !d.isNegative() && !d.isZero() && d.compareTo(Duration.ofDays(1)) <= 0,
          "tolerance must be positive and at most one day, got %s", d);
      this.tolerance = d;
      return this;
    }

    /**
     * The clock the timestamp is checked against (default the system UTC clock; tests inject a fixed one).
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = Preconditions.checkNotNull(c, "clock");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @return the immutable verifier
     * @throws IllegalStateException when no secret was added
     */
    public WebhookVerifier build() {
      Preconditions.checkState(!secrets.isEmpty(), "add at least one secret: builder().secret(\"whsec_...\")");
      return new WebhookVerifier(this);
    }
  }
}
