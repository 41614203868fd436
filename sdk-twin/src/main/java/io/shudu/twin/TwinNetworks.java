package io.shudu.twin;

import io.shudu.core.RequestOptions;
import java.util.concurrent.CompletableFuture;

/**
 * Analyses of the utility networks: connectivity, upstream and downstream traces, shortest path and the isolation
 * trace of a burst. Starts are pipeSegment or pipeNode ids.
 *
 * <pre>{@code
 * IsolationResult r = twin.networks().isolate("w-seg-00100");
 * r.valvesToClose().forEach(v -> System.out.println("close " + v.id()));
 * }</pre>
 */
public interface TwinNetworks {
  /**
   * Summary of every network (segments, length, valves, sources, consumers) and dataset counts.
   *
   * @return the statistics
   */
  TwinStats stats();

  /**
   * Async {@link #stats}.
   *
   * @return the statistics
   */
  CompletableFuture<TwinStats> statsAsync();

  /**
   * Everything connected to a segment or node with all valves open.
   *
   * @param from segment or node id
   * @return the trace
   */
  NetworkTrace connected(String from);

  /**
   * Async {@link #connected}.
   *
   * @param from segment or node id
   * @return the trace
   */
  CompletableFuture<NetworkTrace> connectedAsync(String from);

  /**
   * Everything upstream (against the flow).
   *
   * @param from segment or node id
   * @return the trace
   */
  NetworkTrace upstream(String from);

  /**
   * Async {@link #upstream}.
   *
   * @param from segment or node id
   * @return the trace
   */
  CompletableFuture<NetworkTrace> upstreamAsync(String from);

  /**
   * Everything downstream (with the flow), with the consumers it feeds.
   *
   * @param from segment or node id
   * @return the trace
   */
  NetworkTrace downstream(String from);

  /**
   * Async {@link #downstream}.
   *
   * @param from segment or node id
   * @return the trace
   */
  CompletableFuture<NetworkTrace> downstreamAsync(String from);

  /**
   * The shortest path by pipe length.
   *
   * @param from segment or node id
   * @param to segment or node id in the same network
   * @return the path
   */
  NetworkPath shortestPath(String from, String to);

  /**
   * Async {@link #shortestPath}.
   *
   * @param from start
   * @param to end
   * @return the path
   */
  CompletableFuture<NetworkPath> shortestPathAsync(String from, String to);

  /**
   * The isolation trace of a burst at a segment.
   *
   * @param segmentId the burst segment
   * @return valves to close and who loses supply
   */
  IsolationResult isolate(String segmentId);

  /**
   * Async {@link #isolate}.
   *
   * @param segmentId the burst segment
   * @return the result
   */
  CompletableFuture<IsolationResult> isolateAsync(String segmentId);

  /**
   * The same operations with per-call options (timeouts, headers).
   *
   * @param options the options
   * @return a view using them
   */
  TwinNetworks withOptions(RequestOptions options);
}
