package org.longitude.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.longitude.common.BeamFiles;
import org.longitude.config.ConfigException;
import org.longitude.config.Study;
import org.longitude.extract.Extract;
import org.longitude.extract.PullState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one run pulls and merges, from the {@link PullState} and the {@link PullMode}: a full
 * pull; an incremental pull per clinic with a high-water mark, merged with the clinic's
 * earlier landings; or a re-run from one run's landing. After a published run, it advances
 * the state.
 */
final class PullPlan {
  private static final Logger LOG = LoggerFactory.getLogger(PullPlan.class);
  /** In {@code landing/<run>/}: per clinic, the earlier runs whose landings it merged. */
  static final String MERGED = "merged-landings.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Extract extract;
  private final String dataRunId;
  private final Set<String> incremental;
  private final PullState state;
  private final Map<String, String> baseUrls = new TreeMap<>();

  private PullPlan(Extract extract, String dataRunId, Set<String> incremental,
      PullState state, Study study) {
    for (Study.Clinic c : study.clinics()) {
      if (c.source().baseUrl() != null) {
        baseUrls.put(c.id(), c.source().baseUrl());
      }
    }
    this.extract = extract;
    this.dataRunId = dataRunId;
    this.incremental = incremental;
    this.state = state;
  }

  /** A full pull of every clinic, landed in this run's landing folder. */
  static PullPlan full(Study study, RunLayout layout) {
    return new PullPlan(Extract.from(study).withLanding(layout.data().landing())
        .withProgressFiles(layout.data().progress()),
        layout.runId(), Set.of(), PullState.empty(), study);
  }

  /**
   * Reads the state and plans the run.
   *
   * @throws ConfigException for {@code --from-landing} of a run that landed nothing here
   */
  static PullPlan of(Study study, RunLayout layout, PullMode mode) throws IOException {
    String landingRoot = layout.data().landings();
    if (mode.fromLanding() != null) {
      return fromLanding(study, layout, landingRoot, mode.fromLanding());
    }
    PullState state = PullState.read(layout.restricted());
    if (mode.fullPull()) {
      return new PullPlan(full(study, layout).extract, layout.runId(), Set.of(), state, study);
    }
    Map<String, String> since = new TreeMap<>();
    Map<String, List<String>> folders = new TreeMap<>();
    Map<String, List<String>> mergedRuns = new TreeMap<>();
    for (Study.Clinic clinic : study.clinics()) {
      PullState.ClinicState c = state.clinics().get(clinic.id());
      if (c == null) {
        continue;
      }
      if (!java.util.Objects.equals(c.pulledFrom(), clinic.source().baseUrl())) {
        // A mark is the time on one server: a moved clinic (or a restarted demo) starts over.
        LOG.warn("clinic '{}': its base URL changed since the last pull; pulling in full",
            clinic.id());
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (String run : c.landings()) {
        if (!BeamFiles.folderExists(landingRoot + "/" + run)) {
          missing.add(run);
        }
      }
      if (!missing.isEmpty()) {
        // Without the earlier data an incremental pull would lose it: pull in full instead.
        LOG.warn("clinic '{}': landing folder(s) {} named in {} are gone; pulling in full",
            clinic.id(), missing, PullState.FILE);
        continue;
      }
      since.put(clinic.id(), c.highWaterMark());
      folders.put(clinic.id(), clinicFolders(landingRoot, c.landings(), clinic.id()));
      mergedRuns.put(clinic.id(), c.landings());
    }
    Extract extract = Extract.from(study).withLanding(layout.data().landing())
        .withProgressFiles(layout.data().progress()).incremental(since, folders);
    if (!mergedRuns.isEmpty()) {
      BeamFiles.write(layout.data().landing(), MERGED, JSON.writeValueAsString(mergedRuns));
    }
    return new PullPlan(extract, layout.runId(), since.keySet(), state, study);
  }

  private static PullPlan fromLanding(Study study, RunLayout layout, String landingRoot,
      String runId) throws IOException {
    String landing = landingRoot + "/" + runId;
    if (runId.contains("/") || runId.contains("..") || !BeamFiles.folderExists(landing)) {
      throw new ConfigException("--from-landing " + runId + ": no landing of that run under "
          + landingRoot + "; 'longitude runs' lists the runs");
    }
    Map<String, List<String>> merged = Map.of();
    if (!BeamFiles.list(BeamFiles.child(landing, MERGED)).isEmpty()) {
      merged = JSON.readValue(BeamFiles.read(BeamFiles.child(landing, MERGED)),
          new TypeReference<>() {});
    }
    Map<String, List<String>> folders = new TreeMap<>();
    for (Study.Clinic clinic : study.clinics()) {
      List<String> runs = new ArrayList<>(merged.getOrDefault(clinic.id(), List.of()));
      runs.add(runId);
      folders.put(clinic.id(), clinicFolders(landingRoot, runs, clinic.id()));
    }
    // The rows carry the landing run's id: the data are that run's pull, re-processed.
    return new PullPlan(Extract.fromLanding(study, folders)
        .withProgressFiles(layout.data().progress()), runId, Set.of(), null, study);
  }

  /** The clinic's folders in those runs' landings that exist (a run may land nothing). */
  private static List<String> clinicFolders(String landingRoot, List<String> runs,
      String clinic) throws IOException {
    List<String> folders = new ArrayList<>();
    for (String run : runs) {
      String folder = landingRoot + "/" + run + "/" + clinic;
      if (BeamFiles.folderExists(folder)) {
        folders.add(folder);
      }
    }
    return folders;
  }

  Extract extract() {
    return extract;
  }

  /** The run id the research rows carry: this run's, or the landing run's on a re-run. */
  String dataRunId() {
    return dataRunId;
  }

  /** Advances the high-water marks after a published run; a re-run from landing does not. */
  void published(RunLayout layout, RunSummary summary) throws IOException {
    if (state == null) {
      return;
    }
    state.after(layout.runId(), summary.highWaterMarks(), summary.failedClinics(), incremental,
        baseUrls).write(layout.restricted());
  }
}
