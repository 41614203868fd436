package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shudu.core.NotFoundException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.Versioned;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Sandbox;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client contract (docs/api-conventions.md) against the sandbox over loopback: async forms never throw, whatever
 * the arguments; getVersioned and ifMatch for entities and relationships; withOptions on every sub-API.
 */
class TwinContractTest {
  static Sandbox sandbox;
  static TwinClient twin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start();
    twin = TwinClient.create(sandbox.tenant("contract").clientConfig());
    twin.entities().upsert(Entity.builder("k-a", EntityType.SENSOR).geometry(Geometry.point(100.1, 25.1)).build());
    twin.entities().upsert(Entity.builder("k-b", EntityType.SENSOR).geometry(Geometry.point(100.2, 25.2)).build());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static List<Object> subApis() {
    return List.of(twin.entities(), twin.relationships(), twin.history(), twin.networks(), twin.changes());
  }

  /** Every async method of every sub-API, called with null (or zero) for every argument: a future, never a throw. */
  @Test
  void asyncFormsNeverThrowWhateverTheArguments() {
    int called = 0;
    for (Object api : subApis()) {
      for (Method m : publicInterface(api).getMethods()) {
        if (!m.getName().endsWith("Async") || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        Object[] args = new Object[m.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
          Class<?> t = m.getParameterTypes()[i];
          args[i] = t == int.class ? 0 : t == long.class ? 0L : t == double.class ? 0.0 : t == boolean.class ? false
              : null;
        }
        Object result;
        try {
          result = m.invoke(api, args);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(m + " threw instead of failing its future: " + e.getCause(), e.getCause());
        }
        assertThat(result).as(m.toString()).isInstanceOf(CompletableFuture.class);
        CompletableFuture<?> f = (CompletableFuture<?>) result;
        if (m.getParameterCount() > 0) {
          // every argument is null: the future fails, with the exception the blocking form throws
          assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).as(m.toString())
              .hasCauseInstanceOf(RuntimeException.class);
        } else {
          assertThat(f).as(m.toString()).succeedsWithin(Duration.ofSeconds(10));
        }
        called++;
      }
    }
    assertThat(called).as("async methods exercised").isGreaterThanOrEqualTo(20);
  }

  @Test
  void badArgumentsFailTheFutureWithTheBlockingFormsException() {
    assertThatThrownBy(() -> twin.entities().get(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThat(twin.entities().getAsync(" ")).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    Entity noEtag = Entity.builder("k-a", EntityType.SENSOR).build();
    assertThatThrownBy(() -> twin.entities().replace(noEtag)).isInstanceOf(IllegalArgumentException.class);
    assertThat(twin.entities().replaceAsync(noEtag)).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    assertThat(twin.entities().batchAsync(List.of())).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    Instant now = Instant.now();
    assertThat(twin.history().propertyAsync("k-a", "height", now, now.minusSeconds(60)))
        .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    assertThat(twin.entities().getIfChangedAsync("k-a", null)).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalArgumentException.class);
    // a server failure arrives through the future too, with the blocking form's type
    assertThat(twin.relationships().getAsync("k-none")).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void entitiesGetVersionedAndIfMatch() {
    Versioned<Entity> v = twin.entities().getVersioned("k-b");
    assertThat(v.etag()).isEqualTo(v.value().etag()).isNotBlank();
    assertThat(twin.entities().getVersionedAsync("k-b").join()).isEqualTo(v);
    Entity changed = twin.entities().update("k-b",
        EntityPatch.builder().setProperty("height", Property.of(3.0, "m")).build(), v.etag());
    assertThat(changed.etag()).isNotEqualTo(v.etag());
    // the version read before the change no longer matches
    assertThatThrownBy(() -> twin.entities().update("k-b",
        EntityPatch.builder().setProperty("height", Property.of(4.0, "m")).build(), v.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(twin.entities().getIfChangedAsync("k-b", v.etag()).join()).contains(changed);
    assertThat(twin.entities().getIfChangedAsync("k-b", changed.etag()).join()).isEmpty();
  }

  @Test
  void relationshipsGetVersionedAndConditionalDelete() {
    Relationship created = twin.relationships().create(new Relationship("k-rel-1", "feeds", "k-a", "k-b", Map.of(),
        null));
    Versioned<Relationship> v = twin.relationships().getVersioned("k-rel-1");
    assertThat(v.value()).isEqualTo(created);
    assertThat(v.etag()).startsWith("\"").endsWith("\"");
    assertThat(twin.relationships().getVersionedAsync("k-rel-1").join()).isEqualTo(v);
    // deleted and created again under the same id: the ETag read before names the old one
    twin.relationships().delete("k-rel-1", v.etag());
    assertThatThrownBy(() -> twin.relationships().get("k-rel-1")).isInstanceOf(NotFoundException.class);
    twin.relationships().create(new Relationship("k-rel-1", "feeds", "k-a", "k-b", Map.of(), null));
    Versioned<Relationship> again = twin.relationships().getVersioned("k-rel-1");
    assertThat(again.etag()).isNotEqualTo(v.etag());
    assertThatThrownBy(() -> twin.relationships().delete("k-rel-1", v.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(twin.relationships().deleteAsync("k-rel-1", v.etag())).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(PreconditionFailedException.class);
    assertThat(twin.relationships().get("k-rel-1")).isEqualTo(again.value());
    twin.relationships().deleteAsync("k-rel-1", again.etag()).join();
    assertThatThrownBy(() -> twin.relationships().getAsync("k-rel-1").join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NotFoundException.class);
  }

  /** The sandbox's relationship ETags on the wire: on create and read, If-Match with *, weak and lists, 412 body. */
  @Test
  void relationshipEtagsOnTheWire() {
    io.shudu.core.internal.ApiClient raw = new io.shudu.core.internal.ApiClient(
        sandbox.tenant("contract").clientConfig(), "test");
    String body = "{\"id\":\"k-rel-w\",\"type\":\"feeds\",\"source\":\"k-a\",\"target\":\"k-b\"}";
    io.shudu.core.internal.ApiResponse created = raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "POST",
        "/twin/v1/relationships").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json")
        .build());
    assertThat(created.status()).isEqualTo(201);
    String etag = created.etag();
    assertThat(etag).isNotBlank();
    // the replayed create (same id, same content) carries the same ETag
    io.shudu.core.internal.ApiResponse replayed = raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "POST",
        "/twin/v1/relationships").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json")
        .build());
    assertThat(replayed.status()).isEqualTo(200);
    assertThat(replayed.etag()).isEqualTo(etag);
    assertThat(raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "GET", "/twin/v1/relationships/{}",
        "k-rel-w").build()).etag()).isEqualTo(etag);
    assertThatThrownBy(() -> raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "DELETE",
        "/twin/v1/relationships/{}", "k-rel-w").header("If-Match", "\"r-0\", W/\"r-1\"").build()))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("does not match");
    // a weak form of the right tag in a list matches
    assertThat(raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "DELETE", "/twin/v1/relationships/{}",
        "k-rel-w").header("If-Match", "\"r-0\", W/" + etag).build()).status()).isEqualTo(204);
    // If-Match: * needs one to exist
    twin.relationships().create(new Relationship("k-rel-w", "feeds", "k-a", "k-b", Map.of(), null));
    assertThat(raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "DELETE", "/twin/v1/relationships/{}",
        "k-rel-w").header("If-Match", "*").build()).status()).isEqualTo(204);
    assertThatThrownBy(() -> raw.execute(io.shudu.core.internal.ApiRequest.builder("raw", "DELETE",
        "/twin/v1/relationships/{}", "k-rel-w").header("If-Match", "*").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void everySubApiHasWithOptionsReturningItsOwnType() {
    RequestOptions opts = RequestOptions.builder().timeout(Duration.ofSeconds(20)).build();
    for (Object api : subApis()) {
      Class<?> type = publicInterface(api);
      Object view;
      try {
        view = type.getMethod("withOptions", RequestOptions.class).invoke(api, opts);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(type + " has no withOptions(RequestOptions)", e);
      }
      assertThat(view).as(type.getSimpleName()).isInstanceOf(type).isNotSameAs(api);
    }
    assertThatThrownBy(() -> twin.networks().withOptions(null)).isInstanceOf(NullPointerException.class);
    // the views work end to end
    assertThat(twin.networks().withOptions(opts).stats()).isNotNull();
    assertThat(twin.changes().withOptions(opts).feedName()).isEqualTo(twin.changes().feedName());
    assertThat(twin.relationships().withOptions(opts).outgoing("k-a").stream().toList()).isNotNull();
  }

  static Class<?> publicInterface(Object api) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> i : api.getClass().getInterfaces()) {
      if (i.getPackageName().equals("io.shudu.twin")) {
        found.add(i);
      }
    }
    assertThat(found).as(api.getClass() + " implements one public sub-API interface").hasSize(1);
    return found.get(0);
  }

  @Test
  void aClosedClientRefusesEveryLaterCallAndOtherClientsOfTheConfigKeepWorking() {
    TwinClient closed = TwinClient.create(sandbox.tenant("contract").clientConfig());
    assertThat(closed.entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
    closed.close();
    closed.close(); // idempotent
    assertThatThrownBy(() -> closed.entities().get("lg-bldg-0001")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed twin client").hasMessageContaining("create a new client");
    assertThatThrownBy(() -> closed.entities().withOptions(RequestOptions.defaults()).get("lg-bldg-0001"))
        .isInstanceOf(IllegalStateException.class);
    CompletableFuture<?> async = closed.entities().getAsync("lg-bldg-0001");
    assertThatThrownBy(() -> async.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(twin.entities().get("lg-bldg-0001").id()).isEqualTo("lg-bldg-0001");
  }
}
