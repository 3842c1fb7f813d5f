package org.longitude.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Files named by a local path or a URL ({@code s3://bucket/key}, {@code hdfs://host/path}),
 * read and written through Beam's {@link FileSystems}, so the launcher and the workers reach the
 * same storage the same way. Object stores have no folders: a "folder" here is a key prefix,
 * and it exists once something was written under it.
 */
public final class BeamFiles {
  private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private BeamFiles() {}

  /** Whether {@code location} is a URL ({@code scheme://...}) rather than a local path. */
  public static boolean isUrl(String location) {
    return URL.matcher(location).matches();
  }

  /** {@code folder/name}, without doubling a separator. */
  public static String child(String folder, String name) {
    return folder.endsWith("/") ? folder + name : folder + "/" + name;
  }

  /** The files matching a glob ({@code *} within a name, {@code **} across folders), sorted. */
  public static List<MatchResult.Metadata> list(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    if (result.status() != MatchResult.Status.OK) {
      throw new IOException("cannot list " + glob + ": " + result.status());
    }
    List<MatchResult.Metadata> files = new ArrayList<>(result.metadata());
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }

  /**
   * Whether a folder exists: a local directory (even empty), or on an object store any object
   * under the prefix.
   */
  public static boolean folderExists(String folder) throws IOException {
    if (!isUrl(folder)) {
      return Files.isDirectory(Path.of(folder));
    }
    return !list(child(folder, "**")).isEmpty();
  }

  /** Writes a small file whole: under a hidden name first, renamed when complete. */
  public static void write(String folder, String name, String text) throws IOException {
    StagedFile file = StagedFile.in(folder, name);
    try (OutputStream out = Channels.newOutputStream(file.create(MimeTypes.TEXT))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    file.publish();
  }

  /** Reads a small file whole. */
  public static String read(String file) throws IOException {
    ResourceId id = FileSystems.matchNewResource(file, false);
    try (InputStream in = Channels.newInputStream(FileSystems.open(id))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Copies a file (e.g. from an object store to a local temporary folder). */
  public static void copy(ResourceId from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = Channels.newInputStream(FileSystems.open(from))) {
      Files.copy(in, to);
    }
  }

  /** Deletes every file under a folder; returns how many. */
  public static int deleteTree(String folder) throws IOException {
    List<ResourceId> files = list(child(folder, "**")).stream()
        .map(MatchResult.Metadata::resourceId).toList();
    FileSystems.delete(files, StandardMoveOptions.IGNORE_MISSING_FILES);
    return files.size();
  }
}
