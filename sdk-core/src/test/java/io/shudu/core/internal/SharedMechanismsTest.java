package io.shudu.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mechanisms the clients and the sandbox share from sdk-core: one backoff, one JSON merge patch, one traceparent
 * check.
 */
class SharedMechanismsTest {
  @Test
  void requestOptionsTakeOnlyTraceparentsTheSdkItselfAccepts() {
    String good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    assertThat(io.shudu.core.RequestOptions.builder().traceparent(good).build().traceparent()).contains(good);
    for (String bad : new String[] {
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff is forbidden
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",      // no flags
        ""}) {
      assertThat(Tracing.isValid(bad)).as(bad).isFalse();
      assertThatThrownBy(() -> io.shudu.core.RequestOptions.builder().traceparent(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("traceparent must be a W3C traceparent")
          .hasMessageContaining("not all zeros and a version other than ff").hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> io.shudu.core.RequestOptions.builder().traceparent(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceparent must be");
  }

  @Test
  void backoffIsFullJitterUnderADoublingCappedCeiling() {
    Duration base = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(1);
    assertThat(Backoff.ceiling(base, max, 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.ceiling(base, max, 3)).isEqualTo(Duration.ofMillis(400));
    assertThat(Backoff.ceiling(base, max, 5)).isEqualTo(max);
    assertThat(Backoff.ceiling(base, max, Integer.MAX_VALUE)).isEqualTo(max);
    assertThat(Backoff.ceiling(Duration.ofDays(365 * 100), Duration.ofDays(365 * 200), 60))
        .isEqualTo(Duration.ofDays(365 * 200));
    SplittableRandom random = new SplittableRandom(7);
    long below = 0;
    for (int i = 0; i < 2_000; i++) {
      Duration d = Backoff.delay(base, max, 2, random);
      assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(200));
      if (d.compareTo(Duration.ofMillis(100)) < 0) {
        below++;
      }
    }
    // full jitter: about half of the waits fall below half of the ceiling (equal jitter would give none)
    assertThat(below).isBetween(800L, 1_200L);
    assertThat(Backoff.delay(Duration.ZERO, Duration.ZERO, 3, random)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Backoff.ceiling(base, max, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1");
  }

  @Test
  void mergePatchFollowsRfc7396AndChangesNeitherInput() throws Exception {
    JsonNode target = Json.mapper().readTree("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}");
    JsonNode patch = Json.mapper().readTree("{\"a\":\"z\",\"c\":{\"f\":null,\"h\":{\"i\":1}},\"l\":[3],\"n\":null}");
    String targetBefore = target.toString();
    String patchBefore = patch.toString();
    JsonNode out = Json.mergePatch(target, patch);
    assertThat(out.toString()).isEqualTo("{\"a\":\"z\",\"c\":{\"d\":\"e\",\"h\":{\"i\":1}},\"l\":[3]}");
    assertThat(target.toString()).isEqualTo(targetBefore);
    assertThat(patch.toString()).isEqualTo(patchBefore);
    ((com.fasterxml.jackson.databind.node.ObjectNode) out.get("c").get("h")).put("i", 2);
    assertThat(patch.toString()).isEqualTo(patchBefore);
    assertThat(Json.mergePatch(target, Json.mapper().readTree("[1]")).toString()).isEqualTo("[1]");
    assertThat(Json.mergePatch(null, patch).toString()).isEqualTo("{\"a\":\"z\",\"c\":{\"h\":{\"i\":1}},\"l\":[3]}");
  }
}
