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
 * </pre>
 */
public record RunLayout(Path output, String runId) {

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

  /** Creates the folders; the restricted zone owner-only. */
  public void create() throws IOException {
    Files.createDirectories(output);
    if (!Files.isDirectory(restricted())) {
      Files.createDirectories(restricted(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.setPosixFilePermissions(restricted(), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(landing());
    Files.createDirectories(quarantine());
    Files.createDirectories(researchStaging());
  }

  /** Points {@code research} at this run's tables, atomically. */
  public void publish() throws IOException {
    Path link = research();
    if (Files.exists(link) && !Files.isSymbolicLink(link)) {
      throw new IOException(link + " exists and is not a link made by Longitude; move it away");
    }
    Path tmp = output.resolve(".research-" + runId);
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, output.relativize(researchStaging()));
    Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
