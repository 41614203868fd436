package io.shudu.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What every side-by-side program of {@code benchmarks/run.sh} shares: the {@code --quick} switch, the cost of the
 * calling thread (wall time, thread CPU time and bytes allocated by that thread, so that an in-process sandbox's
 * work on its own threads is not counted as the client's) and the result lines the suite collects
 * ({@code BENCH <metric> <value>}).
 */
public final class Bench {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static {
    THREADS.setThreadCpuTimeEnabled(true);
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  private Bench() {}

  /**
   * Whether the arguments ask for the short development run.
   *
   * @param args program arguments
   * @return true with {@code --quick}
   */
  public static boolean quick(String[] args) {
    return Arrays.asList(args).contains("--quick");
  }

  /**
   * Prints one result line for the suite.
   *
   * @param metric metric name, dotted
   * @param value value
   */
  public static void emit(String metric, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalStateException("metric " + metric + " is " + value);
    }
    System.out.printf(Locale.ROOT, "BENCH %s %.6g%n", metric, value);
    System.out.flush();
  }

  /**
   * The one-minute load average as the kernel reports it.
   *
   * @return the load average, or -1 when unknown
   */
  public static double loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
      return Double.parseDouble(s.split(" ")[0]);
    } catch (Exception e) {
      return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * Cost so far: wall, CPU and allocation of the calling thread, and CPU time of the whole process (every thread:
   * with an in-process sandbox, the client's and the server's work together, plus JIT and GC).
   */
  public record Cost(long wallNanos, long cpuNanos, long allocatedBytes, long processCpuNanos) {
    /**
     * A cost without a process CPU reading.
     *
     * @param wallNanos wall time
     * @param cpuNanos CPU time of the calling thread
     * @param allocatedBytes bytes allocated by the calling thread
     */
    public Cost(long wallNanos, long cpuNanos, long allocatedBytes) {
      this(wallNanos, cpuNanos, allocatedBytes, 0);
    }

    /**
     * Now, for the calling thread.
     *
     * @return the reading
     */
    public static Cost now() {
      long id = Thread.currentThread().getId();
      return new Cost(System.nanoTime(), THREADS.getCurrentThreadCpuTime(), THREADS.getThreadAllocatedBytes(id),
          OS.getProcessCpuTime());
    }

    /**
     * The cost since an earlier reading of the same thread.
     *
     * @param start the earlier reading
     * @return the difference
     */
    public Cost since(Cost start) {
      return new Cost(wallNanos - start.wallNanos, cpuNanos - start.cpuNanos, allocatedBytes - start.allocatedBytes,
          processCpuNanos - start.processCpuNanos);
    }

    /**
     * Adds another cost.
     *
     * @param o the other
     * @return the sum
     */
    public Cost plus(Cost o) {
      return new Cost(wallNanos + o.wallNanos, cpuNanos + o.cpuNanos, allocatedBytes + o.allocatedBytes,
          processCpuNanos + o.processCpuNanos);
    }
  }

  /** An operation to measure. */
  @FunctionalInterface
  public interface Op {
    /**
     * Runs once.
     *
     * @throws Exception on failure (ends the benchmark)
     */
    void run() throws Exception;
  }

  /** A named operation. */
  public record Named(String name, Op op) {}

  /**
   * Runs each operation {@code warmup} times, then {@code rounds} rounds of {@code perRound} calls of each in turn
   * (interleaved, so that a change of machine load hits every contender alike), and emits per operation
   * {@code <prefix>.<name>.wall_us}, {@code .cpu_us} and {@code .alloc_b} (per call, calling thread only) and
   * {@code .proc_us} (CPU time of the whole process per call).
   *
   * @param prefix metric prefix
   * @param ops the contenders
   * @param warmup warm-up calls of each
   * @param rounds rounds
   * @param perRound calls of each per round
   * @return the total cost of each contender, in the order given
   * @throws Exception from an operation
   */
  public static Cost[] interleaved(String prefix, List<Named> ops, int warmup, int rounds, int perRound)
      throws Exception {
    Cost[][] byRound = interleavedRounds(prefix, ops, warmup, rounds, perRound);
    Cost[] total = new Cost[ops.size()];
    Arrays.fill(total, new Cost(0, 0, 0, 0));
    for (Cost[] round : byRound) {
      for (int k = 0; k < ops.size(); k++) {
        total[k] = total[k].plus(round[k]);
      }
    }
    return total;
  }

  /**
   * As {@link #interleaved}, and returns the cost of every round of every contender ({@code [round][contender]}),
   * for ratios taken round by round.
   *
   * @param prefix metric prefix
   * @param ops the contenders
   * @param warmup warm-up calls of each
   * @param rounds rounds
   * @param perRound calls of each per round
   * @return the cost of each round of each contender
   * @throws Exception from an operation
   */
  public static Cost[][] interleavedRounds(String prefix, List<Named> ops, int warmup, int rounds, int perRound)
      throws Exception {
    for (Named n : ops) {
      for (int i = 0; i < warmup; i++) {
        n.op().run();
      }
    }
    Cost[][] byRound = new Cost[rounds][ops.size()];
    Cost[] total = new Cost[ops.size()];
    Arrays.fill(total, new Cost(0, 0, 0, 0));
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < ops.size(); k++) {
        Op op = ops.get(k).op();
        Cost start = Cost.now();
        for (int i = 0; i < perRound; i++) {
          op.run();
        }
        byRound[r][k] = Cost.now().since(start);
        total[k] = total[k].plus(byRound[r][k]);
      }
    }
    long calls = (long) rounds * perRound;
    for (int k = 0; k < ops.size(); k++) {
      String m = prefix + "." + ops.get(k).name();
      emit(m + ".wall_us", total[k].wallNanos() / 1e3 / calls);
      emit(m + ".cpu_us", total[k].cpuNanos() / 1e3 / calls);
      emit(m + ".alloc_b", (double) total[k].allocatedBytes() / calls);
      emit(m + ".proc_us", total[k].processCpuNanos() / 1e3 / calls);
    }
    return byRound;
  }

  /**
   * Emits the median over rounds of the wall-time ratio of contender {@code a} to contender {@code b} within each
   * round: a burst of load on a shared machine then moves one round's ratio, not the result.
   *
   * @param metric metric name
   * @param byRound costs from {@link #interleavedRounds}
   * @param a numerator contender
   * @param b denominator contender
   */
  public static void medianRoundRatio(String metric, Cost[][] byRound, int a, int b) {
    double[] r = Arrays.stream(byRound).mapToDouble(c -> (double) c[a].wallNanos() / c[b].wallNanos()).sorted()
        .toArray();
    emit(metric, r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2);
  }

  /**
   * Emits {@code a / b} for wall, CPU and allocation.
   *
   * @param metric metric prefix
   * @param a numerator
   * @param b denominator
   */
  public static void ratios(String metric, Cost a, Cost b) {
    emit(metric + ".wall", (double) a.wallNanos() / b.wallNanos());
    emit(metric + ".cpu", (double) a.cpuNanos() / b.cpuNanos());
    emit(metric + ".alloc", (double) a.allocatedBytes() / b.allocatedBytes());
    if (a.processCpuNanos() > 0 && b.processCpuNanos() > 0) {
      emit(metric + ".proc", (double) a.processCpuNanos() / b.processCpuNanos());
    }
  }
}
