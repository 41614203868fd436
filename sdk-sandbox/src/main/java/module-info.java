/**
 * The embeddable Shudu sandbox: an in-process platform implementing the twin, data exchange and IoT services on the
 * sandbox's own small HTTP/1.1 server (bounded: see SandboxLimits), for tests, examples and demos without a network.
 */
module io.shudu.sandbox {
  requires transitive io.shudu.core;
  requires com.google.common;
  requires jdk.httpserver;
  requires jdk.net;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  // JTS (Automatic-Module-Name org.locationtech.jts): the spatial predicates of the twin and SensorThings services
  requires org.locationtech.jts;
  requires static org.junit.jupiter.api;

  exports io.shudu.sandbox;

  opens io.shudu.sandbox.internal to com.fasterxml.jackson.databind;
  opens io.shudu.sandbox.internal.http to com.fasterxml.jackson.databind;
  opens io.shudu.sandbox.internal.twin to com.fasterxml.jackson.databind;
  opens io.shudu.sandbox.internal.exchange to com.fasterxml.jackson.databind;
  opens io.shudu.sandbox.internal.iot to com.fasterxml.jackson.databind;
}
