/** Shudu client for the AIoT feeds over OGC SensorThings API 1.0/1.1 (catalog, queries, observations, live feeds). */
module io.shudu.iot {
  requires transitive io.shudu.core;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.shudu.iot;

  opens io.shudu.iot to com.fasterxml.jackson.databind;
  opens io.shudu.iot.internal to com.fasterxml.jackson.databind;
}
