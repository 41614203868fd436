package io.shudu.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.base.Preconditions;
import io.shudu.core.AuthenticationException;
import io.shudu.core.ClientConfig;
import io.shudu.core.ClientException;
import io.shudu.core.Credentials;
import io.shudu.core.RequestOptions;
import io.shudu.core.ServiceException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/** The built-in credential schemes. Their {@code toString} never shows a secret. */
public final class Auth {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private Auth() {}

  /** API-key credentials ({@code X-Api-Key}). */
  public static Credentials apiKey(String key) {
    return apiKey(key, "Credentials.apiKey(...)");
  }

  /** API-key credentials remembering where the key came from, for error messages. */
  static Credentials apiKey(String key, String source) {
    Preconditions.checkArgument(key != null && !key.isBlank(),
        "apiKey must not be empty; set SHUDU_API_KEY or pass the key your platform account shows");
    return new ApiKey(key.trim(), source);
  }

  /** SHUDU-HMAC-SHA256 signing credentials on the system clock with random nonces. */
  public static Credentials accessKey(String ak, String sk) {
    Preconditions.checkArgument(ak != null && !ak.isBlank(), "accessKeyId must not be empty");
    Preconditions.checkArgument(sk != null && !sk.isBlank(), "secretAccessKey must not be empty");
    return new AccessKey(ak.trim(), sk, Clock.systemUTC(), Auth::randomNonce);
  }

  /** AK/SK credentials with an injected clock (tests: clock skew). */
  public static Credentials accessKey(String ak, String sk, Clock clock) {
    return new AccessKey(ak, sk, clock, Auth::randomNonce);
  }

  /** AK/SK credentials with an injected clock and nonce source (tests: documented vectors, replays). */
  public static Credentials accessKey(String ak, String sk, Clock clock, java.util.function.Supplier<String> nonces) {
    return new AccessKey(ak, sk, clock, nonces);
  }

  /**
   * Random bytes for nonces, drawn from {@link SecureRandom} 4 KiB at a time: a draw per request cost a read of the
   * system's random source per signed request (benchmarks/run.sh, core). One pool for all threads (virtual threads
   * included), taken under a short lock; used bytes are zeroed.
   */
  private static final class Nonces {
    // in a holder: a client with an API key never initialises SecureRandom (start-up time of one-call programs)
    static final SecureRandom RANDOM = new SecureRandom();
    static final byte[] POOL = new byte[4096];
    static final ReentrantLock LOCK = new ReentrantLock();
    static int next = POOL.length;
  }

  private static String randomNonce() {
    Nonces.LOCK.lock();
    try {
      if (Nonces.next + 16 > Nonces.POOL.length) {
        Nonces.RANDOM.nextBytes(Nonces.POOL);
        Nonces.next = 0;
      }
      String nonce = Signing.hex(Nonces.POOL, Nonces.next, 16);
      java.util.Arrays.fill(Nonces.POOL, Nonces.next, Nonces.next + 16, (byte) 0);
      Nonces.next += 16;
      return nonce;
    } finally {
      Nonces.LOCK.unlock();
    }
  }

  /**
   * Says which credentials a client sent, without any secret, for 401 messages: the scheme, the public id and
   * where the value came from.
   *
   * @param c the credentials
   * @return a description such as "an API key from the environment variable SHUDU_API_KEY"
   */
  public static String describe(Credentials c) {
    if (c instanceof ApiKey k) {
      return "an API key (X-Api-Key) from " + k.source;
    }
    if (c instanceof AccessKey a) {
      return "a SHUDU-HMAC-SHA256 signature with access key id " + a.accessKeyId;
    }
    if (c instanceof OAuth2 o) {
      return "an OAuth2 bearer token of client '" + o.clientId + "' from " + o.tokenEndpoint;
    }
    if (c instanceof Chain ch) {
      Credentials r = ch.resolved();
      return r == null ? "no credentials (the default chain found none)" : describe(r);
    }
    if (c instanceof Anonymous) {
      return "no credentials (Credentials.anonymous())";
    }
    return "credentials of type " + c.getClass().getName();
  }

  /** OAuth2 client credentials on the system clock; {@code scope} may be null. */
  public static Credentials oauth2(URI tokenEndpoint, String clientId, String clientSecret, String scope) {
    return new OAuth2(tokenEndpoint, clientId, clientSecret, scope, Clock.systemUTC());
  }

  /** OAuth2 credentials with an injected clock (tests). */
  public static OAuth2 oauth2(URI tokenEndpoint, String clientId, String clientSecret, String scope, Clock clock) {
    return new OAuth2(tokenEndpoint, clientId, clientSecret, scope, clock);
  }

  /** The default chain reading the given property and environment lookups (tests pass maps). */
  public static Credentials defaultChain(UnaryOperator<String> properties, UnaryOperator<String> env) {
    return new Chain(properties, env);
  }

  /** Credentials that add nothing. */
  public static Credentials anonymous() {
    return Anonymous.INSTANCE;
  }

  /** X-Api-Key. */
  static final class ApiKey implements Credentials {
    private final String key;
    private final String source;

    ApiKey(String key, String source) {
      this.key = key;
      this.source = source;
    }

    @Override
    public void authorize(OutgoingRequest request) {
      request.setHeader("X-Api-Key", key);
    }

    @Override
    public String toString() {
      return "ApiKeyCredentials[key=REDACTED]";
    }
  }

  /** SHUDU-HMAC-SHA256 request signing. */
  static final class AccessKey implements Credentials {
    private final String accessKeyId;
    private final String secret;
    private final Clock clock;
    private final java.util.function.Supplier<String> nonces;

    AccessKey(String accessKeyId, String secret, Clock clock, java.util.function.Supplier<String> nonces) {
      this.accessKeyId = accessKeyId;
      this.secret = secret;
      this.clock = clock;
      this.nonces = nonces;
    }

    /** The last formatted timestamp: formatting one costs more than the rest of the string to sign. */
    private record Stamp(long epochSecond, String text) {}

    private volatile Stamp stamp;

    @Override
    public void authorize(OutgoingRequest request) {
      java.time.Instant now = clock.instant();
      Stamp s = stamp;
      if (s == null || s.epochSecond() != now.getEpochSecond()) {
        s = new Stamp(now.getEpochSecond(), TIMESTAMP.format(now));
        stamp = s;
      }
      sign(request, s.text(), nonces.get());
    }

    /** Signs with a given timestamp and nonce (test vectors). */
    void sign(OutgoingRequest request, String timestamp, String nonce) {
      URI uri = request.uri();
      String bodyHash = Signing.sha256Hex(request.body());
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (uri.getScheme().equals("http") && port == 80)
          || (uri.getScheme().equals("https") && port == 443);
      String host = uri.getHost() + (defaultPort ? "" : ":" + port);
      request.setHeader("Host", host);
      request.setHeader(Signing.DATE_HEADER, timestamp);
      request.setHeader(Signing.NONCE_HEADER, nonce);
      request.setHeader(Signing.CONTENT_SHA256_HEADER, bodyHash);
      TreeMap<String, String> signed = new TreeMap<>();
      signed.put("host", host);
      signed.put("x-shudu-date", timestamp);
      signed.put("x-shudu-nonce", nonce);
      signed.put("x-shudu-content-sha256", bodyHash);
      for (String h : Signing.OPTIONAL_SIGNED) {
        request.header(h).ifPresent(v -> signed.put(h, v));
      }
      String canonical = Signing.canonicalRequest(request.method(), uri.getRawPath(), uri.getRawQuery(), signed, bodyHash);
      String signature = Signing.signature(secret, Signing.stringToSign(timestamp, nonce, canonical));
      request.setHeader("Authorization", Signing.authorizationHeader(accessKeyId, signed.keySet(), signature));
    }

    @Override
    public String toString() {
      return "AccessKeyCredentials[accessKeyId=" + accessKeyId + ", secret=REDACTED]";
    }
  }

  /** OAuth2 client credentials with caching, early refresh and single-flight fetching. */
  public static final class OAuth2 implements Credentials {
    private record Token(String value, Instant refreshAt, Instant expiresAt) {}

    private final URI tokenEndpoint;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Token token;
    private volatile ApiClient http;
    private final java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();

    OAuth2(URI tokenEndpoint, String clientId, String clientSecret, String scope, Clock clock) {
      Preconditions.checkArgument(tokenEndpoint != null && tokenEndpoint.isAbsolute(),
          "tokenEndpoint must be an absolute URI such as https://platform/oauth2/token");
      Preconditions.checkArgument(tokenEndpoint.getRawUserInfo() == null, "tokenEndpoint must not contain user-info "
          + "(user:password@): pass the client id and secret as arguments instead");
      Preconditions.checkArgument(clientId != null && !clientId.isBlank(), "clientId must not be empty");
      Preconditions.checkArgument(clientSecret != null && !clientSecret.isBlank(), "clientSecret must not be empty");
      this.tokenEndpoint = tokenEndpoint;
      this.clientId = clientId;
      this.clientSecret = clientSecret;
      this.scope = scope;
      this.clock = clock;
    }

    @Override
    public void authorize(OutgoingRequest request) {
      request.setHeader("Authorization", "Bearer " + currentToken());
    }

    @Override
    public void invalidate() {
      token = null;
    }

    /**
     * Drops the cached token only if it is the one a refused request carried, so that 32 calls refused at once
     * cause one new token, not 32.
     *
     * @param authorizationHeader the Authorization header the refused request sent
     */
    public void invalidate(String authorizationHeader) {
      Token t = token;
      if (t != null && authorizationHeader != null && authorizationHeader.equals("Bearer " + t.value())) {
        lock.lock();
        try {
          if (token == t) {
            token = null;
          }
        } finally {
          lock.unlock();
        }
      }
    }

    /**
     * Whether authorising now would use the cached token without a token request (async callers then need not
     * move off their thread).
     *
     * @return true when a token is cached and not yet due for refresh
     */
    public boolean hasFreshToken() {
      Token t = token;
      return t != null && clock.instant().isBefore(t.refreshAt());
    }

    /** How many tokens were fetched so far (for tests and metrics). */
    public int fetchCount() {
      return fetches.get();
    }

    String currentToken() {
      Token t = token;
      Instant now = clock.instant();
      if (t != null && now.isBefore(t.refreshAt())) {
        return t.value();
      }
      if (t != null && now.isBefore(t.expiresAt())) {
        // still valid: one caller refreshes early, the others keep using the current token
        if (lock.tryLock()) {
          try {
            Token current = token;
            if (current != t && current != null) {
              return current.value();
            }
            Token fresh = fetch();
            token = fresh;
            return fresh.value();
          } catch (RuntimeException e) {
            return t.value(); // the current token is still valid: use it and refresh on a later call
          } finally {
            lock.unlock();
          }
        }
        return t.value();
      }
      lock.lock();
      try {
        Token again = token;
        if (again != null && clock.instant().isBefore(again.expiresAt())) {
          return again.value();
        }
        Token fresh = fetch();
        token = fresh;
        return fresh.value();
      } finally {
        lock.unlock();
      }
    }

    private Token fetch() {
      ApiClient client = http;
      if (client == null) {
        String origin = tokenEndpoint.getScheme() + "://" + tokenEndpoint.getRawAuthority();
        client = new ApiClient(ClientConfig.builder().endpoint(origin).credentials(Credentials.anonymous())
            .callTimeout(Duration.ofSeconds(30)).build(), "oauth2");
        http = client;
      }
      String form = "grant_type=client_credentials" + (scope == null ? "" : "&scope=" + enc(scope));
      String basic = Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret))
          .getBytes(StandardCharsets.UTF_8));
      ApiRequest req = ApiRequest.builder("oauth2.token", "POST", tokenEndpoint.getRawPath())
          .header("Authorization", "Basic " + basic)
          .body(form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded")
          .options(RequestOptions.defaults())
          .build();
      Instant requested = clock.instant();
      JsonNode doc;
      try {
        doc = client.call(req, JsonNode.class);
      } catch (ServiceException e) {
        if (e.status() == 400 || e.status() == 401) {
          throw new AuthenticationException(e.status(), e.code().orElse("invalid_client"), null,
              "OAuth2 token request was refused", "The token endpoint " + tokenEndpoint + " refused client '" + clientId
              + "': " + e.detail().orElse("no detail") + ". Check the client id and secret.",
              e.requestId().orElse(null), java.util.List.of(), java.util.Map.of());
        }
        throw e;
      }
      fetches.incrementAndGet();
      JsonNode at = doc.get("access_token");
      if (at == null || at.asText().isEmpty()) {
        throw new ClientException("The token endpoint " + tokenEndpoint + " answered without an access_token", null, false);
      }
      long expiresIn = doc.has("expires_in") ? doc.get("expires_in").asLong(3600) : 3600;
      Duration life = Duration.ofSeconds(Math.max(1, expiresIn));
      Duration early = life.dividedBy(5).compareTo(Duration.ofSeconds(60)) < 0 ? life.dividedBy(5) : Duration.ofSeconds(60);
      return new Token(at.asText(), requested.plus(life).minus(early), requested.plus(life));
    }

    private static String enc(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "OAuth2ClientCredentials[tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId + ", secret=REDACTED]";
    }
  }

  /** The default chain: system properties, then environment, resolved at first use. */
  public static final class Chain implements Credentials {
    private final UnaryOperator<String> props;
    private final UnaryOperator<String> env;
    private volatile Credentials resolved;

    Chain(UnaryOperator<String> props, UnaryOperator<String> env) {
      this.props = props;
      this.env = env;
    }

    /** The credentials found, or null before the first request. */
    public Credentials resolved() {
      return resolved;
    }

    @Override
    public void authorize(OutgoingRequest request) {
      Credentials c = resolved;
      if (c == null) {
        synchronized (this) { // one resolution, so that concurrent first calls share one OAuth2 token cache
          c = resolved;
          if (c == null) {
            c = resolve();
            resolved = c;
          }
        }
      }
      c.authorize(request);
    }

    @Override
    public void invalidate() {
      Credentials c = resolved;
      if (c != null) {
        c.invalidate();
      }
    }

    Credentials resolve() {
      String key = find("shudu.apiKey", "SHUDU_API_KEY");
      if (key != null) {
        String p = props.apply("shudu.apiKey");
        return apiKey(key, p != null && !p.isBlank() ? "the system property shudu.apiKey"
            : "the environment variable SHUDU_API_KEY");
      }
      String ak = find("shudu.accessKeyId", "SHUDU_ACCESS_KEY_ID");
      String sk = find("shudu.secretAccessKey", "SHUDU_SECRET_ACCESS_KEY");
      if (ak != null && sk != null) {
        return accessKey(ak, sk);
      }
      String id = find("shudu.clientId", "SHUDU_CLIENT_ID");
      String secret = find("shudu.clientSecret", "SHUDU_CLIENT_SECRET");
      String url = find("shudu.tokenUrl", "SHUDU_TOKEN_URL");
      if (id != null && secret != null && url != null) {
        return oauth2(URI.create(url), id, secret, find("shudu.scope", "SHUDU_SCOPE"));
      }
      throw new ClientException("No credentials found. Set SHUDU_API_KEY (or -Dshudu.apiKey), or "
          + "SHUDU_ACCESS_KEY_ID + SHUDU_SECRET_ACCESS_KEY, or SHUDU_CLIENT_ID + SHUDU_CLIENT_SECRET + SHUDU_TOKEN_URL; "
          + "or pass credentials to ClientConfig.builder().credentials(...)."
          + (ak != null && sk == null ? " (SHUDU_ACCESS_KEY_ID is set but SHUDU_SECRET_ACCESS_KEY is missing.)" : ""),
          null, false);
    }

    private String find(String prop, String envName) {
      String v = props.apply(prop);
      if (v == null || v.isBlank()) {
        v = env.apply(envName);
      }
      return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
      Credentials c = resolved;
      return "DefaultCredentialsChain[" + (c == null ? "unresolved" : c.toString()) + "]";
    }
  }

  /** No authentication. */
  static final class Anonymous implements Credentials {
    static final Anonymous INSTANCE = new Anonymous();

    @Override
    public void authorize(OutgoingRequest request) {
      // nothing to add
    }

    @Override
    public String toString() {
      return "AnonymousCredentials";
    }
  }
}
