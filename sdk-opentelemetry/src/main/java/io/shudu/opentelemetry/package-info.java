/**
 * OpenTelemetry spans for the Shudu SDK's calls and feed events; see {@link io.shudu.opentelemetry.ShuduTracing} and
 * docs/observability.md.
 */
package io.shudu.opentelemetry;
