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

  /** A traceparent for a new span of the trace. */
  public static String traceparent(String traceId) {
    long span = ThreadLocalRandom.current().nextLong();
    if (span == 0) {
      span = 1;
    }
    return "00-" + traceId + "-" + HexFormat.of().toHexDigits(span) + "-01";
  }
}
