package io.shudu.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written id and property-name checks accept exactly what the documented patterns accept. */
class NamesTest {
  private static final String ALPHABET = "aZ09._:~-$ /é\u0000A_z";

  @Test
  void idsAndPropertyNamesAgreeWithTheirPatternsOnRandomInput() {
    Random r = new Random(20261201L);
    for (int i = 0; i < 200_000; i++) {
      int n = r.nextInt(10) == 0 ? 60 + r.nextInt(80) : r.nextInt(8);
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < n; k++) {
        sb.append(r.nextInt(4) == 0 ? ALPHABET.charAt(r.nextInt(ALPHABET.length())) : (char) ('a' + r.nextInt(26)));
      }
      String s = sb.toString();
      assertThat(Names.id(s)).as("id '%s'", s).isEqualTo(Names.ID.matcher(s).matches());
      assertThat(Names.property(s)).as("property '%s'", s).isEqualTo(Names.PROPERTY.matcher(s).matches());
    }
    assertThat(Names.id(null)).isFalse();
    assertThat(Names.property(null)).isFalse();
    assertThat(Names.id("a".repeat(128))).isTrue();
    assertThat(Names.id("a".repeat(129))).isFalse();
    assertThat(Names.property("_" + "a".repeat(63))).isTrue();
    assertThat(Names.property("a".repeat(65))).isFalse();
  }
}
