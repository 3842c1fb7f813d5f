package org.longitude.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Local folders, as {@code java.nio} sees them ({@link BeamFiles#deleteTree} deletes the files
 * under a folder of any of Beam's file systems, where folders need not exist).
 */
public final class LocalFolders {
  private LocalFolders() {}

  /** Deletes {@code folder} and everything under it; nothing when it does not exist. */
  public static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
