package org.longitude.timeline;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Timelines, full and nearly empty, survive the coder unchanged. */
class TimelineCoderTest {
  @Test
  void fullAndEmptyTimelinesRoundTrip() throws Exception {
    LocalDate index = LocalDate.of(2024, 3, 7);
    Timeline full = new Timeline("a1b2", "north", "female", LocalDate.of(1961, 2, 17),
        LocalDate.of(2051, 2, 17), "021", index,
        List.of(new Timeline.Treatment("t1", "http://rxnorm", "6130", index, 0, false, 1),
            new Timeline.Treatment("t2", "http://rxnorm", "6130", index.plusDays(90), 90, true,
                2)),
        List.of(new Timeline.Score("s1", "3", "PHQ9", "http://loinc.org", "44261-6", 14,
                Arrays.asList(1, null, 2, 2, 1, 3, 2, 2, 1), index.minusDays(3), -3),
            new Timeline.Score("s2", "", "GAD7", "urn:clinic", "gad", 5, List.of(),
                index.plusDays(7), 7)),
        List.of("icd|F33.2"));
    Timeline sparse = new Timeline("c3d4", "south", null, null, null, null, null, List.of(),
        List.of(new Timeline.Score("s3", "", "PHQ9", "urn:x", "p", 0, List.of(),
            index, null)),
        List.of());
    for (Timeline t : List.of(full, sparse)) {
      CoderProperties.coderDecodeEncodeEqual(TimelineCoder.of(), t);
      CoderProperties.coderDeterministic(TimelineCoder.of(), t, t);
      CoderProperties.structuralValueDecodeEncodeEqual(TimelineCoder.of(), t);
    }
  }
}
