package org.longitude.cohort;

import static org.longitude.common.CompactCoding.readInt;
import static org.longitude.common.CompactCoding.readLong;
import static org.longitude.common.CompactCoding.readString;
import static org.longitude.common.CompactCoding.writeInt;
import static org.longitude.common.CompactCoding.writeLong;
import static org.longitude.common.CompactCoding.writeString;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.longitude.cohort.rules.DayCounts;

/**
 * Compact, deterministic coders for the cohort stage's accumulators ({@link StrataCounts},
 * {@link Tally}): sorted maps written in key order, counts as variable-length integers.
 */
final class CountsCoders {
  private CountsCoders() {}

  /** Coder of {@link Tally}. */
  static final class TallyCoder extends AtomicCoder<Tally> {
    static final TallyCoder INSTANCE = new TallyCoder();

    @Override
    public void encode(Tally tally, OutputStream out) throws IOException {
      notNull(tally);
      writeCounts(tally.counts, out);
    }

    @Override
    public Tally decode(InputStream in) throws IOException {
      Tally tally = new Tally();
      readCounts(tally.counts, in);
      return tally;
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Coder of {@link StrataCounts}. */
  static final class StrataCountsCoder extends AtomicCoder<StrataCounts> {
    static final StrataCountsCoder INSTANCE = new StrataCountsCoder();

    @Override
    public void encode(StrataCounts strata, OutputStream out) throws IOException {
      notNull(strata);
      writeInt(strata.byStratum.size(), out);
      for (Map.Entry<String, CurveCounts> e : strata.byStratum.entrySet()) {
        writeString(e.getKey(), out);
        CurveCounts c = e.getValue();
        writeDays(c.durability, out);
        writeDays(c.sinceIndex, out);
        writeCounts(c.landmarkStatuses, out);
      }
    }

    @Override
    public StrataCounts decode(InputStream in) throws IOException {
      StrataCounts strata = new StrataCounts();
      for (int i = readInt(in); i > 0; i--) {
        String stratum = readString(in);
        CurveCounts c = new CurveCounts();
        readDays(c.durability, in);
        readDays(c.sinceIndex, in);
        readCounts(c.landmarkStatuses, in);
        strata.byStratum.put(stratum, c);
      }
      return strata;
    }

    @Override
    public void verifyDeterministic() {}
  }

  private static void notNull(Object value) throws CoderException {
    if (value == null) {
      throw new CoderException("cannot encode a null accumulator");
    }
  }

  /** A sorted map's entries in key order: deterministic. */
  private static void writeCounts(Map<String, Long> counts, OutputStream out)
      throws IOException {
    writeInt(counts.size(), out);
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      writeString(e.getKey(), out);
      writeLong(e.getValue(), out);
    }
  }

  private static void readCounts(Map<String, Long> into, InputStream in) throws IOException {
    for (int i = readInt(in); i > 0; i--) {
      into.put(readString(in), readLong(in));
    }
  }

  private static void writeDays(DayCounts days, OutputStream out) throws IOException {
    Map<Integer, DayCounts.Counts> byDay = days.snapshot();
    writeInt(byDay.size(), out);
    for (Map.Entry<Integer, DayCounts.Counts> e : byDay.entrySet()) {
      writeInt(e.getKey(), out);
      writeLong(e.getValue().events(), out);
      writeLong(e.getValue().censored(), out);
      writeLong(e.getValue().entries(), out);
    }
  }

  private static void readDays(DayCounts into, InputStream in) throws IOException {
    for (int i = readInt(in); i > 0; i--) {
      into.add(readInt(in), readLong(in), readLong(in), readLong(in));
    }
  }
}
