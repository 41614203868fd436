package io.shudu.exchange.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.ClientException;
import io.shudu.core.Page;
import io.shudu.core.PagedIterable;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.core.internal.ApiResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** What every exchange sub-API shares: argument checks, async calls that never throw, pages, ETags. */
public final class Calls {
  /** The exchange API's base path. */
  public static final String BASE = "/exchange/v1";

  private Calls() {}

  /** A page as the exchange sends it. */
  record PageDto<T>(List<T> items, String nextCursor) {}

  /**
   * Runs {@code call}; an exception it throws (a bad argument) becomes a failed future, so an async method never
   * throws.
   */
  static <T> CompletableFuture<T> async(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Checks an id. */
  public static String requireId(String id, String field) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return id;
  }

  /** Checks an If-Match value: null (unconditional) or an ETag as read. */
  static String checkIfMatch(String ifMatch) {
    if (ifMatch != null && (ifMatch.isBlank() || ifMatch.indexOf('\n') >= 0 || ifMatch.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("ifMatch must be an ETag as returned by getVersioned(id).etag(), or null "
          + "for an unconditional write");
    }
    return ifMatch;
  }

  /** Checks a client reference as the platform does: 1-128 printable ASCII characters without spaces, or null. */
  public static String checkReference(String reference) {
    if (reference != null && (reference.isEmpty() || reference.length() > 128
        || !reference.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
      throw new IllegalArgumentException("clientReference must be 1-128 printable ASCII characters without spaces "
          + "(such as your own order number), got '" + reference + "'");
    }
    return reference;
  }

  /** Checks a page size. */
  static int checkPageSize(int pageSize, int max) {
    if (pageSize < 1 || pageSize > max) {
      throw new IllegalArgumentException("pageSize must be between 1 and " + max + ", got " + pageSize);
    }
    return pageSize;
  }

  /** The value with its ETag (the platform always sends one for a versioned resource). */
  static <T> Versioned<T> versioned(ApiResponse r, Class<T> type, String what) {
    try (r) {
      String etag = r.etag();
      if (etag == null) {
        throw new ClientException("exchange: the platform sent no ETag for " + what, null, false);
      }
      return new Versioned<>(r.json(type), etag);
    }
  }

  /**
   * A cursor-paged listing ({@code cursor}/{@code limit} on the wire, {@code nextCursor} in the answer).
   *
   * @param api pipeline
   * @param pageSize default page size
   * @param maxPage the platform's largest page
   * @param request builds the request of a page, without the cursor and limit
   * @param type the page's JSON type
   */
  static <T> PagedIterable<T> paged(ApiClient api, int pageSize, int maxPage, Supplier<ApiRequest.Builder> request,
      TypeReference<PageDto<T>> type) {
    return api.paginate(pageSize, (token, limit) -> request.get().query("cursor", token)
        .query("limit", Math.min(limit, maxPage)).build(), r -> {
          try (r) {
            PageDto<T> p = r.json(type);
            return new Page<>(p.items() == null ? List.of() : p.items(), p.nextCursor());
          }
        });
  }
}
