/**
 * OpenTelemetry spans for the Shudu SDK: {@link io.shudu.opentelemetry.ShuduTracing}, a listener for
 * {@link io.shudu.core.ClientConfig.Builder#addListener}. The application brings the OpenTelemetry API.
 */
module io.shudu.opentelemetry {
  requires transitive io.shudu.core;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports io.shudu.opentelemetry;
}
