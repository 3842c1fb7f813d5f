package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.common.Reason;
import org.longitude.config.Source;
import org.longitude.testing.S3Server;

/** Byte ranges of one file hand on each line exactly once, whatever the cut points. */
class NdjsonRangesTest {
  private static final Source SOURCE = new Source(Source.Kind.NDJSON, null, null, "/unused");

  @Test
  void everyCutHandsOnEachLineOnce(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("\uFEFF{\"a\":1}\r\n\n  \n{\"b\":\"é\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'{', (byte) 0xC3, '}', '\n'}); // invalid UTF-8
    bytes.writeBytes("{\"c\":3}\r\n\n\n{\"d\":4}".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("Observation.ndjson");
    Files.write(file, bytes.toByteArray());
    long size = Files.size(file);
    List<String> whole = pull(new PullTask("c", SOURCE, "Observation", file.toString()));
    assertEquals(List.of("{\"a\":1}", "{\"b\":\"é\"}", "refused INVALID_UTF8",
        "{\"c\":3}", "{\"d\":4}"), whole);

    for (long cut = 0; cut <= size; cut++) {
      for (long cut2 = cut; cut2 <= size; cut2++) {
        List<String> ranged = new ArrayList<>();
        ranged.addAll(pull(range(file, 0, cut)));
        ranged.addAll(pull(range(file, cut, cut2)));
        ranged.addAll(pull(range(file, cut2, size)));
        assertEquals(whole, ranged, "cut at " + cut + " and " + cut2);
      }
    }
  }

  /** The same through Beam's S3 file system: ranges are read from seeked positions. */
  @Test
  void rangesOfAnS3ObjectHandOnEachLineOnce(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("Observation.ndjson"),
        "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}\n{\"d\":4}");
    try (S3Server s3 = S3Server.start("exports")) {
      s3.configure(PipelineOptionsFactory.create());
      String url = "s3://exports/north/Observation.ndjson";
      S3Server.upload(file, url);
      long size = matched(url).sizeBytes();
      List<String> whole = pull(new PullTask("c", SOURCE, "Observation", url));
      assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":4}"), whole);
      for (long cut : new long[] {1, 7, 8, 9, 17, 18, size - 1}) {
        List<String> ranged = new ArrayList<>(pull(range(url, 0, cut)));
        ranged.addAll(pull(range(url, cut, size)));
        assertEquals(whole, ranged, "cut at " + cut);
      }
    }
  }

  @Test
  void largeFilesAreSplitSmallAndCompressedOnesAreNot(@TempDir Path dir) throws IOException {
    Path small = Files.writeString(dir.resolve("Patient.ndjson"), "{}\n");
    assertEquals(1, NdjsonFilePull.tasks("c", SOURCE, "Patient", matched(small)).size());
    Path large = dir.resolve("Observation.ndjson");
    try (var channel = java.nio.channels.FileChannel.open(large,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}),
          NdjsonFilePull.SPLIT_BYTES * 2); // sparse: 2 ranges and one byte
    }
    List<PullTask> tasks = NdjsonFilePull.tasks("c", SOURCE, "Observation", matched(large));
    assertEquals(3, tasks.size());
    assertEquals(new PullTask.ByteRange(0, NdjsonFilePull.SPLIT_BYTES), tasks.get(0).bytes());
    assertEquals(NdjsonFilePull.SPLIT_BYTES * 2 + 1, tasks.get(2).bytes().to());
  }

  private static MatchResult.Metadata matched(Object file) throws IOException {
    return FileSystems.matchSingleFileSpec(file.toString());
  }

  private static PullTask range(Object file, long from, long to) {
    return new PullTask("c", SOURCE, "Observation", file.toString(), null,
        new PullTask.ByteRange(from, to));
  }

  private static List<String> pull(PullTask task) {
    List<String> lines = new ArrayList<>();
    NdjsonFilePull.pull(task, new NdjsonFilePull.Sink() {
      @Override
      public void accept(byte[] json) {
        lines.add(new String(json, StandardCharsets.UTF_8));
      }

      @Override
      public void refuse(Reason reason, long lineNumber) {
        lines.add("refused " + reason);
      }
    });
    return lines;
  }
}
