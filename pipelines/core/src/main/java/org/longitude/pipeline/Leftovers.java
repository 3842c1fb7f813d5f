package org.longitude.pipeline;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.longitude.common.BeamFiles;
import org.longitude.common.StagedFile;

/**
 * Files a run's workers left that are not part of the run: a file still being written when
 * its worker died ({@code .<name>.inprogress}, maybe holding PHI), a temporary file of Beam's
 * own file output, and a landing or quarantine file written by an attempt the runner
 * discarded (a retried bundle may be split otherwise, so it writes other files: the run's
 * ledger lists the files of the bundles that counted). Removed before a run is published,
 * and from a run that was killed, so no partial or uncounted file stays, whatever attempt
 * wrote it. Whole files of the counted bundles are kept.
 */
final class Leftovers {
  private Leftovers() {}

  /**
   * Removes what the run's counted bundles did not write: in the landing and quarantine
   * folders every NDJSON file that {@code counted} does not list, and everywhere in the run's
   * data every file being written or temporary; returns how many files were removed.
   *
   * @param counted the files the ledger lists (path or URL, with lines); null when the run has
   *     no ledger (it failed or was killed): then only files being written go
   */
  static int remove(DataLocation data, Map<String, Long> counted) throws IOException {
    List<ResourceId> doomed = new ArrayList<>();
    for (String folder : List.of(data.landing(), data.quarantine())) {
      for (MatchResult.Metadata m : BeamFiles.list(BeamFiles.child(folder, "**"))) {
        String name = m.resourceId().getFilename();
        if (isTemporary(m) || (counted != null && name.endsWith(".ndjson")
            && !counted.containsKey(m.resourceId().toString()))) {
          doomed.add(m.resourceId());
        }
      }
    }
    for (String folder : List.of(data.research(), data.ledger())) {
      for (MatchResult.Metadata m : BeamFiles.list(BeamFiles.child(folder, "**"))) {
        if (isTemporary(m)) {
          doomed.add(m.resourceId());
        }
      }
    }
    FileSystems.delete(doomed, StandardMoveOptions.IGNORE_MISSING_FILES);
    return doomed.size();
  }

  /** A file being written ({@link StagedFile}) or in a temporary folder of Beam's file output. */
  private static boolean isTemporary(MatchResult.Metadata m) {
    String path = m.resourceId().toString();
    return StagedFile.isStaging(m.resourceId().getFilename())
        || path.contains("/.temp-beam") || path.contains("/.temp-");
  }
}
