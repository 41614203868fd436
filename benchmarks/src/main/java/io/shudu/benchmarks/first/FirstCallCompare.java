package io.shudu.benchmarks.first;

import io.shudu.benchmarks.Bench;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time to first answer of a one-call program ({@link FirstCall}) against a running standalone sandbox (the sandbox's
 * command line, {@code io.shudu.sandbox.Main}, in its own process), measured as a whole process from launch to exit,
 * the way a partner's command-line tool starts. One launch to warm the file cache, then several; emits the median
 * and the fastest. Part of {@code benchmarks/run.sh} ({@code first}).
 */
public final class FirstCallCompare {
  private static final Pattern RUNNING = Pattern.compile("Shudu sandbox running at (\\S+)");
  private static final Pattern KEY = Pattern.compile("X-Api-Key: ([^']+)'");

  private FirstCallCompare() {}

  /**
   * Runs one measurement.
   *
   * @param args {@code --quick} for 3 launches (default 7)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int launches = Bench.quick(args) ? 3 : 7;
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    String cp = System.getProperty("java.class.path");
    Process server = new ProcessBuilder(java, "-cp", cp, "io.shudu.sandbox.Main", "--port", "0", "--rate", "0")
        .redirectErrorStream(true).start();
    try {
      String url = null;
      String key = null;
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = out.readLine()) != null && (url == null || key == null); ) {
        Matcher m = RUNNING.matcher(line);
        if (m.find()) {
          url = m.group(1);
        }
        Matcher k = KEY.matcher(line);
        if (k.find()) {
          key = k.group(1);
        }
      }
      if (url == null || key == null) {
        throw new IllegalStateException("the standalone sandbox did not print its URL and API key");
      }
      Thread drain = new Thread(() -> {
        try {
          server.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          // the server has gone
        }
      });
      drain.setDaemon(true);
      drain.start();
      launch(java, List.of(), cp, url, key, false); // warm the file cache
      launch(java, List.of(), cp, url, key, true);
      // the SDK's program and the hand-written one alternate, so that both see the same machine
      double[][] sdk = new double[launches][];
      double[][] raw = new double[launches][];
      for (int i = 0; i < launches; i++) {
        sdk[i] = launch(java, List.of(), cp, url, key, false);
        raw[i] = launch(java, List.of(), cp, url, key, true);
      }
      double sdkMedian = emitSeries("first", sdk);
      double rawMedian = emitSeries("first.raw", raw);
      Bench.emit("first.ratio.sdk_raw", sdkMedian / rawMedian);
      // the start-up recipe for command-line tools: an application class-data archive (written by one training
      // launch) and the C1 compiler only
      Path jsa = Files.createTempFile("shudu-first", ".jsa");
      Files.delete(jsa);
      try {
        launch(java, List.of("-XX:ArchiveClassesAtExit=" + jsa), cp, url, key, false);
        if (!Files.exists(jsa)) {
          throw new IllegalStateException("the JVM wrote no class-data archive at " + jsa);
        }
        List<String> recipe = List.of("-XX:SharedArchiveFile=" + jsa, "-XX:TieredStopAtLevel=1");
        launch(java, recipe, cp, url, key, false);
        series("first.cds", java, recipe, cp, url, key, launches);
      } finally {
        Files.deleteIfExists(jsa);
      }
    } finally {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static void series(String prefix, String java, List<String> options, String cp, String url, String key,
      int launches) throws Exception {
    double[][] runs = new double[launches][];
    for (int i = 0; i < launches; i++) {
      runs[i] = launch(java, options, cp, url, key, false);
    }
    emitSeries(prefix, runs);
  }

  /** Emits the median and fastest wall time and the median CPU time of launches; returns the median wall time. */
  private static double emitSeries(String prefix, double[][] runs) {
    double[] a = java.util.Arrays.stream(runs).mapToDouble(r -> r[0]).sorted().toArray();
    double[] c = java.util.Arrays.stream(runs).mapToDouble(r -> r[1]).sorted().toArray();
    Bench.emit(prefix + ".wall_ms", a[a.length / 2]);
    Bench.emit(prefix + ".fastest_ms", a[0]);
    Bench.emit(prefix + ".cpu_ms", c[c.length / 2]);
    return a[a.length / 2];
  }

  /** Returns {wall ms from launch to exit, CPU ms of the whole process as it reported just before exiting}. */
  private static double[] launch(String java, List<String> options, String cp, String url, String key, boolean raw)
      throws Exception {
    long s = System.nanoTime();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(options);
    cmd.addAll(List.of("-cp", cp, FirstCall.class.getName(), url, key));
    if (raw) {
      cmd.add("raw");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    double ms = (System.nanoTime() - s) / 1e6;
    // the program's one line (a JVM may add warnings, such as class-data archive notes, around it)
    String line = out.lines().filter(l -> l.startsWith("lg-bldg-0001 ")).findFirst().orElse("");
    String[] f = line.split(" ");
    if (rc != 0 || f.length != 2 || !f[0].equals("lg-bldg-0001")) {
      throw new IllegalStateException("the one-call program failed (exit " + rc + "): " + out);
    }
    return new double[] {ms, Double.parseDouble(f[1])};
  }

}
