package org.longitude.pipeline;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.longitude.common.AwsRegion;
import org.longitude.common.Phases;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.extract.BulkExport;
import org.longitude.extract.PullProgress;
import org.longitude.release.SmallCells;
import org.longitude.views.RunViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a study's pipeline and accounts for every record: the graph, the progress display, the
 * ledger read back, the files no counted bundle wrote removed. What happens next — summaries,
 * the identity check, publishing, the report — is {@code operate.StudyRun}'s.
 */
public final class PipelineRun {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

  private PipelineRun() {}

  /**
   * A finished pipeline, accounted.
   *
   * @param brokenRules the study views whose values broke their release rules
   * @param start when the run started
   */
  public record Accounted(RunLayout layout, RunSummary summary, List<String> brokenRules,
      Instant start, PullPlan plan) {
    /** Advances the clinics' high-water marks, once the run is published. */
    public void published() throws IOException {
      if (plan != null) {
        plan.published(layout, summary);
      }
    }
  }

  /**
   * Production defaults: the DirectRunner's per-element checks cost ~10x throughput, and
   * Flink's defensive copies between chained steps (object reuse off) and deep copies between
   * operators (fasterCopy off) are not needed: no step mutates its input. Tests keep the
   * checks on. The DirectRunner returns from {@code run()} at once, so that
   * {@link ProgressReporter} can poll its metrics while it works (a blocking run shows only
   * the final progress line; TestPipeline needs blocking to verify its assertions).
   */
  public static void tuneForProduction(PipelineOptions options) {
    DirectOptions direct = options.as(DirectOptions.class);
    direct.setEnforceImmutability(false);
    direct.setEnforceEncodability(false);
    direct.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    direct.setBlockOnRun(false);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setObjectReuse(true);
    flink.setFasterCopy(true);
    AwsRegion.resolveLocally(options); // before any file system is registered
  }

  /**
   * Runs the study into {@code layout} (its output folder, and its shared data location when
   * it has one), pulling as {@code mode} says.
   */
  public static Accounted run(Study study, StudyKey key, RunLayout layout,
      PipelineOptions options, LocalDate today, PullMode mode) throws IOException {
    Instant start = Instant.now();
    layout = new RunLayout(layout.output().toAbsolutePath().normalize(), layout.runId(),
        layout.shared());
    if (layout.isShared()) {
      FileSystems.setDefaultPipelineOptions(options); // the launcher writes there too
      SharedOutput.check(study, layout.shared());
    }
    layout.create();
    PullPlan plan = PullPlan.of(study, layout, mode);
    Pipeline pipeline = Pipeline.create(options);
    StudyPipeline.build(pipeline, study, key, layout, today, plan);
    Phases.mark("graph_built");
    return execute(pipeline, study, layout, start, plan,
        ProgressReporter.Display.forThisProcess());
  }

  /**
   * Runs a pipeline built by {@link StudyPipeline#build} and accounts for every record.
   * Progress goes to the terminal, or to the log when there is none.
   */
  public static Accounted execute(Pipeline pipeline, Study study, RunLayout layout,
      Instant start) throws IOException {
    return execute(pipeline, study, layout, start, ProgressReporter.Display.forThisProcess());
  }

  /** As above, showing progress on {@code display}. */
  public static Accounted execute(Pipeline pipeline, Study study, RunLayout layout,
      Instant start, ProgressReporter.Display display) throws IOException {
    return execute(pipeline, study, layout, start, null, display);
  }

  /** As above, showing progress on a display, with the pull's plan (null = none). */
  static Accounted execute(Pipeline pipeline, Study study, RunLayout layout, Instant start,
      PullPlan plan, ProgressReporter.Display progress) throws IOException {
    String runId = layout.runId();
    String dataRunId = plan == null ? runId : plan.dataRunId();
    LOG.info("run {}: starting study {} with {} clinic(s)", runId, study.id(),
        study.clinics().size());
    List<String> clinics = study.clinics().stream().map(Study.Clinic::id).toList();
    SmallCells cells = new SmallCells(study.deid().smallCellMax());
    PullProgress pulled = plan == null ? null : plan.extract().progress();
    if (pulled != null) {
      pulled.watchHere();
    }
    AtomicReference<PipelineResult> running = new AtomicReference<>();
    RunSummary summary;
    List<String> brokenRules;
    try (ProgressReporter reporter = ProgressReporter.start(
        () -> ProgressReporter.live(pulled, running.get()), start, clinics, cells,
        progress)) {
      PipelineResult result = pipeline.run(); // returns when done on Flink, at once elsewhere
      running.set(result);
      result.waitUntilFinish();
      Phases.mark("pipeline_done");
      summary = RunSummary.from(LedgerFile.read(layout.data().ledger()), dataRunId, clinics,
          cells);
      // Whether a view's values broke a rule, not a count: a retried bundle cannot change it.
      brokenRules = RunViews.brokenRules(result.metrics());
      reporter.finish(summary, result.metrics());
    } catch (IOException | RuntimeException e) {
      removeLeftovers(layout, null);
      throw e;
    } finally {
      if (pulled != null) {
        pulled.forget();
      }
    }
    BulkExport.deleteJobs(study, summary.exportJobs(), start);
    removeLeftovers(layout, summary.files());
    return new Accounted(layout, summary, brokenRules, start, plan);
  }

  /**
   * Removes the files no counted bundle wrote (see {@link Leftovers}): before anything is
   * published, from a failed run, and from a killed run when the next run finds its lock.
   *
   * @param counted the files the run's ledger lists; null: none known (only files still being
   *     written go)
   */
  public static void removeLeftovers(RunLayout layout, Map<String, Long> counted)
      throws IOException {
    int removed = Leftovers.remove(layout.data(), counted);
    if (removed > 0) {
      LOG.info("run {}: removed {} file(s) left by attempts that did not count (partial or "
          + "retried work)", layout.runId(), removed);
    }
  }
}
