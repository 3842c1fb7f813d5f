package org.longitude.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet input file read through Beam's file systems (local or {@code s3://}), so a reader
 * fetches only what it seeks to: the footer, for a row count.
 */
public record ChannelInputFile(ResourceId file) implements InputFile {
  @Override
  public long getLength() throws IOException {
    try (SeekableByteChannel channel = open()) {
      return channel.size();
    }
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel = open();
    return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        channel.position(newPos);
      }

      @Override
      public void readFully(byte[] bytes, int start, int len) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, len);
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0) {
            throw new java.io.EOFException("end of " + file + " before " + len + " bytes");
          }
        }
      }
    };
  }

  private SeekableByteChannel open() throws IOException {
    return (SeekableByteChannel) FileSystems.open(file);
  }
}
