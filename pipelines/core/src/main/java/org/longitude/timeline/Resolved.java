package org.longitude.timeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.longitude.common.CompactCoding;
import org.longitude.common.Ledger;

/**
 * What resolving participants' events gives: a participant's {@link Timeline}, or, once per
 * bundle, the bundle's {@link Ledger} (with the ledgers of the steps before, handed on with
 * the events) handed on with the timelines. Not a second output: a step with two outputs
 * ships each element to both (Flink), and the timelines are the pipeline's largest elements;
 * the step that counts the tables' rows hands the ledgers out instead.
 *
 * @param timeline a participant's timeline; null for a ledger
 * @param ledger a bundle's ledger; null for a timeline
 */
public record Resolved(Timeline timeline, Ledger ledger) implements Serializable {
  static Resolved of(Timeline timeline) {
    return new Resolved(timeline, null);
  }

  static Resolved of(Ledger ledger) {
    return new Resolved(null, ledger);
  }

  public boolean isLedger() {
    return ledger != null;
  }

  @Override
  public String toString() {
    return isLedger() ? "Resolved[ledger]" : "Resolved[timeline]";
  }

  /** A type byte, then the timeline ({@link TimelineCoder}) or the ledger. */
  public static final class ResolvedCoder extends AtomicCoder<Resolved> {
    private static final ResolvedCoder INSTANCE = new ResolvedCoder();
    private static final int TIMELINE = 1;
    private static final int LEDGER = 2;

    private ResolvedCoder() {}

    public static ResolvedCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Resolved value, OutputStream out) throws IOException {
      if (value.isLedger()) {
        out.write(LEDGER);
        value.ledger().writeTo(out);
      } else {
        out.write(TIMELINE);
        TimelineCoder.of().encode(value.timeline(), out);
      }
    }

    @Override
    public Resolved decode(InputStream in) throws IOException {
      return CompactCoding.readTag(in) == LEDGER ? Resolved.of(Ledger.readFrom(in))
          : Resolved.of(TimelineCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
