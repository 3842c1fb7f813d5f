package org.longitude.common;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the running code came from. */
public final class Jars {
  private Jars() {}

  /** The jar {@code type} was loaded from; empty when it came from a class folder (tests). */
  public static Optional<Path> of(Class<?> type) {
    try {
      var source = type.getProtectionDomain().getCodeSource();
      Path where = source == null ? null : Path.of(source.getLocation().toURI());
      return where != null && Files.isRegularFile(where) ? Optional.of(where) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
