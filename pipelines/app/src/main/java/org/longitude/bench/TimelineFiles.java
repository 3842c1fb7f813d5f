package org.longitude.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.timeline.Timeline;
import org.longitude.timeline.TimelineCoder;

/**
 * The ingest's kept timelines in files, so the benchmark can time the cohort stage (d) apart,
 * starting from what the ingest produced. Each file: per timeline a {@code true} byte and its
 * {@link TimelineCoder} encoding, then a {@code false} byte.
 */
final class TimelineFiles {
  private static final String SUFFIX = ".timelines";

  private TimelineFiles() {}

  static FileIO.Write<Void, Timeline> write(String dir) {
    return FileIO.<Timeline>write().via(new Sink()).to(dir).withSuffix(SUFFIX);
  }

  static PTransform<PBegin, PCollection<Timeline>> read(String dir) {
    return new PTransform<>() {
      @Override
      public PCollection<Timeline> expand(PBegin input) {
        return input.apply("Match", FileIO.match().filepattern(dir + "/*" + SUFFIX))
            .apply("Open", FileIO.readMatches())
            .apply("Decode", ParDo.of(new ReadFn()))
            .setCoder(TimelineCoder.of());
      }
    };
  }

  private static final class Sink implements FileIO.Sink<Timeline> {
    private transient DataOutputStream out;

    @Override
    public void open(WritableByteChannel channel) {
      out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
    }

    @Override
    public void write(Timeline timeline) throws IOException {
      out.writeBoolean(true);
      TimelineCoder.of().encode(timeline, out);
    }

    @Override
    public void flush() throws IOException {
      out.writeBoolean(false);
      out.flush(); // the channel belongs to FileIO, which closes it
    }
  }

  private static final class ReadFn extends DoFn<FileIO.ReadableFile, Timeline> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<Timeline> out)
        throws IOException {
      try (DataInputStream in = new DataInputStream(
          new BufferedInputStream(Channels.newInputStream(file.open())))) {
        while (in.readBoolean()) {
          out.output(TimelineCoder.of().decode(in));
        }
      }
    }
  }
}
