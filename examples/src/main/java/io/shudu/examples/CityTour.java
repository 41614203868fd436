package io.shudu.examples;

import io.shudu.sandbox.Sandbox;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The city tour: starts the embedded sandbox and walks through the programme the way partners use it, printing a
 * readable report and writing pictures to an output folder. Exits non-zero if any step fails.
 *
 * <p>Run it with {@code ./mvnw -q -Ptour package} from a fresh clone.
 */
public final class CityTour {
  private CityTour() {}

  /** One step of the tour. */
  @FunctionalInterface
  interface Step {
    String run(Sandbox sandbox, Path out, PrintStream report) throws Exception;
  }

  private record Result(String name, boolean ok, String summary, long millis) {}

  /**
   * Runs the tour.
   *
   * @param args optional output folder (default {@code tour-output})
   * @throws Exception never: failures are reported and turned into the exit code
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "tour-output");
    Files.createDirectories(out);
    PrintStream report = System.out;
    List<Result> results = new ArrayList<>();
    long start = System.nanoTime();
    report.println("=== Shudu city tour: 数都上海 ===");
    try (Sandbox sandbox = Sandbox.builder().start()) {
      report.println("Embedded sandbox at " + sandbox.baseUrl() + " (tenant " + Sandbox.DEFAULT_TENANT + ")");
      results.add(step("Sandbox health", sandbox, out, report, (s, o, r) -> "running: " + s.running()));
    }
    long failed = results.stream().filter(r -> !r.ok()).count();
    report.println();
    report.printf("Tour finished in %.1f s: %d step(s), %d failed. Pictures and data in %s%n",
        (System.nanoTime() - start) / 1e9, results.size(), failed, out.toAbsolutePath());
    if (failed > 0) {
      System.exit(1);
    }
  }

  private static Result step(String name, Sandbox sandbox, Path out, PrintStream report, Step step) {
    report.println();
    report.println("--- " + name + " ---");
    long t0 = System.nanoTime();
    try {
      String summary = step.run(sandbox, out, report);
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
}
