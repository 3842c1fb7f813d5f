package org.longitude.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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

  @Test
  void batchesSortAsTheirRowsDo() {
    // Batches as a participant's arrive (each one participant's, out of order inside), and as
    // any may (interleaving participants, empty): always the rows' own total order.
    Random random = new Random(11);
    RowOrder order = RowOrder.by(List.of("participant_id"));
    for (int trial = 0; trial < 200; trial++) {
      List<List<GenericRecord>> batches = new ArrayList<>();
      List<GenericRecord> all = new ArrayList<>();
      for (int b = random.nextInt(6); b >= 0; b--) {
        List<GenericRecord> batch = new ArrayList<>();
        String participant = trial % 2 == 0 ? "p" + random.nextInt(1_000) : null;
        for (int r = random.nextInt(5); r > 0; r--) {
          GenericRecord row = row(random);
          if (participant != null) {
            row.put("participant_id", participant);
          }
          batch.add(row);
        }
        batches.add(List.copyOf(batch));
        all.addAll(batch);
      }
      all.sort(order);
      List<GenericRecord> sorted = order.sort(batches);
      assertEquals(all.size(), sorted.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(0, order.compare(all.get(i), sorted.get(i)), "row " + i);
      }
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
