package org.longitude.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** RowOrder compares strings in place: the order must stay Avro's, surrogates and all. */
class RowOrderTest {
  private static final Schema SCHEMA = SchemaBuilder.record("r").fields()
      .requiredString("participant_id").optionalString("code").optionalLong("n")
      .endRecord();
  /** ASCII, Latin-1, a character above the surrogates, a pair (U+1F600), an empty string. */
  private static final String[] PARTS = {"a", "B", "0", "é", "\uFFFD", "\uD83D\uDE00", ""};

  @Test
  void ordersRowsAsAvroDoes() {
    Random random = new Random(7);
    RowOrder byParticipant = RowOrder.by(List.of("participant_id"));
    RowOrder whole = RowOrder.by(List.of());
    for (int i = 0; i < 20_000; i++) {
      GenericRecord a = row(random);
      GenericRecord b = row(random);
      int avro = Integer.signum(GenericData.get().compare(a, b, SCHEMA));
      assertEquals(avro, Integer.signum(whole.compare(a, b)), a + " vs " + b);
      int first = Integer.signum(GenericData.get().compare(a.get(0), b.get(0),
          SCHEMA.getField("participant_id").schema()));
      assertEquals(first != 0 ? first : avro, Integer.signum(byParticipant.compare(a, b)));
    }
  }

  private static GenericRecord row(Random random) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("participant_id", text(random));
    r.put("code", random.nextInt(4) == 0 ? null : text(random));
    r.put("n", random.nextInt(4) == 0 ? null : (long) random.nextInt(3));
    return r;
  }

  private static String text(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(3); i >= 0; i--) {
      s.append(PARTS[random.nextInt(PARTS.length)]);
    }
    return s.toString();
  }
}
