package org.longitude.common;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * A file written under a hidden name beside its target ({@code .<name>.inprogress}) and
 * renamed to it when complete, through Beam's file systems: readers only ever see whole
 * files, and a retried write replaces the file whole.
 */
public final class StagedFile {
  private final ResourceId folder;
  private final ResourceId target;
  private final ResourceId temp;

  private StagedFile(ResourceId folder, String name) {
    this.folder = folder;
    this.target = folder.resolve(name, StandardResolveOptions.RESOLVE_FILE);
    this.temp = folder.resolve("." + name + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
  }

  /** The file {@code name} in {@code folder} (a path or URL; created when written). */
  public static StagedFile in(String folder, String name) {
    return new StagedFile(FileSystems.matchNewResource(folder, true), name);
  }

  /** Opens the hidden file for writing; {@link #publish} once it is closed. */
  public WritableByteChannel create(String mimeType) throws IOException {
    return FileSystems.create(temp, mimeType);
  }

  /** Renames the written, closed hidden file to its name; returns its path (or URL). */
  public String publish() throws IOException {
    FileSystems.rename(List.of(temp), List.of(target));
    return target.toString();
  }

  /**
   * Renames the written, closed hidden file to {@code name} in the same folder, for files
   * named after what they turned out to hold; returns its path (or URL).
   */
  public String publishAs(String name) throws IOException {
    ResourceId named = folder.resolve(name, StandardResolveOptions.RESOLVE_FILE);
    FileSystems.rename(List.of(temp), List.of(named));
    return named.toString();
  }

  /** Whether a file's name marks it as one still being written (or left by a killed writer). */
  public static boolean isStaging(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(".inprogress");
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
