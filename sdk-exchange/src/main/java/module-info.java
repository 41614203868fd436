/** Shudu client for the Shanghai Data Exchange (catalog, policies, orders, verifiable delivery, audit chain, digital asset board). */
module io.shudu.exchange {
  requires transitive io.shudu.core;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.shudu.exchange;

  opens io.shudu.exchange to com.fasterxml.jackson.databind;
  opens io.shudu.exchange.internal to com.fasterxml.jackson.databind;
}
