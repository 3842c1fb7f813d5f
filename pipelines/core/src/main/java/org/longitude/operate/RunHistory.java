package org.longitude.operate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.longitude.common.BeamFiles;

/**
 * The runs of one output folder, oldest first (run ids sort by time), read from their
 * manifests; and pruning to the last N.
 */
public final class RunHistory {
  private final Path output;

  public RunHistory(Path output) {
    this.output = output.toAbsolutePath().normalize();
  }

  public Path runsDir() {
    return output.resolve("runs");
  }

  /** Run folders, oldest first. */
  public List<Path> runDirs() throws IOException {
    if (!Files.isDirectory(runsDir())) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runsDir())) {
      return dirs.filter(Files::isDirectory)
          .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    }
  }

  /** Manifests of the runs that have one, oldest first. */
  public List<RunManifest> manifests() throws IOException {
    List<RunManifest> all = new ArrayList<>();
    for (Path dir : runDirs()) {
      Path file = RunManifest.path(dir);
      if (Files.isRegularFile(file)) {
        all.add(RunManifest.read(file));
      }
    }
    return all;
  }

  public Optional<RunManifest> last() throws IOException {
    List<RunManifest> all = manifests();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * The run {@code research} points at, if any; without that link (runs whose research tables
   * are on shared storage, published by {@code research/LATEST} there), the last run whose
   * manifest says it was published.
   */
  public Optional<String> publishedRunId() throws IOException {
    Path link = output.resolve("research");
    if (!Files.isSymbolicLink(link)) {
      List<RunManifest> all = manifests();
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).published()) {
          return Optional.of(all.get(i).runId());
        }
      }
      return Optional.empty();
    }
    // research -> runs/<run>/research
    Path target = Files.readSymbolicLink(link);
    Path run = target.getParent();
    return run == null ? Optional.empty() : Optional.of(run.getFileName().toString());
  }

  /**
   * Deletes all but the newest {@code keep} run folders, never the published one nor
   * {@code current}, with their research tables on shared storage. Returns the run ids
   * removed. The restricted zone is not touched: how
   * long raw landings are kept is the data steward's decision, and incremental runs still
   * read the landings that {@code restricted/state.json} names.
   */
  public List<String> prune(int keep, String current) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one run (got " + keep + ")");
    }
    String published = publishedRunId().orElse(null);
    List<Path> dirs = runDirs();
    List<String> removed = new ArrayList<>();
    for (int i = 0; i < dirs.size() - keep; i++) {
      String id = dirs.get(i).getFileName().toString();
      if (id.equals(published) || id.equals(current)) {
        continue;
      }
      deleteSharedResearch(dirs.get(i));
      PathUtils.deleteDirectory(dirs.get(i));
      removed.add(id);
    }
    return removed;
  }

  /** A run's research tables on shared storage, named in its manifest, go with its folder. */
  private static void deleteSharedResearch(Path runDir) throws IOException {
    Path file = RunManifest.path(runDir);
    if (!Files.isRegularFile(file)) {
      return;
    }
    String research = RunManifest.read(file).research();
    if (research != null && BeamFiles.isUrl(research)) {
      BeamFiles.deleteTree(research);
    }
  }
}
