package org.longitude.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark check's file work that needs no Spark: the SPARK_HOME layout, the stale jar. */
class SparkHomeTest {
  @TempDir
  Path tmp;

  @Test
  void linksEveryJarUnderJarsAndMarksADistribution() throws IOException {
    Path core = jar("m2/spark/spark-core_2.12-3.5.1.jar");
    Path scala = jar("m2/scala/scala-library-2.12.18.jar");

    Path home = SparkHome.write(tmp.resolve("home"), List.of(core, scala), "3.5.1");

    Path linked = home.resolve("jars/spark-core_2.12-3.5.1.jar");
    assertTrue(Files.isSymbolicLink(linked));
    assertEquals(core, Files.readSymbolicLink(linked));
    assertEquals("jar", Files.readString(home.resolve("jars/scala-library-2.12.18.jar")));
    assertTrue(Files.readString(home.resolve("RELEASE")).startsWith("Spark 3.5.1"));
  }

  @Test
  void refusesTwoJarsOfOneName() throws IOException {
    List<Path> twins = List.of(jar("a/guava.jar"), jar("b/guava.jar"));

    IOException e = assertThrows(IOException.class,
        () -> SparkHome.write(tmp.resolve("home"), twins, "3.5.1"));

    assertTrue(e.getMessage().contains("guava.jar"), e.getMessage());
  }

  @Test
  void findsASourceNewerThanTheJobJar() throws IOException {
    Path older = jar("src/main/Old.java");
    Path newer = jar("src/main/deep/New.java");
    Instant built = Instant.parse("2026-12-07T12:00:00Z");
    Files.setLastModifiedTime(older, FileTime.from(built.minusSeconds(60)));
    Files.setLastModifiedTime(newer, FileTime.from(built.plusSeconds(60)));

    assertEquals(Optional.of(newer), SparkJars.newerThan(FileTime.from(built),
        List.of(tmp.resolve("src"), tmp.resolve("missing.xml"))));
    assertEquals(Optional.empty(), SparkJars.newerThan(FileTime.from(built.plusSeconds(120)),
        List.of(tmp.resolve("src"))));
  }

  private Path jar(String path) throws IOException {
    Path file = tmp.resolve(path).toAbsolutePath();
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "jar");
  }
}
