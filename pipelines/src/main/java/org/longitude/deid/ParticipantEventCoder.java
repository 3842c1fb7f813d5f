package org.longitude.deid;

import static org.longitude.common.CompactCoding.readDate;
import static org.longitude.common.CompactCoding.readInteger;
import static org.longitude.common.CompactCoding.readIntegers;
import static org.longitude.common.CompactCoding.readString;
import static org.longitude.common.CompactCoding.readStrings;
import static org.longitude.common.CompactCoding.readTag;
import static org.longitude.common.CompactCoding.readVersion;
import static org.longitude.common.CompactCoding.writeDate;
import static org.longitude.common.CompactCoding.writeInteger;
import static org.longitude.common.CompactCoding.writeIntegers;
import static org.longitude.common.CompactCoding.writeString;
import static org.longitude.common.CompactCoding.writeStrings;
import static org.longitude.common.CompactCoding.writeVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.longitude.deid.ParticipantEvent.Administration;
import org.longitude.deid.ParticipantEvent.Demographics;
import org.longitude.common.Ledger;
import org.longitude.deid.ParticipantEvent.Diagnosis;
import org.longitude.deid.ParticipantEvent.LedgerEvent;
import org.longitude.deid.ParticipantEvent.Retraction;
import org.longitude.deid.ParticipantEvent.Score;

/**
 * A compact, deterministic coder for {@link ParticipantEvent}: a type tag, then the record's
 * fields. It carries the events through the group-by-participant shuffle.
 */
public final class ParticipantEventCoder extends AtomicCoder<ParticipantEvent> {
  private static final ParticipantEventCoder INSTANCE = new ParticipantEventCoder();
  private static final int DEMOGRAPHICS = 1;
  private static final int SCORE = 2;
  private static final int ADMINISTRATION = 3;
  private static final int DIAGNOSIS = 4;
  private static final int RETRACTION = 5;
  private static final int LEDGER = 6;

  private ParticipantEventCoder() {}

  public static ParticipantEventCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ParticipantEvent event, OutputStream out) throws IOException {
    if (event == null) {
      throw new CoderException("cannot encode a null ParticipantEvent");
    }
    if (event instanceof Demographics d) {
      out.write(DEMOGRAPHICS);
      writeString(d.clinic(), out);
      writeVersion(d.version(), out);
      writeString(d.sex(), out);
      writeDate(d.birthDate(), out);
      writeDate(d.ageCapDate(), out);
      writeString(d.zip3(), out);
    } else if (event instanceof Score s) {
      out.write(SCORE);
      writeString(s.clinic(), out);
      writeString(s.recordId(), out);
      writeVersion(s.version(), out);
      writeString(s.measure(), out);
      writeString(s.sourceSystem(), out);
      writeString(s.sourceCode(), out);
      writeInteger(s.total(), out);
      writeIntegers(s.items(), out);
      writeDate(s.date(), out);
      writeStrings(s.members(), out);
    } else if (event instanceof Administration a) {
      out.write(ADMINISTRATION);
      writeString(a.clinic(), out);
      writeString(a.recordId(), out);
      writeVersion(a.version(), out);
      writeString(a.system(), out);
      writeString(a.code(), out);
      writeDate(a.date(), out);
      writeString(a.resourceType(), out);
    } else if (event instanceof Diagnosis d) {
      out.write(DIAGNOSIS);
      writeString(d.clinic(), out);
      writeString(d.recordId(), out);
      writeVersion(d.version(), out);
      writeStrings(d.codes(), out);
    } else if (event instanceof LedgerEvent l) {
      out.write(LEDGER);
      l.ledger().writeTo(out);
    } else {
      Retraction r = (Retraction) event; // the sealed type's last variant
      out.write(RETRACTION);
      writeString(r.clinic(), out);
      writeString(r.resourceType(), out);
      writeString(r.recordId(), out);
      writeVersion(r.version(), out);
    }
  }

  @Override
  public ParticipantEvent decode(InputStream in) throws IOException {
    int tag = readTag(in);
    return switch (tag) {
      case DEMOGRAPHICS -> new Demographics(readString(in), readVersion(in), readString(in),
          readDate(in), readDate(in), readString(in));
      case SCORE -> new Score(readString(in), readString(in), readVersion(in), readString(in),
          readString(in), readString(in), readInteger(in), readIntegers(in), readDate(in),
          readStrings(in));
      case ADMINISTRATION -> new Administration(readString(in), readString(in),
          readVersion(in), readString(in), readString(in), readDate(in), readString(in));
      case DIAGNOSIS -> new Diagnosis(readString(in), readString(in), readVersion(in),
          readStrings(in));
      case RETRACTION -> new Retraction(readString(in), readString(in), readString(in),
          readVersion(in));
      case LEDGER -> new LedgerEvent(Ledger.readFrom(in));
      default -> throw new CoderException("unknown ParticipantEvent type tag " + tag);
    };
  }

  @Override
  public void verifyDeterministic() {}
}
