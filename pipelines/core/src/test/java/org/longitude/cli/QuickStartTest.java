package org.longitude.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.pipeline.EmbeddedFlink;
import org.longitude.testing.StudyFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * In a JVM the launcher started for a small study, a study not known to be small is handed
 * back (exit 75) before anything is written; without the launcher's property nothing changes.
 */
class QuickStartTest {
  @AfterEach
  void clearProperty() {
    System.clearProperty(QuickStart.PROPERTY);
  }

  @Test
  void relaunchesOnlyUnknownOrLargeInputsAndOnlyWhenAskedTo() {
    OptionalLong small = OptionalLong.of(QuickStart.MAX_INPUT_BYTES);
    OptionalLong large = OptionalLong.of(QuickStart.MAX_INPUT_BYTES + 1);
    assertFalse(QuickStart.relaunch(OptionalLong.empty()), "no launcher, no relaunch");

    System.setProperty(QuickStart.PROPERTY, "true");
    assertFalse(QuickStart.relaunch(small));
    assertTrue(QuickStart.relaunch(large));
    assertTrue(QuickStart.relaunch(OptionalLong.empty()));
    assertFalse(QuickStart.relaunch(QuickStart.demoBytes(150, 3)), "the default demo");
  }

  @Test
  void aStudyKnownToBeSmallRunsOnOneSlotOfTheEmbeddedClusterUnlessToldOtherwise() {
    OptionalLong small = OptionalLong.of(QuickStart.MAX_INPUT_BYTES);
    OptionalLong large = OptionalLong.of(QuickStart.MAX_INPUT_BYTES + 1);
    assertEquals(1, parallelism(small));
    assertEquals(Runtime.getRuntime().availableProcessors(), parallelism(large), "a slot a core");
    assertEquals(Runtime.getRuntime().availableProcessors(), parallelism(OptionalLong.empty()),
        "size known only once pulled");
    assertEquals(3, parallelism(small, "--parallelism", "3"));
    assertEquals(FLINK_DEFAULT, parallelism(small, "--flink-master", "jobmanager:8081"));
    assertEquals(FLINK_DEFAULT, parallelism(small, "--flinkMaster=jobmanager:8081"));
    assertEquals(FLINK_DEFAULT, parallelism(small, "--runner", "DirectRunner"));
  }

  @Test
  void theEmbeddedClusterStartsAheadOnlyWhereTheRunnerWouldStartOne() throws Exception {
    OptionalLong small = OptionalLong.of(1);
    try (AutoCloseable started = probe().pipeline.startEmbeddedFlink(small)) {
      assertInstanceOf(EmbeddedFlink.class, started);
    }
    for (String[] args : List.of(new String[] {"--runner", "DirectRunner"},
        new String[] {"--flink-master", "jobmanager:8081"},
        new String[] {"--flinkConfDir=/etc/flink"})) {
      try (AutoCloseable none = probe(args).pipeline.startEmbeddedFlink(small)) {
        assertFalse(none instanceof EmbeddedFlink, String.join(" ", args));
      }
    }
  }

  /** Flink's own default: the cluster's. */
  private static final int FLINK_DEFAULT = -1;

  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Mixin
    PipelineArgs pipeline;

    @Override
    public Integer call() {
      return 0;
    }
  }

  private static int parallelism(OptionalLong inputBytes, String... args) {
    return probe(args).pipeline.options(inputBytes).as(FlinkPipelineOptions.class)
        .getParallelism();
  }

  private static Probe probe(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).setUnmatchedArgumentsAllowed(true).parseArgs(args);
    return probe;
  }

  @Test
  void aStudyPulledOverHttpIsHandedBackBeforeAnyOutput(@TempDir Path dir) throws IOException {
    Path mapping = dir.resolve("north.yaml");
    StudyFiles.copy("longitude/fhir-mappings/clinics/north.yaml", mapping);
    Path study = StudyFiles.oneClinicStudy(dir, "quick-start-test", "north", "north.yaml",
        "{kind: bulk-export, base_url: \"https://fhir.invalid/r4\"}");
    Files.writeString(dir.resolve("deidentification.yaml"),
        Files.readString(dir.resolve("deidentification.yaml"))
            .replace("key_file: null", "key_file: study.key"));
    Files.writeString(Files.createFile(dir.resolve("study.key"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        "cXVpY2stc3RhcnQtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=");
    Path out = dir.resolve("out");
    System.setProperty(QuickStart.PROPERTY, "true");

    CommandLine cli = Longitude.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("run", "--study", study.toString(), "--output", out.toString());

    assertEquals(QuickStart.RELAUNCH_OPTIMIZED, exit, err.toString());
    assertFalse(Files.exists(out), "no lock, manifest or folder before the relaunch");
  }
}
