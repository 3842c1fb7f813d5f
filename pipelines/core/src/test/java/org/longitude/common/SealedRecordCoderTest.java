package org.longitude.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/** The coder reads each variant's fields from the record itself. */
class SealedRecordCoderTest {
  public sealed interface Shape {
    record Tally(Ledger ledger) implements Shape {}

    record Named(String name, Integer size, List<String> tags) implements Shape {}
  }

  public sealed interface Other {
    record One(String name) implements Other {}
  }

  public sealed interface Unsupported {
    record Measured(String name, double value) implements Unsupported {}
  }

  @Test
  void tagsVariantsInDeclarationOrderAndCarriesALedger() throws Exception {
    Ledger ledger = new Ledger();
    ledger.read("north", "Observation");
    ledger.dropped("north", "Observation", Reason.VALUE_OUT_OF_RANGE, "PHQ9");
    SealedRecordCoder<Shape> coder = SealedRecordCoder.of(Shape.class);
    byte[] tally = CoderUtils.encodeToByteArray(coder, new Shape.Tally(ledger));
    assertEquals(1, tally[0]);
    Shape.Tally back = (Shape.Tally) CoderUtils.decodeFromByteArray(coder, tally);
    assertEquals(ledger.entries(), back.ledger().entries());
    CoderProperties.coderDecodeEncodeEqual(coder, new Shape.Tally(ledger)); // ledgers compare
    Ledger more = new Ledger();
    more.addAll(ledger);
    more.read("north", "Observation");
    assertNotEquals(ledger, more);

    Shape named = new Shape.Named("a", null, List.of("x", "y"));
    assertEquals(2, CoderUtils.encodeToByteArray(coder, named)[0]);
    CoderProperties.coderDecodeEncodeEqual(coder, named);
    CoderProperties.coderSerializable(coder);
  }

  @Test
  void refusesAComponentItCannotCodeWhenMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SealedRecordCoder.of(Unsupported.class));
    assertEquals(Unsupported.Measured.class.getName() + ".value: a component of type double "
        + "has no compact coding", e.getMessage());
  }

  @Test
  void codersOfDifferentTypesDiffer() {
    assertEquals(SealedRecordCoder.of(Shape.class), SealedRecordCoder.of(Shape.class));
    assertNotEquals(SealedRecordCoder.of(Shape.class), SealedRecordCoder.of(Other.class));
  }
}
