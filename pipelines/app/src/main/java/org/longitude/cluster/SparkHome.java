package org.longitude.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The least of a Spark distribution a standalone Worker needs: it starts each executor with a
 * class path of {@code $SPARK_HOME/jars/*}, and Spark's launcher looks there only when a
 * {@code $SPARK_HOME/RELEASE} file says it is a distribution (else it looks for a source
 * build's {@code assembly/target}). The jars are symbolic links to those Maven resolved.
 */
final class SparkHome {
  private SparkHome() {}

  /**
   * Writes {@code home/jars/} (a link per jar, by file name) and {@code home/RELEASE} into an
   * empty or new {@code home}; returns {@code home}.
   *
   * @throws IOException also when two jars have the same file name (one would hide the other)
   */
  static Path write(Path home, List<Path> jars, String version) throws IOException {
    Path dir = Files.createDirectories(home.resolve("jars"));
    Map<String, Path> byName = new HashMap<>();
    for (Path jar : jars) {
      Path absolute = jar.toAbsolutePath().normalize();
      String name = absolute.getFileName().toString();
      Path other = byName.putIfAbsent(name, absolute);
      if (other != null) {
        throw new IOException("two of Spark's jars are named " + name + ": " + other + " and "
            + absolute);
      }
      Files.createSymbolicLink(dir.resolve(name), absolute);
    }
    Files.writeString(home.resolve("RELEASE"), "Spark " + version
        + " (jars from Maven, laid out by longitude cluster-check)\n");
    return home;
  }
}
