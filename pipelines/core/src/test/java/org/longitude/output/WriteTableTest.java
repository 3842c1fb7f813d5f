package org.longitude.output;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.longitude.common.Schemas;
import org.longitude.testing.ParquetRows;

/**
 * A table written as rows (the cohort tables) and sharded by participant: each participant's
 * rows in one file, every row written once, each file sorted, shard counts from the rows.
 */
public class WriteTableTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder dir = new TemporaryFolder();

  @Test
  public void shardedRowsKeepEachParticipantInOneSortedFile() throws IOException {
    Schema schema = Schemas.load(Schemas.OUTCOMES);
    List<GenericRecord> rows = new ArrayList<>();
    for (int p = 0; p < 40; p++) {
      for (String condition : List.of("depression", "anxiety", "ptsd")) {
        rows.add(outcome(schema, "participant-" + p, condition));
      }
    }
    String research = dir.getRoot().toString();
    pipeline.apply(Create.of(rows).withCoder(AvroCoder.of(schema)))
        .apply(WriteTable.as(TableLayout.of(Schemas.OUTCOMES).shardedBy("participant_id", 3),
            research));
    pipeline.run().waitUntilFinish();

    Map<String, String> fileOf = new HashMap<>();
    int read = 0;
    List<Path> files = parquetFiles(Path.of(research, Schemas.OUTCOMES));
    assertEquals(List.of("outcomes-00000-of-00003.parquet", "outcomes-00001-of-00003.parquet",
        "outcomes-00002-of-00003.parquet"),
        files.stream().map(f -> f.getFileName().toString()).toList());
    for (Path file : files) {
      List<GenericRecord> inFile = ParquetRows.read(file);
      for (int i = 0; i < inFile.size(); i++) {
        String participant = inFile.get(i).get("participant_id").toString();
        String previousFile = fileOf.put(participant, file.getFileName().toString());
        assertTrue(participant, previousFile == null || previousFile.equals(
            file.getFileName().toString()));
        if (i > 0) {
          assertTrue("sorted", RowOrder.by(List.of()).compare(inFile.get(i - 1), inFile.get(i))
              <= 0);
        }
      }
      read += inFile.size();
    }
    assertEquals(rows.size(), read);
    assertEquals(40, fileOf.size());
    Set<String> used = new HashSet<>(fileOf.values());
    assertTrue("participants spread over the shards: " + used, used.size() > 1);
  }

  private static GenericRecord outcome(Schema schema, String participant, String condition) {
    GenericData.Record row = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      Schema type = f.schema().getType() == Schema.Type.UNION ? null : f.schema();
      if (type == null) {
        continue; // nullable: left null
      }
      switch (type.getType()) {
        case STRING -> row.put(f.pos(), "x");
        case INT -> row.put(f.pos(), 1);
        case BOOLEAN -> row.put(f.pos(), true);
        case MAP -> row.put(f.pos(), new HashMap<String, Object>());
        default -> throw new AssertionError("unexpected type in outcomes: " + type);
      }
    }
    row.put("participant_id", participant);
    row.put("condition", condition);
    return row;
  }

  private static List<Path> parquetFiles(Path folder) throws IOException {
    try (Stream<Path> all = Files.list(folder)) {
      return all.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
  }

}
