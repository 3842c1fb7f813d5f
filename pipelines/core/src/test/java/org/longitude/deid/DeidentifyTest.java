package org.longitude.deid;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.Rule;
import org.junit.Test;
import org.longitude.common.RecordVersion;
import org.longitude.common.SealedRecordCoder;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyKey;
import org.longitude.normalize.Fact;

/**
 * The de-identify stage on a TestPipeline: one shift per participant across Patient,
 * Observation, MedicationAdministration and Condition; intervals exact; allowlisted values only.
 */
public class DeidentifyTest {
  private static final StudyKey KEY = PseudonymsTest.KEY_A;
  private static final String CLINIC = "north";
  private static final LocalDate BIRTH = LocalDate.of(1961, 2, 17);
  private static final LocalDate INDEX = LocalDate.of(2024, 3, 7);
  private static final long UPDATED = 1_709_800_000_000L;

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static DeidRules rules(DeidRules.DateMode mode, int maxShift) {
    return new DeidRules("LONGITUDE_STUDY_KEY", null, mode, maxShift, 90,
        SafeHarborTest.RESTRICTED, 10);
  }

  private static RecordVersion v(long n) {
    return new RecordVersion(n, Long.toString(n), UPDATED);
  }

  /** A participant's resources: demographics, two scores, three infusions, a diagnosis. */
  static List<Fact> participant(String patientId) {
    return List.of(
        new Fact.PatientFact(CLINIC, patientId, v(1), "female", BIRTH, "03601-1234"),
        new Fact.AdministrationFact(CLINIC, patientId, patientId + "-ma1", v(1),
            "http://www.nlm.nih.gov/research/umls/rxnorm", "6130", INDEX, "MedicationAdministration"),
        new Fact.AdministrationFact(CLINIC, patientId, patientId + "-ma2", v(1),
            "http://www.nlm.nih.gov/research/umls/rxnorm", "6130", INDEX.plusDays(3), "MedicationAdministration"),
        new Fact.AdministrationFact(CLINIC, patientId, patientId + "-ma3", v(1),
            "http://www.nlm.nih.gov/research/umls/rxnorm", "6130", INDEX.plusDays(59), "MedicationAdministration"),
        new Fact.ScoreFact(CLINIC, patientId, patientId + "-o1", v(2), "PHQ9", "http://loinc.org",
            "44261-6", 21, List.of(), INDEX.minusDays(2)),
        new Fact.ScoreFact(CLINIC, patientId, patientId + "-o2", v(1), "PHQ9", "http://loinc.org",
            "44261-6", 8, List.of(), INDEX.plusDays(14)),
        new Fact.DiagnosisFact(CLINIC, patientId, patientId + "-c1", v(1),
            List.of("http://hl7.org/fhir/sid/icd-10-cm|F33.1")));
  }

  /** True date of each dated fact, by the pseudonymous record id it will carry. */
  static Map<String, LocalDate> trueDates(Pseudonyms p, List<Fact> facts) {
    Map<String, LocalDate> dates = new HashMap<>();
    for (Fact f : facts) {
      if (f instanceof Fact.ScoreFact s) {
        dates.put(p.record(CLINIC, "Observation", s.recordId()), s.date());
      } else if (f instanceof Fact.AdministrationFact a) {
        dates.put(p.record(CLINIC, "MedicationAdministration", a.recordId()), a.date());
      }
    }
    return dates;
  }

  static LocalDate dateOf(ParticipantEvent e) {
    if (e instanceof ParticipantEvent.Score s) {
      return s.date();
    }
    if (e instanceof ParticipantEvent.Administration a) {
      return a.date();
    }
    return e instanceof ParticipantEvent.Demographics d ? d.birthDate() : null;
  }

  static String recordIdOf(ParticipantEvent e) {
    if (e instanceof ParticipantEvent.Score s) {
      return s.recordId();
    }
    if (e instanceof ParticipantEvent.Administration a) {
      return a.recordId();
    }
    return e instanceof ParticipantEvent.Diagnosis d ? d.recordId() : null;
  }

  /** The stage's events, one per participant and event (the stage ships them in lists). */
  private PCollection<KV<String, ParticipantEvent>> deidentify(DeidRules rules, List<Fact> facts) {
    return pipeline
        .apply(Create.of(facts).withCoder(SerializableCoder.of(Fact.class)))
        .apply(Deidentify.with(rules, KEY))
        .apply(FlatMapElements.into(new TypeDescriptor<KV<String, ParticipantEvent>>() {})
            .via(batch -> batch.getValue().stream().map(e -> KV.of(batch.getKey(), e)).toList()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SealedRecordCoder.of(ParticipantEvent.class)));
  }

  @Test
  public void oneShiftPerParticipantAcrossAllResourcesAndExactIntervals() {
    List<Fact> facts = new ArrayList<>();
    List<String> patients = List.of("p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7", "p-8");
    for (String p : patients) {
      facts.addAll(participant(p));
    }
    PAssert.that(deidentify(rules(DeidRules.DateMode.SHIFT, 182), facts)).satisfies(events -> {
      Pseudonyms p = new Pseudonyms(KEY, 182);
      Map<String, LocalDate> truth = new HashMap<>();
      for (String id : patients) {
        truth.putAll(trueDates(p, participant(id)));
      }
      Map<String, Integer> shiftByParticipant = new HashMap<>();
      Map<String, Integer> perParticipant = new HashMap<>();
      List<Integer> distinctShifts = new ArrayList<>();
      for (KV<String, ParticipantEvent> kv : events) {
        perParticipant.merge(kv.getKey(), 1, Integer::sum);
        ParticipantEvent e = kv.getValue();
        LocalDate shifted = dateOf(e);
        if (shifted == null) {
          continue;
        }
        LocalDate original = e instanceof ParticipantEvent.Demographics ? BIRTH
            : truth.get(recordIdOf(e));
        int shift = (int) ChronoUnit.DAYS.between(original, shifted);
        Integer before = shiftByParticipant.putIfAbsent(kv.getKey(), shift);
        assertEquals("one shift for every date of " + kv.getKey() + " (" + e.resourceType() + ")",
            before == null ? shift : before, shift);
        assertTrue("within +-182: " + shift, Math.abs(shift) <= 182);
      }
      assertEquals(patients.size(), perParticipant.size());
      perParticipant.values().forEach(n -> assertEquals(7, (int) n));
      for (String id : patients) {
        String pseudonym = p.participant(CLINIC, id);
        assertEquals("the shift is the keyed one", p.shiftDays(CLINIC, id),
            (int) shiftByParticipant.get(pseudonym));
        distinctShifts.add(shiftByParticipant.get(pseudonym));
      }
      assertTrue("participants get their own shifts: " + distinctShifts,
          distinctShifts.stream().distinct().count() > 1);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void workedExample() {
    // Key bytes 1..32, clinic north, Patient p-17: shift +37 days (pinned in PseudonymsTest).
    List<Fact> facts = List.of(
        new Fact.PatientFact(CLINIC, "p-17", v(1), "male", LocalDate.of(1980, 1, 1), "62701"),
        new Fact.ScoreFact(CLINIC, "p-17", "obs-1", v(1), "PHQ9", "http://loinc.org", "44261-6",
            12, List.of(), LocalDate.of(2024, 12, 31)));
    PAssert.that(deidentify(rules(DeidRules.DateMode.SHIFT, 182), facts)).satisfies(events -> {
      for (KV<String, ParticipantEvent> kv : events) {
        assertEquals(PseudonymsTest.PINNED_PARTICIPANT, kv.getKey());
        if (kv.getValue() instanceof ParticipantEvent.Demographics d) {
          assertEquals(LocalDate.of(1980, 2, 7), d.birthDate());
          assertEquals("627", d.zip3());
          assertEquals("male", d.sex());
        } else {
          ParticipantEvent.Score s = (ParticipantEvent.Score) kv.getValue();
          assertEquals(LocalDate.of(2025, 2, 6), s.date());
          assertEquals(PseudonymsTest.PINNED_RECORD, s.recordId());
          assertEquals(UPDATED + 37 * 86_400_000L, s.version().lastUpdatedMillis());
        }
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void yearOnlyModeShiftsTooAndRestrictedZip3Becomes000() {
    // Years of true dates with exact day offsets would reveal the day a year turns: year_only
    // reports years of shifted dates, so nothing finer than the shifted calendar can be inferred.
    PAssert.that(deidentify(rules(DeidRules.DateMode.YEAR_ONLY, 182), participant("p-1")))
        .satisfies(events -> {
          int shift = new Pseudonyms(KEY, 182).shiftDays(CLINIC, "p-1");
          assertNotEquals(0, shift);
          for (KV<String, ParticipantEvent> kv : events) {
            ParticipantEvent e = kv.getValue();
            if (e instanceof ParticipantEvent.Demographics d) {
              assertEquals(BIRTH.plusDays(shift), d.birthDate());
              assertEquals("000", d.zip3());
            } else if (e instanceof ParticipantEvent.Administration a
                && a.recordId().equals(new Pseudonyms(KEY, 182)
                    .record(CLINIC, "MedicationAdministration", "p-1-ma1"))) {
              assertEquals(INDEX.plusDays(shift), a.date());
            }
          }
          return null;
        });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void onlyAllowlistedValuesPass() {
    List<Fact> facts = List.of(
        new Fact.PatientFact(CLINIC, "p-1", new RecordVersion(0, "CANARY-VERSION-1", UPDATED),
            "CANARY-GENDER-1", BIRTH, "CANARY-ZIP-1"),
        new Fact.ScoreFact(CLINIC, "p-1", "o-1", new RecordVersion(0, "W/\"CANARY-ETAG\"", 0),
            "PHQ9", "http://loinc.org", "44261-6", 9, List.of(), INDEX),
        new Fact.ScoreFact(CLINIC, "p-1", "o-2", new RecordVersion(3, "3", 0),
            "PHQ9", "http://loinc.org", "44261-6", 9, List.of(), INDEX));
    PAssert.that(deidentify(rules(DeidRules.DateMode.SHIFT, 182), facts)).satisfies(events -> {
      int scores = 0;
      for (KV<String, ParticipantEvent> kv : events) {
        ParticipantEvent e = kv.getValue();
        assertTrue(!e.toString().contains("CANARY"));
        assertTrue(!e.toString().contains("p-1") && !e.toString().contains("o-1"));
        if (e instanceof ParticipantEvent.Demographics d) {
          assertNull("free-text gender is dropped", d.sex());
          assertNull("a non-ZIP postal code is dropped", d.zip3());
          assertEquals("", d.version().text());
        } else if (e instanceof ParticipantEvent.Score s) {
          scores++;
          if (s.version().number() == 3) {
            assertEquals("a version number passes", "3", s.version().text());
          } else {
            assertEquals("a version id that is text does not", "", s.version().text());
            assertEquals("an absent lastUpdated stays absent", 0, s.version().lastUpdatedMillis());
          }
        }
      }
      assertEquals(2, scores);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void administrativeGenderCodesPass() {
    for (String code : List.of("male", "female", "other", "unknown")) {
      assertEquals(code, Deidentify.DeidentifyFn.sex(code));
    }
    assertNull(Deidentify.DeidentifyFn.sex(null));
    assertNull(Deidentify.DeidentifyFn.sex("Female "));
    assertNotEquals("x", Deidentify.DeidentifyFn.sex("x"));
  }
}
