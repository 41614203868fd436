/**
 * Micrometer meters for the Shudu SDK: {@link io.shudu.micrometer.ShuduMetrics}, a listener for
 * {@link io.shudu.core.ClientConfig.Builder#addListener}. The application brings Micrometer.
 */
module io.shudu.micrometer {
  requires transitive io.shudu.core;
  requires transitive micrometer.core;

  exports io.shudu.micrometer;
}
