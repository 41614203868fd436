package io.shudu.examples.tour;

import io.shudu.core.geo.Position;
import java.util.List;
import java.util.Locale;

/** A tiny SVG writer for the tour's maps and charts: equirectangular projection of a lon/lat box. */
final class Svg {
  private final StringBuilder body = new StringBuilder();
  private final int width;
  private final int height;
  private final double lon0;
  private final double lat0;
  private final double lon1;
  private final double lat1;

  Svg(int width, int height, double lon0, double lat0, double lon1, double lat1) {
    this.width = width;
    this.height = height;
    this.lon0 = lon0;
    this.lat0 = lat0;
    this.lon1 = lon1;
    this.lat1 = lat1;
  }

  double x(double lon) {
    return 20 + (lon - lon0) / (lon1 - lon0) * (width - 40);
  }

  double y(double lat) {
    return height - 20 - (lat - lat0) / (lat1 - lat0) * (height - 60);
  }

  void title(String text) {
    body.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"26\" font-size=\"18\" font-family=\"sans-serif\">%s</text>%n",
        escape(text)));
  }

  void line(List<Position> points, String colour, double strokeWidth, String dash, String label) {
    StringBuilder d = new StringBuilder();
    for (Position p : points) {
      d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x(p.lon()), y(p.lat())));
    }
    body.append(String.format(Locale.ROOT, "<path d=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\" fill=\"none\""
        + " stroke-linecap=\"round\"%s><title>%s</title></path>%n", d, colour, strokeWidth,
        dash == null ? "" : " stroke-dasharray=\"" + dash + "\"", escape(label)));
  }

  void polyline(double[][] xy, String colour, double strokeWidth) {
    StringBuilder d = new StringBuilder();
    for (double[] p : xy) {
      d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", p[0], p[1]));
    }
    body.append(String.format(Locale.ROOT, "<path d=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\" fill=\"none\"/>%n", d,
        colour, strokeWidth));
  }

  void dot(double lon, double lat, double r, String colour, String label) {
    body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"><title>%s</title>"
        + "</circle>%n", x(lon), y(lat), r, colour, escape(label)));
    text(x(lon) + r + 3, y(lat) + 4, label, 12, "#333");
  }

  void text(double x, double y, String text, int size, String colour) {
    body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-family=\"sans-serif\""
        + " fill=\"%s\">%s</text>%n", x, y, size, colour, escape(text)));
  }

  void raw(String element) {
    body.append(element).append('\n');
  }

  void legend(List<String[]> entries) {
    double y = height - 20.0 * entries.size() - 10;
    for (String[] e : entries) {
      body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"24\" height=\"6\" fill=\"%s\"/>%n",
          width - 260, y - 6, e[0]));
      text(width - 228, y, e[1], 13, "#333");
      y += 20;
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"#fbfbf8\"/>%n", width, height, width,
        height) + body + "</svg>\n";
  }
}
