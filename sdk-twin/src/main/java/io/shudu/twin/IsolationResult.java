package io.shudu.twin;

import io.shudu.core.geo.Position;
import java.util.List;

/**
 * The isolation trace of a burst: which valves to close (and sources to shut), which pipes are isolated, which are cut
 * off from every source as a consequence, and the buildings and structures that lose supply.
 *
 * @param segment the burst segment
 * @param network its network
 * @param valvesToClose valves bounding the isolated part
 * @param sourcesToShut sources reached without a valve in between (usually empty)
 * @param isolatedSegments segments between the closed valves, the burst included
 * @param isolatedLengthMeters their length
 * @param cutOffSegments other segments no longer connected to an open source
 * @param cutOffLengthMeters their length
 * @param affectedBuildings buildings that lose supply
 * @param affectedStructures underground structures that lose supply
 * @param affectedOther other consumers that lose supply
 */
public record IsolationResult(String segment, Network network, List<Valve> valvesToClose, List<String> sourcesToShut,
    List<String> isolatedSegments, double isolatedLengthMeters, List<String> cutOffSegments,
    double cutOffLengthMeters, List<String> affectedBuildings, List<String> affectedStructures,
    List<String> affectedOther) {
  /** Copies. */
  public IsolationResult {
    valvesToClose = List.copyOf(valvesToClose);
    sourcesToShut = List.copyOf(sourcesToShut);
    isolatedSegments = List.copyOf(isolatedSegments);
    cutOffSegments = List.copyOf(cutOffSegments);
    affectedBuildings = List.copyOf(affectedBuildings);
    affectedStructures = List.copyOf(affectedStructures);
    affectedOther = affectedOther == null ? List.of() : List.copyOf(affectedOther);
  }

  /**
   * A valve to close.
   *
   * @param id the pipeNode id
   * @param coordinates where it is, or null
   */
  public record Valve(String id, Position coordinates) {}
}
