package org.longitude.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.commons.io.file.PathUtils;
import org.longitude.common.BeamFiles;

/**
 * A run's research tables on shared storage (an object store or HDFS), where a symbolic link
 * cannot publish them. Publishing writes the run's file list ({@code _files.json}) into its
 * research folder, then {@code research/LATEST} (the run id) as one small object, last:
 * readers who go through LATEST only ever see a run whose files are all written, since every
 * research file is complete under its name before the pipeline ends.
 */
public final class SharedResearch {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** The list of a published run's research files. */
  public record FileList(String runId, List<FileEntry> files) {}

  /**
   * One research file.
   *
   * @param path relative to the run's research folder, e.g. {@code observations/PHQ9-00000-of-00002.parquet}
   */
  public record FileEntry(String table, String path, long bytes) {}

  private SharedResearch() {}

  /** Lists the run's research files, writes the list, then LATEST. */
  static void publish(DataLocation data) throws IOException {
    List<FileEntry> files = new ArrayList<>();
    List<MatchResult.Metadata> all = new ArrayList<>(tableFiles(data));
    all.addAll(BeamFiles.list(data.research() + "/views/*/*.avsc")); // views' schemas
    for (MatchResult.Metadata m : all) {
      String path = relative(data, m);
      files.add(new FileEntry(parent(path), path, m.sizeBytes()));
    }
    BeamFiles.write(data.research(), DataLocation.FILES,
        JSON.writeValueAsString(new FileList(data.runId(), files)));
    BeamFiles.write(parent(data.latest()), DataLocation.LATEST, data.runId() + "\n");
  }

  /** The published run's id, from {@code research/LATEST}. */
  public static String latest(DataLocation data) throws IOException {
    return BeamFiles.read(data.latest()).trim();
  }

  /** The file list of a run written by {@link #publish}. */
  public static FileList files(DataLocation data) throws IOException {
    return JSON.readValue(BeamFiles.read(BeamFiles.child(data.research(), DataLocation.FILES)),
        FileList.class);
  }

  /**
   * Every Parquet and Avro file of the run's research tables, sorted: {@code <table>/*} and
   * the study views' {@code views/<name>/*}.
   */
  public static List<MatchResult.Metadata> tableFiles(DataLocation data) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>(BeamFiles.list(data.research() + "/*/*"));
    files.addAll(BeamFiles.list(data.research() + "/views/*/*"));
    return files.stream().filter(m -> {
      String name = m.resourceId().getFilename();
      return !name.startsWith(".") && (name.endsWith(".parquet") || name.endsWith(".avro"));
    }).sorted(java.util.Comparator.comparing(m -> m.resourceId().toString())).toList();
  }

  /** A file's path relative to the run's research folder. */
  public static String relative(DataLocation data, MatchResult.Metadata file) {
    String id = file.resourceId().toString();
    return id.substring(id.indexOf(data.research()) + data.research().length() + 1);
  }

  /**
   * The run's research tables as local files: the folder itself for a local run; for shared
   * storage, a copy of the Parquet files in an owner-only temporary folder, removed on
   * {@link LocalCopy#close}. For readers that need a local file system (DuckDB, the report).
   */
  public static LocalCopy localCopy(DataLocation data) throws IOException {
    if (!data.shared()) {
      return new LocalCopy(Path.of(data.research()), false);
    }
    Path dir = Files.createTempDirectory("longitude-research-");
    LocalCopy copy = new LocalCopy(dir, true);
    try {
      for (MatchResult.Metadata m : tableFiles(data)) {
        if (m.resourceId().getFilename().endsWith(".parquet")) {
          BeamFiles.copy(m.resourceId(), dir.resolve(relative(data, m)));
        }
      }
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    return copy;
  }

  /** A local folder of research tables; a temporary copy is deleted when closed. */
  public record LocalCopy(Path dir, boolean temporary) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (temporary) {
        PathUtils.deleteDirectory(dir);
      }
    }
  }

  private static String parent(String file) {
    return file.substring(0, file.lastIndexOf('/'));
  }
}
