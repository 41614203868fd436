package io.shudu.sandbox.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An incoming sandbox request, already authenticated (see {@link #tenant()}). */
public final class Request {
  /** Deepest nesting of objects and arrays the sandbox accepts in JSON it is sent (bodies, JSON query parameters). */
  public static final int MAX_JSON_DEPTH = 64;
  private static final JsonFactory BOUNDED_JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build()).build();

  private final String method;
  private final URI uri;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String requestId;
  private final String tenant;
  private final Map<String, String> pathParams;
  private final String rawQuery;

  /** A request as the server front received it; {@code tenant} is null before authentication. */
  public Request(String method, URI uri, Map<String, List<String>> headers, byte[] body, String requestId,
      String tenant, Map<String, String> pathParams) {
    this.method = method;
    this.uri = uri;
    this.path = uri.getRawPath() == null ? "/" : decode(uri.getRawPath(), false);
    this.rawQuery = uri.getRawQuery();
    this.query = parseQuery(uri.getRawQuery(), false);
    Map<String, List<String>> h = new LinkedHashMap<>();
    headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
    this.headers = Collections.unmodifiableMap(h);
    this.body = body;
    this.requestId = requestId;
    this.tenant = tenant;
    this.pathParams = pathParams;
  }

  /** Returns a copy carrying matched path parameters. */
  public Request withPathParams(Map<String, String> params) {
    return new Request(method, uri, headers, body, requestId, tenant, params);
  }

  /** Returns a copy carrying the authenticated tenant. */
  public Request withTenant(String newTenant) {
    return new Request(method, uri, headers, body, requestId, newTenant, pathParams);
  }

  /** HTTP method. */
  public String method() {
    return method;
  }

  /** The request URI as received. */
  public URI uri() {
    return uri;
  }

  /** The decoded path. */
  public String path() {
    return path;
  }

  /** The raw (still percent-encoded) query string, or null. */
  public String rawQuery() {
    return rawQuery;
  }

  /** Decoded query parameters in order. */
  public Map<String, List<String>> queryParams() {
    return query;
  }

  /** First value of a query parameter, or null. */
  public String query(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** An integer query parameter with a default and inclusive bounds; a bad value is a 400. */
  public int queryInt(String name, int defaultValue, int min, int max) {
    String v = query(name);
    if (v == null || v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw Problem.validation(name, "Query parameter '" + name + "' must be between " + min + " and " + max
            + ", got " + n + ".");
      }
      return n;
    } catch (NumberFormatException e) {
      throw Problem.validation(name, "Query parameter '" + name + "' must be an integer, got '" + v + "'.");
    }
  }

  /** First value of a header (case-insensitive), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** All headers with lower-case names. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The body bytes (empty for none). */
  public byte[] body() {
    return body;
  }

  /** The body as UTF-8 text. */
  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A matched {@code {name}} path segment, or null. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  /** The request id, also sent as {@code X-Request-Id}. */
  public String requestId() {
    return requestId;
  }

  /** The authenticated tenant, or {@code "open"} in open mode. */
  public String tenant() {
    return tenant;
  }

  /** Parses the body as JSON; an empty or malformed body is a 400 with the parser's location. */
  public JsonNode json() {
    if (body.length == 0) {
      throw Problem.badRequest("The request body is empty; send a JSON document with Content-Type: application/json.");
    }
    try {
      return readJson(body);
    } catch (StreamConstraintsException e) {
      throw jsonLimit(e, "request body");
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("The request body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")") + ".");
    } catch (java.io.IOException e) {
      throw Problem.badRequest("The request body could not be read: " + e.getMessage());
    }
  }

  /**
   * Parses JSON sent by a client (a body or a JSON query parameter) within the sandbox's limits: at most
   * {@link #MAX_JSON_DEPTH} levels of nesting (StreamConstraintsException beyond).
   */
  public static JsonNode readJson(byte[] json) throws java.io.IOException {
    try (JsonParser p = BOUNDED_JSON.createParser(json)) {
      JsonNode node = Json.mapper().readTree(p);
      return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
    }
  }

  /** The 400 for JSON beyond a read constraint: {@code limit_exceeded} naming maxJsonDepth when nesting is the cause. */
  public static Problem jsonLimit(StreamConstraintsException e, String what) {
    String msg = e.getOriginalMessage();
    if (msg != null && msg.contains("nesting depth")) {
      return Problem.limit("maxJsonDepth", MAX_JSON_DEPTH, "The " + what + " nests objects and arrays more than "
          + MAX_JSON_DEPTH + " levels deep (limit maxJsonDepth); flatten the document.");
    }
    return Problem.badRequest("The " + what + " is beyond the sandbox's JSON limits: " + msg + ".");
  }

  /** Binds the JSON body to a type; a shape mismatch is a 400 naming the field. */
  public <T> T json(Class<T> type) {
    JsonNode node = json();
    try {
      return Json.mapper().treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("The request body does not match the expected shape: " + e.getOriginalMessage());
    }
  }

  /**
   * Parses a URL query or an {@code application/x-www-form-urlencoded} body, the sandbox's one parser of both:
   * {@code &}-separated {@code name=value} pairs, percent-decoded as UTF-8, empty parts skipped, a name without
   * {@code =} has the value "", repeated names keep every value in order.
   *
   * @param raw the raw (still encoded) text, or null
   * @param plusIsSpace whether {@code +} means a space (form bodies, SensorThings queries) or a literal plus (the
   *     REST APIs' queries, so that an unencoded {@code +08:00} offset survives)
   * @return the names and their values, in order of first appearance
   * @throws Problem 400 when a percent-encoding is invalid
   */
  public static Map<String, List<String>> parseQuery(String raw, boolean plusIsSpace) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = decode(eq < 0 ? part : part.substring(0, eq), plusIsSpace);
      String v = eq < 0 ? "" : decode(part.substring(eq + 1), plusIsSpace);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static String decode(String s, boolean plusIsSpace) {
    try {
      return URLDecoder.decode(plusIsSpace ? s : s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("The URL contains an invalid percent-encoding: '" + s + "'.");
    }
  }
}
