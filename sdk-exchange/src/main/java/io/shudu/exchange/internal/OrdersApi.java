package io.shudu.exchange.internal;

import static io.shudu.exchange.internal.Calls.BASE;

import com.fasterxml.jackson.core.type.TypeReference;
import io.shudu.core.PagedIterable;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.internal.ApiClient;
import io.shudu.core.internal.ApiRequest;
import io.shudu.exchange.ExchangeOrders;
import io.shudu.exchange.IntendedUse;
import io.shudu.exchange.NextOrderAction;
import io.shudu.exchange.Order;
import io.shudu.exchange.OrderAction;
import io.shudu.exchange.OrderState;
import io.shudu.exchange.Party;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@link ExchangeOrders} over the core pipeline. */
public final class OrdersApi implements ExchangeOrders {
  private static final TypeReference<Calls.PageDto<Order>> PAGE = new TypeReference<>() {};

  private final ApiClient api;
  private final RequestOptions options;
  private final LongPoll<Order, OrderState> poll;

  /**
   * Creates the API.
   *
   * @param api pipeline
   * @param options per-call options
   */
  public OrdersApi(ApiClient api, RequestOptions options) {
    this.api = api;
    this.options = options == null ? RequestOptions.defaults() : options;
    this.poll = new LongPoll<>(api, "order", BASE + "/orders/{}/await", Order.class, new LongPoll.View<>() {
      @Override
      public OrderState state(Order o) {
        return o.state();
      }

      @Override
      public boolean reached(OrderState current, OrderState target) {
        return current.hasReached(target);
      }

      @Override
      public Party waitingOn(Order o) {
        return o.waitingOn();
      }

      @Override
      public List<String> nextActions(Order o) {
        return o.nextActions().stream().map(NextOrderAction::toString).toList();
      }

      @Override
      public String finalDetail(Order o) {
        return o.terminationReason();
      }
    }, this.options);
  }

  @Override
  public ExchangeOrders withOptions(RequestOptions options) {
    if (options == null) {
      throw new NullPointerException("options must not be null; use RequestOptions.defaults()");
    }
    return new OrdersApi(api, options);
  }

  private ApiRequest.Builder req(String op, String method, String path, Object... args) {
    return ApiRequest.builder("exchange.orders." + op, method, BASE + path, args).options(options);
  }

  private ApiRequest createRequest(String offerId, IntendedUse use, String reference) {
    Calls.requireId(offerId, "offerId");
    if (use == null) {
      throw new NullPointerException("use must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("offerId", offerId);
    body.put("intendedUse", use);
    if (Calls.checkReference(reference) != null) {
      body.put("clientReference", reference);
    }
    return req("create", "POST", "/orders").json(body).build();
  }

  @Override
  public Order create(String offerId, IntendedUse use) {
    return create(offerId, use, null);
  }

  @Override
  public CompletableFuture<Order> createAsync(String offerId, IntendedUse use) {
    return createAsync(offerId, use, null);
  }

  @Override
  public Order create(String offerId, IntendedUse use, String clientReference) {
    return api.call(createRequest(offerId, use, clientReference), Order.class);
  }

  @Override
  public CompletableFuture<Order> createAsync(String offerId, IntendedUse use, String clientReference) {
    return Calls.async(() -> api.callAsync(createRequest(offerId, use, clientReference), Order.class));
  }

  private ApiRequest getRequest(String id) {
    return req("get", "GET", "/orders/{}", Calls.requireId(id, "orderId")).build();
  }

  @Override
  public Order get(String orderId) {
    return api.call(getRequest(orderId), Order.class);
  }

  @Override
  public CompletableFuture<Order> getAsync(String orderId) {
    return Calls.async(() -> api.callAsync(getRequest(orderId), Order.class));
  }

  @Override
  public Versioned<Order> getVersioned(String orderId) {
    return Calls.versioned(api.execute(getRequest(orderId)), Order.class, "order " + orderId);
  }

  @Override
  public CompletableFuture<Versioned<Order>> getVersionedAsync(String orderId) {
    return Calls.async(() -> api.executeAsync(getRequest(orderId))
        .thenApply(r -> Calls.versioned(r, Order.class, "order " + orderId)));
  }

  @Override
  public PagedIterable<Order> list(OrderState state) {
    return list(state, null);
  }

  @Override
  public PagedIterable<Order> list(OrderState state, String clientReference) {
    Calls.checkReference(clientReference);
    return Calls.paged(api, 100, 1000, () -> req("list", "GET", "/orders").query("state", state)
        .query("clientReference", clientReference), PAGE);
  }

  @Override
  public Optional<Order> findByReference(String clientReference) {
    if (clientReference == null) {
      throw new IllegalArgumentException("clientReference must not be null");
    }
    return list(null, clientReference).withMaxItems(1).stream().findFirst();
  }

  @Override
  public CompletableFuture<Optional<Order>> findByReferenceAsync(String clientReference) {
    return Calls.async(() -> {
      if (clientReference == null) {
        throw new IllegalArgumentException("clientReference must not be null");
      }
      return list(null, clientReference).withMaxItems(1).toListAsync()
          .thenApply(l -> l.isEmpty() ? Optional.<Order>empty() : Optional.of(l.get(0)));
    });
  }

  private ApiRequest transitionRequest(String orderId, OrderAction action, String reason, String ifMatch) {
    Calls.requireId(orderId, "orderId");
    if (action == null) {
      throw new NullPointerException("action must not be null (OrderAction.AGREE, OrderAction.TERMINATE, ...)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", action.wireName());
    if (reason != null) {
      body.put("reason", reason);
    }
    return req("transition", "POST", "/orders/{}/transitions", orderId).json(body)
        .header("If-Match", Calls.checkIfMatch(ifMatch)).build();
  }

  @Override
  public Order transition(String orderId, OrderAction action, String reason) {
    return transition(orderId, action, reason, null);
  }

  @Override
  public CompletableFuture<Order> transitionAsync(String orderId, OrderAction action, String reason) {
    return transitionAsync(orderId, action, reason, null);
  }

  @Override
  public Order transition(String orderId, OrderAction action, String reason, String ifMatch) {
    return api.call(transitionRequest(orderId, action, reason, ifMatch), Order.class);
  }

  @Override
  public CompletableFuture<Order> transitionAsync(String orderId, OrderAction action, String reason,
      String ifMatch) {
    return Calls.async(() -> api.callAsync(transitionRequest(orderId, action, reason, ifMatch), Order.class));
  }

  @Override
  public Order awaitState(String orderId, OrderState state, Duration timeout) {
    return poll.await(orderId, state, timeout);
  }

  @Override
  public CompletableFuture<Order> awaitStateAsync(String orderId, OrderState state, Duration timeout) {
    return Calls.async(() -> poll.awaitAsync(orderId, state, timeout));
  }
}
