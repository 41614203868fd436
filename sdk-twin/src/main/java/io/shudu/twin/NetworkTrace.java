package io.shudu.twin;

import java.util.List;

/**
 * The result of a connected, upstream or downstream trace.
 *
 * @param analysis connected, upstream or downstream
 * @param from the start segment or node
 * @param network the network
 * @param segments segment ids reached
 * @param nodes node ids reached
 * @param lengthMeters total length of the segments
 * @param consumers buildings and structures fed by the nodes reached
 */
public record NetworkTrace(String analysis, String from, Network network, List<String> segments, List<String> nodes,
    double lengthMeters, List<String> consumers) {
  /** Copies. */
  public NetworkTrace {
    segments = List.copyOf(segments);
    nodes = List.copyOf(nodes);
    consumers = List.copyOf(consumers);
  }
}
