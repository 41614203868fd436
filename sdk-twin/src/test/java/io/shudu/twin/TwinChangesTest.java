package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.shudu.core.FeedEvent;
import io.shudu.core.FeedOptions;
import io.shudu.core.FeedSubscription;
import io.shudu.sandbox.Sandbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The change feed over SSE: every write in commit order, per-entity filtering, resume after the last event id. */
class TwinChangesTest {
  static FeedEvent<TwinChange> next(BlockingQueue<FeedEvent<TwinChange>> q) throws InterruptedException {
    FeedEvent<TwinChange> e = q.poll(20, TimeUnit.SECONDS);
    assertThat(e).as("a change event arrives").isNotNull();
    return e;
  }

  @Test
  void changesArriveInOrderAndResumeAfterTheLastEventId() throws Exception {
    try (Sandbox sandbox = Sandbox.start()) {
      TwinClient twin = TwinClient.create(sandbox.tenant("changes").clientConfig());
      assertThat(twin.changes().feedName()).isEqualTo("twin-changes.changes");
      BlockingQueue<FeedEvent<TwinChange>> all = new LinkedBlockingQueue<>();
      BlockingQueue<FeedEvent<TwinChange>> one = new LinkedBlockingQueue<>();
      long lastId;
      try (FeedSubscription sub = twin.changes().subscribe(List.of(), FeedOptions.defaults(), all::add);
          FeedSubscription only = twin.changes().subscribe(List.of("c-2"), FeedOptions.defaults(), one::add)) {
        assertThat(sub.awaitConnected(Duration.ofSeconds(20))).isTrue();
        assertThat(only.awaitConnected(Duration.ofSeconds(20))).isTrue();
        Entity c1 = twin.entities().create(Entity.builder("c-1", EntityType.SENSOR).property("n", 1).build());
        twin.entities().create(Entity.builder("c-2", EntityType.SENSOR).build());
        twin.entities().update("c-1", EntityPatch.builder().setProperty("n", Property.of(2)).build(), c1.etag());
        Relationship r = twin.relationships().create(Relationship.of("observes", "c-2", "c-1"));
        twin.entities().delete("c-1", null);

        FeedEvent<TwinChange> e1 = next(all);
        assertThat(e1.type()).isEqualTo("entity.created");
        assertThat(e1.key()).isEqualTo("c-1");
        assertThat(e1.payload().entity()).isEqualTo(c1);
        assertThat(next(all).payload().entityId()).isEqualTo("c-2");
        FeedEvent<TwinChange> e3 = next(all);
        assertThat(e3.payload().kind()).isEqualTo("entity.updated");
        assertThat(e3.payload().version()).isEqualTo(2);
        assertThat(e3.payload().entity().property("n")).contains(Property.of(2));
        FeedEvent<TwinChange> e4 = next(all);
        assertThat(e4.payload().kind()).isEqualTo("relationship.created");
        assertThat(e4.payload().relationship().id()).isEqualTo(r.id());
        // deleting c-1 also deletes the relationship that targets it: both in commit order
        FeedEvent<TwinChange> e5 = next(all);
        assertThat(e5.payload().kind()).isEqualTo("relationship.deleted");
        FeedEvent<TwinChange> e6 = next(all);
        assertThat(e6.payload().kind()).isEqualTo("entity.deleted");
        assertThat(e6.payload().entity()).isNull();
        assertThat(List.of(e1.id(), e3.id(), e4.id(), e5.id(), e6.id())).isSorted();
        lastId = e6.id();
        // the filtered subscription sees only c-2's events (its creation, and the relationship it is source of)
        assertThat(next(one).payload().kind()).isEqualTo("entity.created");
        assertThat(next(one).payload().kind()).isEqualTo("relationship.created");
        assertThat(next(one).payload().kind()).isEqualTo("relationship.deleted");
      }
      // written while nobody listens; a new subscription resumes after the last id it saw
      twin.entities().upsert(Entity.builder("c-3", EntityType.SENSOR).build());
      twin.entities().upsert(Entity.builder("c-4", EntityType.SENSOR).build());
      BlockingQueue<FeedEvent<TwinChange>> resumed = new LinkedBlockingQueue<>();
      try (FeedSubscription sub = twin.changes().subscribe(List.of(), FeedOptions.builder()
          .start(FeedOptions.StartPosition.after(lastId)).build(), resumed::add)) {
        assertThat(next(resumed).payload().entityId()).isEqualTo("c-3");
        assertThat(next(resumed).payload().entityId()).isEqualTo("c-4");
        assertThat(resumed.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(sub.failure()).isEmpty();
      }
    }
  }
}
