package org.longitude.normalize;

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
import org.longitude.normalize.Fact.AdministrationFact;
import org.longitude.common.Ledger;
import org.longitude.normalize.Fact.DiagnosisFact;
import org.longitude.normalize.Fact.LedgerFact;
import org.longitude.normalize.Fact.PatientFact;
import org.longitude.normalize.Fact.RetractionFact;
import org.longitude.normalize.Fact.ScoreFact;

/** A compact, deterministic coder for {@link Fact}: a type tag, then the record's fields. */
public final class FactCoder extends AtomicCoder<Fact> {
  private static final FactCoder INSTANCE = new FactCoder();
  private static final int PATIENT = 1;
  private static final int SCORE = 2;
  private static final int ADMINISTRATION = 3;
  private static final int DIAGNOSIS = 4;
  private static final int RETRACTION = 5;
  private static final int LEDGER = 6;

  private FactCoder() {}

  public static FactCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Fact fact, OutputStream out) throws IOException {
    if (fact == null) {
      throw new CoderException("cannot encode a null Fact");
    }
    if (fact instanceof PatientFact p) {
      out.write(PATIENT);
      writeString(p.clinic(), out);
      writeString(p.patientId(), out);
      writeVersion(p.version(), out);
      writeString(p.gender(), out);
      writeDate(p.birthDate(), out);
      writeString(p.postalCode(), out);
    } else if (fact instanceof ScoreFact s) {
      out.write(SCORE);
      writeString(s.clinic(), out);
      writeString(s.patientId(), out);
      writeString(s.recordId(), out);
      writeVersion(s.version(), out);
      writeString(s.measure(), out);
      writeString(s.sourceSystem(), out);
      writeString(s.sourceCode(), out);
      writeInteger(s.total(), out);
      writeIntegers(s.items(), out);
      writeDate(s.date(), out);
      writeStrings(s.members(), out);
    } else if (fact instanceof AdministrationFact a) {
      out.write(ADMINISTRATION);
      writeString(a.clinic(), out);
      writeString(a.patientId(), out);
      writeString(a.recordId(), out);
      writeVersion(a.version(), out);
      writeString(a.system(), out);
      writeString(a.code(), out);
      writeDate(a.date(), out);
      writeString(a.resourceType(), out);
    } else if (fact instanceof DiagnosisFact d) {
      out.write(DIAGNOSIS);
      writeString(d.clinic(), out);
      writeString(d.patientId(), out);
      writeString(d.recordId(), out);
      writeVersion(d.version(), out);
      writeStrings(d.codes(), out);
    } else if (fact instanceof LedgerFact l) {
      out.write(LEDGER);
      l.ledger().writeTo(out);
    } else {
      RetractionFact r = (RetractionFact) fact; // the sealed type's last variant
      out.write(RETRACTION);
      writeString(r.clinic(), out);
      writeString(r.patientId(), out);
      writeString(r.resourceType(), out);
      writeString(r.recordId(), out);
      writeVersion(r.version(), out);
    }
  }

  @Override
  public Fact decode(InputStream in) throws IOException {
    int tag = readTag(in);
    return switch (tag) {
      case PATIENT -> new PatientFact(readString(in), readString(in), readVersion(in),
          readString(in), readDate(in), readString(in));
      case SCORE -> new ScoreFact(readString(in), readString(in), readString(in),
          readVersion(in), readString(in), readString(in), readString(in), readInteger(in),
          readIntegers(in), readDate(in), readStrings(in));
      case ADMINISTRATION -> new AdministrationFact(readString(in), readString(in),
          readString(in), readVersion(in), readString(in), readString(in), readDate(in),
          readString(in));
      case DIAGNOSIS -> new DiagnosisFact(readString(in), readString(in), readString(in),
          readVersion(in), readStrings(in));
      case RETRACTION -> new RetractionFact(readString(in), readString(in), readString(in),
          readString(in), readVersion(in));
      case LEDGER -> new LedgerFact(Ledger.readFrom(in));
      default -> throw new CoderException("unknown Fact type tag " + tag);
    };
  }

  @Override
  public void verifyDeterministic() {}
}
