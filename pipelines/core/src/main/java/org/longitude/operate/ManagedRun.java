package org.longitude.operate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.longitude.common.ChannelInputFile;
import org.longitude.common.Outcome;
import org.longitude.common.Sha256;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.DataLocation;
import org.longitude.pipeline.PipelineRun;
import org.longitude.pipeline.PullMode;
import org.longitude.pipeline.RunLayout;
import org.longitude.pipeline.RunSummary;
import org.longitude.pipeline.SharedResearch;
import org.longitude.release.SummaryTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A study run as operated: under the output's {@link RunLock}, with a {@link RunManifest}
 * written when it starts and when it ends, and older runs pruned afterwards.
 */
public final class ManagedRun {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedRun.class);
  public static final int DEFAULT_KEEP_RUNS = 10;

  private final Study study;
  private final Location config;
  private final StudyKey key;
  private final Path output;
  private final int keepRuns;
  private final Consumer<String> notices;
  /** The shared data location's URL ({@code --shared-output}); null: all in {@code output}. */
  private final String shared;

  private ManagedRun(Study study, Location config, StudyKey key, Path output, int keepRuns,
      Consumer<String> notices, String shared) {
    this.study = study;
    this.config = config;
    this.key = key;
    this.output = output.toAbsolutePath().normalize();
    this.keepRuns = keepRuns;
    this.notices = notices;
    this.shared = shared;
  }

  /**
   * @param config the study YAML (for the config hash)
   * @param notices where operator messages go (stale lock cleared, runs pruned)
   */
  public static ManagedRun of(Study study, Location config, StudyKey key, Path output,
      int keepRuns, Consumer<String> notices) {
    if (keepRuns < 1) {
      throw new IllegalArgumentException("--keep-runs must be at least 1 (got " + keepRuns + ")");
    }
    return new ManagedRun(study, config, key, output, keepRuns, notices, null);
  }

  /**
   * The workers' data (research tables, landing, quarantine) go to this URL instead of the
   * output folder, which keeps the lock, manifests, state, summaries and report; null: none.
   */
  public ManagedRun withSharedOutput(String url) {
    return new ManagedRun(study, config, key, output, keepRuns, notices, url);
  }

  /** Runs once; throws {@link RunLock.HeldException} when another run holds the output. */
  public StudyRun.Result run(PipelineOptions options, LocalDate today) throws IOException {
    return run(options, today, PullMode.incremental());
  }

  /** Runs once, pulling as {@code mode} says (incremental, {@code --full}, from a landing). */
  public StudyRun.Result run(PipelineOptions options, LocalDate today, PullMode mode)
      throws IOException {
    String runId = uniqueRunId();
    try (RunLock lock = RunLock.acquire(output, runId, this::clearStale)) {
      Instant start = Instant.now();
      RunManifest started = new RunManifest(1, runId, study.id(), study.source(),
          Fingerprints.configSha256(config), Fingerprints.codeVersion(), RunLock.hostName(),
          ProcessHandle.current().pid(), start.toString(), null, RunManifest.RUNNING, null,
          false, null, null, null, null, layout(runId).data().research());
      Path runDir = output.resolve("runs").resolve(runId);
      started.write(runDir);
      StudyRun.Result result;
      try {
        result = StudyRun.run(study, key, layout(runId), options, today, mode);
      } catch (IOException | RuntimeException e) {
        finished(started, StudyRun.Status.FAILED, false, null, runDir, e.getClass().getName())
            .write(runDir);
        throw e;
      }
      finished(started, result.status(), result.published(), result.summary(), runDir, null)
          .write(runDir);
      List<String> pruned = new RunHistory(output).prune(keepRuns, runId);
      if (!pruned.isEmpty()) {
        notices.accept("pruned " + pruned.size() + " old run(s), keeping the last " + keepRuns
            + ": " + String.join(", ", pruned));
      }
      return result;
    }
  }

  private String uniqueRunId() {
    String id = StudyRun.newRunId();
    for (int n = 2; Files.exists(output.resolve("runs").resolve(id)); n++) {
      id = StudyRun.newRunId() + "-" + n;
    }
    return id;
  }

  /**
   * A killed run's lock: the run is marked interrupted and the files its workers were still
   * writing are removed (partial, and in the restricted zone PHI); it was never published.
   */
  private void clearStale(RunLock.Holder holder) {
    notices.accept("cleared a stale lock: " + holder.describe() + " is no longer running");
    Path manifest = RunManifest.path(output.resolve("runs").resolve(holder.runId()));
    try {
      if (Files.isRegularFile(manifest)) {
        RunManifest m = RunManifest.read(manifest);
        if (RunManifest.RUNNING.equals(m.status())) {
          m.withStatus(RunManifest.INTERRUPTED, null).write(manifest.getParent());
          PipelineRun.removeLeftovers(layout(holder.runId()), null);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not mark run {} interrupted: {}", holder.runId(), e.getMessage());
    }
  }

  private RunLayout layout(String runId) {
    return new RunLayout(output, runId, shared);
  }

  /**
   * The manifest of a finished run. It lies outside the restricted zone, so its counts are
   * the research zone's: small cells withheld (null), as in the {@code run_summary} table.
   */
  private RunManifest finished(RunManifest started, StudyRun.Status status, boolean published,
      RunSummary summary, Path runDir, String error) throws IOException {
    SummaryTables shown = summary == null ? null : summary.research();
    List<RunManifest.ClinicStatus> clinics = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      boolean failed = summary == null || summary.failedClinics().contains(c.id());
      clinics.add(new RunManifest.ClinicStatus(c.id(),
          c.source().kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          pullsFrom(c), failed ? "failed" : "ok",
          total(shown, c.id(), Outcome.READ), total(shown, c.id(), Outcome.WRITTEN),
          total(shown, c.id(), Outcome.FILTERED), total(shown, c.id(), Outcome.QUARANTINED),
          failed || summary.highWaterMarks().get(c.id()) == null ? null
              : summary.highWaterMarks().get(c.id()).toString()));
    }
    List<RunManifest.Count> counts = new ArrayList<>();
    if (shown != null) {
      for (GenericRecord r : shown.runSummaryRows()) {
        counts.add(new RunManifest.Count(str(r, "clinic"), str(r, "resource_type"),
            str(r, "outcome"), str(r, "reason"), (Long) r.get("records"),
            (Boolean) r.get("suppressed")));
      }
    }
    return new RunManifest(started.formatVersion(), started.runId(), started.studyId(),
        started.studyConfig(), started.configSha256(), started.codeVersion(), started.host(),
        started.pid(), started.started(), Instant.now().toString(), status.name(),
        status.exitCode, published, clinics, counts,
        outputFiles(layout(started.runId()).data()), error, started.research());
  }

  static String pullsFrom(Study.Clinic c) {
    return c.source().baseUrl() != null ? c.source().baseUrl() : c.source().directory();
  }

  /** A clinic's total; null when withheld, and 0 when the run produced no summary. */
  private static Long total(SummaryTables shown, String clinic, Outcome outcome) {
    return shown == null ? Long.valueOf(0) : shown.total(clinic, null, outcome);
  }

  private static String str(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  /**
   * Every Parquet and Avro file of a run's research tables (local or on shared storage),
   * sorted, with rows and SHA-256.
   */
  public static List<RunManifest.OutputFile> outputFiles(DataLocation data) throws IOException {
    List<RunManifest.OutputFile> files = new ArrayList<>();
    for (MatchResult.Metadata m : SharedResearch.tableFiles(data)) {
      String rel = SharedResearch.relative(data, m);
      String format = rel.endsWith(".parquet") ? "parquet" : "avro";
      String sha256;
      try (InputStream in = Channels.newInputStream(FileSystems.open(m.resourceId()))) {
        sha256 = Sha256.of(in);
      }
      files.add(new RunManifest.OutputFile(rel.substring(0, rel.lastIndexOf('/')), rel, format,
          format.equals("parquet") ? parquetRows(m.resourceId()) : avroRows(m.resourceId()),
          m.sizeBytes(), sha256));
    }
    return files;
  }

  static long parquetRows(ResourceId file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new ChannelInputFile(file))) {
      return reader.getRecordCount();
    }
  }

  static long avroRows(ResourceId file) throws IOException {
    try (DataFileStream<GenericRecord> in = new DataFileStream<>(
        Channels.newInputStream(FileSystems.open(file)), new GenericDatumReader<>())) {
      long n = 0;
      while (in.hasNext()) {
        in.next();
        n++;
      }
      return n;
    }
  }
}
