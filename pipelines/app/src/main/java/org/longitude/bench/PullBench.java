package org.longitude.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.longitude.config.Source;
import org.longitude.demo.ClinicProfile;
import org.longitude.demo.ClinicServerOptions;
import org.longitude.demo.DemoClinic;
import org.longitude.extract.DirectSearchPull;

/**
 * Pull throughput of the product's fhir-search pull from one embedded demo clinic holding
 * about N Observations: {@link BenchData}'s synthetic clinic is loaded into a
 * {@link DemoClinic} (straight from its NDJSON, no HAPI objects) and every Observation is
 * pulled over HTTP by {@link DirectSearchPull}, page by page. Reports resources per wall
 * second, pages, wall and process CPU seconds (the in-process server's share included) and
 * the heap: what the loaded clinic holds, and the peak after a quarter and after all of the
 * pull, whose difference shows whether the pull's memory grows with the clinic.
 */
public final class PullBench {

  /**
   * @param observations about how many Observations the clinic holds (whole participants)
   * @param pageSize the {@code _count} asked for
   * @param compressed store the clinic's JSON deflated (a smaller heap, more server CPU)
   * @param output folder of the generated data, shared with {@code bench}
   */
  public record Settings(long observations, int pageSize, boolean compressed, Path output,
      long seed) {}

  /**
   * One measured pull.
   *
   * @param stored Observations the clinic serves
   * @param pulled Observations the pull handed on
   * @param clinicHeapBytes heap in use before the pull, after a full GC: mostly the clinic
   * @param peakHeapAtQuarterBytes peak heap when a quarter of the Observations were pulled
   * @param liveHeapAfterBytes heap in use after the pull, after a full GC: above
   *     {@code clinicHeapBytes} only by what the pull kept
   */
  public record Result(long stored, long pulled, int pages, double loadSeconds,
      double wallSeconds, double cpuSeconds, long clinicHeapBytes, long peakHeapAtQuarterBytes,
      long peakHeapBytes, long liveHeapAfterBytes) {
    public double perSecond() {
      return pulled / wallSeconds;
    }
  }

  private static final long MB = 1024 * 1024;
  private final Settings settings;
  private final PrintWriter log;

  public PullBench(Settings settings, PrintWriter log) {
    this.settings = settings;
    this.log = log;
  }

  /** Generates (or reuses) the data, loads the clinic, pulls once and prints the figures. */
  public Result run() throws IOException {
    Path data = settings.output().resolve("data").resolve(BenchData.CLINIC);
    log.printf("bench-pull: ~%,d Observations in %s (generated once per size and seed)%n",
        settings.observations(), data);
    log.flush();
    BenchData.Generated generated = BenchData.write(data, settings.observations(),
        settings.seed(), 0);
    long loadStart = System.nanoTime();
    try (DemoClinic clinic = start(generated.dir(), settings.pageSize(),
        settings.compressed())) {
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      log.printf("bench-pull: clinic loaded in %.1f s (%,d Observations, %,d MB stored JSON%s)%n",
          loadSeconds, clinic.count("Observation"), clinic.storedPayloadBytes() / MB,
          settings.compressed() ? ", deflated" : "");
      log.flush();
      Result result = pull(clinic, settings.pageSize(), loadSeconds, json -> {});
      print(result);
      if (result.pulled() != result.stored()) {
        throw new IllegalStateException("pulled " + result.pulled() + " Observations, the "
            + "clinic serves " + result.stored());
      }
      return result;
    }
  }

  /** A demo clinic serving {@code dir}'s NDJSON that honours {@code _count=pageSize}. */
  static DemoClinic start(Path dir, int pageSize, boolean compressed) throws IOException {
    ClinicServerOptions options = ClinicServerOptions.defaults()
        .withCompressedStorage(compressed)
        .withMaxPageSize(Math.max(pageSize, ClinicServerOptions.defaults().maxPageSize()));
    return DemoClinic.startFromNdjson(ClinicProfile.NORTH, dir, options);
  }

  /** Pulls every Observation of {@code clinic} once, handing each resource's JSON to {@code each}. */
  static Result pull(DemoClinic clinic, int pageSize, double loadSeconds,
      Consumer<String> each) throws IOException {
    long stored = clinic.count("Observation");
    long quarter = Math.max(1, stored / 4);
    Source source = new Source(Source.Kind.FHIR_SEARCH, clinic.baseUrl(), pageSize, null);
    Probe probe = new Probe();
    probe.start();
    long clinicHeap = probe.usedHeapBytes();
    long[] pulled = {0};
    long[] atQuarter = {0};
    int pages;
    // The pull reports the clinic's high-water mark as a Beam metric: outside a pipeline it
    // needs a container, or Beam warns that metrics are not supported here.
    try (Closeable metrics = MetricsEnvironment.scopedMetricsContainer(
        new MetricsContainerImpl("bench-pull"))) {
      pages = DirectSearchPull.pull(clinic.clinicId(), source, "Observation", json -> {
        each.accept(json);
        if (++pulled[0] == quarter) {
          atQuarter[0] = probe.peakHeapBytes();
        }
      });
    }
    Probe.Sample sample = probe.stop();
    System.gc(); // after the measured run: what is still live
    return new Result(stored, pulled[0], pages, loadSeconds, sample.wallSeconds(),
        sample.cpuSeconds(), clinicHeap, atQuarter[0], sample.peakHeapBytes(),
        probe.usedHeapBytes());
  }

  private void print(Result r) {
    log.printf("%n%,d Observations, page size %d, %d cores, Java %s, max heap %,d MB%n",
        r.stored(), settings.pageSize(), Runtime.getRuntime().availableProcessors(),
        Runtime.version().feature(), Runtime.getRuntime().maxMemory() / MB);
    log.printf("pulled %,d resources in %,d pages: %,.0f resources/s, %.1f s wall, "
        + "%.1f s CPU%n", r.pulled(), r.pages(), r.perSecond(), r.wallSeconds(),
        r.cpuSeconds());
    log.printf("heap: peak %,d MB after 1/4 of the pull, %,d MB after all of it; live "
        + "(after a full GC) %,d MB before the pull (the clinic), %,d MB after it%n",
        r.peakHeapAtQuarterBytes() / MB, r.peakHeapBytes() / MB, r.clinicHeapBytes() / MB,
        r.liveHeapAfterBytes() / MB);
    log.flush();
  }
}
