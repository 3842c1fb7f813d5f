package org.longitude.pipeline;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.longitude.common.Accounting;
import org.longitude.common.Outcome;
import org.longitude.extract.Extract;
import org.longitude.extract.PullProgress;
import org.longitude.release.SmallCells;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a running pipeline's progress per clinic: resources pulled, pages, resources per
 * second, polled from the runner's live metrics (the {@code longitude.records} read counters
 * and the {@code longitude.clinics} page counters). On a terminal one line per clinic is
 * redrawn in place; otherwise a plain line is logged every interval. Counts only, no record
 * content; a clinic's count from 1 to the small-cell threshold is shown as {@code <11}.
 *
 * <p>Live values come from the pull's {@link PullProgress}: its board when the pull runs in
 * this JVM (the DirectRunner, Flink's embedded cluster), the files its tasks write when it
 * runs on a cluster's workers. The final line's resources come from the run's
 * exact accounting ({@link RunSummary}); metrics, which a runner may count twice for a
 * retried bundle, only ever feed the display.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
  static final String PAGES = "|pages";

  /** Where progress goes. */
  public interface Display {
    /** Shows the current lines (one per clinic); {@code last} for the final state. */
    void show(List<String> lines, boolean last);

    /** How often to report while the run works. */
    default Duration interval() {
      return Duration.ofSeconds(10);
    }

    /** A terminal when there is one, else the log every ten seconds. */
    static Display forThisProcess() {
      java.io.Console console = System.console();
      return console != null ? terminal(console.writer()) : lines(LOG::info);
    }

    /** Redraws the lines in place (ANSI cursor-up), as a terminal shows them. */
    static Display terminal(PrintWriter out) {
      return new Display() {
        private int drawn;

        @Override
        public void show(List<String> lines, boolean last) {
          StringBuilder s = new StringBuilder();
          if (drawn > 0) {
            s.append("\033[").append(drawn).append('A');
          }
          lines.forEach(l -> s.append('\r').append(l).append("\033[K\n"));
          out.print(s);
          out.flush();
          drawn = lines.size();
        }

        @Override
        public Duration interval() {
          return Duration.ofSeconds(1);
        }
      };
    }

    /** One plain line per report, for logs and pipes. */
    static Display lines(Consumer<String> log) {
      return (lines, last) -> log.accept((last ? "progress (done): " : "progress: ")
          + String.join("; ", lines));
    }
  }

  private final List<String> clinics;
  private final SmallCells cells;
  private final Display display;
  private final LongSupplier clockMillis;
  private final long startMillis;
  private final Map<String, Long> lastCount = new java.util.HashMap<>();
  private final Map<String, Long> lastChangeMillis = new java.util.HashMap<>();
  private ScheduledExecutorService poller;

  /** @param startMillis when the run started: rates count from there */
  ProgressReporter(List<String> clinics, SmallCells cells, Display display,
      LongSupplier clockMillis, long startMillis) {
    this.clinics = List.copyOf(clinics);
    this.cells = cells;
    this.display = display;
    this.clockMillis = clockMillis;
    this.startMillis = startMillis;
  }

  /**
   * Starts polling {@code live} counts at the display's interval; stop with {@link #finish}.
   * Start it before {@code pipeline.run()}: on Flink's embedded cluster that call returns
   * only when the job is done.
   */
  static ProgressReporter start(Supplier<Map<String, long[]>> live, Instant runStart,
      List<String> clinics, SmallCells cells, Display display) {
    Duration interval = display.interval();
    ProgressReporter reporter = new ProgressReporter(clinics, cells, display,
        System::currentTimeMillis, runStart.toEpochMilli());
    reporter.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "longitude-progress");
      t.setDaemon(true); // never keeps the JVM alive
      return t;
    });
    reporter.poller.scheduleWithFixedDelay(() -> reporter.poll(live), interval.toMillis(),
        interval.toMillis(), TimeUnit.MILLISECONDS);
    return reporter;
  }

  /**
   * The live counts of a run: its pull's {@link PullProgress} (board here, files from a
   * cluster), else the runner's live metrics once it has returned a result.
   */
  static Map<String, long[]> live(PullProgress progress, PipelineResult running) {
    Map<String, long[]> board = progress == null ? Map.of() : progress.snapshot();
    if (!board.isEmpty() || running == null) {
      return board;
    }
    try {
      return counts(running.metrics());
    } catch (RuntimeException e) { // a runner without live metrics: wait for the final line
      LOG.debug("no live metrics: {}", e.getClass().getName());
      return Map.of();
    }
  }

  private void poll(Supplier<Map<String, long[]>> live) {
    try {
      display.show(lines(live.get()), false);
    } catch (RuntimeException e) { // the display must never fail the run
      LOG.debug("progress not shown: {}", e.getClass().getName());
    }
  }

  /**
   * Stops polling and shows the final counts of the finished run: the resources read from its
   * exact accounting, the pages (for display only) from its metrics.
   */
  void finish(RunSummary summary, MetricResults finalMetrics) {
    close();
    Map<String, long[]> counts = counts(finalMetrics);
    clinics.forEach(c -> counts.computeIfAbsent(c, k -> new long[2])[0] =
        summary.total(c, null, Outcome.READ));
    display.show(lines(counts), true);
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      poller = null;
    }
  }

  /** One line per clinic from a metrics snapshot. */
  List<String> lines(MetricResults metrics) {
    return lines(counts(metrics));
  }

  /** Per clinic {resources read, pages} in a metrics snapshot. */
  static Map<String, long[]> counts(MetricResults metrics) {
    Map<String, long[]> byClinic = new LinkedHashMap<>();
    for (MetricResult<Long> c : counters(metrics, Accounting.NAMESPACE)) {
      Accounting.Key key = Accounting.Key.parse(c.getName().getName());
      if (key.outcome() == Outcome.READ) {
        byClinic.computeIfAbsent(key.clinic(), k -> new long[2])[0] += c.getAttempted();
      }
    }
    for (MetricResult<Long> c : counters(metrics, Extract.CLINICS_NAMESPACE)) {
      String name = c.getName().getName();
      if (name.endsWith(PAGES)) {
        byClinic.computeIfAbsent(name.substring(0, name.length() - PAGES.length()),
            k -> new long[2])[1] += c.getAttempted();
      }
    }
    return byClinic;
  }

  /** One line per clinic of the study, from per-clinic {resources, pages}. */
  synchronized List<String> lines(Map<String, long[]> counts) {
    Map<String, long[]> byClinic = new LinkedHashMap<>();
    clinics.forEach(c -> byClinic.put(c, counts.getOrDefault(c, new long[2])));
    long now = clockMillis.getAsLong();
    List<String> lines = new ArrayList<>();
    byClinic.forEach((clinic, n) -> {
      // The rate over the time the clinic was pulling: until its count last moved, so that it
      // does not sink while later steps still run.
      if (n[0] != lastCount.getOrDefault(clinic, 0L)) {
        lastCount.put(clinic, n[0]);
        lastChangeMillis.put(clinic, now);
      }
      double seconds = Math.max(0.001,
          (lastChangeMillis.getOrDefault(clinic, now) - startMillis) / 1000.0);
      lines.add(format(clinic, n[0], n[1], seconds));
    });
    return lines;
  }

  /**
   * {@code north: 1,234 resources, 13 pages, 456/s}. A small count is not printed exactly
   * (nor a rate, which with the elapsed time would give it back).
   */
  String format(String clinic, long resources, long pages, double seconds) {
    if (cells.isSmall(resources)) {
      return String.format(Locale.ROOT, "%s: <%d resources, %d pages", clinic, cells.max() + 1,
          pages);
    }
    return String.format(Locale.ROOT, "%s: %,d resources, %d pages, %,.0f/s", clinic, resources,
        pages, resources / seconds);
  }

  private static Iterable<MetricResult<Long>> counters(MetricResults metrics, String namespace) {
    return metrics.queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(namespace)).build()).getCounters();
  }
}
