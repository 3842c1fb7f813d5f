package org.longitude.cohort;

import static org.longitude.common.CompactCoding.readBoolean;
import static org.longitude.common.CompactCoding.readInt;
import static org.longitude.common.CompactCoding.readString;
import static org.longitude.common.CompactCoding.writeBoolean;
import static org.longitude.common.CompactCoding.writeInt;
import static org.longitude.common.CompactCoding.writeString;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.longitude.cohort.rules.ComparisonSubject;
import org.longitude.cohort.rules.LandmarkGroup;
import org.longitude.cohort.rules.MaintenanceExposure;

/** Compact coder of a {@link ComparisonSubject}: what the comparison's grouping ships. */
final class ComparisonSubjectCoder extends AtomicCoder<ComparisonSubject> {
  static final ComparisonSubjectCoder INSTANCE = new ComparisonSubjectCoder();

  @Override
  public void encode(ComparisonSubject s, OutputStream out) throws IOException {
    writeString(s.participantId(), out);
    writeString(s.clinic(), out);
    writeInt(s.intervals().size(), out);
    for (MaintenanceExposure.Interval i : s.intervals()) {
      writeInt(i.start(), out);
      writeInt(i.stop(), out);
      writeBoolean(i.event(), out);
      writeBoolean(i.maintenance(), out);
    }
    writeInt(s.group() == null ? 0 : s.group().ordinal() + 1, out);
    writeInt(s.covariates().length, out);
    DataOutputStream data = new DataOutputStream(out);
    for (double c : s.covariates()) {
      data.writeDouble(c);
    }
    data.flush();
  }

  @Override
  public ComparisonSubject decode(InputStream in) throws IOException {
    String participant = readString(in);
    String clinic = readString(in);
    List<MaintenanceExposure.Interval> intervals = new ArrayList<>();
    for (int n = readInt(in); n > 0; n--) {
      intervals.add(new MaintenanceExposure.Interval(readInt(in), readInt(in), readBoolean(in),
          readBoolean(in)));
    }
    int group = readInt(in);
    double[] covariates = new double[readInt(in)];
    DataInputStream data = new DataInputStream(in);
    for (int c = 0; c < covariates.length; c++) {
      covariates[c] = data.readDouble();
    }
    return new ComparisonSubject(participant, clinic, intervals,
        group == 0 ? null : LandmarkGroup.values()[group - 1], covariates);
  }

  @Override
  public void verifyDeterministic() {}
}
