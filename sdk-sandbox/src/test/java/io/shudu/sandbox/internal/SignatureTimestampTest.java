package io.shudu.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The digit-by-digit X-Shudu-Date parser accepts and refuses exactly what the documented formatter does. */
class SignatureTimestampTest {
  private static Object viaFormatter(String s) {
    try {
      return Instant.from(SandboxAuth.TIMESTAMP.parse(s));
    } catch (DateTimeParseException e) {
      return "refused";
    }
  }

  private static Object viaFastPath(String s) {
    try {
      return SandboxAuth.parseTimestamp(s);
    } catch (DateTimeParseException e) {
      return "refused";
    }
  }

  @Test
  void fastParserAgreesWithTheFormatterOnValidAndMangledTimestamps() {
    Random r = new Random(20261201L);
    String alphabet = "0123456789TZ:- x";
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      String s;
      if (i % 3 == 0) {
        // plausible values, fields anywhere from 0 to 99 (invalid months, days, hours included)
        s = String.format("%04d%02d%02dT%02d%02d%02dZ", r.nextInt(10_000), r.nextInt(100), r.nextInt(100),
            r.nextInt(100), r.nextInt(100), r.nextInt(100));
      } else if (i % 3 == 1) {
        s = SandboxAuth.TIMESTAMP.format(Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 253_000_000_000L)));
      } else {
        StringBuilder sb = new StringBuilder("20261201T103000Z");
        int edits = 1 + r.nextInt(3);
        for (int k = 0; k < edits; k++) {
          int at = r.nextInt(sb.length());
          switch (r.nextInt(3)) {
            case 0 -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            case 1 -> sb.deleteCharAt(at);
            default -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          }
        }
        s = sb.toString();
      }
      Object expected = viaFormatter(s);
      assertThat(viaFastPath(s)).as(s).isEqualTo(expected);
      if (expected instanceof Instant) {
        accepted++;
      }
    }
    assertThat(accepted).as("accepted values among the inputs").isGreaterThan(30_000);
  }
}
