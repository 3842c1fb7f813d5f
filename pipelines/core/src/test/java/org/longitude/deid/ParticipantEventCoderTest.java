package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;
import org.longitude.common.RecordVersion;
import org.longitude.common.SealedRecordCoder;

/** Every ParticipantEvent variant survives the coder unchanged, keyed as in the shuffle. */
class ParticipantEventCoderTest {
  private static final RecordVersion VERSION = new RecordVersion(2, "2", 1_709_800_000_000L);
  private static final RecordVersion NO_VERSION = new RecordVersion(0, "", 0);
  private static final LocalDate DAY = LocalDate.of(2024, 3, 7);

  private static List<ParticipantEvent> events() {
    return List.of(
        new ParticipantEvent.Demographics("north", VERSION, "male", LocalDate.of(1950, 1, 1),
            LocalDate.of(2040, 1, 1), "021"),
        new ParticipantEvent.Demographics("north", NO_VERSION, null, null, null, null),
        new ParticipantEvent.Score("north", "r1", VERSION, "GAD7", "http://loinc.org",
            "70274-6", 9, List.of(), DAY),
        new ParticipantEvent.Score("north", "r2", NO_VERSION, "PHQ9", "http://loinc.org",
            "44261-6", null, Arrays.asList(null, 1, 2), DAY),
        new ParticipantEvent.Score("north", "r5", VERSION, "PHQ9", "http://loinc.org",
            "44249-1", null, List.of(), DAY, List.of("m1", "m2")),
        new ParticipantEvent.Administration("north", "r3", VERSION, "http://rxnorm", "6130",
            DAY, "MedicationAdministration"),
        new ParticipantEvent.Diagnosis("north", "r4", VERSION, List.of("icd|F32.1")),
        new ParticipantEvent.Retraction("north", "Condition", "r5", VERSION));
  }

  @Test
  void everyVariantRoundTripsAsTheShuffleCarriesIt() throws Exception {
    KvCoder<String, ParticipantEvent> shuffled =
        KvCoder.of(StringUtf8Coder.of(), SealedRecordCoder.of(ParticipantEvent.class));
    shuffled.verifyDeterministic();
    for (ParticipantEvent e : events()) {
      CoderProperties.coderDecodeEncodeEqual(SealedRecordCoder.of(ParticipantEvent.class), e);
      CoderProperties.coderDeterministic(SealedRecordCoder.of(ParticipantEvent.class), e, e);
      CoderProperties.coderDecodeEncodeEqual(shuffled, KV.of("a1b2", e));
    }
    CoderProperties.coderSerializable(SealedRecordCoder.of(ParticipantEvent.class));
  }

  @Test
  void refusesTruncatedInput() throws Exception {
    byte[] whole = CoderUtils.encodeToByteArray(SealedRecordCoder.of(ParticipantEvent.class),
        events().get(2));
    byte[] half = Arrays.copyOf(whole, whole.length / 2);
    assertThrows(CoderException.class,
        () -> CoderUtils.decodeFromByteArray(SealedRecordCoder.of(ParticipantEvent.class), half));
  }
}
