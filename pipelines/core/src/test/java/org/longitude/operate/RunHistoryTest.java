package org.longitude.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pruning keeps the newest N runs, the published one and the current one. */
class RunHistoryTest {
  @TempDir Path output;

  @Test
  void prunesOldestButNeverThePublishedOrCurrentRun() throws Exception {
    for (int i = 1; i <= 15; i++) {
      Files.createDirectories(output.resolve(String.format("runs/r%02d/research/t", i)));
    }
    Files.createDirectories(output.resolve("restricted/landing/r01"));
    Files.createSymbolicLink(output.resolve("research"), Path.of("runs/r02/research"));
    RunHistory history = new RunHistory(output);

    List<String> removed = history.prune(10, "r15");

    assertEquals(List.of("r01", "r03", "r04", "r05"), removed);
    assertEquals(11, history.runDirs().size());
    assertTrue(Files.isDirectory(output.resolve("research/t")), "published run kept");
    assertTrue(Files.isDirectory(output.resolve("restricted/landing/r01")),
        "restricted zone untouched");
    assertEquals(List.of(), history.prune(10, "r15"), "idempotent");

    history.prune(1, "r15");
    assertEquals(List.of("r02", "r15"), history.runDirs().stream()
        .map(p -> p.getFileName().toString()).toList());
    assertThrows(IllegalArgumentException.class, () -> history.prune(0, "r15"));
  }
}
