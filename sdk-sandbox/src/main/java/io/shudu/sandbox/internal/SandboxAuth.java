package io.shudu.sandbox.internal;

import io.shudu.core.internal.Signing;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the platform's three auth schemes and maps credentials to tenants: {@code X-Api-Key}; AK/SK signatures
 * ({@code SHUDU-HMAC-SHA256}, 5-minute timestamp window, nonces remembered for the window so a replay is refused);
 * OAuth2 bearer tokens issued by {@code POST /oauth2/token} (client credentials).
 */
public final class SandboxAuth {
  /** A tenant's secrets. */
  public record TenantKeys(String tenant, String apiKey, String accessKeyId, String secretAccessKey, String clientId,
      String clientSecret) {
    @Override
    public String toString() {
      return "TenantKeys{" + tenant + ", REDACTED}";
    }
  }

  private record Token(String tenant, Instant expiresAt) {}

  public static final Duration SIGNATURE_WINDOW = Duration.ofMinutes(5);
  public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, TenantKeys> byTenant = new ConcurrentHashMap<>();
  private final Map<String, TenantKeys> byApiKey = new ConcurrentHashMap<>();
  private final Map<String, TenantKeys> byAccessKey = new ConcurrentHashMap<>();
  private final Map<String, TenantKeys> byClientId = new ConcurrentHashMap<>();
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, ArrayDeque<String>> tokensByTenant = new ConcurrentHashMap<>();
  private final NonceCache nonces = new NonceCache(SIGNATURE_WINDOW.multipliedBy(2));
  private volatile Duration tokenLifetime = Duration.ofMinutes(10);
  private volatile int maxTokensPerTenant = 1000;

  private volatile int maxTenants = Integer.MAX_VALUE;

  /** An authenticator using {@code clock} for signature windows and token expiry. */
  public SandboxAuth(Clock clock) {
    this.clock = clock;
  }

  /** Returns the tenant's keys, creating them on first use. */
  public TenantKeys tenant(String name) {
    TenantKeys existing = byTenant.get(name);
    if (existing != null) {
      return existing;
    }
    synchronized (this) { // with create(...): credentials stay unique
      if (!byTenant.containsKey(name)) {
        checkRoomForTenant(name);
      }
      return byTenant.computeIfAbsent(name, n -> {
        TenantKeys k = new TenantKeys(n, "sk_test_" + n + "_" + hex(16), "AK" + n.toUpperCase(Locale.ROOT) + hex(6),
            hex(24), "client-" + n, hex(20));
        byApiKey.put(k.apiKey(), k);
        byAccessKey.put(k.accessKeyId(), k);
        byClientId.put(k.clientId(), k);
        return k;
      });
    }
  }

  /**
   * Creates a tenant with some of its credentials given (null ones are generated), for a command line that must keep
   * the same keys across restarts.
   *
   * @throws IllegalArgumentException if the tenant exists already or another tenant uses one of the credentials
   */
  public synchronized TenantKeys create(String name, String apiKey, String accessKeyId, String secretAccessKey,
      String clientId, String clientSecret) {
    if (byTenant.containsKey(name)) {
      throw new IllegalArgumentException("tenant '" + name + "' exists already");
    }
    checkRoomForTenant(name);
    TenantKeys k = new TenantKeys(name, apiKey != null ? apiKey : "sk_test_" + name + "_" + hex(16),
        accessKeyId != null ? accessKeyId : "AK" + name.toUpperCase(Locale.ROOT) + hex(6),
        secretAccessKey != null ? secretAccessKey : hex(24), clientId != null ? clientId : "client-" + name,
        clientSecret != null ? clientSecret : hex(20));
    // a credential shared by two tenants would let one act as the other: refuse it (without echoing the secret)
    if (byApiKey.containsKey(k.apiKey())) {
      throw new IllegalArgumentException("the API key given for tenant '" + name + "' is used by another tenant");
    }
    if (byAccessKey.containsKey(k.accessKeyId())) {
      throw new IllegalArgumentException("the access key id given for tenant '" + name + "' is used by another "
          + "tenant");
    }
    if (byClientId.containsKey(k.clientId())
        || (k.clientId().startsWith("client-") && !k.clientId().equals("client-" + name))) {
      throw new IllegalArgumentException("the OAuth2 client id given for tenant '" + name + "' is used by another "
          + "tenant (ids 'client-<name>' are reserved for the tenant <name>)");
    }
    byApiKey.put(k.apiKey(), k);
    byAccessKey.put(k.accessKeyId(), k);
    byClientId.put(k.clientId(), k);
    byTenant.put(name, k);
    return k;
  }

  /** Sets the per-tenant bounds: live OAuth2 tokens, and nonces remembered per access key in the replay window. */
  public void limits(int maxTokens, int maxNoncesPerKey) {
    this.maxTokensPerTenant = maxTokens;
    nonces.maxPerKey(maxNoncesPerKey);
  }

  /** Sets how many tenants this sandbox holds at most (each gets its own twin and SensorThings copy). */
  public void maxTenants(int n) {
    this.maxTenants = n;
  }

  /** Tenants held (for tests). */
  public int tenantCount() {
    return byTenant.size();
  }

  private void checkRoomForTenant(String name) {
    if (byTenant.size() >= maxTenants) {
      throw new IllegalStateException("cannot create tenant '" + name + "': this sandbox already holds " + maxTenants
          + " tenants (limit maxTenants); each has its own twin and SensorThings data. Reuse a tenant, or raise the "
          + "limit with --limit maxTenants=<n> or SandboxLimits.builder().maxTenants(n)");
    }
  }

  /** Live OAuth2 tokens held, all tenants (for tests). */
  public int tokenCount() {
    return tokens.size();
  }

  /** Nonces remembered, all access keys (for tests). */
  public int nonceCount() {
    return nonces.size();
  }

  /**
   * Remembers a nonce of an access key as a signed request arriving now would (tests: a full replay window without
   * sending every request).
   *
   * @return false when the nonce was already remembered
   */
  public boolean rememberNonce(String accessKeyId, String nonce) {
    return nonces.add(accessKeyId, nonce, clock.instant());
  }

  /**
   * Nonce queue entries looked at by expiry since start (tests: expiry polls the front, it never scans).
   *
   * @return the count
   */
  public long nonceEntriesExamined() {
    return nonces.examined();
  }

  /**
   * Checks, once the body has been read, that a signed request's body is the one its signature covers
   * ({@link #authenticate} ran on the head alone, before any body byte was read).
   *
   * @throws Problem 401 when X-Shudu-Content-Sha256 does not match the body
   */
  public void verifyBody(Request r) {
    String authz = r.header("Authorization");
    if (r.header("X-Api-Key") == null && authz != null && authz.startsWith(Signing.ALGORITHM + " ")
        && !Signing.sha256Hex(r.body()).equals(r.header(Signing.CONTENT_SHA256_HEADER))) {
      throw Problem.unauthorized("X-Shudu-Content-Sha256 does not match the body that arrived.");
    }
  }

  /** Sets the lifetime of issued access tokens (tests shorten it). */
  public void tokenLifetime(Duration d) {
    this.tokenLifetime = d;
  }

  /**
   * Authenticates a request and returns its tenant. With a null body (the server authenticates the head before it
   * reads the body), a signed request's body hash is checked later by {@link #verifyBody}.
   *
   * @throws Problem 401 with a message saying which scheme failed and how to fix it
   */
  public String authenticate(Request r) {
    String apiKey = r.header("X-Api-Key");
    String authz = r.header("Authorization");
    if (apiKey != null) {
      TenantKeys k = byApiKey.get(apiKey.trim());
      if (k == null) {
        throw Problem.unauthorized("The API key in X-Api-Key is not known to this platform. Check the key you "
            + "configured (a sandbox prints its keys at start-up; Sandbox.tenant(name).apiKey() in code).")
            .with("code", "invalid_api_key");
      }
      return k.tenant();
    }
    if (authz != null && authz.startsWith(Signing.ALGORITHM + " ")) {
      return verifySignature(r, authz);
    }
    if (authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Token t = tokens.get(authz.substring(7).trim());
      if (t == null) {
        throw Problem.unauthorized("The bearer token is not known; fetch a new one from /oauth2/token.")
            .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      }
      if (!clock.instant().isBefore(t.expiresAt())) {
        tokens.remove(authz.substring(7).trim());
        throw Problem.unauthorized("The bearer token expired at " + t.expiresAt() + "; fetch a new one from /oauth2/token.")
            .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"expired\"");
      }
      return t.tenant();
    }
    throw Problem.unauthorized("No credentials were sent. Send X-Api-Key, a SHUDU-HMAC-SHA256 signature, or an "
        + "OAuth2 bearer token (see docs/signing.md).").header("WWW-Authenticate", "Bearer");
  }

  /**
   * Parses an X-Shudu-Date value as {@link #TIMESTAMP} does. The common shape (every field plainly in range) is read
   * digit by digit, because the formatter's parse cost a fifth of a signature check; anything else goes to the
   * formatter, so that both accept and refuse exactly the same values (SignatureTimestampTest).
   *
   * @param date the header value
   * @return the instant
   * @throws DateTimeParseException when the formatter refuses the value
   */
  static Instant parseTimestamp(String date) {
    if (date.length() == 16 && date.charAt(8) == 'T' && date.charAt(15) == 'Z') {
      int year = digits(date, 0, 4);
      int month = digits(date, 4, 2);
      int day = digits(date, 6, 2);
      int hour = digits(date, 9, 2);
      int minute = digits(date, 11, 2);
      int second = digits(date, 13, 2);
      if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour >= 0 && hour <= 23
          && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
        return java.time.LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.UTC);
      }
    }
    return Instant.from(TIMESTAMP.parse(date));
  }

  /** The decimal number of {@code n} ASCII digits at {@code from}, or -1 if any is not a digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private String verifySignature(Request r, String header) {
    Signing.Authorization a = Signing.parse(header);
    if (a == null) {
      throw Problem.unauthorized("The Authorization header is malformed; expected 'SHUDU-HMAC-SHA256 Credential=<ak>, "
          + "SignedHeaders=<h1;h2>, Signature=<hex>'.");
    }
    TenantKeys k = byAccessKey.get(a.accessKeyId());
    if (k == null) {
      throw Problem.unauthorized("The access key id '" + a.accessKeyId() + "' is not known to this platform.");
    }
    String date = r.header(Signing.DATE_HEADER);
    String nonce = r.header(Signing.NONCE_HEADER);
    String bodyHash = r.header(Signing.CONTENT_SHA256_HEADER);
    if (date == null || nonce == null || bodyHash == null) {
      throw Problem.unauthorized("A signed request needs the headers X-Shudu-Date, X-Shudu-Nonce and "
          + "X-Shudu-Content-Sha256.");
    }
    if (nonce.length() > NonceCache.MAX_NONCE_LENGTH) {
      // checked before anything is stored: the nonces held per access key are bounded in bytes, not only in count
      throw new Problem(401, "nonce_too_long", "Authentication required", "X-Shudu-Nonce is " + nonce.length()
          + " characters; send at most " + NonceCache.MAX_NONCE_LENGTH + " (the SDK sends 32 random hex digits).")
          .with("limit", "maxNonceLength").with("max", NonceCache.MAX_NONCE_LENGTH);
    }
    for (String required : Signing.MANDATORY_SIGNED) {
      if (!a.signedHeaders().contains(required)) {
        throw Problem.unauthorized("SignedHeaders must include " + required + ".");
      }
    }
    for (String optional : Signing.OPTIONAL_SIGNED) {
      if (r.header(optional) != null && !a.signedHeaders().contains(optional)) {
        throw Problem.unauthorized("The request carries " + optional + " but does not sign it: sign "
            + String.join(", ", Signing.OPTIONAL_SIGNED) + " whenever present (see docs/signing.md).")
            .with("code", "unsigned_header");
      }
    }
    Instant at;
    try {
      at = parseTimestamp(date);
    } catch (DateTimeParseException e) {
      throw Problem.unauthorized("X-Shudu-Date must look like 20240824T105913Z (UTC), got '" + date + "'.");
    }
    Instant now = clock.instant();
    if (Duration.between(at, now).abs().compareTo(SIGNATURE_WINDOW) > 0) {
      throw Problem.unauthorized("The request timestamp " + date + " is more than 5 minutes away from the platform's "
          + "clock (" + TIMESTAMP.format(now) + "). Synchronise the client clock (NTP).").with("code", "clock_skew");
    }
    if (r.body() != null && !Signing.sha256Hex(r.body()).equals(bodyHash)) {
      throw Problem.unauthorized("X-Shudu-Content-Sha256 does not match the body that arrived.");
    }
    TreeMap<String, String> signed = new TreeMap<>();
    for (String h : a.signedHeaders()) {
      List<String> values = r.headers().get(h.toLowerCase(Locale.ROOT));
      if (values == null || values.isEmpty()) {
        throw Problem.unauthorized("Signed header '" + h + "' is missing from the request.");
      }
      if (values.size() > 1) {
        throw Problem.unauthorized("Signed header '" + h + "' appears " + values.size() + " times; send each signed "
            + "header once.").with("code", "repeated_header");
      }
      signed.put(h, values.get(0));
    }
    String rawPath = r.uri().getRawPath();
    String canonical = Signing.canonicalRequest(r.method(), rawPath, r.rawQuery(), signed, bodyHash);
    String expected = Signing.signature(k.secretAccessKey(), Signing.stringToSign(date, nonce, canonical));
    if (!Signing.constantTimeEquals(expected, a.signature())) {
      throw Problem.unauthorized("The request signature does not match. Check the secret access key and that the "
          + "request was not changed after signing (see docs/signing.md for the canonical request).")
          .with("code", "signature_mismatch");
    }
    if (!nonces.add(a.accessKeyId(), nonce, now)) {
      throw Problem.unauthorized("This nonce was already used: the request is a replay. Send a fresh nonce with "
          + "every request.").with("code", "replayed_nonce");
    }
    return k.tenant();
  }

  /** The OAuth2 token endpoint: client credentials in Basic auth or in the form. */
  public Map<String, Object> issueToken(Request r) {
    String ct = r.header("Content-Type");
    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw oauthError(400, "invalid_request", "Send the token request as application/x-www-form-urlencoded.");
    }
    Map<String, String> form = new TreeMap<>();
    Request.parseQuery(r.bodyString(), true).forEach((name, values) -> form.put(name, values.get(values.size() - 1)));
    if (!"client_credentials".equals(form.get("grant_type"))) {
      throw oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
    }
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = r.header("Authorization");
    if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8);
        int c = decoded.indexOf(':');
        if (c > 0) {
          id = java.net.URLDecoder.decode(decoded.substring(0, c), StandardCharsets.UTF_8);
          secret = java.net.URLDecoder.decode(decoded.substring(c + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        throw oauthError(401, "invalid_client", "The Basic authorization header is not valid base64.");
      }
    }
    TenantKeys k = id == null ? null : byClientId.get(id);
    if (k == null || secret == null || !Signing.constantTimeEquals(k.clientSecret(), secret)) {
      throw oauthError(401, "invalid_client", "Unknown client id or wrong client secret.");
    }
    String token = "at_" + hex(24);
    Duration life = tokenLifetime;
    Instant now = clock.instant();
    tokens.put(token, new Token(k.tenant(), now.plus(life)));
    ArrayDeque<String> mine = tokensByTenant.computeIfAbsent(k.tenant(), t -> new ArrayDeque<>());
    synchronized (mine) {
      mine.addLast(token);
      while (mine.size() > maxTokensPerTenant) {
        tokens.remove(mine.pollFirst()); // the oldest live token is revoked
      }
    }
    for (ArrayDeque<String> q : tokensByTenant.values()) {
      purgeTokens(q, now);
    }
    return Map.of("access_token", token, "token_type", "Bearer", "expires_in", life.toSeconds());
  }

  /** Drops expired tokens from the front of a tenant's queue (issued in order): amortised O(1) per token. */
  private void purgeTokens(ArrayDeque<String> q, Instant now) {
    synchronized (q) {
      String head;
      while ((head = q.peekFirst()) != null) {
        Token t = tokens.get(head);
        if (t != null && now.isBefore(t.expiresAt())) {
          return;
        }
        q.pollFirst();
        tokens.remove(head);
      }
    }
  }

  private static Problem oauthError(int status, String error, String description) {
    return new Problem(status, error, "OAuth2 token request failed", description)
        .with("error", error).with("error_description", description);
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
