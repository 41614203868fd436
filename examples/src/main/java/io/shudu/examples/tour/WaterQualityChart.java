package io.shudu.examples.tour;

import io.shudu.core.ClientConfig;
import io.shudu.iot.Datastream;
import io.shudu.iot.IotClient;
import io.shudu.iot.Observation;
import io.shudu.iot.ProgrammeFeed;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * A river-chief's dashboard for Qingpu: the last week of dissolved oxygen at a monitoring station, as a chart with
 * the national surface-water class III threshold (5 mg/L) drawn in.
 */
public final class WaterQualityChart {
  private WaterQualityChart() {}

  /**
   * What the step found.
   *
   * @param station the monitoring station
   * @param values hourly values read
   * @param min lowest value
   * @param mean mean value
   * @param hoursBelowClassIii hours below 5 mg/L
   * @param picture the SVG chart
   */
  public record Result(String station, int values, double min, double mean, long hoursBelowClassIii, Path picture) {}

  /**
   * Runs the step.
   *
   * @param config client configuration
   * @param out folder for the chart
   * @param report where to print
   * @return what was found
   * @throws Exception on failure
   */
  public static Result run(ClientConfig config, Path out, PrintStream report) throws Exception {
    try (IotClient iot = IotClient.create(config)) {
      Datastream dox = null;
      for (Datastream d : iot.feeds().datastreams(ProgrammeFeed.WATER_QUALITY, "Dissolved oxygen (DO)")) {
        dox = d;
        break;
      }
      if (dox == null) {
        throw new IllegalStateException("the water-quality feed has no dissolved-oxygen datastream");
      }
      Instant now = Instant.now();
      List<double[]> points = new ArrayList<>();
      DoubleSummaryStatistics stats = new DoubleSummaryStatistics();
      for (Observation o : iot.observations().history(dox.id(), now.minus(Duration.ofDays(7)), now)) {
        double v = o.resultAsDouble();
        stats.accept(v);
        points.add(new double[] {o.phenomenonTime().start().getEpochSecond(), v});
      }
      if (points.isEmpty()) {
        throw new IllegalStateException("no dissolved-oxygen history in the last 7 days at " + dox.thing().name());
      }
      long below = points.stream().filter(p -> p[1] < 5.0).count();
      report.printf(Locale.ROOT, "%s: %d hourly values over 7 days, min %.2f, mean %.2f mg/L, %d h below class III%n",
          dox.thing().name(), points.size(), stats.getMin(), stats.getAverage(), below);
      Path picture = out.resolve("qingpu-dissolved-oxygen.svg");
      Files.writeString(picture, chart(dox.thing().name(), points));
      return new Result(dox.thing().name(), points.size(), stats.getMin(), stats.getAverage(), below, picture);
    }
  }

  private static String chart(String station, List<double[]> points) {
    int w = 760;
    int h = 360;
    double t0 = points.stream().mapToDouble(p -> p[0]).min().orElse(0);
    double t1 = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
    double vMax = Math.max(10, points.stream().mapToDouble(p -> p[1]).max().orElse(10));
    Svg svg = new Svg(w, h, 0, 0, 1, 1);
    svg.title(station + " — dissolved oxygen, last 7 days (mg/L)");
    double[][] xy = new double[points.size()][];
    for (int i = 0; i < points.size(); i++) {
      double x = 50 + (points.get(i)[0] - t0) / Math.max(1, t1 - t0) * (w - 80);
      double y = h - 40 - points.get(i)[1] / vMax * (h - 90);
      xy[i] = new double[] {x, y};
    }
    double y5 = h - 40 - 5.0 / vMax * (h - 90);
    svg.raw(String.format(Locale.ROOT, "<line x1=\"50\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d7263d\""
        + " stroke-dasharray=\"6,4\"/>", w - 30, y5, y5));
    svg.text(w - 200, y5 - 6, "class III: 5 mg/L", 12, "#d7263d");
    svg.raw(String.format(Locale.ROOT, "<line x1=\"50\" x2=\"50\" y1=\"50\" y2=\"%d\" stroke=\"#333\"/>", h - 40));
    svg.raw(String.format(Locale.ROOT, "<line x1=\"50\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>", w - 30, h - 40,
        h - 40));
    for (int v = 0; v <= (int) vMax; v += 2) {
      double y = h - 40 - v / vMax * (h - 90);
      svg.text(22, y + 4, Integer.toString(v), 11, "#555");
    }
    svg.text(50, h - 18, "7 days ago", 11, "#555");
    svg.text(w - 80, h - 18, "now", 11, "#555");
    svg.polyline(xy, "#2e86ab", 2);
    return svg.toString();
  }
}
