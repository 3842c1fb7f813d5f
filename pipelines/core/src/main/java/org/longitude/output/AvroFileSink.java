package org.longitude.output;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;

/**
 * An Avro container file (snappy, as Beam's AvroIO) whose sync marker is derived from the
 * table and file name instead of drawn at random, so re-runs give byte-identical files.
 */
final class AvroFileSink implements FileIO.Sink<GenericRecord> {
  private final String schemaJson;
  private final byte[] sync;
  private transient DataFileWriter<GenericRecord> writer;

  AvroFileSink(String schemaJson, String table, String fileName) {
    this.schemaJson = schemaJson;
    this.sync = syncMarker(table, fileName);
  }

  /**
   * The 16-byte sync marker of a table's file: the start of SHA-256(table/file). The marker
   * only has to be unlikely to occur in the data; it need not be secret or random.
   */
  public static byte[] syncMarker(String table, String fileName) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((table + "/" + fileName).getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(digest, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    Schema schema = new Schema.Parser().parse(schemaJson);
    writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))
        .setCodec(CodecFactory.snappyCodec());
    writer.create(schema, Channels.newOutputStream(channel), sync);
  }

  @Override
  public void write(GenericRecord row) throws IOException {
    writer.append(row);
  }

  @Override
  public void flush() throws IOException {
    writer.flush(); // the channel belongs to the caller, which closes it
  }
}
