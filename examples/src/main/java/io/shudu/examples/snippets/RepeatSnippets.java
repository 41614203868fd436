package io.shudu.examples.snippets;

import io.shudu.core.ClientListener;
import io.shudu.core.RequestOptions;
import io.shudu.core.ShuduException;
import io.shudu.exchange.ExchangeClient;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.Order;
import java.util.List;
import java.util.Optional;

/**
 * The code of "Writes whose outcome you can always learn" in docs/api/core.md: repeating a failed write with its
 * Idempotency-Key, client references, and a listener that reports unsettled calls. {@code DocSnippetsTest} keeps the
 * doc equal to these regions and {@code RepeatSnippetsTest} runs them against a sandbox that loses answers.
 */
public final class RepeatSnippets {
  private RepeatSnippets() {}

  /**
   * Creates an order and settles any failure by repeating the call with the same Idempotency-Key.
   *
   * @param exchange the client
   * @param offerId the offer
   * @param use the intended use
   * @return the one order this logical call created
   */
  public static Order createOnce(ExchangeClient exchange, String offerId, IntendedUse use) {
    // snippet:start repeat-with-key
    RequestOptions options = RequestOptions.defaults();        // or your own key: RequestOptions.builder().idempotencyKey(k)
    for (int attempt = 1; ; attempt++) {
      try {
        return exchange.orders().withOptions(options).create(offerId, use);
      } catch (ShuduException e) {
        if (e.outcome() == ShuduException.Outcome.ANSWERED || attempt == 5) {
          throw e;                                             // the platform's answer, or give up (the key is in e)
        }
        options = RequestOptions.repeatOf(e);                  // NOT_SENT or MAYBE_PROCESSED: same key, applied once
      }
    }
    // snippet:end repeat-with-key
  }

  /**
   * Creates an order under the application's own purchase-order number, and finds it again.
   *
   * @param exchange the client
   * @param offerId the offer
   * @param use the intended use
   * @return the order, and whether it was found before creating
   */
  public static Order createByReference(ExchangeClient exchange, String offerId, IntendedUse use) {
    // snippet:start client-reference
    // after a crash or restart: did purchase order po-2026-0042 become an order?
    Optional<Order> existing = exchange.orders().findByReference("po-2026-0042");
    // creating again is safe as well: the same reference and request return the first order, never a second one
    Order order = exchange.orders().create(offerId, use, "po-2026-0042");
    // snippet:end client-reference
    if (existing.isPresent() && !existing.get().id().equals(order.id())) {
      throw new IllegalStateException("a second order under one reference");
    }
    return order;
  }

  /**
   * A listener that collects the calls whose outcome is still open.
   *
   * @param unsettled where to record them
   * @return the listener
   */
  public static ClientListener unsettledCalls(List<String> unsettled) {
    // snippet:start listener
    ClientListener listener = new ClientListener() {
      @Override
      public void callEnded(Call call) {
        if (call.outcome() == ShuduException.Outcome.MAYBE_PROCESSED) {
          unsettled.add(call.operation() + " Idempotency-Key " + call.idempotencyKey());
        }
      }
    };
    // snippet:end listener
    return listener;
  }
}
