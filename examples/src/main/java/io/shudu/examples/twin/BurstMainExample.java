package io.shudu.examples.twin;

import io.shudu.core.ClientConfig;
import io.shudu.sandbox.Sandbox;
import io.shudu.core.geo.Coordinates;
import io.shudu.twin.Entity;
import io.shudu.twin.EntityType;
import io.shudu.core.geo.Geometry;
import io.shudu.twin.IsolationResult;
import io.shudu.twin.Network;
import io.shudu.core.geo.Position;
import io.shudu.twin.TwinClient;
import io.shudu.twin.TwinQuery;
import io.shudu.twin.TwinStats;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A burst water main at Lingang: a leak is reported at a street corner; the app finds the nearest water main, runs
 * the isolation trace, lists the valves to close and the buildings and underground structures that lose water, and
 * draws the network with the isolated part highlighted as a self-contained SVG map. It ends with a summary of the
 * district's 881 underground structures and 225 km of pipes by network.
 *
 * <pre>{@code
 * BurstMainExample.Result r = BurstMainExample.run(sandbox.clientConfig(), Path.of("out"), System.out);
 * }</pre>
 */
public final class BurstMainExample {
  /** Where the leak is reported: a corner of the synergy zone's road grid (WGS-84). */
  public static final Position REPORTED_LEAK = Position.of(121.8977, 30.9195);

  private BurstMainExample() {}

  /**
   * What the run found.
   *
   * @param burstSegment the water main segment taken as burst
   * @param valvesToClose valve ids to close
   * @param affectedBuildings building ids that lose water
   * @param affectedStructures underground structure ids that lose water
   * @param isolatedLengthMeters length of the isolated pipes
   * @param picture the SVG map written
   * @param undergroundStructures count of underground structures in the dataset
   * @param kmByNetwork pipe length per network in km
   */
  public record Result(String burstSegment, List<String> valvesToClose, List<String> affectedBuildings,
      List<String> affectedStructures, double isolatedLengthMeters, Path picture, long undergroundStructures,
      Map<Network, Double> kmByNetwork) {}

  /**
   * Runs the example against a platform (or sandbox).
   *
   * @param config client configuration
   * @param outDir folder for the picture (created if missing)
   * @param out where to print the report
   * @return what was found
   */
  public static Result run(ClientConfig config, Path outDir, PrintStream out) {
    try (TwinClient twin = TwinClient.create(config)) {
      // 1. the water main nearest to the reported leak
      List<Entity> candidates = twin.entities().query(TwinQuery.builder()
          .types(EntityType.PIPE_SEGMENT)
          .where("network", TwinQuery.Op.EQ, "water")
          .where("level", TwinQuery.Op.EQ, "main")
          .near(REPORTED_LEAK, 80)
          .build()).stream().toList();
      if (candidates.isEmpty()) {
        throw new IllegalStateException("no water main within 80 m of the reported leak " + REPORTED_LEAK);
      }
      Entity burst = candidates.stream().min(Comparator.comparingDouble(BurstMainExample::distanceToLeak))
          .orElseThrow();
      out.printf(Locale.ROOT, "Leak reported at %.5f,%.5f: nearest water main %s (DN%s %s, %.0f m, %.1f m deep)%n",
          REPORTED_LEAK.lon(), REPORTED_LEAK.lat(), burst.id(), burst.text("diameter"), burst.text("material"),
          burst.number("length"), burst.number("depthTop"));

      // 2. the isolation trace
      IsolationResult iso = twin.networks().isolate(burst.id());
      out.printf(Locale.ROOT, "Isolation: close %d valves; %d segments (%.0f m) drained; %d more cut off%n",
          iso.valvesToClose().size(), iso.isolatedSegments().size(), iso.isolatedLengthMeters(),
          iso.cutOffSegments().size());
      for (IsolationResult.Valve v : iso.valvesToClose()) {
        Entity valve = twin.entities().get(v.id());
        out.printf(Locale.ROOT, "  close %-12s %-9s at %.6f,%.6f (%.0f m from the leak)%n", v.id(),
            valve.text("valveType"), v.coordinates().lon(), v.coordinates().lat(),
            Coordinates.distanceMeters(REPORTED_LEAK, v.coordinates()));
      }
      out.println("Buildings without water (" + iso.affectedBuildings().size() + "):");
      for (String id : iso.affectedBuildings()) {
        Entity b = twin.entities().get(id);
        out.printf(Locale.ROOT, "  %s %s (%s, %s floors)%n", id, b.text("name"), b.text("use"), b.text("floors"));
      }
      out.println("Underground structures without water (" + iso.affectedStructures().size() + "): "
          + String.join(", ", iso.affectedStructures()));

      // 3. the picture
      Path picture = outDir.resolve("burst-main-lingang.svg");
      writeSvg(twin, iso, burst, picture);
      out.println("Map written to " + picture);

      // 4. the dataset in numbers
      TwinStats stats = twin.networks().stats();
      long structures = stats.byType().getOrDefault("undergroundStructure", 0L);
      out.println("Lingang synergy zone: " + structures + " underground structures "
          + stats.undergroundStructuresByKind());
      Map<Network, Double> km = new LinkedHashMap<>();
      for (TwinStats.NetworkSummary n : stats.networks().networks()) {
        km.put(n.network(), n.lengthMeters() / 1000);
        out.printf(Locale.ROOT, "  %-8s %6.1f km, %4d segments, %3d valves, %4d consumers%n", n.network().wireName(),
            n.lengthMeters() / 1000, n.segments(), n.valves(), n.consumers());
      }
      out.printf(Locale.ROOT, "  total    %6.1f km%n", stats.networks().totalLengthMeters() / 1000);
      return new Result(burst.id(), iso.valvesToClose().stream().map(IsolationResult.Valve::id).toList(),
          iso.affectedBuildings(), iso.affectedStructures(), iso.isolatedLengthMeters(), picture, structures, km);
    }
  }

  private static double distanceToLeak(Entity segment) {
    List<Position> line = ((Geometry.LineString) segment.geometry()).coordinates();
    Position a = line.get(0);
    Position b = line.get(line.size() - 1);
    Position mid = Position.of((a.lon() + b.lon()) / 2, (a.lat() + b.lat()) / 2);
    return Math.min(Coordinates.distanceMeters(REPORTED_LEAK, mid), Math.min(
        Coordinates.distanceMeters(REPORTED_LEAK, a), Coordinates.distanceMeters(REPORTED_LEAK, b)));
  }

  /** A self-contained SVG map of the zone's water network with the isolated part highlighted and valves marked. */
  private static void writeSvg(TwinClient twin, IsolationResult iso, Entity burst, Path file) {
    Entity zone = twin.entities().get("lingang-synergy-zone");
    List<Position> ring = ((Geometry.Polygon) zone.geometry()).coordinates().get(0);
    double minLon = ring.stream().mapToDouble(Position::lon).min().orElseThrow() - 0.0008;
    double maxLon = ring.stream().mapToDouble(Position::lon).max().orElseThrow() + 0.0008;
    double minLat = ring.stream().mapToDouble(Position::lat).min().orElseThrow() - 0.0008;
    double maxLat = ring.stream().mapToDouble(Position::lat).max().orElseThrow() + 0.0008;
    double k = Math.cos(Math.toRadians((minLat + maxLat) / 2));
    double width = 1000;
    double scale = width / ((maxLon - minLon) * k);
    double height = (maxLat - minLat) * scale;
    Projection p = new Projection(minLon, maxLat, k, scale);
    Set<String> isolated = new HashSet<>(iso.isolatedSegments());
    Set<String> cut = new HashSet<>(iso.cutOffSegments());
    Set<String> dark = new HashSet<>(iso.affectedBuildings());
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        + "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">%n", width, height + 60, width, height + 60));
    svg.append("<title>Burst water main ").append(burst.id()).append(" at Lingang: isolation trace</title>\n");
    svg.append(String.format(Locale.ROOT, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#f7f5ef\"/>%n", width,
        height + 60));
    for (Entity b : twin.entities().query(TwinQuery.builder().types(EntityType.BUILDING).pageSize(1000).build())) {
      List<Position> r = ((Geometry.Polygon) b.geometry()).coordinates().get(0);
      svg.append("<polygon points=\"").append(p.points(r)).append("\" fill=\"")
          .append(dark.contains(b.id()) ? "#e4572e" : "#cfcabe").append("\" stroke=\"#8a8578\" stroke-width=\"0.5\">")
          .append("<title>").append(b.id()).append(' ').append(escape(b.text("name"))).append("</title></polygon>\n");
    }
    for (Entity s : twin.entities().query(TwinQuery.builder().types(EntityType.PIPE_SEGMENT)
        .where("network", TwinQuery.Op.EQ, "water").pageSize(1000).build())) {
      List<Position> l = ((Geometry.LineString) s.geometry()).coordinates();
      String colour = isolated.contains(s.id()) ? "#d7191c" : cut.contains(s.id()) ? "#fdae61" : "#2b83ba";
      double w = isolated.contains(s.id()) ? 5 : "service".equals(s.text("level")) ? 0.8 : 2;
      svg.append("<polyline points=\"").append(p.points(l)).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"").append(w).append("\"><title>").append(s.id()).append("</title></polyline>\n");
    }
    for (IsolationResult.Valve v : iso.valvesToClose()) {
      double[] xy = p.xy(v.coordinates());
      svg.append(String.format(Locale.ROOT, "<g class=\"valve\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"#000\"/>"
          + "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#fff\" stroke-width=\"2\"/>"
          + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text></g>%n", xy[0], xy[1], xy[0] - 4, xy[1], xy[0] + 4,
          xy[1], xy[0] + 9, xy[1] - 9, v.id()));
    }
    double[] leak = p.xy(REPORTED_LEAK);
    svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"22\" text-anchor=\"middle\" "
        + "fill=\"#d7191c\">✸</text>%n", leak[0], leak[1] + 7));
    svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%.0f\" font-size=\"14\">Burst %s: close %d valves "
        + "(black), %.0f m isolated (red), %d buildings without water (orange-red). Water network only; "
        + "blue = in service.</text>%n", height + 35, burst.id(), iso.valvesToClose().size(),
        iso.isolatedLengthMeters(), iso.affectedBuildings().size()));
    svg.append("</svg>\n");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, svg.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Longitude/latitude to SVG pixels (equirectangular at the zone's latitude). */
  private record Projection(double lon0, double lat0, double k, double scale) {
    double[] xy(Position pos) {
      return new double[] {(pos.lon() - lon0) * k * scale, (lat0 - pos.lat()) * scale};
    }

    String points(List<Position> line) {
      StringBuilder sb = new StringBuilder();
      for (Position pos : line) {
        double[] xy = xy(pos);
        sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[0], xy[1]));
      }
      return sb.toString().trim();
    }
  }

  /**
   * Starts a sandbox and runs the example.
   *
   * @param args optional output folder (default {@code target/burst-main})
   */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "target/burst-main");
    try (Sandbox sandbox = Sandbox.start()) {
      run(sandbox.clientConfig(), out, System.out);
    }
  }
}
