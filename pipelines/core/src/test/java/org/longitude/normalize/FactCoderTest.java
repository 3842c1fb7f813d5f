package org.longitude.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.longitude.common.RecordVersion;
import org.longitude.common.SealedRecordCoder;

/** Every Fact variant, with and without its optional fields, survives the coder unchanged. */
class FactCoderTest {
  static final RecordVersion VERSION = new RecordVersion(3, "3", 1_709_800_000_000L);
  static final RecordVersion NO_VERSION = new RecordVersion(0, "", 0);

  static List<Fact> facts() {
    LocalDate day = LocalDate.of(2024, 3, 7);
    return List.of(
        new Fact.PatientFact("north", "p1", VERSION, "female", LocalDate.of(1961, 2, 17),
            "02139"),
        new Fact.PatientFact("north", "p2", NO_VERSION, null, null, null),
        new Fact.ScoreFact("north", "p1", "o1", VERSION, "PHQ9", "http://loinc.org",
            "44261-6", 14, List.of(), day),
        // Items with gaps (not sent) and no total: an items-only observation.
        new Fact.ScoreFact("north", "p1", "o2", NO_VERSION, "PHQ9", "urn:clinic", "phq",
            null, Arrays.asList(1, null, 3, 0, null, 2, 1, 0, 1), day),
        // A hasMember panel: its members' ids join it in the timeline.
        new Fact.ScoreFact("north", "p1", "o3", VERSION, "PHQ9", "http://loinc.org",
            "44249-1", null, List.of(), day, List.of("m1", "m2")),
        new Fact.AdministrationFact("north", "p1", "m1", VERSION, "http://rxnorm", "6130",
            day, "MedicationAdministration"),
        new Fact.AdministrationFact("north", "p1", "pr1", NO_VERSION, "http://snomed", "123",
            day, "Procedure"),
        new Fact.DiagnosisFact("north", "p1", "c1", VERSION,
            List.of("http://hl7.org/fhir/sid/icd-10-cm|F33.2", "http://snomed|35489007")),
        new Fact.DiagnosisFact("north", "p1", "c2", VERSION, List.of()),
        new Fact.RetractionFact("north", "p1", "Observation", "o3", VERSION));
  }

  @Test
  void everyVariantRoundTrips() throws Exception {
    for (Fact fact : facts()) {
      CoderProperties.coderDecodeEncodeEqual(SealedRecordCoder.of(Fact.class), fact);
      CoderProperties.coderDeterministic(SealedRecordCoder.of(Fact.class), fact, fact);
      CoderProperties.structuralValueDecodeEncodeEqual(SealedRecordCoder.of(Fact.class), fact);
    }
    CoderProperties.coderSerializable(SealedRecordCoder.of(Fact.class));
  }

  @Test
  void isSmallerThanJavaSerialization() throws Exception {
    for (Fact fact : facts()) {
      int compact = CoderUtils.encodeToByteArray(SealedRecordCoder.of(Fact.class), fact).length;
      int java = CoderUtils.encodeToByteArray(SerializableCoder.of(Fact.class), fact).length;
      assertTrue(compact * 4 < java, fact.getClass().getSimpleName() + ": " + compact
          + " bytes against Java serialization's " + java);
    }
  }

  @Test
  void refusesAnUnknownTypeTag() {
    CoderException e = assertThrows(CoderException.class,
        () -> CoderUtils.decodeFromByteArray(SealedRecordCoder.of(Fact.class), new byte[] {42}));
    assertEquals("unknown Fact type tag 42", e.getMessage());
  }
}
