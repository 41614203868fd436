package io.shudu.sandbox.internal;

import io.shudu.sandbox.SandboxLimits;
import io.shudu.sandbox.internal.feed.Feeds;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a sandbox service gets from the sandbox: the data seed, open mode, simulator rate, clock and a scheduler for
 * simulators (daemon threads, shut down with the sandbox).
 *
 * @param seed seed of every generated dataset: same seed, same data
 * @param openMode whether unauthenticated requests are accepted (conformance runs only)
 * @param simulationRate live observations per second per simulated feed (0 disables simulators)
 * @param clock the sandbox clock
 * @param scheduler scheduler for simulators and timers
 * @param feeds the live feeds services publish to
 * @param limits the resource limits services enforce on each tenant's stored state
 */
public record SandboxContext(long seed, boolean openMode, double simulationRate, Clock clock,
    ScheduledExecutorService scheduler, Feeds feeds, SandboxLimits limits) {}
