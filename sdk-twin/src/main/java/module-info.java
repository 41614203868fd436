/** Shudu client for the city digital twin (entities, relationships, spatial queries, history, pipe-network analysis). */
module io.shudu.twin {
  requires transitive io.shudu.core;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.shudu.twin;

  opens io.shudu.twin to com.fasterxml.jackson.databind;
  opens io.shudu.twin.internal to com.fasterxml.jackson.databind;
}
