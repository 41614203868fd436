package io.shudu.twin;

import java.util.List;
import java.util.Map;

/**
 * Counts of the tenant's twin: entities by type, underground structures by kind, and the pipe networks.
 *
 * @param entities total entities
 * @param byType entities by type wire name
 * @param undergroundStructuresByKind underground structures by kind
 * @param networks the networks' summary
 */
public record TwinStats(long entities, Map<String, Long> byType, Map<String, Long> undergroundStructuresByKind,
    Networks networks) {
  /**
   * The networks' summary.
   *
   * @param networks one item per network
   * @param totalLengthMeters length of all networks
   */
  public record Networks(List<NetworkSummary> networks, double totalLengthMeters) {}

  /**
   * One network.
   *
   * @param network the network
   * @param segments segment count
   * @param lengthMeters total length
   * @param nodes node count
   * @param valves valve count
   * @param sources source count
   * @param consumers buildings and structures fed
   */
  public record NetworkSummary(Network network, int segments, double lengthMeters, int nodes, int valves, int sources,
      int consumers) {}
}
