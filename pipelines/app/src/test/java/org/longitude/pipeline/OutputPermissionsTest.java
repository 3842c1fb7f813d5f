package org.longitude.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.demo.NdjsonExport;
import org.longitude.demo.SyntheticStudy;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/**
 * Who may read what a run writes: {@code restricted/} is owner-only; research tables, the
 * summary and the report are readable by the group, writable only by the owner, and closed to
 * everyone else, even when the folder existed with looser permissions.
 */
class OutputPermissionsTest {
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @Test
  void restrictedIsOwnerOnlyAndResearchIsForTheGroup(@TempDir Path dir) throws Exception {
    NdjsonExport.write(SyntheticStudy.generate(11, 4).clinic("north"), dir.resolve("data"));
    StudyFiles.copy("longitude/fhir-mappings/clinics/north.yaml", dir.resolve("north.yaml"));
    Study study = StudyLoader.load(Location.file(StudyFiles.oneClinicStudy(dir, "perm", "north",
        "north.yaml", "{kind: ndjson, directory: data}")));
    Path output = dir.resolve("out");
    // A run folder left world-writable (a loose umask, a hand-made folder) is tightened.
    Path staging = Files.createDirectories(output.resolve("runs/perm/research/stray"));
    Files.writeString(staging.resolve("note.txt"), "x");
    for (Path p : List.of(output, output.resolve("runs"), output.resolve("runs/perm"),
        output.resolve("runs/perm/research"), staging)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    Files.setPosixFilePermissions(staging.resolve("note.txt"),
        PosixFilePermissions.fromString("rw-rw-rw-"));

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    StudyRun.Result result = StudyRun.run(study,
        StudyKey.of("permissions-test-key-of-32-bytes-or-more".getBytes()), output, options,
        "perm", SyntheticStudy.REFERENCE_DATE);
    assertEquals(StudyRun.Status.SUCCESS, result.status());

    assertEquals("rwx------", perms(output.resolve("restricted")));
    assertEquals("rwxrwxr-x", perms(output), "the output folder is no longer world-writable");
    assertEquals("rwxrwxr-x", perms(output.resolve("runs")));
    List<Path> shared = tree(result.layout().runDir());
    shared.addAll(tree(output.resolve("report")));
    assertTrue(shared.stream().anyMatch(p -> p.toString().endsWith(".parquet")));
    assertTrue(shared.stream().anyMatch(p -> p.toString().endsWith("index.html")));
    for (Path p : shared) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      assertTrue(perms.contains(PosixFilePermission.GROUP_READ), p + " " + perms);
      assertFalse(perms.contains(PosixFilePermission.GROUP_WRITE), p + " " + perms);
      assertTrue(perms.stream().noneMatch(OTHERS::contains), p + " " + perms);
      if (Files.isDirectory(p)) {
        assertTrue(perms.contains(PosixFilePermission.GROUP_EXECUTE), p + " " + perms);
      }
    }
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<Path> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return new java.util.ArrayList<>(s.filter(p -> !Files.isSymbolicLink(p)).toList());
    }
  }
}
