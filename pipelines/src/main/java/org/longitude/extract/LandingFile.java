package org.longitude.extract;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * One pull task's landing file, {@code <landing>/<clinic>/<Type>-<task>.ndjson}: every resource
 * the task hands on is also written here unchanged, by the worker that pulled it (so the
 * resources are not shipped to a separate writing step). The file is written under a hidden
 * name and renamed when the task ends, so a landing holds only whole files; a task that
 * lands nothing leaves no file.
 */
final class LandingFile implements AutoCloseable {
  private static final LandingFile NONE = new LandingFile(null, null);
  private final ResourceId target;
  private final ResourceId temp;
  private OutputStream out;

  private LandingFile(ResourceId target, ResourceId temp) {
    this.target = target;
    this.temp = temp;
  }

  /**
   * The landing file of one task; {@code task} names what it read (a search's query, a file,
   * a download URL) and gives the file a stable, distinct name. No file when {@code dir} is
   * null (nothing is landed: re-read landings, tests).
   */
  static LandingFile of(String dir, String clinic, String resourceType, String task) {
    if (dir == null) {
      return NONE;
    }
    ResourceId folder = FileSystems.matchNewResource(dir, true)
        .resolve(clinic, StandardResolveOptions.RESOLVE_DIRECTORY);
    String name = resourceType + "-" + digest(task) + ".ndjson";
    return new LandingFile(folder.resolve(name, StandardResolveOptions.RESOLVE_FILE),
        folder.resolve("." + name + ".inprogress", StandardResolveOptions.RESOLVE_FILE));
  }

  void write(String json) {
    if (target == null) {
      return;
    }
    try {
      if (out == null) {
        out = new BufferedOutputStream(
            Channels.newOutputStream(FileSystems.create(temp, MimeTypes.TEXT)), 1 << 16);
      }
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot land resources in " + target, e);
    }
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
      FileSystems.rename(List.of(temp), List.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot land resources in " + target, e);
    }
  }

  private static String digest(String task) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(task.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
