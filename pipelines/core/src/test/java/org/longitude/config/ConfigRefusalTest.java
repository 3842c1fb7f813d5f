package org.longitude.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.operate.StudyRun;
import org.longitude.testing.StudyFiles;

/** Bad configuration is refused before any work, naming the file, the key and the fix. */
class ConfigRefusalTest {

  private static Path study(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("clinic.yaml"), "clinic: c1\n");
    return StudyFiles.oneClinicStudy(dir, "s1", "c1", "clinic.yaml",
        "{kind: ndjson, directory: data}");
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertTrue(text.contains(from), from);
    Files.writeString(file, text.replace(from, to));
  }

  private static void assertNames(ConfigException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
  }

  private static ConfigException refused(Path studyFile) {
    return assertThrows(ConfigException.class, () -> StudyLoader.load(Location.file(studyFile)));
  }

  @Test
  void unknownKeyIsRefusedWithTheKnownKeys(@TempDir Path dir) throws IOException {
    Path file = study(dir);
    edit(file, "cohort: cohort.yaml", "cohort: cohort.yaml\ncohorts: extra.yaml");
    assertNames(refused(file), "study.yaml", "unknown key 'cohorts'", "known keys",
        "Remove it or fix its spelling");
  }

  @Test
  void unknownNestedKeyNamesItsPath(@TempDir Path dir) throws IOException {
    Path file = study(dir);
    edit(file, "{kind: ndjson, directory: data}", "{kind: ndjson, directory: data, dir: x}");
    assertNames(refused(file), "study.yaml", "'dir'", "clinics[0].source");
  }

  @Test
  void wrongTypeIsRefusedWithTheExpectedType(@TempDir Path dir) throws IOException {
    Path file = study(dir);
    edit(dir.resolve("deidentification.yaml"), "small_cell_max: 10", "small_cell_max: many");
    assertNames(refused(file), "deidentification.yaml", "'small_cell_max'", "int");
  }

  @Test
  void wrongEnumIsRefusedWithTheAllowedValues(@TempDir Path dir) throws IOException {
    Path file = study(dir);
    edit(file, "{kind: ndjson,", "{kind: ftp,");
    assertNames(refused(file), "study.yaml", "'clinics[0].source.kind'", "ftp");
  }

  @Test
  void missingRequiredValueIsRefusedWithTheFix(@TempDir Path dir) throws IOException {
    Path file = study(dir);
    edit(file, "study: s1\n", "");
    assertNames(refused(file), "study.yaml", "'study' is missing", "study: my-study");
    Path other = study(dir.resolve("b"));
    edit(other, "{kind: ndjson, directory: data}", "{kind: ndjson}");
    assertNames(refused(other), "study.yaml", "'clinics[0].source.directory' is missing",
        "give the folder");
  }

  @Test
  void keyFileReadableByOthersIsRefused(@TempDir Path dir) throws IOException {
    Path key = dir.resolve("study.key");
    Files.writeString(key, java.util.Base64.getEncoder().encodeToString(new byte[32]));
    for (String perms : List.of("rw-r--r--", "rw-r-----", "rw-----w-")) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(perms));
      assertNames(assertThrows(ConfigException.class, () -> StudyKey.fromFile(key)),
          key.toString(), "chmod 600");
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    StudyKey.fromFile(key);
  }

  @Test
  void outputInsideAnNdjsonInputIsRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
    Study study = StudyLoader.load(Location.file(study(dir)));
    Path inside = dir.resolve("data").resolve("out");
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    ConfigException e = assertThrows(ConfigException.class, () -> StudyRun.run(study,
        StudyKey.of("config-test-key-of-at-least-32-bytes".getBytes()), inside, options, "r1",
        java.time.LocalDate.of(2026, 6, 30)));
    assertNames(e, "study.yaml", "clinics[0].source.directory", "lies inside it",
        "choose an --output outside");
    assertFalse(Files.exists(inside), "nothing was written");
    // The same folder, and an input inside the output, are refused too; a sibling is fine.
    assertNames(assertThrows(ConfigException.class,
        () -> StudyRun.checkOutput(study, dir.resolve("data"))), "are the same folder");
    assertNames(assertThrows(ConfigException.class,
        () -> StudyRun.checkOutput(study, dir)), "contains it");
    StudyRun.checkOutput(study, dir.resolve("out"));
    // Through a symbolic link as well.
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("data"));
    assertNames(assertThrows(ConfigException.class,
        () -> StudyRun.checkOutput(study, link.resolve("out"))), "lies inside it");
  }
}
