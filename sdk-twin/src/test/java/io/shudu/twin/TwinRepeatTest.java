package io.shudu.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shudu.core.ConflictException;
import io.shudu.core.PreconditionFailedException;
import io.shudu.core.RequestOptions;
import io.shudu.core.RetryPolicy;
import io.shudu.core.ShuduException;
import io.shudu.core.geo.Geometry;
import io.shudu.sandbox.Fault;
import io.shudu.sandbox.Sandbox;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Twin creates whose answer is lost after the platform committed: the exception says MAYBE_PROCESSED with the key, a
 * repeat with {@link RequestOptions#repeatOf} (or a plain repeat of the same create: the id is its client reference)
 * returns the one entity or relationship, and a different create with the same id is still refused.
 */
class TwinRepeatTest {
  static Sandbox sandbox;
  static TwinClient twin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start();
    twin = TwinClient.create(sandbox.tenant("repeats").clientConfig().toBuilder().retryPolicy(RetryPolicy.none())
        .build());
  }

  @AfterAll
  static void stop() {
    twin.close();
    sandbox.close();
  }

  static Entity building(String id, double height) {
    return Entity.builder(id, EntityType.BUILDING).property("height", height, "m")
        .geometry(Geometry.box(121.9001, 30.9201, 121.9004, 30.9203)).build();
  }

  @Test
  void aCreateWhoseAnswerWasLostIsRepeatedExactlyOnce() {
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/twin/v1/entities/t-lost-1").times(1));
    ShuduException e = catchThrowableOfType(ShuduException.class,
        () -> twin.entities().create(building("t-lost-1", 10)));
    assertThat(e.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    assertThat(e.idempotencyKey()).isPresent();

    Entity repeated = twin.entities().withOptions(RequestOptions.repeatOf(e)).create(building("t-lost-1", 10));
    assertThat(repeated.version()).isEqualTo(1);
    Entity again = twin.entities().create(building("t-lost-1", 10)); // a new key: the id is the reference
    assertThat(again).isEqualTo(twin.entities().get("t-lost-1"));
    assertThat(again.version()).isEqualTo(1);
    assertThatThrownBy(() -> twin.entities().create(building("t-lost-1", 11)))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("already exists");
  }

  @Test
  void relationshipCreatesAreRepeatedExactlyOnce() {
    twin.entities().create(building("t-rel-a", 10));
    twin.entities().create(building("t-rel-b", 10));
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/twin/v1/relationships").times(1));
    Relationship r = new Relationship(null, "connectsTo", "t-rel-a", "t-rel-b", Map.of(), null);
    ShuduException e = catchThrowableOfType(ShuduException.class, () -> twin.relationships().create(r));
    assertThat(e.outcome()).isEqualTo(ShuduException.Outcome.MAYBE_PROCESSED);
    Relationship created = twin.relationships().withOptions(RequestOptions.repeatOf(e)).create(r);
    assertThat(twin.relationships().outgoing("t-rel-a", "connectsTo").stream().toList())
        .extracting(Relationship::id).containsExactly(created.id());

    Relationship named = new Relationship("t-rel-named", "connectsTo", "t-rel-b", "t-rel-a", Map.of(), null);
    sandbox.injectFault(Fault.dropResponseAfterCommit().onPath("/twin/v1/relationships").times(1));
    assertThatThrownBy(() -> twin.relationships().create(named)).isInstanceOf(ShuduException.class);
    assertThat(twin.relationships().create(named).id()).isEqualTo("t-rel-named"); // same id and content: the first
    assertThatThrownBy(() -> twin.relationships().create(new Relationship("t-rel-named", "feeds", "t-rel-b",
        "t-rel-a", Map.of(), null))).isInstanceOf(ConflictException.class).hasMessageContaining("already exists");
    assertThat(twin.relationships().outgoing("t-rel-b").stream().toList()).hasSize(1);
  }
}
