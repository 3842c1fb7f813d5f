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
import org.apache.beam.sdk.util.MimeTypes;
import org.longitude.common.Ledger;
import org.longitude.common.StagedFile;

/**
 * One pull task's landing file, {@code <landing>/<clinic>/<Type>-<task>.ndjson}: every resource
 * the task hands on is also written here unchanged, by the worker that pulled it (so the
 * resources are not shipped to a separate writing step). The file is written under a hidden
 * name and renamed when the task ends, so a landing holds only whole files; a task that
 * lands nothing leaves no file. The file is recorded in the bundle's {@link Ledger}, so the
 * run can tell it from a file an abandoned attempt left.
 */
final class LandingFile implements AutoCloseable {
  private static final LandingFile NONE = new LandingFile(null, null);
  private final StagedFile file;
  private final Ledger ledger;
  private OutputStream out;
  private long lines;

  private LandingFile(StagedFile file, Ledger ledger) {
    this.file = file;
    this.ledger = ledger;
  }

  /**
   * The landing file of one task; {@code task} names what it read (a search's query, a file,
   * a download URL) and gives the file a stable, distinct name. No file when {@code dir} is
   * null (nothing is landed: re-read landings, tests). The published file goes into
   * {@code ledger}.
   */
  static LandingFile of(String dir, String clinic, String resourceType, String task,
      Ledger ledger) {
    if (dir == null) {
      return NONE;
    }
    return new LandingFile(StagedFile.in(dir + "/" + clinic,
        resourceType + "-" + digest(task) + ".ndjson"), ledger);
  }

  void write(byte[] json) {
    if (file == null) {
      return;
    }
    try {
      if (out == null) {
        out = new BufferedOutputStream(Channels.newOutputStream(file.create(MimeTypes.TEXT)), 1 << 16);
      }
      out.write(json);
      out.write('\n');
      lines++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot land resources in " + file, e);
    }
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
      ledger.file(file.publish(), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot land resources in " + file, e);
    }
  }

  /** A short, stable name for what a task read: its landing file's, its progress file's. */
  static String digest(String task) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(task.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
