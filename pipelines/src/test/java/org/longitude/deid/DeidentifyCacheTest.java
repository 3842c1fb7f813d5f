package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    DoFn.OutputReceiver<KV<String, ParticipantEvent>> receiver = new DoFn.OutputReceiver<>() {
      @Override
      public void output(KV<String, ParticipantEvent> e) {
        out.add(e);
      }

      @Override
      public void outputWithTimestamp(KV<String, ParticipantEvent> e, Instant timestamp) {
        out.add(e);
      }
    };
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

    Pseudonyms expected = new Pseudonyms(PseudonymsTest.KEY_A, 180);
    assertEquals(ids.size(), out.size());
    for (int i = 0; i < out.size(); i++) {
      String[] clinicAndId = ids.get(i).split("/");
      ParticipantEvent.Demographics d = (ParticipantEvent.Demographics) out.get(i).getValue();
      assertEquals(expected.participant(clinicAndId[0], clinicAndId[1]), out.get(i).getKey());
      assertEquals(expected.shiftDays(clinicAndId[0], clinicAndId[1]),
          ChronoUnit.DAYS.between(BIRTH, d.birthDate()), ids.get(i));
    }
  }
}
