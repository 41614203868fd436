package io.shudu.twin;

import java.util.List;

/**
 * The shortest path by pipe length between two nodes or segments.
 *
 * @param from start
 * @param to end
 * @param network the network
 * @param nodes node ids along the path, in order
 * @param segments segment ids along the path, in order
 * @param lengthMeters total length
 */
public record NetworkPath(String from, String to, Network network, List<String> nodes, List<String> segments,
    double lengthMeters) {
  /** Copies. */
  public NetworkPath {
    nodes = List.copyOf(nodes);
    segments = List.copyOf(segments);
  }
}
