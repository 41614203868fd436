package io.shudu.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;

/**
 * The building blocks of the SDK's streaming page readers (sdk-iot's {@code ObservationPages}, sdk-twin's
 * {@code EntityPages}). Each reads the common shape of a page token by token and gives up, by throwing
 * {@link #GIVE_UP}, on anything it does not handle exactly as the shared mapper's data binding does; the caller then
 * binds the page the general way, so results and errors never depend on which path read it.
 */
public final class FastJson {
  private FastJson() {}

  /** Gives up: the page is bound the general way. Thrown without a stack trace, never seen by callers. */
  public static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private GiveUp() {
      super("not on the fast path", null, false, false);
    }
  }

  /** The one instance thrown. */
  public static final GiveUp GIVE_UP = new GiveUp();

  /**
   * Marks a member as seen; a repeated member gives up (data binding's handling of repeats is not worth copying).
   *
   * @param seen the bits of the members seen so far
   * @param bit this member's bit
   * @return the bits with this member's
   */
  public static int once(int seen, int bit) {
    if ((seen & bit) != 0) {
      throw GIVE_UP;
    }
    return seen | bit;
  }

  /**
   * A string or null; anything else gives up (data binding coerces numbers and booleans to text).
   *
   * @param p the parser
   * @param t its current token
   * @return the text, or null
   * @throws IOException from the parser
   */
  public static String string(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    throw GIVE_UP;
  }

  /**
   * An integer that fits a long, or null; anything else gives up (too big, a fraction or text: data binding coerces
   * or rejects).
   *
   * @param p the parser
   * @param t its current token
   * @return the value, or null
   * @throws IOException from the parser
   */
  public static Long nullableLong(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NULL ? null : longValue(p, t);
  }

  /**
   * An integer that fits a long; anything else, null included, gives up.
   *
   * @param p the parser
   * @param t its current token
   * @return the value
   * @throws IOException from the parser
   */
  public static long longValue(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType nt = p.getNumberType();
      if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
        return p.getLongValue();
      }
    }
    throw GIVE_UP;
  }

  /**
   * A canonical UTC instant (what the shared mapper's {@code Instant} deserializer reads first), or null; any other
   * form gives up.
   *
   * @param p the parser
   * @param t its current token
   * @return the instant, or null
   * @throws IOException from the parser
   */
  public static Instant instant(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_STRING) {
      Instant fast = Json.canonicalInstant(p.getText());
      if (fast != null) {
        return fast;
      }
    }
    throw GIVE_UP;
  }
}
