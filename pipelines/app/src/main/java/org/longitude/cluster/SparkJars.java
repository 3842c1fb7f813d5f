package org.longitude.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The jars a Spark check runs from, found in Longitude's source tree: Spark's own (resolved by
 * Maven from {@code pipelines/spark-cluster/pom.xml}, which the main build leaves alone so
 * that CI never downloads Spark) and the job jar ({@code mvn -Pspark-jar} builds it from the
 * core module, as {@code pipelines/core/target/longitude-spark.jar}; Spark is {@code provided}
 * there).
 */
final class SparkJars {
  static final String VERSION = "3.5.1";
  private static final String BUILD_JOB_JAR = "mvn -B -Pspark-jar -DskipTests package";
  private final Path root;

  private SparkJars(Path root) {
    this.root = root;
  }

  /**
   * The source tree this Longitude runs from: the launcher script's folder (the script names
   * itself in {@code longitude.launcher}), else the current folder.
   */
  static SparkJars ofThisCheckout() throws IOException {
    String launcher = System.getProperty("longitude.launcher");
    Path root = launcher != null ? Path.of(launcher).toAbsolutePath().getParent()
        : Path.of("").toAbsolutePath();
    if (!Files.isRegularFile(root.resolve("pipelines/spark-cluster/pom.xml"))) {
      throw new IOException("no pipelines/spark-cluster/pom.xml under " + root
          + ": run the Spark check from Longitude's source tree (./longitude cluster-check)");
    }
    return new SparkJars(root);
  }

  /**
   * Spark's jars and their dependencies, resolved by Maven (downloaded on first use, ~115 jars),
   * the list kept in {@code dir}; Maven's output goes to {@code dir/maven.log}.
   */
  List<Path> spark(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path list = dir.resolve("spark-classpath.txt");
    Path log = dir.resolve("maven.log");
    Process maven = new ProcessBuilder("mvn", "-q", "-B",
        "-f", root.resolve("pipelines/spark-cluster/pom.xml").toString(),
        "dependency:build-classpath", "-Dmdep.outputFile=" + list)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (maven.waitFor() != 0 || !Files.isRegularFile(list)) {
      throw new IOException("Maven could not resolve Spark " + VERSION + "'s jars; see " + log);
    }
    return Arrays.stream(Files.readString(list).trim().split(java.io.File.pathSeparator))
        .map(Path::of).toList();
  }

  /** The job jar, refused when missing or older than a source or build file it is made of. */
  Path job() throws IOException {
    Path jar = root.resolve("pipelines/core/target/longitude-spark.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException(jar + " is missing: build it with " + BUILD_JOB_JAR);
    }
    Optional<Path> newer = newerThan(Files.getLastModifiedTime(jar), List.of(
        root.resolve("pom.xml"), root.resolve("pipelines/core/pom.xml"),
        root.resolve("pipelines/core/src/main"), root.resolve("schemas")));
    if (newer.isPresent()) {
      throw new IOException(jar + " is older than " + root.relativize(newer.get())
          + ": build it again with " + BUILD_JOB_JAR);
    }
    return jar;
  }

  /** A file under {@code sources} (files or folders) changed after {@code time}, if any. */
  static Optional<Path> newerThan(FileTime time, List<Path> sources) throws IOException {
    for (Path source : sources) {
      if (!Files.exists(source)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(source)) {
        Optional<Path> newer = files.filter(Files::isRegularFile).filter(f -> {
          try {
            return Files.getLastModifiedTime(f).compareTo(time) > 0;
          } catch (IOException e) {
            return true; // unreadable: not known to be older
          }
        }).findFirst();
        if (newer.isPresent()) {
          return newer;
        }
      }
    }
    return Optional.empty();
  }
}
