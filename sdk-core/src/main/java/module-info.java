/**
 * Shudu SDK core runtime: configuration, credentials, the HTTP pipeline (retries, signing, logging, tracing),
 * errors, pagination, live event streams and webhook verification, shared by the twin, exchange and IoT clients.
 */
module io.shudu.core {
  requires com.google.common;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires transitive okhttp3;
  requires okhttp3.sse;
  requires org.slf4j;

  exports io.shudu.core;
  exports io.shudu.core.geo;
  exports io.shudu.core.okhttp;
  // NOT API (see its package-info): exported to all because the sandbox, a test-only dependency, may run from the
  // class path beside a partner's named module
  exports io.shudu.core.internal;

  opens io.shudu.core to com.fasterxml.jackson.databind;
  opens io.shudu.core.internal to com.fasterxml.jackson.databind;
}
