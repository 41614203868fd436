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
  // NOT API (see its package-info): exported by name to the SDK's own modules that share the runtime, never to all.
  // A partner application that runs the sandbox from the class path beside a named io.shudu.core adds
  // --add-exports io.shudu.core/io.shudu.core.internal=ALL-UNNAMED (release-check's ClientContractTest fails on any
  // unqualified export of an internal package).
  exports io.shudu.core.internal to
      io.shudu.twin, io.shudu.iot, io.shudu.exchange, io.shudu.sandbox, io.shudu.opentelemetry, io.shudu.micrometer,
      io.shudu.kafka.connect;

  opens io.shudu.core to com.fasterxml.jackson.databind;
  opens io.shudu.core.internal to com.fasterxml.jackson.databind;
}
