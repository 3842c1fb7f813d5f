package org.longitude.extract;

import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.longitude.common.BeamFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live pull counts per clinic, for the progress display only. Beam's metrics remain the record
 * of what was pulled for the logs, but a runner publishes them when a bundle ends, and a Flink
 * batch bundle is a whole task (its metrics reach the job's accumulators when the task
 * closes): they would only move at the end.
 *
 * <p>A pull in the launcher's own JVM (the DirectRunner, Flink's embedded cluster, Spark's
 * local mode) counts on a board there. A pull on a cluster's workers cannot reach it: each of
 * its tasks writes its counts to a small file of its own in the run's progress folder (on the
 * storage the workers share, beside the landing), every {@link #FILE_INTERVAL_NANOS} and when
 * it ends, and the launcher sums the files. A task's file is named after the task, so a retried
 * task rewrites its failed attempt's file: a retry is not counted twice. Counts and clinic ids
 * only; the folder is removed when the run ends.
 *
 * @param key the run's board
 * @param folder the run's progress folder; null: no files (only a pull in this JVM is shown)
 */
public record PullProgress(String key, String folder) implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(PullProgress.class);
  static final long FILE_INTERVAL_NANOS = 3_000_000_000L;
  private static final String SUFFIX = ".tsv";
  /** The boards the launcher in this JVM watches: a pull here counts on them. */
  private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
  /** Per run key, per clinic: resources, pages. */
  private static final ConcurrentMap<String, ConcurrentMap<String, LongAdder[]>> BOARDS =
      new ConcurrentHashMap<>();

  /** A new run's progress, written to {@code folder} by pulls outside the launcher's JVM. */
  public static PullProgress in(String folder) {
    return new PullProgress(UUID.randomUUID().toString(), folder);
  }

  /** The launcher shows this run: pulls in its JVM count on the board, not in files. */
  public void watchHere() {
    WATCHED.add(key);
  }

  /** Counts of one pull task; {@code identity} tells it from the run's other tasks. */
  Task task(String clinic, String resourceType, String identity) {
    if (WATCHED.contains(key)) {
      LongAdder[] n = BOARDS.computeIfAbsent(key, r -> new ConcurrentHashMap<>())
          .computeIfAbsent(clinic, c -> new LongAdder[] {new LongAdder(), new LongAdder()});
      return new Task() {
        @Override
        public void resource() {
          n[0].increment();
        }

        @Override
        public void page() {
          n[1].increment();
        }
      };
    }
    return folder == null ? new Task() { } : new FileTask(folder,
        LandingFile.digest(clinic + '\n' + resourceType + '\n' + identity) + SUFFIX, clinic);
  }

  /**
   * Per clinic {resources, pages} pulled so far, here and on workers that wrote their files;
   * empty if none (yet). A file that cannot be read now is skipped until the next look.
   */
  public Map<String, long[]> snapshot() {
    Map<String, long[]> counts = new TreeMap<>();
    BOARDS.getOrDefault(key, new ConcurrentHashMap<>()).forEach((clinic, n) ->
        add(counts, clinic, n[0].sum(), n[1].sum()));
    if (folder != null) {
      try {
        for (MatchResult.Metadata file : BeamFiles.list(BeamFiles.child(folder, "*" + SUFFIX))) {
          String[] f = BeamFiles.read(file.resourceId().toString()).strip().split("\t");
          add(counts, f[0], Long.parseLong(f[1]), Long.parseLong(f[2]));
        }
      } catch (IOException | RuntimeException e) { // a display: the next look reads them again
        LOG.debug("progress files not read: {}", e.getClass().getName());
      }
    }
    return new LinkedHashMap<>(counts);
  }

  /** Drops the finished run's board and progress files. */
  public void forget() {
    WATCHED.remove(key);
    BOARDS.remove(key);
    if (folder != null) {
      try {
        BeamFiles.deleteTree(folder);
      } catch (IOException e) {
        LOG.warn("progress folder not removed: {}", e.getMessage());
      }
    }
  }

  private static void add(Map<String, long[]> counts, String clinic, long resources,
      long pages) {
    long[] n = counts.computeIfAbsent(clinic, c -> new long[2]);
    n[0] += resources;
    n[1] += pages;
  }

  /** One pull task's counting; by default counts nowhere. */
  interface Task {
    default void resource() {}

    default void page() {}

    /** The task is over: what it counted is shown whole. */
    default void finish() {}
  }

  /** A task's counts in its own file, rewritten at most every few seconds and at its end. */
  private static final class FileTask implements Task {
    private final String folder;
    private final String name;
    private final String clinic;
    private long resources;
    private long pages;
    private long nextWriteNanos = System.nanoTime() + FILE_INTERVAL_NANOS;

    FileTask(String folder, String name, String clinic) {
      this.folder = folder;
      this.name = name;
      this.clinic = clinic;
    }

    @Override
    public void resource() {
      resources++;
      if ((resources & 1023) == 0 && System.nanoTime() >= nextWriteNanos) {
        write();
      }
    }

    @Override
    public void page() {
      pages++;
      if (System.nanoTime() >= nextWriteNanos) {
        write();
      }
    }

    @Override
    public void finish() {
      write();
    }

    private void write() {
      nextWriteNanos = System.nanoTime() + FILE_INTERVAL_NANOS;
      try {
        BeamFiles.write(folder, name, clinic + "\t" + resources + "\t" + pages + "\n");
      } catch (IOException e) { // the display may lag; the pull and its accounting do not
        LOG.debug("clinic '{}': progress file not written: {}", clinic, e.getMessage());
      }
    }
  }
}
