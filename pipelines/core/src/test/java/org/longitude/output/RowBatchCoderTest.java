package org.longitude.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;
import org.longitude.common.Schemas;

class RowBatchCoderTest {
  private static final List<String> TABLES = List.of(Schemas.OBSERVATIONS, Schemas.PARTICIPANTS,
      Schemas.TREATMENTS, Schemas.OUTCOMES, Schemas.SURVIVAL, Schemas.LANDMARKS,
      Schemas.COURSE_OUTCOMES, Schemas.ATTRITION, Schemas.QUARANTINE, Schemas.RUN_SUMMARY);

  @Test
  void everyTableRoundTripsWithNullsRepeatsAndExtremes() throws IOException {
    Random random = new Random(7);
    for (String table : TABLES) {
      Schema schema = Schemas.load(table);
      List<GenericRecord> rows = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        // Every third row repeats the row before in full; the others vary each field.
        rows.add(i % 3 == 2 ? new GenericData.Record((GenericData.Record) rows.get(i - 1), true)
            : randomRow(schema, random));
      }
      RowBatch decoded = roundTrip(new RowBatch(table, rows));
      assertEquals(table, decoded.table());
      assertEquals(rows, decoded.rows(), table);
    }
  }

  @Test
  void aRepeatedValueCostsOneByteAndDecodesToOneInstance() throws IOException {
    Schema schema = Schemas.load(Schemas.OBSERVATIONS);
    GenericRecord first = observation(schema, "a".repeat(64), 5);
    GenericRecord second = observation(schema, "a".repeat(64), 6);
    byte[] one = CoderUtils.encodeToByteArray(RowBatchCoder.of(),
        new RowBatch(Schemas.OBSERVATIONS, List.of(first)));
    byte[] two = CoderUtils.encodeToByteArray(RowBatchCoder.of(),
        new RowBatch(Schemas.OBSERVATIONS, List.of(first, second)));
    // The second row: one byte per field, plus the score and record id that differ.
    int fields = schema.getFields().size();
    assertTrue(two.length - one.length <= fields + 2 + 10, (two.length - one.length) + " bytes");
    RowBatch decoded = roundTrip(new RowBatch(Schemas.OBSERVATIONS, List.of(first, second)));
    assertSame(decoded.rows().get(0).get("participant_id"),
        decoded.rows().get(1).get("participant_id"));
    assertEquals(6, decoded.rows().get(1).get("score"));
  }

  @Test
  void aNullWhereTheSchemaForbidsOneIsRefusedByName() {
    Schema schema = Schemas.load(Schemas.OBSERVATIONS);
    GenericRecord row = observation(schema, "p", 1);
    row.put("participant_id", null);
    CoderException e = assertThrows(CoderException.class, () -> CoderUtils.encodeToByteArray(
        RowBatchCoder.of(), new RowBatch(Schemas.OBSERVATIONS, List.of(row))));
    assertTrue(e.getMessage().contains("observations.participant_id"), e.getMessage());
  }

  @Test
  void encodingIsAFunctionOfTheValues() throws IOException {
    Schema schema = Schemas.load(Schemas.OBSERVATIONS);
    RowBatch a = new RowBatch(Schemas.OBSERVATIONS, List.of(observation(schema, "p", 1)));
    RowBatch b = new RowBatch(Schemas.OBSERVATIONS, List.of(observation(schema, "p", 1)));
    assertTrue(java.util.Arrays.equals(CoderUtils.encodeToByteArray(RowBatchCoder.of(), a),
        CoderUtils.encodeToByteArray(RowBatchCoder.of(), b)));
  }

  private static RowBatch roundTrip(RowBatch batch) throws IOException {
    return CoderUtils.decodeFromByteArray(RowBatchCoder.of(),
        CoderUtils.encodeToByteArray(RowBatchCoder.of(), batch));
  }

  private static GenericRecord observation(Schema schema, String participant, int score) {
    GenericRecord row = new GenericData.Record(schema);
    row.put("participant_id", participant);
    row.put("clinic", "north");
    row.put("measure", "PHQ9");
    row.put("loinc", "44261-6");
    row.put("source_system", "http://loinc.org");
    row.put("source_code", "44261-6");
    row.put("score", score);
    row.put("item_scores", new ArrayList<>(java.util.Arrays.asList(1, null, 3)));
    row.put("effective_date", 19000);
    row.put("effective_year", 2022);
    row.put("days_since_index", -3);
    row.put("record_id", "r" + score);
    row.put("record_version", null);
    row.put("run_id", "run-1");
    return row;
  }

  private static GenericRecord randomRow(Schema schema, Random random) {
    GenericRecord row = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      row.put(field.pos(), randomValue(field.schema(), random));
    }
    return row;
  }

  private static Object randomValue(Schema type, Random random) {
    switch (type.getType()) {
      case UNION:
        Schema value = type.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
            .findFirst().orElseThrow();
        return random.nextInt(4) == 0 ? null : randomValue(value, random);
      case STRING:
        return random.nextBoolean() ? "" : "s\u00e9\u4e2d" + random.nextInt(1000);
      case INT:
        return List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, random.nextInt())
            .get(random.nextInt(5));
      case LONG:
        return List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong())
            .get(random.nextInt(5));
      case DOUBLE:
        return List.of(0.0, -0.0, Double.NaN, Double.MAX_VALUE, random.nextGaussian())
            .get(random.nextInt(5));
      case BOOLEAN:
        return random.nextBoolean();
      case ARRAY: {
        List<Object> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(randomValue(type.getElementType(), random));
        }
        return items;
      }
      case MAP: {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          entries.put("k" + i, randomValue(type.getValueType(), random));
        }
        return entries;
      }
      default:
        throw new AssertionError("a schema type the test does not generate: " + type);
    }
  }
}
