package io.shudu.examples;

import io.shudu.core.ClientConfig;
import io.shudu.examples.exchange.DataExchangeExample;
import io.shudu.examples.iot.IotFeedsExample;
import io.shudu.examples.tour.EmergencyResponse;
import io.shudu.examples.tour.RiderRoute;
import io.shudu.examples.tour.WaterQualityChart;
import io.shudu.examples.twin.BurstMainExample;
import io.shudu.sandbox.Sandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The city tour: starts the embedded sandbox and walks through the programme the way partners use it, printing a
 * readable report and writing pictures (SVG maps and charts, plus an {@code index.html} that shows them all) to an
 * output folder. Every step is a short example in {@code io.shudu.examples.*} that a partner can copy. Exits
 * non-zero if any step fails.
 *
 * <p>Run it with {@code ./mvnw -q -Ptour package} from a fresh clone.
 */
public final class CityTour {
  private CityTour() {}

  /** One step of the tour: returns a one-line summary. */
  @FunctionalInterface
  interface Step {
    String run(ClientConfig config, Path out, PrintStream report) throws Exception;
  }

  /**
   * A step's outcome.
   *
   * @param name step name
   * @param ok whether it succeeded
   * @param summary one-line summary or the failure
   * @param millis how long it took
   */
  record Result(String name, boolean ok, String summary, long millis) {}

  /**
   * Runs the tour.
   *
   * @param args optional output folder (default {@code tour-output})
   */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "tour-output");
    List<Result> results = run(out, System.out);
    if (results.stream().anyMatch(r -> !r.ok())) {
      System.exit(1);
    }
  }

  /**
   * Runs every step against a fresh embedded sandbox.
   *
   * @param out output folder
   * @param report where to print
   * @return the steps' outcomes
   */
  static List<Result> run(Path out, PrintStream report) {
    List<Result> results = new ArrayList<>();
    long start = System.nanoTime();
    report.println("=== Shudu city tour: 数都上海 — twin, data exchange and AIoT feeds ===");
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      results.add(new Result("output folder", false, e.toString(), 0));
      return results;
    }
    try (Sandbox sandbox = Sandbox.builder().simulationRate(10).start()) {
      ClientConfig config = sandbox.clientConfig();
      report.println("embedded sandbox at " + sandbox.baseUrl() + ", tenant " + Sandbox.DEFAULT_TENANT
          + "; output in " + out.toAbsolutePath());
      results.add(step("1. Lingang twin: a burst water main isolated", config, out, report, (c, o, r) -> {
        BurstMainExample.Result b = BurstMainExample.run(c, o, r);
        return String.format(Locale.ROOT, "%d underground structures; burst %s: close %d valves, %d buildings and %d "
            + "structures lose water; map %s", b.undergroundStructures(), b.burstSegment(), b.valvesToClose().size(),
            b.affectedBuildings().size(), b.affectedStructures().size(), b.picture().getFileName());
      }));
      results.add(step("2. Jiading traffic: a rider's route around road closures", config, out, report, (c, o, r) -> {
        RiderRoute.Result rr = RiderRoute.run(c, o, r);
        if (rr.route().stream().anyMatch(rr.closedRoads()::contains)) {
          throw new IllegalStateException("the route uses a closed road");
        }
        return String.format(Locale.ROOT, "%d closed road(s) avoided, %.0f m instead of %.0f m; map %s",
            rr.closedRoads().size(), rr.meters(), rr.usualMeters(), rr.picture().getFileName());
      }));
      results.add(step("3. 5G fire alarm and emergency dispatch", config, out, report, (c, o, r) -> {
        EmergencyResponse.Result er = EmergencyResponse.run(c, o, r);
        return String.format(Locale.ROOT, "alarm at %s, nearest ambulance station %s at %.0f m; map %s", er.detector(),
            er.stationName(), er.meters(), er.picture().getFileName());
      }));
      results.add(step("4. Qingpu water quality: a week of dissolved oxygen", config, out, report, (c, o, r) -> {
        WaterQualityChart.Result w = WaterQualityChart.run(c, o, r);
        return String.format(Locale.ROOT, "%s: %d values, mean %.2f mg/L; chart %s", w.station(), w.values(), w.mean(),
            w.picture().getFileName());
      }));
      Path exchangeKeys = out.resolve("exchange-keys.json"); // the exchange's keys, handed over out of band
      results.add(step("5. Data exchange and the digital asset board", config, out, report,
          (c, o, r) -> DataExchangeExample.run(c, Files.writeString(exchangeKeys, sandbox.exchangeKeys()), o, r)));
      results.add(step("6. Live feeds through a platform restart", config, out, report, (c, o, r) -> {
        IotFeedsExample.Result f = IotFeedsExample.run(c, sandbox, o.resolve("feeds"), r);
        if (f.duplicates() != 0 || f.outOfOrder() != 0 || f.missing() != 0 || !f.restarted()
            || f.eventsAfterRestart() == 0) {
          throw new IllegalStateException("feeds lost, repeated or reordered events: " + f);
        }
        return String.format(Locale.ROOT, "%d traffic and %d fire-alarm events, %d of them after a restart: none "
            + "lost, none repeated", f.trafficEvents(), f.fireAlarmEvents(), f.eventsAfterRestart());
      }));
    }
    long failed = results.stream().filter(r -> !r.ok()).count();
    writeIndex(out, results);
    report.println();
    report.println("=== summary ===");
    for (Result r : results) {
      report.printf(Locale.ROOT, "%-4s %-60s %6d ms%n", r.ok() ? "OK" : "FAIL", r.name(), r.millis());
    }
    report.printf(Locale.ROOT, "tour finished in %.1f s: %d steps, %d failed. Open %s to see the pictures.%n",
        (System.nanoTime() - start) / 1e9, results.size(), failed, out.resolve("index.html").toAbsolutePath());
    return results;
  }

  private static Result step(String name, ClientConfig config, Path out, PrintStream report, Step step) {
    report.println();
    report.println("--- " + name + " ---");
    long t0 = System.nanoTime();
    try {
      String summary = step.run(config, out, report);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      report.println("OK (" + ms + " ms): " + summary);
      return new Result(name, true, summary, ms);
    } catch (Exception | AssertionError e) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      report.println("FAILED (" + ms + " ms): " + e);
      e.printStackTrace(report);
      return new Result(name, false, e.toString(), ms);
    }
  }

  private static void writeIndex(Path out, List<Result> results) {
    StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
        + "<title>Shudu city tour</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
        + ".ok{color:#1b998b}.fail{color:#d7263d}img{max-width:100%;border:1px solid #ddd;margin:.5em 0}</style>"
        + "<h1>Shudu city tour · 数都上海</h1><ol>");
    for (Result r : results) {
      html.append("<li><b>").append(esc(r.name())).append("</b> <span class=\"").append(r.ok() ? "ok\">OK" : "fail\">FAILED")
          .append("</span> (").append(r.millis()).append(" ms)<br>").append(esc(r.summary())).append("</li>");
    }
    html.append("</ol>");
    try (Stream<Path> files = Files.list(out)) {
      for (Path svg : files.filter(p -> p.toString().endsWith(".svg")).sorted().toList()) {
        html.append("<h2>").append(esc(svg.getFileName().toString())).append("</h2><img src=\"")
            .append(esc(svg.getFileName().toString())).append("\">");
      }
      Files.writeString(out.resolve("index.html"), html.append("</html>\n"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("could not write index.html: " + e);
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
