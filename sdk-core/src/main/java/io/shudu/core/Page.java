package io.shudu.core;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in order
 * @param continuationToken opaque token that resumes the listing after this page, or null on the last page
 * @param <T> item type
 */
public record Page<T>(List<T> items, String continuationToken) {
  /** Copies the item list. */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * The token to resume after this page, empty on the last page.
   *
   * @return the token
   */
  public Optional<String> nextToken() {
    return Optional.ofNullable(continuationToken);
  }

  /**
   * Whether more pages follow.
   *
   * @return true when a continuation token is present
   */
  public boolean hasMore() {
    return continuationToken != null;
  }
}
