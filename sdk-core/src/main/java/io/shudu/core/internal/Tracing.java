package io.shudu.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** W3C Trace Context: one trace id per logical call, a new parent (span) id per attempt, sampled flag set. */
public final class Tracing {
  private Tracing() {}

  /** A random 32-hex-digit trace id (never all zeros). */
  public static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = r.nextLong();
    long lo = r.nextLong();
    if (hi == 0 && lo == 0) {
      lo = 1;
    }
    byte[] out = new byte[32];
    hex(hi, out, 0);
    hex(lo, out, 16);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Writes the 16 lower-case hex digits of {@code v} at {@code at}. */
  private static void hex(long v, byte[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = DIGITS[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  private static final java.util.regex.Pattern TRACEPARENT =
      java.util.regex.Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * Whether a value is a W3C traceparent this SDK sends or records: lower-case hex, version not {@code ff}, trace and
   * parent ids not all zeros.
   */
  public static boolean isValid(String traceparent) {
    return traceparent != null && traceparent.length() == 55 && TRACEPARENT.matcher(traceparent).matches()
        && !traceparent.startsWith("ff") && !traceparent.substring(3, 35).equals("0".repeat(32))
        && !traceparent.substring(36, 52).equals("0".repeat(16));
  }

  /** A traceparent for a new span of the trace. */
  public static String traceparent(String traceId) {
    long span = ThreadLocalRandom.current().nextLong();
    if (span == 0) {
      span = 1;
    }
    if (traceId.length() != 32) {
      throw new IllegalArgumentException("a trace id has 32 hex digits");
    }
    byte[] out = new byte[55];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    for (int i = 0; i < 32; i++) {
      out[3 + i] = (byte) traceId.charAt(i);
    }
    out[35] = '-';
    hex(span, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = '1';
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}
