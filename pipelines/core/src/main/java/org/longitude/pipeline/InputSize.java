package org.longitude.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.longitude.common.BeamFiles;
import org.longitude.config.Source;
import org.longitude.config.Study;

/**
 * The bytes a run will read, where they can be known before it starts: the files of every
 * clinic's local NDJSON folder, or the landed NDJSON of the run that {@code --from-landing}
 * re-runs. Unknown (empty) when any input is pulled over HTTP (its size is known only once
 * pulled) or lies on shared storage.
 */
public final class InputSize {
  private InputSize() {}

  public static OptionalLong of(Study study, Path output, PullMode mode) {
    if (mode.fromLanding() != null) {
      return folderBytes(new RunLayout(output, mode.fromLanding()).landing());
    }
    long total = 0;
    for (Study.Clinic clinic : study.clinics()) {
      Source source = clinic.source();
      if (source.kind() != Source.Kind.NDJSON || BeamFiles.isUrl(source.directory())) {
        return OptionalLong.empty();
      }
      OptionalLong bytes = folderBytes(Path.of(source.directory()));
      if (bytes.isEmpty()) {
        return bytes;
      }
      total += bytes.getAsLong();
    }
    return OptionalLong.of(total);
  }

  private static OptionalLong folderBytes(Path dir) {
    if (!Files.isDirectory(dir)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return OptionalLong.of(files.filter(Files::isRegularFile).mapToLong(InputSize::size).sum());
    } catch (IOException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
