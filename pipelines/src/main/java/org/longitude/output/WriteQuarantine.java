package org.longitude.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.longitude.normalize.QuarantineRecord;

/**
 * Writes quarantined records in full, one NDJSON file set per clinic, for the clinic's data
 * steward: restricted zone only.
 */
public final class WriteQuarantine extends PTransform<PCollection<QuarantineRecord>, PDone> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String dir;

  private WriteQuarantine(String dir) {
    this.dir = dir;
  }

  public static WriteQuarantine to(String restrictedQuarantineDir) {
    return new WriteQuarantine(restrictedQuarantineDir);
  }

  @Override
  public PDone expand(PCollection<QuarantineRecord> records) {
    records.apply("WriteNdjson", FileIO.<String, QuarantineRecord>writeDynamic()
        .by(QuarantineRecord::clinic)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn(WriteQuarantine::line), TextIO.sink())
        .to(dir)
        .withNumShards(1)
        .withNaming(clinic -> FileIO.Write.defaultNaming(clinic, ".ndjson")));
    return PDone.in(records.getPipeline());
  }

  static String line(QuarantineRecord r) {
    ObjectNode node = JSON.createObjectNode()
        .put("clinic", r.clinic())
        .put("resourceType", r.resourceType())
        .put("reason", r.reason())
        .put("measure", r.measure())
        .put("stage", r.stage());
    try {
      node.set("resource", JSON.readTree(r.content()));
    } catch (java.io.IOException e) {
      node.put("content", r.content()); // not JSON (malformed input or a description)
    }
    return node.toString();
  }
}
