package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.core.metrics.MetricsContainerStepMap;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricResults;
import org.junit.jupiter.api.Test;
import org.longitude.common.Accounting;
import org.longitude.extract.Extract;
import org.longitude.release.SmallCells;

/** The progress line's format and its two displays (terminal and plain log lines). */
class ProgressReporterTest {
  private final ProgressReporter reporter = new ProgressReporter(List.of("north", "south"),
      new SmallCells(10), (lines, last) -> { }, () -> 0L, 0L);

  @Test
  void lineShowsResourcesPagesAndRate() {
    assertEquals("north: 1,234 resources, 13 pages, 617/s",
        reporter.format("north", 1234, 13, 2.0));
    assertEquals("south: 0 resources, 0 pages, 0/s", reporter.format("south", 0, 0, 5.0));
  }

  @Test
  void aSmallCountIsNotPrintedExactly() {
    // nor its rate, which with the elapsed time would give it back
    assertEquals("north: <11 resources, 1 pages", reporter.format("north", 7, 1, 2.0));
  }

  @Test
  void linesAddUpReadsOfEveryTypeAndPagesPerClinic() {
    MetricsContainerStepMap steps = new MetricsContainerStepMap();
    count(steps, "Pull", Accounting.NAMESPACE, "north|Patient|READ||", 40);
    count(steps, "Pull", Accounting.NAMESPACE, "north|Observation|READ||", 2000);
    count(steps, "Normalize", Accounting.NAMESPACE, "north|Observation|WRITTEN||PHQ9", 1900);
    count(steps, "Pull", Accounting.NAMESPACE, "south|Patient|READ||", 7);
    count(steps, "Pull", Extract.CLINICS_NAMESPACE, "north|pages", 21);
    count(steps, "Pull", Extract.CLINICS_NAMESPACE, "pages", 99);
    MetricResults metrics = MetricsContainerStepMap.asAttemptedOnlyMetricResults(steps);
    AtomicLong clock = new AtomicLong(0);
    ProgressReporter progress = new ProgressReporter(List.of("north", "south"),
        new SmallCells(10), (lines, last) -> { }, clock::get, 0L);

    clock.set(4000);
    assertEquals(List.of("north: 2,040 resources, 21 pages, 510/s",
        "south: <11 resources, 0 pages"), progress.lines(metrics));
    // Nothing more pulled: the rate stays that of the pull, it does not sink with the clock.
    clock.set(40_000);
    assertEquals("north: 2,040 resources, 21 pages, 510/s", progress.lines(metrics).get(0));
  }

  private static void count(MetricsContainerStepMap steps, String step, String namespace,
      String name, long n) {
    steps.getContainer(step).getCounter(MetricName.named(namespace, name)).inc(n);
  }

  @Test
  void plainLinesGoToTheLogOnePerReport() {
    List<String> logged = new ArrayList<>();
    ProgressReporter.Display display = ProgressReporter.Display.lines(logged::add);
    display.show(List.of("north: 20 resources", "south: 30 resources"), false);
    display.show(List.of("north: 40 resources", "south: 50 resources"), true);
    assertEquals(List.of("progress: north: 20 resources; south: 30 resources",
        "progress (done): north: 40 resources; south: 50 resources"), logged);
  }

  @Test
  void aTerminalRedrawsTheClinicLinesInPlace() {
    StringWriter out = new StringWriter();
    ProgressReporter.Display display =
        ProgressReporter.Display.terminal(new PrintWriter(out));
    display.show(List.of("north: 20", "south: 30"), false);
    display.show(List.of("north: 40", "south: 50"), true);
    assertEquals("\rnorth: 20\033[K\n\rsouth: 30\033[K\n"
        + "\033[2A\rnorth: 40\033[K\n\rsouth: 50\033[K\n", out.toString());
  }
}
