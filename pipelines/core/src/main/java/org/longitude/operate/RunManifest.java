package org.longitude.operate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What one run was and produced: {@code <output>/runs/<run>/manifest.json}. Written when the
 * run starts (status RUNNING) and again when it ends, each time by an atomic rename, so a
 * reader sees the old or the new manifest, never half of one.
 *
 * @param configSha256 SHA-256 over the study YAML and every file it names (see
 *     {@link Fingerprints#configSha256})
 * @param codeVersion Longitude's version and, when run from the jar, the jar's SHA-256 prefix
 * @param status RUNNING, SUCCESS, PARTIAL, FAILED, BAD_CONFIG or INTERRUPTED (killed; found
 *     by the next run through the stale lock)
 * @param published whether {@code research} was pointed at this run
 * @param clinics per-clinic status, counts and high-water mark; a count is null (written as
 *     {@code null}, shown as "suppressed") when it is a small cell or would give one back
 * @param counts every run_summary row: clinic, resource type, outcome, reason, records, as
 *     the research table has them (small cells withheld; exact counts stay in
 *     {@code restricted/summary/<run>/})
 * @param files every research output file with its row count and SHA-256
 * @param error the kind of failure (exception class only: messages may carry data)
 * @param research where the run's research tables are written: a local folder, or a URL on
 *     shared storage ({@code --shared-output}); absent in manifests of older versions
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunManifest(
    int formatVersion,
    String runId,
    String studyId,
    String studyConfig,
    String configSha256,
    String codeVersion,
    String host,
    long pid,
    String started,
    String ended,
    String status,
    Integer exitCode,
    boolean published,
    List<ClinicStatus> clinics,
    List<Count> counts,
    List<OutputFile> files,
    String error,
    String research) {

  public static final String FILE = "manifest.json";
  public static final String RUNNING = "RUNNING";
  public static final String INTERRUPTED = "INTERRUPTED";

  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One clinic in one run.
   *
   * @param source fhir-search or ndjson
   * @param pullsFrom the base URL or folder pulled
   * @param status ok or failed (pull incomplete)
   * @param read records read, summed over resource types; null when withheld (likewise
   *     written, filtered and quarantined)
   * @param highWaterMark the server's time of a complete pull (Bundle meta.lastUpdated or the
   *     export's transactionTime): the next incremental pull asks for changes after it
   *     ({@code _lastUpdated=ge...}); null when the pull failed or nothing was pulled from a
   *     server (NDJSON folders, re-runs from landing)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClinicStatus(String id, String source, String pullsFrom, String status,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long read,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long written,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long filtered,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long quarantined,
      String highWaterMark) {}

  /**
   * One run_summary row, as the research table has it.
   *
   * @param records null when withheld (suppressed), never 0 for a withheld count
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Count(String clinic, String resourceType, String outcome, String reason,
      @JsonInclude(JsonInclude.Include.ALWAYS) Long records, boolean suppressed) {}

  /**
   * One research file.
   *
   * @param path relative to the run's {@code research/} folder
   */
  public record OutputFile(String table, String path, String format, long rows, long bytes,
      String sha256) {}

  public static Path path(Path runDir) {
    return runDir.resolve(FILE);
  }

  public static RunManifest read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), RunManifest.class);
  }

  /** Writes to {@code runDir/manifest.json} through a temporary file and an atomic rename. */
  public void write(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Path tmp = runDir.resolve(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), this);
    Files.move(tmp, path(runDir), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  public RunManifest withStatus(String newStatus, String newEnded) {
    return new RunManifest(formatVersion, runId, studyId, studyConfig, configSha256, codeVersion,
        host, pid, started, newEnded, newStatus, exitCode, published, clinics, counts, files,
        error, research);
  }

  /** Total rows of a table across its Parquet files. */
  public long parquetRows(String table) {
    return files == null ? 0 : files.stream()
        .filter(f -> f.table().equals(table) && f.format().equals("parquet"))
        .mapToLong(OutputFile::rows).sum();
  }
}
