package org.longitude.operate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.longitude.common.BeamFiles;
import org.longitude.common.Phases;
import org.longitude.common.Schemas;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.pipeline.PipelineRun;
import org.longitude.pipeline.PullMode;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.RunSummary;
import org.longitude.pipeline.SharedResearch;
import org.longitude.pipeline.StudyPipeline;
import org.longitude.pipeline.TableFiles;
import org.longitude.release.SummaryTables;
import org.longitude.report.Report;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a study end to end: the pipeline and its accounting ({@link PipelineRun}), then the
 * summaries, the identity check, publishing and the report.
 */
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
    Report.prepareAhead(); // while the job runs
    return publish(study, PipelineRun.run(study, key, layout, options, today, mode));
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
   * writes the run summary and publishes the research tables.
   */
  public static Result execute(Pipeline pipeline, Study study, RunLayout layout, Instant start)
      throws IOException {
    return publish(study, PipelineRun.execute(pipeline, study, layout, start));
  }

  /**
   * Writes the summaries, then publishes the research tables and the report if every record
   * is accounted for and no study view broke its release rules.
   */
  public static Result publish(Study study, PipelineRun.Accounted run) throws IOException {
    RunLayout layout = run.layout();
    RunSummary summary = run.summary();
    String runId = layout.runId();
    writeSummaries(layout, summary);
    Phases.mark("accounted");

    Status status;
    if (!summary.imbalances().isEmpty()) {
      LOG.error("run {}: records unaccounted for, not publishing: {} (counts in {})", runId,
          summary.imbalances(), layout.restrictedSummary().resolve(SUMMARY_TXT));
      status = Status.FAILED;
    } else if (!run.brokenRules().isEmpty()) {
      // A study view's values broke their release rules: fix the view or its rules.
      LOG.error("run {}: study view values broke their release rules, not publishing: {}",
          runId, run.brokenRules());
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
      run.published();
    }
    return new Result(status, layout, summary, Duration.between(run.start(), Instant.now()));
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
