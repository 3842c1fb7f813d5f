package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.longitude.common.RecordVersion;
import org.longitude.config.DeidRules;
import org.longitude.normalize.Fact;

/**
 * The per-instance participant cache changes nothing: with more participants than it holds,
 * each seen again after it was evicted, every event still carries the participant's own
 * pseudonym and date shift, computed afresh.
 */
class DeidentifyCacheTest {
  private static final LocalDate BIRTH = LocalDate.of(1970, 6, 1);

  @Test
  void pseudonymsAndShiftsSurviveEviction() {
    DeidRules rules = DeidentifyTest.rules(DeidRules.DateMode.SHIFT, 180);
    Deidentify.DeidentifyFn fn = new Deidentify.DeidentifyFn(rules, PseudonymsTest.KEY_A);
    fn.setup();
    List<KV<String, ParticipantEvent>> out = new ArrayList<>();
    BiConsumer<String, List<ParticipantEvent>> shipped =
        (participant, events) -> events.forEach(e -> out.add(KV.of(participant, e)));
    DoFn.OutputReceiver<KV<String, List<ParticipantEvent>>> receiver = new DoFn.OutputReceiver<>() {
      @Override
      public void output(KV<String, List<ParticipantEvent>> batch) {
        shipped.accept(batch.getKey(), batch.getValue());
      }

      @Override
      public void outputWithTimestamp(KV<String, List<ParticipantEvent>> batch, Instant t) {
        output(batch);
      }
    };
    fn.startBundle();
    int patients = Deidentify.DeidentifyFn.CACHED_PARTICIPANTS + 100;
    List<String> ids = new ArrayList<>();
    for (int round = 0; round < 2; round++) { // the second round meets evicted participants
      for (int i = 0; i < patients; i++) {
        String clinic = i % 2 == 0 ? "north" : "south"; // same id, two clinics: two people
        String id = "p-" + (i / 2);
        ids.add(clinic + "/" + id);
        fn.process(new Fact.PatientFact(clinic, id, new RecordVersion(1, "1", 0), "female",
            BIRTH, null), receiver);
      }
    }

    fn.drain(shipped); // what the end of the bundle ships

    // Each event with its participant's own pseudonym and shift, as many times as sent
    // (events leave grouped by participant, so compared as multisets).
    Pseudonyms expected = new Pseudonyms(PseudonymsTest.KEY_A, 180);
    Map<String, Long> want = new HashMap<>();
    for (String clinicAndId : ids) {
      String[] p = clinicAndId.split("/");
      want.merge(expected.participant(p[0], p[1]) + " " + expected.shiftDays(p[0], p[1]), 1L,
          Long::sum);
    }
    Map<String, Long> got = new HashMap<>();
    for (KV<String, ParticipantEvent> e : out) {
      ParticipantEvent.Demographics d = (ParticipantEvent.Demographics) e.getValue();
      got.merge(e.getKey() + " " + ChronoUnit.DAYS.between(BIRTH, d.birthDate()), 1L,
          Long::sum);
    }
    assertEquals(ids.size(), out.size());
    assertEquals(want, got);
  }
}
