/**
 * Micrometer meters for the Shudu SDK's calls and feed subscriptions; see {@link io.shudu.micrometer.ShuduMetrics}
 * and docs/observability.md.
 */
package io.shudu.micrometer;
