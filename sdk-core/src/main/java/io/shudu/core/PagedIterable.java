package io.shudu.core;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy listing: pages are fetched only as you iterate. Iterate items, or {@link #pages()} to see continuation
 * tokens; {@link #stream()} for streams. Each iteration starts again from the beginning (or from
 * {@link #resumeFrom}). A page that fails to load throws from {@code hasNext()}/{@code next()}: a listing is never
 * silently truncated.
 *
 * <pre>{@code
 * PagedIterable<Entity> all = twin.entities().query(TwinQuery.ofType("building"));
 * for (Page<Entity> page : all.withMaxItems(500).pages()) {
 *   save(page.items());
 *   checkpoint(page.continuationToken());   // later: all.resumeFrom(token)
 * }
 * }</pre>
 *
 * @param <T> item type
 */
public final class PagedIterable<T> implements Iterable<T> {

  /**
   * Loads one page. Implemented by the service clients.
   *
   * @param <T> item type
   */
  public interface PageSource<T> {
    /**
     * Fetches a page.
     *
     * @param token continuation token, null for the first page
     * @param limit the most items this page may hold
     * @return the page
     */
    Page<T> fetch(String token, int limit);

    /**
     * Fetches a page asynchronously (default: on the common pool).
     *
     * @param token continuation token, null for the first page
     * @param limit the most items this page may hold
     * @return the page future
     */
    default CompletableFuture<Page<T>> fetchAsync(String token, int limit) {
      return CompletableFuture.supplyAsync(() -> fetch(token, limit));
    }
  }

  private final PageSource<T> source;
  private final String startToken;
  private final long maxItems;
  private final int pageSize;

  private PagedIterable(PageSource<T> source, String startToken, long maxItems, int pageSize) {
    this.source = source;
    this.startToken = startToken;
    this.maxItems = maxItems;
    this.pageSize = pageSize;
  }

  /**
   * A listing over a page source.
   *
   * @param source loads pages
   * @param pageSize default items per page
   * @param <T> item type
   * @return the listing
   */
  public static <T> PagedIterable<T> of(PageSource<T> source, int pageSize) {
    Preconditions.checkArgument(pageSize >= 1, "pageSize must be >= 1, got %s", pageSize);
    return new PagedIterable<>(Preconditions.checkNotNull(source, "source"), null, Long.MAX_VALUE, pageSize);
  }

  /**
   * The same listing, stopping after {@code n} items in total. Pages are requested so that the last one ends exactly
   * at the bound, so its continuation token resumes with item {@code n + 1}.
   *
   * @param n at least 1
   * @return a bounded listing
   */
  public PagedIterable<T> withMaxItems(long n) {
    Preconditions.checkArgument(n >= 1, "maxItems must be >= 1, got %s", n);
    return new PagedIterable<>(source, startToken, n, pageSize);
  }

  /**
   * The same listing with another page size.
   *
   * @param n items per page, at least 1 (the platform may cap it)
   * @return the listing
   */
  public PagedIterable<T> withPageSize(int n) {
    Preconditions.checkArgument(n >= 1, "pageSize must be >= 1, got %s", n);
    return new PagedIterable<>(source, startToken, maxItems, n);
  }

  /**
   * The same listing, resuming after the page whose continuation token this is.
   *
   * @param continuationToken a token from {@link Page#continuationToken()}
   * @return the resumed listing
   */
  public PagedIterable<T> resumeFrom(String continuationToken) {
    Preconditions.checkArgument(continuationToken != null && !continuationToken.isEmpty(),
        "continuationToken must not be empty; to start from the beginning use the listing itself");
    return new PagedIterable<>(source, continuationToken, maxItems, pageSize);
  }

  /**
   * The pages, lazily.
   *
   * @return iterable over pages
   */
  public Iterable<Page<T>> pages() {
    return PageIterator::new;
  }

  @Override
  public Iterator<T> iterator() {
    PageIterator pages = new PageIterator();
    return new Iterator<>() {
      private Iterator<T> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (!pages.hasNext()) {
            return false;
          }
          current = pages.next().items().iterator();
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /**
   * A sequential stream of the items.
   *
   * @return the stream
   */
  public Stream<T> stream() {
    return StreamSupport.stream(spliterator(), false);
  }

  /**
   * Loads the first page only.
   *
   * @return the first page
   */
  public Page<T> firstPage() {
    return source.fetch(startToken, (int) Math.min(pageSize, maxItems));
  }

  /**
   * Visits every item without blocking a thread between pages.
   *
   * @param action called for each item, in order
   * @return completes when the listing is done, or exceptionally with the failing page's exception
   */
  public CompletableFuture<Void> forEachAsync(Consumer<? super T> action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    fetchLoop(startToken, 0, action, done);
    return done;
  }

  /**
   * Collects all items asynchronously.
   *
   * @return the items
   */
  public CompletableFuture<List<T>> toListAsync() {
    List<T> out = new ArrayList<>();
    return forEachAsync(out::add).thenApply(v -> out);
  }

  private void fetchLoop(String token, long seen, Consumer<? super T> action, CompletableFuture<Void> done) {
    int limit = (int) Math.min(pageSize, maxItems - seen);
    CompletableFuture<Page<T>> next;
    try {
      next = source.fetchAsync(token, limit);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    next.whenComplete((page, err) -> {
      if (err != null) {
        done.completeExceptionally(err instanceof java.util.concurrent.CompletionException && err.getCause() != null
            ? err.getCause() : err);
        return;
      }
      try {
        long n = seen;
        for (T item : page.items()) {
          if (n >= maxItems) {
            break;
          }
          action.accept(item);
          n++;
        }
        if (page.hasMore() && n < maxItems) {
          fetchLoop(page.continuationToken(), n, action, done);
        } else {
          done.complete(null);
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
  }

  private final class PageIterator implements Iterator<Page<T>> {
    private String token = startToken;
    private boolean started;
    private long seen;
    private Page<T> next;

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (seen >= maxItems || (started && token == null)) {
        return false;
      }
      int limit = (int) Math.min(pageSize, maxItems - seen);
      Page<T> page = source.fetch(token, limit);
      started = true;
      List<T> items = page.items();
      if (items.size() > maxItems - seen) {
        items = items.subList(0, (int) (maxItems - seen));
        page = new Page<>(items, null);
      }
      seen += items.size();
      token = page.continuationToken();
      if (items.isEmpty() && token == null) {
        return false;
      }
      next = page;
      return true;
    }

    @Override
    public Page<T> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Page<T> p = next;
      next = null;
      return p;
    }
  }
}
