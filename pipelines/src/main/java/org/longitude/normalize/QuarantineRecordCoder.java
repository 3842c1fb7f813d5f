package org.longitude.normalize;

import static org.longitude.common.CompactCoding.readString;
import static org.longitude.common.CompactCoding.writeString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/** A compact, deterministic coder for {@link QuarantineRecord}: six nullable strings. */
public final class QuarantineRecordCoder extends AtomicCoder<QuarantineRecord> {
  private static final QuarantineRecordCoder INSTANCE = new QuarantineRecordCoder();

  private QuarantineRecordCoder() {}

  public static QuarantineRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(QuarantineRecord r, OutputStream out) throws IOException {
    if (r == null) {
      throw new CoderException("cannot encode a null QuarantineRecord");
    }
    writeString(r.clinic(), out);
    writeString(r.resourceType(), out);
    writeString(r.reason(), out);
    writeString(r.measure(), out);
    writeString(r.stage(), out);
    writeString(r.content(), out);
  }

  @Override
  public QuarantineRecord decode(InputStream in) throws IOException {
    return new QuarantineRecord(readString(in), readString(in), readString(in), readString(in),
        readString(in), readString(in));
  }

  @Override
  public void verifyDeterministic() {}
}
