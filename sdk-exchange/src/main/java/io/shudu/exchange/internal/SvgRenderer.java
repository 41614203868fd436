package io.shudu.exchange.internal;

import io.shudu.core.internal.ExchangeCrypto;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Renders a work of the digital asset board as SVG from its traits. Only integers and fixed strings are written (no
 * floating-point formatting, no locale, no platform line separators), and every varying position comes from the
 * SHA-256 of the canonical traits, so the same traits give byte-identical SVG on every machine.
 */
public final class SvgRenderer {
  private static final Map<String, String> BACKGROUND = Map.of("dawn", "#F6D6A8", "huangpu-river", "#9CC3D5",
      "night-shanghai", "#1B2240", "plane-trees", "#C9D8A7", "rainy-lane", "#8E9AAF", "sunset-glow", "#F28C6B",
      "snow", "#EEF2F5", "starry-sky", "#0B1026");
  private static final Map<String, List<String>> PALETTE = Map.of(
      "haipai-blue", List.of("#1F4E8C", "#6FA8DC", "#F2C14E"),
      "cinnabar-red", List.of("#B7312C", "#E8837E", "#F7E3AF"),
      "magnolia-white", List.of("#F4F1EA", "#D9CFC1", "#7A9E7E"),
      "plane-tree-gold", List.of("#C8962E", "#E9C46A", "#5B3A29"),
      "celadon-green", List.of("#5E9C8A", "#A8D5BA", "#2F4858"),
      "dai-purple", List.of("#4B3869", "#8E7DBE", "#F0C3E0"),
      "ink-black", List.of("#1C1C1C", "#5A5A5A", "#D4AF37"),
      "neon-pink", List.of("#E83E8C", "#FF9CC2", "#3DDCFF"));

  private SvgRenderer() {}

  /**
   * Renders the SVG document.
   *
   * @param traits trait layer to value code, one for each of {@link ExchangeCrypto#LAYERS}
   * @return UTF-8 SVG text with '\n' line ends
   * @throws IllegalArgumentException naming the layer when a trait is missing or unknown
   */
  public static String render(Map<String, String> traits) {
    String canonical = ExchangeCrypto.canonicalTraits(traits);
    byte[] h = ExchangeCrypto.sha256().digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String bg = known(BACKGROUND, traits, "background");
    List<String> pal = known(PALETTE, traits, "palette");
    StringBuilder s = new StringBuilder(4096);
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"512\" height=\"512\" viewBox=\"0 0 512 512\">\n");
    s.append("<title>").append(canonical).append("</title>\n");
    s.append("<desc>sha256:").append(HexFormat.of().formatHex(h)).append("</desc>\n");
    s.append("<rect x=\"0\" y=\"0\" width=\"512\" height=\"512\" fill=\"").append(bg).append("\"/>\n");
    background(s, traits.get("background"), h);
    pattern(s, traits.get("pattern"), pal.get(1), h);
    landmark(s, traits.get("landmark"), pal);
    emblem(s, traits.get("emblem"), pal.get(2));
    frame(s, traits.get("frame"), pal.get(0));
    s.append("</svg>\n");
    return s.toString();
  }

  private static <T> T known(Map<String, T> table, Map<String, String> traits, String layer) {
    T v = table.get(traits.get(layer));
    if (v == null) {
      throw new IllegalArgumentException("unknown " + layer + " '" + traits.get(layer) + "'; known values: "
          + new java.util.TreeSet<>(table.keySet()));
    }
    return v;
  }

  private static int b(byte[] h, int i) {
    return h[i % h.length] & 0xff;
  }

  private static void background(StringBuilder s, String bg, byte[] h) {
    switch (bg) {
      case "dawn", "sunset-glow" -> s.append("<circle cx=\"").append(96 + b(h, 0) % 320).append("\" cy=\"")
          .append(bg.equals("dawn") ? 150 : 330).append("\" r=\"58\" fill=\"#FFF3C4\" opacity=\"0.9\"/>\n");
      case "huangpu-river" -> s.append("<path d=\"M0 400 Q128 ").append(370 + b(h, 1) % 20)
          .append(" 256 400 T512 400 L512 512 L0 512 Z\" fill=\"#4F86A6\"/>\n");
      case "night-shanghai", "starry-sky" -> {
        int n = bg.equals("starry-sky") ? 24 : 10;
        for (int i = 0; i < n; i++) {
          s.append("<circle cx=\"").append(b(h, 2 * i) * 2).append("\" cy=\"").append(b(h, 2 * i + 1) % 220)
              .append("\" r=\"").append(1 + b(h, i) % 3).append("\" fill=\"#FFFFFF\"/>\n");
        }
      }
      case "plane-trees" -> {
        for (int i = 0; i < 4; i++) {
          int x = 40 + i * 130;
          s.append("<rect x=\"").append(x - 6).append("\" y=\"300\" width=\"12\" height=\"90\" fill=\"#6B4F3A\"/>\n");
          s.append("<circle cx=\"").append(x).append("\" cy=\"").append(280 - b(h, i) % 30)
              .append("\" r=\"46\" fill=\"#7FA05A\"/>\n");
        }
      }
      case "rainy-lane" -> {
        for (int i = 0; i < 20; i++) {
          int x = b(h, i) * 2;
          int y = b(h, i + 7) * 2 % 480;
          s.append("<line x1=\"").append(x).append("\" y1=\"").append(y).append("\" x2=\"").append(x - 8)
              .append("\" y2=\"").append(y + 24).append("\" stroke=\"#DDE3EA\" stroke-width=\"2\"/>\n");
        }
      }
      case "snow" -> {
        for (int i = 0; i < 18; i++) {
          s.append("<circle cx=\"").append(b(h, i + 3) * 2).append("\" cy=\"").append(b(h, i + 11) * 2)
              .append("\" r=\"4\" fill=\"#FFFFFF\" stroke=\"#C9D3DD\"/>\n");
        }
      }
      default -> throw new IllegalArgumentException("unknown background '" + bg + "'");
    }
  }

  private static void pattern(StringBuilder s, String p, String color, byte[] h) {
    String open = "<g fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\" opacity=\"0.5\">\n";
    switch (p) {
      case "plain" -> { }
      case "waves" -> {
        s.append(open);
        for (int y = 60; y < 512; y += 90) {
          s.append("<path d=\"M0 ").append(y).append(" Q64 ").append(y - 20).append(" 128 ").append(y)
              .append(" T256 ").append(y).append(" T384 ").append(y).append(" T512 ").append(y).append("\"/>\n");
        }
        s.append("</g>\n");
      }
      case "grid" -> {
        s.append(open);
        for (int i = 64; i < 512; i += 64) {
          s.append("<line x1=\"").append(i).append("\" y1=\"0\" x2=\"").append(i).append("\" y2=\"512\"/>\n");
          s.append("<line x1=\"0\" y1=\"").append(i).append("\" x2=\"512\" y2=\"").append(i).append("\"/>\n");
        }
        s.append("</g>\n");
      }
      case "clouds" -> {
        s.append(open);
        for (int i = 0; i < 5; i++) {
          int x = 40 + b(h, i + 20) * 17 / 10;
          int y = 40 + b(h, i + 25) % 160;
          s.append("<path d=\"M").append(x).append(' ').append(y).append(" a20 20 0 0 1 40 0 a16 16 0 0 1 32 0\"/>\n");
        }
        s.append("</g>\n");
      }
      case "dots" -> {
        s.append("<g fill=\"").append(color).append("\" opacity=\"0.45\">\n");
        for (int y = 32; y < 512; y += 64) {
          for (int x = 32; x < 512; x += 64) {
            s.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"5\"/>\n");
          }
        }
        s.append("</g>\n");
      }
      case "rays" -> {
        s.append(open);
        int[][] ends = {{0, 0}, {128, 0}, {256, 0}, {384, 0}, {512, 0}, {512, 128}, {512, 256}, {0, 128}, {0, 256}};
        for (int[] e : ends) {
          s.append("<line x1=\"256\" y1=\"300\" x2=\"").append(e[0]).append("\" y2=\"").append(e[1]).append("\"/>\n");
        }
        s.append("</g>\n");
      }
      default -> throw new IllegalArgumentException("unknown pattern '" + p + "'; known values: [clouds, dots, grid, "
          + "plain, rays, waves]");
    }
  }

  private static void landmark(StringBuilder s, String l, List<String> pal) {
    String a = pal.get(0);
    String c = pal.get(1);
    String d = pal.get(2);
    s.append("<g id=\"landmark\">\n");
    switch (l) {
      case "oriental-pearl" -> {
        s.append(rect(250, 120, 12, 300, a)).append(circle(256, 330, 42, c)).append(circle(256, 220, 30, c))
            .append(circle(256, 150, 14, d));
        s.append("<polygon points=\"216,420 256,340 296,420\" fill=\"").append(a).append("\"/>\n");
      }
      case "shanghai-tower" -> s.append("<path d=\"M226 430 L236 130 Q256 100 282 120 L292 430 Z\" fill=\"").append(a)
          .append("\"/>\n").append("<path d=\"M246 430 L252 150 L262 140 L270 430 Z\" fill=\"").append(c).append("\"/>\n");
      case "the-bund" -> {
        for (int i = 0; i < 6; i++) {
          int hgt = 90 + (i * 37) % 70;
          s.append(rect(60 + i * 66, 430 - hgt, 56, hgt, i % 2 == 0 ? a : c));
        }
        s.append(rect(230, 250, 20, 40, d));
      }
      case "yu-garden" -> s.append("<path d=\"M136 330 Q256 250 376 330 L356 330 L356 420 L156 420 L156 330 Z\" fill=\"")
          .append(a).append("\"/>\n").append(rect(196, 360, 120, 60, c)).append(circle(256, 300, 10, d));
      case "nanpu-bridge" -> {
        s.append(rect(40, 380, 432, 14, a)).append(rect(150, 220, 16, 174, c)).append(rect(346, 220, 16, 174, c));
        for (int i = 0; i < 5; i++) {
          s.append("<line x1=\"158\" y1=\"230\" x2=\"").append(60 + i * 20).append("\" y2=\"380\" stroke=\"").append(d)
              .append("\" stroke-width=\"2\"/>\n");
          s.append("<line x1=\"354\" y1=\"230\" x2=\"").append(452 - i * 20).append("\" y2=\"380\" stroke=\"").append(d)
              .append("\" stroke-width=\"2\"/>\n");
        }
      }
      case "wukang-mansion" -> {
        s.append("<polygon points=\"120,430 180,200 392,200 392,430\" fill=\"").append(a).append("\"/>\n");
        for (int y = 220; y < 420; y += 30) {
          for (int x = 200; x < 380; x += 36) {
            s.append(rect(x, y, 18, 14, c));
          }
        }
      }
      case "shikumen" -> s.append(rect(176, 250, 160, 180, a))
          .append("<path d=\"M206 430 L206 320 Q256 270 306 320 L306 430 Z\" fill=\"").append(c).append("\"/>\n")
          .append(rect(248, 330, 16, 100, d));
      case "jin-mao" -> {
        for (int i = 0; i < 8; i++) {
          s.append(rect(226 + i * 3, 430 - (i + 1) * 36, 60 - i * 6, 36, i % 2 == 0 ? a : c));
        }
        s.append(rect(253, 120, 6, 30, d));
      }
      case "swfc" -> s.append("<path d=\"M216 430 L226 130 L286 130 L296 430 Z\" fill=\"").append(a).append("\"/>\n")
          .append(rect(236, 150, 40, 28, pal.get(0).equals(d) ? c : d));
      case "china-art-museum" -> {
        s.append("<polygon points=\"136,250 376,250 336,300 176,300\" fill=\"").append(a).append("\"/>\n");
        s.append("<polygon points=\"156,300 356,300 326,350 186,350\" fill=\"").append(c).append("\"/>\n");
        s.append(rect(196, 350, 120, 80, a));
      }
      default -> throw new IllegalArgumentException("unknown landmark '" + l + "'");
    }
    s.append("</g>\n");
  }

  private static void emblem(StringBuilder s, String e, String color) {
    switch (e) {
      case "none" -> { }
      case "magnolia" -> {
        s.append("<g id=\"emblem\" fill=\"").append(color).append("\">\n");
        s.append("<ellipse cx=\"448\" cy=\"52\" rx=\"10\" ry=\"24\"/>\n<ellipse cx=\"432\" cy=\"60\" rx=\"9\" ry=\"20\"/>\n")
            .append("<ellipse cx=\"464\" cy=\"60\" rx=\"9\" ry=\"20\"/>\n</g>\n");
      }
      case "junk-ship" -> s.append("<g id=\"emblem\" fill=\"").append(color)
          .append("\">\n<polygon points=\"420,70 476,70 468,84 428,84\"/>\n<polygon points=\"446,28 446,68 470,64\"/>\n</g>\n");
      case "data-stream" -> {
        s.append("<g id=\"emblem\" fill=\"").append(color).append("\">\n");
        for (int i = 0; i < 4; i++) {
          s.append(rect(424 + i * 14, 80 - (i + 1) * 12, 10, (i + 1) * 12, color));
        }
        s.append("</g>\n");
      }
      case "dove" -> s.append("<path id=\"emblem\" d=\"M424 60 Q448 30 476 44 Q460 52 452 70 Q440 62 424 60 Z\" fill=\"")
          .append(color).append("\"/>\n");
      case "lantern" -> s.append("<g id=\"emblem\">\n<ellipse cx=\"448\" cy=\"56\" rx=\"22\" ry=\"28\" fill=\"")
          .append(color).append("\"/>\n<rect x=\"440\" y=\"24\" width=\"16\" height=\"6\" fill=\"#5B3A29\"/>\n</g>\n");
      default -> throw new IllegalArgumentException("unknown emblem '" + e + "'");
    }
  }

  private static void frame(StringBuilder s, String f, String color) {
    String st = "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"12\"/>\n";
    switch (f) {
      case "none" -> { }
      case "circle" -> s.append("<circle cx=\"256\" cy=\"256\" r=\"244").append(st);
      case "square" -> s.append("<rect x=\"6\" y=\"6\" width=\"500\" height=\"500").append(st);
      case "arch" -> s.append("<path d=\"M12 506 L12 200 Q256 -60 500 200 L500 506 Z").append(st);
      default -> throw new IllegalArgumentException("unknown frame '" + f + "'");
    }
  }

  private static String rect(int x, int y, int w, int h, String fill) {
    return "<rect x=\"" + x + "\" y=\"" + y + "\" width=\"" + w + "\" height=\"" + h + "\" fill=\"" + fill + "\"/>\n";
  }

  private static String circle(int cx, int cy, int r, String fill) {
    return "<circle cx=\"" + cx + "\" cy=\"" + cy + "\" r=\"" + r + "\" fill=\"" + fill + "\"/>\n";
  }
}
