import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * Runs test classes N times in a row in one JVM and reports every failure; exits non-zero if any run failed.
 * Used by .ci/repeat-tests to prove that timing-dependent tests do not flake. Usage:
 * {@code java -cp <test class path> .ci/RepeatTests.java <runs> <class>...}
 */
public final class RepeatTests {
  public static void main(String[] args) {
    int runs = Integer.parseInt(args[0]);
    List<String> classes = List.of(args).subList(1, args.length);
    LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request();
    for (String c : classes) {
      b.selectors(DiscoverySelectors.selectClass(c));
    }
    LauncherDiscoveryRequest request = b.build();
    Launcher launcher = LauncherFactory.create();
    long tests = 0;
    List<String> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (int run = 1; run <= runs; run++) {
      SummaryGeneratingListener listener = new SummaryGeneratingListener();
      launcher.execute(request, listener);
      TestExecutionSummary s = listener.getSummary();
      tests += s.getTestsStartedCount();
      for (TestExecutionSummary.Failure f : s.getFailures()) {
        failures.add("run " + run + ": " + f.getTestIdentifier().getDisplayName() + ": " + f.getException());
        f.getException().printStackTrace();
      }
      if (s.getTestsStartedCount() == 0) {
        failures.add("run " + run + ": no tests found in " + classes);
      }
      System.out.printf("run %d/%d: %d tests, %d failed (%.0f s so far)%n", run, runs, s.getTestsStartedCount(),
          s.getTotalFailureCount(), (System.nanoTime() - start) / 1e9);
    }
    System.out.printf("%d runs of %s: %d tests, %d failures, %.0f s%n", runs, classes, tests, failures.size(),
        (System.nanoTime() - start) / 1e9);
    failures.forEach(System.out::println);
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
