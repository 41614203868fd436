package io.shudu.benchmarks.iot;

import de.fraunhofer.iosb.ilt.sta.model.ext.EntityList;
import de.fraunhofer.iosb.ilt.sta.service.SensorThingsService;
import io.shudu.benchmarks.Bench;
import io.shudu.core.ClientConfig;
import io.shudu.core.Credentials;
import io.shudu.iot.Datastream;
import io.shudu.iot.EntitySet;
import io.shudu.core.geo.Geometry;
import io.shudu.iot.IotClient;
import io.shudu.iot.IotQuery;
import io.shudu.iot.Location;
import io.shudu.iot.Observation;
import io.shudu.iot.ObservedProperty;
import io.shudu.iot.ProgrammeFeed;
import io.shudu.iot.Sensor;
import io.shudu.iot.Thing;
import io.shudu.sandbox.Sandbox;
import io.shudu.sandbox.SandboxLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lists every observation of one datastream page by page (1,000 per page, following {@code @iot.nextLink}) from the
 * same in-process sandbox with the Shudu SDK and with FROST-Client, the SensorThings reference client, in one run.
 * JMH measures a whole listing per operation; {@link #main} additionally measures the heap retained while listing
 * (live heap after a full GC, sampled every 100,000 items), which must stay flat for a streaming listing.
 *
 * <pre>
 * java -Xmx4g -jar benchmarks/target-iot/benchmarks.jar IotListingBenchmark -p observations=1000000
 * benchmarks/run.sh --only iot
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class IotListingBenchmark {
  static final int PAGE = 1000;

  @Param("1000000")
  public int observations;

  Sandbox sandbox;
  IotClient sdk;
  SensorThingsService frost;
  long datastreamId;

  @Setup
  public void setup() throws Exception {
    // a million observations plus the seed: above the sandbox's default per-tenant cap of SensorThings entities
    sandbox = Sandbox.builder().openMode(true).simulationRate(0)
        .limits(SandboxLimits.builder().maxIotEntitiesPerTenant(Math.max(2_000_000, 2 * observations)).build())
        .start();
    ClientConfig config = ClientConfig.builder().endpoint(sandbox.baseUrl()).credentials(Credentials.anonymous())
        .build();
    sdk = IotClient.create(config);
    datastreamId = load(sdk, observations);
    frost = new SensorThingsService(new URL(sandbox.baseUrl() + "/iot/v1.1/"));
  }

  @TearDown
  public void tearDown() {
    sandbox.close();
  }

  /** Creates a datastream with {@code n} observations through the dataArray extension. */
  static long load(IotClient iot, int n) {
    Thing thing = iot.things().create(Thing.of("benchmark buoy", "listing benchmark")
        .withLocations(List.of(Location.of("淀山湖", "bench", Geometry.point(120.96, 31.12))))
        .withDatastreams(List.of(Datastream.of("bench DO", "listing benchmark", ProgrammeFeed.MILLIGRAM_PER_LITRE,
                Datastream.MEASUREMENT)
            .withSensor(Sensor.of("bench sensor", "bench", "text/plain", "none"))
            .withObservedProperty(ObservedProperty.of("bench DO", "http://example.org/do", "bench")))));
    long ds = iot.things().listRelated(thing.id(), EntitySet.DATASTREAMS).iterator().next()
        .id();
    Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
    for (int done = 0; done < n; ) {
      int batch = Math.min(IotQuery.MAX_TOP, n - done);
      List<Observation> rows = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        rows.add(Observation.of(t0.plusSeconds(60L * (done + i)), 5.0 + ((done + i) % 400) / 100.0));
      }
      if (!iot.observations().createDataArray(ds, rows).allCreated()) {
        throw new IllegalStateException("the platform rejected rows of the benchmark data");
      }
      done += batch;
    }
    return ds;
  }

  /**
   * Shudu SDK: lazy {@code PagedIterable} over {@code @iot.nextLink}.
   *
   * @param bh sink
   * @return items listed
   */
  @Benchmark
  public long sdkListAll(Blackhole bh) {
    long n = 0;
    for (Observation o : sdk.observations().ofDatastream(datastreamId, IotQuery.builder().pageSize(PAGE).build())) {
      bh.consume(o);
      n++;
    }
    check(n);
    return n;
  }

  /**
   * FROST-Client: {@code EntityList.fullIterator()} over {@code @iot.nextLink}.
   *
   * @param bh sink
   * @return items listed
   * @throws Exception on failure
   */
  @Benchmark
  public long frostListAll(Blackhole bh) throws Exception {
    long n = 0;
    EntityList<de.fraunhofer.iosb.ilt.sta.model.Observation> list = frost.datastreams().find(datastreamId)
        .observations().query().top(PAGE).list();
    Iterator<de.fraunhofer.iosb.ilt.sta.model.Observation> it = list.fullIterator();
    while (it.hasNext()) {
      bh.consume(it.next());
      n++;
    }
    check(n);
    return n;
  }

  private void check(long n) {
    if (n != observations) {
      throw new IllegalStateException("listed " + n + " observations, expected " + observations);
    }
  }

  /** One full listing. */
  interface Listing {
    Iterator<?> open() throws Exception;
  }

  /**
   * The side-by-side run of {@code benchmarks/run.sh} ({@code iot}): the first 100,000 items of a listing of each
   * client to warm up, one timed full listing of each (wall time, and CPU time and allocation of the calling thread
   * per item: the sandbox serves on its own threads), then a full SDK listing and the first 200,000 items of a
   * FROST-Client listing with a full GC every tenth of the way, for the retained heap.
   *
   * @param args optional observation count (default 1,000,000), {@code --quick} for 100,000
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    IotListingBenchmark b = new IotListingBenchmark();
    b.observations = Bench.quick(args) ? 100_000 : 1_000_000;
    for (String a : args) {
      if (a.matches("[0-9]+")) {
        b.observations = Integer.parseInt(a);
      }
    }
    b.setup();
    try {
      Listing sdk = () -> b.sdk.observations().ofDatastream(b.datastreamId, IotQuery.builder().pageSize(PAGE).build())
          .iterator();
      Listing frost = () -> b.frost.datastreams().find(b.datastreamId).observations().query().top(PAGE).list()
          .fullIterator();
      Bench.emit("iot.items", b.observations);
      int warm = Math.min(b.observations, 100_000); // warm-up: the first 100,000 items of a listing of each
      retained(sdk, warm, false);
      retained(frost, warm, false);
      Bench.Cost s = timed(sdk, b.observations);
      Bench.Cost f = timed(frost, b.observations);
      double n = b.observations;
      Bench.emit("iot.sdk.wall_s", s.wallNanos() / 1e9);
      Bench.emit("iot.sdk.cpu_us_per_item", s.cpuNanos() / 1e3 / n);
      Bench.emit("iot.sdk.alloc_b_per_item", s.allocatedBytes() / n);
      Bench.emit("iot.frost.wall_s", f.wallNanos() / 1e9);
      Bench.emit("iot.frost.cpu_us_per_item", f.cpuNanos() / 1e3 / n);
      Bench.emit("iot.frost.alloc_b_per_item", f.allocatedBytes() / n);
      Bench.emit("iot.ratio.cpu", (double) f.cpuNanos() / s.cpuNanos());
      Bench.emit("iot.ratio.wall", (double) f.wallNanos() / s.wallNanos());
      Bench.emit("iot.sdk.heap_growth_kib", retained(sdk, b.observations, true) / 1024.0);
      Bench.emit("iot.frost.heap_growth_kib", retained(frost, Math.min(b.observations, 200_000), true) / 1024.0);
    } finally {
      b.tearDown();
    }
  }

  private static Bench.Cost timed(Listing listing, int expected) throws Exception {
    Bench.Cost start = Bench.Cost.now();
    Iterator<?> it = listing.open();
    long n = 0;
    while (it.hasNext()) {
      if (it.next() == null) {
        throw new IllegalStateException("null item");
      }
      n++;
    }
    Bench.Cost cost = Bench.Cost.now().since(start);
    if (n != expected) {
      throw new IllegalStateException("listed " + n + ", expected " + expected);
    }
    return cost;
  }

  /**
   * Lists the first {@code items} items (the whole listing when it holds no more); with {@code gc}, returns the live
   * heap above the level before the listing, the most seen at a full GC every tenth of the way.
   */
  private static long retained(Listing listing, int items, boolean gc) throws Exception {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long base = mem.getHeapMemoryUsage().getUsed();
    long maxRetained = 0;
    Iterator<?> it = listing.open();
    long n = 0;
    int step = Math.max(1, items / 10);
    while (n < items && it.hasNext()) {
      it.next();
      if (++n % step == 0 && gc) {
        System.gc();
        maxRetained = Math.max(maxRetained, mem.getHeapMemoryUsage().getUsed() - base);
      }
    }
    if (n != items) {
      throw new IllegalStateException("listed " + n + ", expected " + items);
    }
    return Math.max(0, maxRetained);
  }
}
