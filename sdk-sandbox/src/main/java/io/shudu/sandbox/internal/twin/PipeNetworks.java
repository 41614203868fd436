package io.shudu.sandbox.internal.twin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shudu.sandbox.internal.http.Problem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Graph analyses of the pipe networks, over a snapshot of the store's pipeSegment and pipeNode entities: a
 * segment joins {@code fromNode} to {@code toNode} in flow direction; {@code feeds}/{@code drains} relationships
 * from a node name the buildings and structures it serves. The snapshot is rebuilt when the store changes.
 */
final class PipeNetworks {
  private static final JsonNodeFactory NF = JsonNodeFactory.instance;

  final long modCount;
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final List<String> nodeIds = new ArrayList<>();
  private final List<String> nodeKind = new ArrayList<>();
  private final List<String> nodeNetwork = new ArrayList<>();
  private final List<double[]> nodePos = new ArrayList<>();
  private final Map<String, Integer> segIndex = new HashMap<>();
  private final List<String> segIds = new ArrayList<>();
  private final List<String> segNetwork = new ArrayList<>();
  private int[] from;
  private int[] to;
  private double[] len;
  private int[][] adj;
  private final Map<Integer, List<String[]>> consumers = new HashMap<>();

  /** Builds the snapshot; call under the store's read lock. */
  PipeNetworks(TwinStore store) {
    this.modCount = store.modCount();
    for (TwinStore.Ent n : store.ofType("pipeNode")) {
      node(n.id(), n.text("kind"), n.text("network"), n.shape());
    }
    List<int[]> ends = new ArrayList<>();
    List<Double> lengths = new ArrayList<>();
    for (TwinStore.Ent s : store.ofType("pipeSegment")) {
      int a = node(s.text("fromNode"), null, s.text("network"), null);
      int b = node(s.text("toNode"), null, s.text("network"), null);
      segIndex.put(s.id(), segIds.size());
      segIds.add(s.id());
      segNetwork.add(s.text("network"));
      ends.add(new int[] {a, b});
      Double l = s.number("length");
      lengths.add(l != null ? l : s.shape() != null ? Geo.firstLineLength(s.shape()) : 0);
    }
    int ns = segIds.size();
    from = new int[ns];
    to = new int[ns];
    len = new double[ns];
    int[] degree = new int[nodeIds.size()];
    for (int i = 0; i < ns; i++) {
      from[i] = ends.get(i)[0];
      to[i] = ends.get(i)[1];
      len[i] = lengths.get(i);
      degree[from[i]]++;
      degree[to[i]]++;
    }
    adj = new int[nodeIds.size()][];
    for (int n = 0; n < adj.length; n++) {
      adj[n] = new int[degree[n]];
    }
    int[] fill = new int[nodeIds.size()];
    for (int i = 0; i < ns; i++) {
      adj[from[i]][fill[from[i]]++] = i;
      adj[to[i]][fill[to[i]]++] = i;
    }
    for (TwinStore.Ent n : store.ofType("pipeNode")) {
      for (TwinStore.Rel r : store.relationships(n.id(), true)) {
        if (r.type.equals("feeds") || r.type.equals("drains")) {
          TwinStore.Ent target = store.get(r.target);
          if (target != null) {
            consumers.computeIfAbsent(nodeIndex.get(n.id()), k -> new ArrayList<>())
                .add(new String[] {target.id(), target.type()});
          }
        }
      }
    }
  }

  private int node(String id, String kind, String network, Geo.Shape shape) {
    Integer i = nodeIndex.get(id);
    if (i != null) {
      return i;
    }
    int n = nodeIds.size();
    nodeIndex.put(id, n);
    nodeIds.add(id);
    nodeKind.add(kind == null ? "missing" : kind);
    nodeNetwork.add(network);
    nodePos.add(shape == null ? null : Geo.firstPoint(shape));
    return n;
  }

  private boolean valve(int n) {
    return "valve".equals(nodeKind.get(n));
  }

  private boolean source(int n) {
    return "source".equals(nodeKind.get(n));
  }

  private int other(int seg, int n) {
    return from[seg] == n ? to[seg] : from[seg];
  }

  /** Start nodes and segments for an id that names a segment or a node. */
  private record Start(String network, int[] nodes, int segment) {}

  private Start start(String id, String field) {
    Integer s = segIndex.get(id);
    if (s != null) {
      return new Start(segNetwork.get(s), new int[] {from[s], to[s]}, s);
    }
    Integer n = nodeIndex.get(id);
    if (n != null && !"missing".equals(nodeKind.get(n))) {
      return new Start(nodeNetwork.get(n), new int[] {n}, -1);
    }
    throw Problem.validation(field, field + " '" + id + "' is not a pipeSegment or pipeNode of any network.");
  }

  /** Every segment and node reachable from the start with all valves open. */
  ObjectNode connected(String id) {
    Start st = start(id, "from");
    BitSet segs = new BitSet();
    BitSet nodes = new BitSet();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    if (st.segment >= 0) {
      segs.set(st.segment);
    }
    for (int n : st.nodes) {
      nodes.set(n);
      q.add(n);
    }
    while (!q.isEmpty()) {
      int n = q.poll();
      for (int s : adj[n]) {
        segs.set(s);
        int o = other(s, n);
        if (!nodes.get(o)) {
          nodes.set(o);
          q.add(o);
        }
      }
    }
    return result("connected", id, st.network, segs, nodes);
  }

  /** Following (downstream) or against (upstream) the flow direction. */
  ObjectNode directed(String id, boolean downstream) {
    Start st = start(id, "from");
    BitSet segs = new BitSet();
    BitSet nodes = new BitSet();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    if (st.segment >= 0) {
      segs.set(st.segment);
      int n = downstream ? to[st.segment] : from[st.segment];
      nodes.set(n);
      q.add(n);
    } else {
      nodes.set(st.nodes[0]);
      q.add(st.nodes[0]);
    }
    while (!q.isEmpty()) {
      int n = q.poll();
      for (int s : adj[n]) {
        boolean along = downstream ? from[s] == n : to[s] == n;
        if (along && !segs.get(s)) {
          segs.set(s);
          int o = downstream ? to[s] : from[s];
          if (!nodes.get(o)) {
            nodes.set(o);
            q.add(o);
          }
        }
      }
    }
    return result(downstream ? "downstream" : "upstream", id, st.network, segs, nodes);
  }

  /** Shortest path by pipe length between two nodes or segments (valves open, either flow direction). */
  ObjectNode shortestPath(String fromId, String toId) {
    Start a = start(fromId, "from");
    Start b = start(toId, "to");
    if (!a.network.equals(b.network)) {
      throw Problem.validation("to", "'" + fromId + "' is in the " + a.network + " network and '" + toId
          + "' in the " + b.network + " network; a path stays within one network.");
    }
    double[] dist = new double[nodeIds.size()];
    int[] via = new int[nodeIds.size()];
    Arrays.fill(dist, Double.POSITIVE_INFINITY);
    Arrays.fill(via, -1);
    PriorityQueue<double[]> pq = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
    for (int n : a.nodes) {
      dist[n] = 0;
      pq.add(new double[] {0, n});
    }
    Set<Integer> targets = new LinkedHashSet<>();
    for (int n : b.nodes) {
      targets.add(n);
    }
    int reached = -1;
    while (!pq.isEmpty()) {
      double[] top = pq.poll();
      int n = (int) top[1];
      if (top[0] > dist[n]) {
        continue;
      }
      if (targets.contains(n)) {
        reached = n;
        break;
      }
      for (int s : adj[n]) {
        int o = other(s, n);
        double d = dist[n] + len[s];
        if (d < dist[o]) {
          dist[o] = d;
          via[o] = s;
          pq.add(new double[] {d, o});
        }
      }
    }
    if (reached < 0) {
      throw new Problem(422, "no_path", "No path", "There is no pipe path between '" + fromId + "' and '" + toId
          + "' in the " + a.network + " network.");
    }
    List<String> nodeList = new ArrayList<>();
    List<String> segList = new ArrayList<>();
    int n = reached;
    nodeList.add(nodeIds.get(n));
    while (via[n] >= 0) {
      segList.add(segIds.get(via[n]));
      n = other(via[n], n);
      nodeList.add(nodeIds.get(n));
    }
    java.util.Collections.reverse(nodeList);
    java.util.Collections.reverse(segList);
    ObjectNode o = NF.objectNode();
    o.put("analysis", "shortestPath").put("from", fromId).put("to", toId).put("network", a.network);
    ArrayNode ns = o.putArray("nodes");
    nodeList.forEach(ns::add);
    ArrayNode ss = o.putArray("segments");
    segList.forEach(ss::add);
    o.put("lengthMeters", round(dist[reached]));
    return o;
  }

  /**
   * Isolation trace for a burst at a segment: from the burst, spread through pipes and non-valve nodes; every valve
   * met is closed (and every source met is shut). The spread region is isolated; afterwards everything no longer
   * reachable from an open source (through open valves) is cut off too. Consumers fed from isolated or cut-off
   * nodes lose supply.
   */
  ObjectNode isolate(String segmentId) {
    Integer burst = segIndex.get(segmentId);
    if (burst == null) {
      throw Problem.validation("segment", "segment '" + segmentId + "' is not a pipeSegment; an isolation trace "
          + "starts at the burst segment.");
    }
    BitSet isolatedSegs = new BitSet();
    BitSet regionNodes = new BitSet();
    TreeMap<String, Integer> closeValves = new TreeMap<>();
    TreeMap<String, Integer> shutSources = new TreeMap<>();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    isolatedSegs.set(burst);
    for (int n : new int[] {from[burst], to[burst]}) {
      q.add(n);
    }
    BitSet seen = new BitSet();
    while (!q.isEmpty()) {
      int n = q.poll();
      if (seen.get(n)) {
        continue;
      }
      seen.set(n);
      if (valve(n)) {
        closeValves.put(nodeIds.get(n), n);
        continue;
      }
      if (source(n)) {
        shutSources.put(nodeIds.get(n), n);
        continue;
      }
      regionNodes.set(n);
      for (int s : adj[n]) {
        if (!isolatedSegs.get(s)) {
          isolatedSegs.set(s);
        }
        int o = other(s, n);
        if (!seen.get(o)) {
          q.add(o);
        }
      }
    }
    // supply after closing: spread from the open sources of the network, never through closed valves or isolated pipes
    String network = segNetwork.get(burst);
    BitSet supplied = suppliedNodes(network, closeValves.values(), shutSources.values(), isolatedSegs);
    BitSet cutOff = new BitSet();
    for (int s = 0; s < segIds.size(); s++) {
      if (segNetwork.get(s).equals(network) && !isolatedSegs.get(s) && (!supplied.get(from[s]) || !supplied.get(to[s]))) {
        cutOff.set(s);
      }
    }
    TreeMap<String, String> affected = new TreeMap<>();
    for (int n = 0; n < nodeIds.size(); n++) {
      if (network.equals(nodeNetwork.get(n)) && !supplied.get(n) && consumers.containsKey(n)) {
        for (String[] c : consumers.get(n)) {
          affected.put(c[0], c[1]);
        }
      }
    }
    ObjectNode o = NF.objectNode();
    o.put("analysis", "isolation").put("segment", segmentId).put("network", network);
    ArrayNode valves = o.putArray("valvesToClose");
    closeValves.forEach((id, n) -> {
      ObjectNode v = valves.addObject().put("id", id);
      double[] p = nodePos.get(n);
      if (p != null) {
        v.putArray("coordinates").add(p[0]).add(p[1]);
      }
    });
    ArrayNode shut = o.putArray("sourcesToShut");
    shutSources.keySet().forEach(shut::add);
    ArrayNode iso = o.putArray("isolatedSegments");
    double isoLen = 0;
    for (int s = isolatedSegs.nextSetBit(0); s >= 0; s = isolatedSegs.nextSetBit(s + 1)) {
      iso.add(segIds.get(s));
      isoLen += len[s];
    }
    o.put("isolatedLengthMeters", round(isoLen));
    ArrayNode cut = o.putArray("cutOffSegments");
    double cutLen = 0;
    for (int s = cutOff.nextSetBit(0); s >= 0; s = cutOff.nextSetBit(s + 1)) {
      cut.add(segIds.get(s));
      cutLen += len[s];
    }
    o.put("cutOffLengthMeters", round(cutLen));
    ArrayNode b = o.putArray("affectedBuildings");
    ArrayNode st = o.putArray("affectedStructures");
    ArrayNode other = o.putArray("affectedOther");
    affected.forEach((id, type) -> (type.equals("building") ? b : type.equals("undergroundStructure") ? st : other)
        .add(id));
    return o;
  }

  /** Nodes reachable from the network's open sources without passing a closed valve or an isolated segment. */
  BitSet suppliedNodes(String network, java.util.Collection<Integer> closed, java.util.Collection<Integer> shut,
      BitSet isolatedSegs) {
    BitSet closedSet = new BitSet();
    closed.forEach(closedSet::set);
    BitSet supplied = new BitSet();
    ArrayDeque<Integer> q = new ArrayDeque<>();
    for (int n = 0; n < nodeIds.size(); n++) {
      if (source(n) && network.equals(nodeNetwork.get(n)) && !shut.contains(n)) {
        supplied.set(n);
        q.add(n);
      }
    }
    while (!q.isEmpty()) {
      int n = q.poll();
      if (closedSet.get(n)) {
        continue; // a closed valve is reached but passes nothing on
      }
      for (int s : adj[n]) {
        if (isolatedSegs.get(s)) {
          continue;
        }
        int o = other(s, n);
        if (!supplied.get(o)) {
          supplied.set(o);
          q.add(o);
        }
      }
    }
    return supplied;
  }

  /** Summary of every network: segments, length, nodes by kind. */
  ObjectNode summary() {
    TreeMap<String, ObjectNode> nets = new TreeMap<>();
    for (String n : TwinStore.NETWORKS) {
      nets.put(n, NF.objectNode().put("network", n).put("segments", 0).put("lengthMeters", 0.0).put("nodes", 0)
          .put("valves", 0).put("sources", 0).put("consumers", 0));
    }
    for (int s = 0; s < segIds.size(); s++) {
      ObjectNode o = nets.get(segNetwork.get(s));
      if (o != null) {
        o.put("segments", o.get("segments").asInt() + 1);
        o.put("lengthMeters", o.get("lengthMeters").asDouble() + len[s]);
      }
    }
    for (int n = 0; n < nodeIds.size(); n++) {
      ObjectNode o = nets.get(nodeNetwork.get(n));
      if (o == null || "missing".equals(nodeKind.get(n))) {
        continue;
      }
      o.put("nodes", o.get("nodes").asInt() + 1);
      if (valve(n)) {
        o.put("valves", o.get("valves").asInt() + 1);
      }
      if (source(n)) {
        o.put("sources", o.get("sources").asInt() + 1);
      }
      if (consumers.containsKey(n)) {
        o.put("consumers", o.get("consumers").asInt() + consumers.get(n).size());
      }
    }
    ObjectNode out = NF.objectNode();
    ArrayNode items = out.putArray("networks");
    double total = 0;
    for (ObjectNode o : nets.values()) {
      o.put("lengthMeters", round(o.get("lengthMeters").asDouble()));
      total += o.get("lengthMeters").asDouble();
      items.add(o);
    }
    out.put("totalLengthMeters", round(total));
    return out;
  }

  private ObjectNode result(String analysis, String id, String network, BitSet segs, BitSet nodes) {
    ObjectNode o = NF.objectNode();
    o.put("analysis", analysis).put("from", id).put("network", network);
    ArrayNode ss = o.putArray("segments");
    double total = 0;
    for (int s = segs.nextSetBit(0); s >= 0; s = segs.nextSetBit(s + 1)) {
      ss.add(segIds.get(s));
      total += len[s];
    }
    ArrayNode ns = o.putArray("nodes");
    TreeMap<String, String> fed = new TreeMap<>();
    for (int n = nodes.nextSetBit(0); n >= 0; n = nodes.nextSetBit(n + 1)) {
      ns.add(nodeIds.get(n));
      for (String[] c : consumers.getOrDefault(n, List.of())) {
        fed.put(c[0], c[1]);
      }
    }
    o.put("lengthMeters", round(total));
    ArrayNode cs = o.putArray("consumers");
    fed.keySet().forEach(cs::add);
    return o;
  }

  private static double round(double m) {
    return Math.round(m * 100) / 100.0;
  }
}
