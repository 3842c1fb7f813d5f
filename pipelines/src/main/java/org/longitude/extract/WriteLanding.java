package org.longitude.extract;

import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/** Lands raw resources as NDJSON, one folder per clinic and files per resource type. */
final class WriteLanding extends PTransform<PCollection<RawResource>, PDone> {
  private final String dir;

  private WriteLanding(String dir) {
    this.dir = dir;
  }

  static WriteLanding to(String dir) {
    return new WriteLanding(dir);
  }

  @Override
  public PDone expand(PCollection<RawResource> resources) {
    resources.apply("WriteNdjson", FileIO.<String, RawResource>writeDynamic()
        .by(r -> r.clinic() + "/" + r.resourceType())
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn(RawResource::json), TextIO.sink())
        .to(dir)
        .withNaming(dest -> FileIO.Write.defaultNaming(dest, ".ndjson")));
    return PDone.in(resources.getPipeline());
  }
}
