package io.shudu.core.internal;

import java.util.HexFormat;
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
    return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
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
    return "00-" + traceId + "-" + HexFormat.of().toHexDigits(span) + "-01";
  }
}
