package org.longitude.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a config file lives: on disk, or on the classpath (the demo study is packaged in the
 * jar). Relative names in a config file resolve against the file that names them.
 */
public sealed interface Location {
  InputStream open() throws IOException;

  Location resolveSibling(String relative);

  String describe();

  static Location file(Path path) {
    return new OnDisk(path.toAbsolutePath().normalize());
  }

  static Location classpath(String path) {
    return new OnClasspath(path);
  }

  /** A file on disk. */
  record OnDisk(Path path) implements Location {
    @Override
    public InputStream open() throws IOException {
      if (!Files.isRegularFile(path)) {
        throw new NoSuchFileException(path.toString(), null, "no such config file");
      }
      return Files.newInputStream(path);
    }

    @Override
    public Location resolveSibling(String relative) {
      return new OnDisk(path.resolveSibling(relative).normalize());
    }

    @Override
    public String describe() {
      return path.toString();
    }
  }

  /** A resource packaged in the jar, e.g. {@code longitude/config/demo/study.yaml}. */
  record OnClasspath(String path) implements Location {
    @Override
    public InputStream open() throws IOException {
      InputStream in = Location.class.getClassLoader().getResourceAsStream(path);
      if (in == null) {
        throw new NoSuchFileException("classpath:" + path, null, "no such config resource");
      }
      return in;
    }

    @Override
    public Location resolveSibling(String relative) {
      Path parent = Path.of(path).getParent();
      Path resolved = (parent == null ? Path.of(relative) : parent.resolve(relative)).normalize();
      return new OnClasspath(resolved.toString().replace('\\', '/'));
    }

    @Override
    public String describe() {
      return "classpath:" + path;
    }
  }
}
