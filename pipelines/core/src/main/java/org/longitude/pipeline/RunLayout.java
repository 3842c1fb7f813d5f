package org.longitude.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a run writes. Research tables go to {@code runs/<run>/research/} and are published
 * by atomically repointing the {@code research} link, so readers always see a whole run.
 * PHI goes only under {@code restricted/}, which is owner-only.
 *
 * <pre>
 * &lt;output&gt;/research            -&gt; runs/&lt;run&gt;/research (symbolic link)
 * &lt;output&gt;/runs/&lt;run&gt;/research/&lt;table&gt;/*.parquet|*.avro
 * &lt;output&gt;/runs/&lt;run&gt;/summary.txt
 * &lt;output&gt;/restricted/landing/&lt;run&gt;/&lt;clinic&gt;/&lt;Type&gt;-*.ndjson
 * &lt;output&gt;/restricted/quarantine/&lt;run&gt;/&lt;clinic&gt;-*.ndjson
 * &lt;output&gt;/restricted/summary/&lt;run&gt;/summary.txt|run_summary/|quarantine/ (exact)
 * </pre>
 *
 * <p>With a shared data location ({@code --shared-output s3://...}), what the workers write —
 * research tables, landing, quarantine — goes there instead, in the same sub-layout (see
 * {@link DataLocation}), and publishing writes {@code research/LATEST} there; the output
 * folder stays the launcher's home (lock, run manifests, state, summaries, report).
 *
 * @param shared the shared data location's URL; null: everything in {@code output}
 */
public record RunLayout(Path output, String runId, String shared) {

  /** Everything in the local output folder. */
  public RunLayout(Path output, String runId) {
    this(output, runId, null);
  }

  /** Where this run's data are written: the output folder, or the shared location. */
  public DataLocation data() {
    return new DataLocation(shared != null ? shared : output.toString(), runId);
  }

  /** Whether the data go to a shared location rather than the output folder. */
  public boolean isShared() {
    return shared != null;
  }

  public Path research() {
    return output.resolve("research");
  }

  public Path runDir() {
    return output.resolve("runs").resolve(runId);
  }

  public Path researchStaging() {
    return runDir().resolve("research");
  }

  public Path restricted() {
    return output.resolve("restricted");
  }

  public Path landing() {
    return restricted().resolve("landing").resolve(runId);
  }

  public Path quarantine() {
    return restricted().resolve("quarantine").resolve(runId);
  }

  /** The run's exact accounting (small cells included) for the data steward. */
  public Path restrictedSummary() {
    return restricted().resolve("summary").resolve(runId);
  }

  /**
   * Creates the folders; the restricted zone owner-only. A shared location needs none: object
   * stores have no folders, and its access is the bucket's (or HDFS's) policy.
   */
  public void create() throws IOException {
    Files.createDirectories(output);
    if (!Files.isDirectory(restricted())) {
      Files.createDirectories(restricted(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(restricted(), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(runDir());
    if (!isShared()) {
      Files.createDirectories(landing());
      Files.createDirectories(quarantine());
      Files.createDirectories(researchStaging());
    }
    // Anyone who can write here could repoint the research link or swap a run's files.
    notWorldWritable(output);
    notWorldWritable(runDir().getParent());
  }

  private static void notWorldWritable(Path dir) throws IOException {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms =
        Files.getPosixFilePermissions(dir);
    if (perms.remove(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
      Files.setPosixFilePermissions(dir, perms);
    }
  }

  /**
   * Makes a tree of research outputs readable by the study group and by no one else, and
   * writable by no one but the owner, whatever the process umask: the tables are
   * de-identified but may be a limited data set (shifted dates keep month and day), so they
   * are shared with the group that signed for them, never with every user of the machine.
   * Directories become {@code rwxr-x---}, files {@code rw-r-----}. Symbolic links are left
   * alone.
   */
  public static void shareWithGroup(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (java.util.stream.Stream<Path> tree = Files.walk(root)) {
      for (Path p : (Iterable<Path>) tree::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
            Files.isDirectory(p) ? "rwxr-x---" : "rw-r-----"));
      }
    }
  }

  /**
   * Points {@code research} at this run's tables, atomically. On shared storage, writes
   * {@code research/LATEST} there instead (see {@link SharedResearch#publish}), and removes a
   * local {@code research} link left by earlier local runs, which would name an older run.
   */
  public void publish() throws IOException {
    Path link = research();
    if (Files.exists(link) && !Files.isSymbolicLink(link)) {
      throw new IOException(link + " exists and is not a link made by Longitude; move it away");
    }
    if (isShared()) {
      SharedResearch.publish(data());
      Files.deleteIfExists(link);
      return;
    }
    Path tmp = output.resolve(".research-" + runId);
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, output.relativize(researchStaging()));
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
