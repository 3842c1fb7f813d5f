package org.longitude.quarantine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.util.MimeTypes;
import org.longitude.common.Ledger;
import org.longitude.common.StagedFile;

/**
 * Where one bundle of a stage puts the records it quarantines, in full, for the clinic's data
 * steward: NDJSON in the restricted quarantine folder, a file per clinic, written as the
 * records come (never collected in memory). A file is written under a hidden name and
 * published when the bundle finishes, named after a digest of its lines
 * ({@code <clinic>-<stage>-<digest>.ndjson}): the same records give the same file, so a
 * retried bundle replaces its file rather than adding a second copy. Each published file is
 * recorded in the bundle's {@link Ledger}: a runner may split a retried attempt's work into
 * other bundles, and the run then deletes the files no counted bundle wrote.
 *
 * <p>Written by the step that finds the records rather than by a writing step of its own: on
 * Flink, a second output of a step ships every record of the main output to it too.
 */
public final class QuarantineFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String dir;
  private final String stage;
  private final Ledger ledger;
  private final Map<String, OpenFile> files = new HashMap<>();

  private static final class OpenFile {
    final StagedFile file;
    final OutputStream out;
    final MessageDigest digest;
    long lines;

    OpenFile(StagedFile file, OutputStream out, MessageDigest digest) {
      this.file = file;
      this.out = out;
      this.digest = digest;
    }
  }

  /**
   * @param stage names the files, with the clinic: the stage that quarantines
   * @param ledger the bundle's ledger, where the published files are recorded
   */
  public QuarantineFiles(String dir, String stage, Ledger ledger) {
    this.dir = dir;
    this.stage = stage;
    this.ledger = ledger;
  }

  public void write(QuarantineRecord record) {
    OpenFile file = files.computeIfAbsent(record.clinic(), this::open);
    byte[] line = (line(record) + "\n").getBytes(StandardCharsets.UTF_8);
    file.digest.update(line);
    file.lines++;
    try {
      file.out.write(line);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write quarantined records to " + file.file, e);
    }
  }

  /** Closes and publishes the bundle's files; call when the bundle finishes. */
  public void publish() {
    try {
      for (Map.Entry<String, OpenFile> e : files.entrySet()) {
        OpenFile file = e.getValue();
        file.out.close();
        ledger.file(file.file.publishAs(e.getKey() + "-" + stage + "-"
            + HexFormat.of().formatHex(file.digest.digest(), 0, 8) + ".ndjson"), file.lines);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish quarantined records in " + dir, e);
    } finally {
      files.clear();
    }
  }

  private OpenFile open(String clinic) {
    StagedFile file = StagedFile.in(dir, clinic + "-" + stage + "-" + UUID.randomUUID() + ".ndjson");
    try {
      return new OpenFile(file, new BufferedOutputStream(
          Channels.newOutputStream(file.create(MimeTypes.TEXT)), 1 << 16),
          MessageDigest.getInstance("SHA-256"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write quarantined records to " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** One record as a JSON line: its reason and place, and the resource as received. */
  static String line(QuarantineRecord r) {
    ObjectNode node = JSON.createObjectNode()
        .put("clinic", r.clinic())
        .put("resourceType", r.resourceType())
        .put("reason", r.reason())
        .put("measure", r.measure())
        .put("stage", r.stage());
    try {
      node.set("resource", JSON.readTree(r.content()));
    } catch (IOException e) {
      node.put("content", r.content()); // not JSON (malformed input or a description)
    }
    return node.toString();
  }
}
