package io.shudu.sandbox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.shudu.core.internal.Json;
import io.shudu.sandbox.internal.http.Problem;
import io.shudu.sandbox.internal.http.Response;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Client references, like a client token: a create (order, delivery, claim, transfer) may carry
 * {@code clientReference}, unique per tenant and kind. The first create with a reference runs; a later one with the
 * same reference and the same request answers with what the first created (200, {@code Client-Reference-Replayed:
 * true}); the same reference with a different request is a 409 {@code client_reference_conflict}. Unlike an
 * Idempotency-Key record, a reference is kept as long as what it created.
 */
public final class ClientReferences {
  static final String FIELD = "clientReference";

  /**
   * What a create made: the id to find it again, and the answer to send.
   *
   * @param id the id of what was created
   * @param response the answer
   */
  public record Created(String id, Response response) {}

  private record Entry(String fingerprint, String id) {}

  private final Map<String, CompletableFuture<Entry>> entries = new ConcurrentHashMap<>();

  /**
   * The body's reference, validated, or null when it has none.
   *
   * @param body the request body
   * @return the reference
   */
  public static String reference(JsonNode body) {
    JsonNode v = body == null ? null : body.get(FIELD);
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isTextual() ? v.asText() : "";
    if (s.isEmpty() || s.length() > 128 || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw Problem.validation(FIELD, FIELD + " must be 1-128 printable ASCII characters without spaces, such as "
          + "your own order number; it is unique per tenant.");
    }
    return s;
  }

  /**
   * Runs a create under the body's client reference.
   *
   * @param tenant the tenant
   * @param kind order, delivery, claim or transfer
   * @param body the request body
   * @param scope what else identifies the request (the path's order or collection id), or null
   * @param create makes the thing
   * @param replay the answer for a repeat, from the id the first create returned
   * @return the answer
   */
  public Response create(String tenant, String kind, JsonNode body, String scope, Supplier<Created> create,
      Function<String, Response> replay) {
    String reference = reference(body);
    if (reference == null) {
      return create.get().response();
    }
    String fingerprint = canonical(body) + "|" + (scope == null ? "" : scope);
    String key = tenant + '\u0000' + kind + '\u0000' + reference;
    while (true) {
      CompletableFuture<Entry> mine = new CompletableFuture<>();
      CompletableFuture<Entry> existing = entries.putIfAbsent(key, mine);
      if (existing == null) {
        try {
          Created c = create.get();
          mine.complete(new Entry(fingerprint, c.id()));
          return c.response();
        } catch (RuntimeException e) {
          entries.remove(key, mine); // nothing was created: the reference stays free
          mine.complete(null);
          throw e;
        }
      }
      Entry e;
      try {
        e = existing.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw inProgress(kind);
      } catch (TimeoutException | ExecutionException te) {
        throw inProgress(kind);
      }
      if (e == null) {
        continue; // the first create failed without creating anything: this one runs
      }
      if (!e.fingerprint().equals(fingerprint)) {
        throw Problem.conflict("client_reference_conflict", "clientReference '" + reference + "' already names "
            + kind + " " + e.id() + ", created by a different request. Use a new reference for a new " + kind
            + ", or repeat the first request unchanged to get its result.").with("existingId", e.id())
            .with(FIELD, reference);
      }
      return replay.apply(e.id()).header("Client-Reference-Replayed", "true");
    }
  }

  private static Problem inProgress(String kind) {
    return Problem.conflict("client_reference_in_progress", "A " + kind + " with this clientReference is still "
        + "being created; retry shortly.").header("Retry-After", "1");
  }

  /**
   * The body with object members in name order, so that member order does not make two requests differ.
   *
   * @param body a JSON document
   * @return its canonical text
   */
  public static String canonical(JsonNode body) {
    return Json.mapper().valueToTree(sorted(body)).toString();
  }

  private static Object sorted(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new TreeMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), sorted(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      java.util.List<Object> l = new java.util.ArrayList<>();
      n.forEach(x -> l.add(sorted(x)));
      return l;
    }
    return n;
  }
}
