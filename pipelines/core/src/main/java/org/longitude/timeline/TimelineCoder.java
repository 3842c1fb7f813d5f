package org.longitude.timeline;

import static org.longitude.common.CompactCoding.readBoolean;
import static org.longitude.common.CompactCoding.readDate;
import static org.longitude.common.CompactCoding.readInt;
import static org.longitude.common.CompactCoding.readInteger;
import static org.longitude.common.CompactCoding.readIntegers;
import static org.longitude.common.CompactCoding.readString;
import static org.longitude.common.CompactCoding.readStrings;
import static org.longitude.common.CompactCoding.writeBoolean;
import static org.longitude.common.CompactCoding.writeDate;
import static org.longitude.common.CompactCoding.writeInt;
import static org.longitude.common.CompactCoding.writeInteger;
import static org.longitude.common.CompactCoding.writeIntegers;
import static org.longitude.common.CompactCoding.writeString;
import static org.longitude.common.CompactCoding.writeStrings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/** A compact, deterministic coder for {@link Timeline}: its fields, lists length-prefixed. */
public final class TimelineCoder extends AtomicCoder<Timeline> {
  private static final TimelineCoder INSTANCE = new TimelineCoder();

  private TimelineCoder() {}

  public static TimelineCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Timeline t, OutputStream out) throws IOException {
    if (t == null) {
      throw new CoderException("cannot encode a null Timeline");
    }
    writeString(t.participantId(), out);
    writeString(t.clinic(), out);
    writeString(t.sex(), out);
    writeDate(t.birthDate(), out);
    writeDate(t.ageCapDate(), out);
    writeString(t.zip3(), out);
    writeDate(t.indexDate(), out);
    writeInt(t.treatments().size(), out);
    for (Timeline.Treatment tr : t.treatments()) {
      writeString(tr.recordId(), out);
      writeString(tr.system(), out);
      writeString(tr.code(), out);
      writeDate(tr.date(), out);
      writeInteger(tr.daysSinceIndex(), out);
      writeBoolean(tr.booster(), out);
      writeInt(tr.sequence(), out);
    }
    writeInt(t.scores().size(), out);
    for (Timeline.Score s : t.scores()) {
      writeString(s.recordId(), out);
      writeString(s.version(), out);
      writeString(s.measure(), out);
      writeString(s.sourceSystem(), out);
      writeString(s.sourceCode(), out);
      writeInt(s.score(), out);
      writeIntegers(s.items(), out);
      writeDate(s.date(), out);
      writeInteger(s.daysSinceIndex(), out);
    }
    writeStrings(t.diagnosisCodes(), out);
  }

  @Override
  public Timeline decode(InputStream in) throws IOException {
    String participant = readString(in);
    String clinic = readString(in);
    String sex = readString(in);
    LocalDate birth = readDate(in);
    LocalDate ageCap = readDate(in);
    String zip3 = readString(in);
    LocalDate index = readDate(in);
    Timeline.Treatment[] treatments = new Timeline.Treatment[readInt(in)];
    for (int i = 0; i < treatments.length; i++) {
      treatments[i] = new Timeline.Treatment(readString(in), readString(in), readString(in),
          readDate(in), readInteger(in), readBoolean(in), readInt(in));
    }
    Timeline.Score[] scores = new Timeline.Score[readInt(in)];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = new Timeline.Score(readString(in), readString(in), readString(in),
          readString(in), readString(in), readInt(in), readIntegers(in), readDate(in),
          readInteger(in));
    }
    return new Timeline(participant, clinic, sex, birth, ageCap, zip3, index,
        List.of(treatments), List.of(scores), readStrings(in));
  }

  @Override
  public void verifyDeterministic() {}
}
