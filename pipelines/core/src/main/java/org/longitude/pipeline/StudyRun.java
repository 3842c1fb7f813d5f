package org.longitude.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.longitude.common.BeamFiles;
import org.longitude.common.Phases;
import org.longitude.common.Schemas;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.deid.SmallCells;
import org.longitude.extract.BulkExport;
import org.longitude.extract.PullProgress;
import org.longitude.report.Report;
import org.longitude.views.RunViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a study end to end: lays out the output, runs the pipeline, accounts, publishes. */
public final class StudyRun {
  private static final Logger LOG = LoggerFactory.getLogger(StudyRun.class);
  static final String SUMMARY_TXT = "summary.txt";
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** How a run ended; the process exit code follows it (see README, "Exit codes"). */
  public enum Status {
    SUCCESS(0),
    FAILED(1),
    PARTIAL(2),
    BAD_CONFIG(3);

    public final int exitCode;

    Status(int exitCode) {
      this.exitCode = exitCode;
    }

    /** Whether a run that ended so was published: {@link #execute} publishes when it balances. */
    public boolean published() {
      return this == SUCCESS || this == PARTIAL;
    }
  }

  /** What a run produced. */
  public record Result(Status status, RunLayout layout, RunSummary summary, Duration elapsed) {
    /** Whether the run was published: {@link #execute} publishes exactly when it balances. */
    public boolean published() {
      return status.published();
    }
  }

  private StudyRun() {}

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

  public static String newRunId() {
    return RUN_ID.format(Instant.now());
  }

  public static Result run(Study study, StudyKey key, Path output, PipelineOptions options,
      String runId, LocalDate today) throws IOException {
    return run(study, key, output, options, runId, today, PullMode.incremental());
  }

  /**
   * Runs the study, pulling as {@code mode} says: by default incremental for clinics with a
   * high-water mark in {@code restricted/state.json}, full for the others.
   */
  public static Result run(Study study, StudyKey key, Path output, PipelineOptions options,
      String runId, LocalDate today, PullMode mode) throws IOException {
    return run(study, key, new RunLayout(output, runId), options, today, mode);
  }

  /**
   * Runs the study into {@code layout}: its output folder, and its shared data location when it
   * has one (see {@link RunLayout}).
   */
  public static Result run(Study study, StudyKey key, RunLayout layout, PipelineOptions options,
      LocalDate today, PullMode mode) throws IOException {
    checkOutput(study, layout.output());
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
   * Refuses an output folder that overlaps a clinic's NDJSON input folder (one inside the
   * other, or the same): a run would then write PHI landing copies among the clinic's export,
   * or read a previous run's files as input. Call before any work.
   *
   * @throws ConfigException naming the study file, the clinic's source key and the fix
   */
  public static void checkOutput(Study study, Path output) {
    Path out = canonical(output);
    for (int i = 0; i < study.clinics().size(); i++) {
      Study.Clinic clinic = study.clinics().get(i);
      if (clinic.source().kind() != Source.Kind.NDJSON
          || BeamFiles.isUrl(clinic.source().directory())) {
        continue; // a URL is checked against --shared-output (SharedOutput), not a folder
      }
      Path in = canonical(Path.of(clinic.source().directory()));
      if (out.startsWith(in) || in.startsWith(out)) {
        throw new ConfigException(study.source() + ": clinics[" + i + "].source.directory ("
            + in + ", clinic '" + clinic.id() + "') and the output folder " + out
            + (out.equals(in) ? " are the same folder" : out.startsWith(in)
                ? " lies inside it" : " contains it")
            + "; choose an --output outside the clinic's NDJSON folder, e.g. a sibling folder");
      }
    }
  }

  /** Absolute, normalized, with symbolic links resolved as far as the path exists. */
  private static Path canonical(Path path) {
    Path p = path.toAbsolutePath().normalize();
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(p)).normalize();
    } catch (IOException e) {
      return p;
    }
  }

  /**
   * Runs a pipeline built by {@link StudyPipeline#build}, then accounts for every record,
   * writes the run summary and publishes the research tables. Progress goes to the terminal,
   * or to the log when there is none.
   */
  public static Result execute(Pipeline pipeline, Study study, RunLayout layout, Instant start)
      throws IOException {
    return execute(pipeline, study, layout, start, null,
        ProgressReporter.Display.forThisProcess());
  }

  /**
   * As {@link #execute(Pipeline, Study, RunLayout, Instant)}, showing progress on a display; a
   * published run then advances the high-water marks of {@code plan} (null = none).
   */
  public static Result execute(Pipeline pipeline, Study study, RunLayout layout, Instant start,
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
    writeSummaries(layout, summary);
    Phases.mark("accounted");

    Status status;
    if (!summary.imbalances().isEmpty()) {
      LOG.error("run {}: records unaccounted for, not publishing: {} (counts in {})", runId,
          summary.imbalances(), layout.restrictedSummary().resolve(SUMMARY_TXT));
      status = Status.FAILED;
    } else if (!brokenRules.isEmpty()) {
      // A study view's values broke their release rules: fix the view or its rules.
      LOG.error("run {}: study view values broke their release rules, not publishing: {}",
          runId, brokenRules);
      status = Status.BAD_CONFIG;
    } else {
      RunLayout.shareWithGroup(layout.researchStaging()); // before readers can see it
      layout.publish();
      Phases.mark("published");
      writeReport(layout, study);
      Phases.mark("report_written");
      RunLayout.shareWithGroup(layout.runDir());
      RunLayout.shareWithGroup(layout.output().resolve("report"));
      status = summary.failedClinics().isEmpty() ? Status.SUCCESS : Status.PARTIAL;
      if (plan != null) {
        plan.published(layout, summary);
      }
    }
    return new Result(status, layout, summary, Duration.between(start, Instant.now()));
  }

  /**
   * The report of a published run: {@code runs/<run>/report/index.html} and
   * {@code <output>/report/index.html}.
   */
  public static Path writeReport(RunLayout layout, Study study) throws IOException {
    // DuckDB reads local files: tables on shared storage are copied to a temporary folder.
    try (SharedResearch.LocalCopy research = SharedResearch.localCopy(layout.data())) {
      return Report.write(research.dir(), study, layout.runId(),
          layout.runDir().resolve("report").resolve("index.html"),
          layout.output().resolve("report").resolve("index.html"));
    }
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

  /**
   * The accounting twice: exact for the data steward (restricted zone), small cells withheld
   * for the research zone and the run folder. Both before the identity check, so a failed
   * run can be investigated.
   */
  private static void writeSummaries(RunLayout layout, RunSummary summary) throws IOException {
    SummaryTables exact = summary.restricted();
    Path restricted = Files.createDirectories(layout.restrictedSummary());
    TableFiles.write(restricted.toString(), Schemas.RUN_SUMMARY, exact.runSummaryRows());
    TableFiles.write(restricted.toString(), Schemas.QUARANTINE, exact.quarantineRows());
    Files.writeString(restricted.resolve(SUMMARY_TXT), exact.render());

    SummaryTables research = summary.research();
    String tables = layout.data().research(); // beside the workers' tables, local or shared
    TableFiles.write(tables, Schemas.RUN_SUMMARY, research.runSummaryRows());
    TableFiles.write(tables, Schemas.QUARANTINE, research.quarantineRows());
    Files.writeString(layout.runDir().resolve(SUMMARY_TXT), research.render());
  }
}
