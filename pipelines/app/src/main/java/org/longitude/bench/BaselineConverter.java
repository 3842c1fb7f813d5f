package org.longitude.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Type;
import org.longitude.common.Schemas;
import org.longitude.config.MeasureCatalog;
import org.longitude.output.WriteTable;

/**
 * The baseline of the benchmark: what a developer would write by hand for one clinic that
 * sends LOINC totals as {@code valueInteger} with item components — a single-threaded loop,
 * HAPI parse of each Observation line, one {@code observations} row, Parquet (snappy). No
 * de-identification, no dedupe, no accounting.
 *
 * <p>It drops only what it cannot write (no mapped code, no integer value) and, so its rows
 * can be compared with the pipeline's, Observations whose status is not final, amended or
 * corrected — a one-line filter any hand-written converter would have. Everything else the
 * pipeline rejects (out-of-range, dangling subject, missing or future date, duplicates) is
 * kept: that is the point of a naive converter.
 */
final class BaselineConverter {
  private static final Set<String> KEPT_STATUSES = Set.of("final", "amended", "corrected");

  /** A LOINC code's meaning: the measure, and the 1-based item or 0 for the total. */
  private record Meaning(String measure, int item) {}

  private final Map<String, Meaning> codes = new HashMap<>();
  private final Map<String, Integer> itemCounts = new HashMap<>();
  private final Schema schema = Schemas.load(Schemas.OBSERVATIONS);
  private final String clinic;
  private final String runId;

  BaselineConverter(MeasureCatalog catalog, String clinic, String runId) {
    this.clinic = clinic;
    this.runId = runId;
    catalog.measures().forEach((id, m) -> {
      if (m.total() != null) {
        codes.put(m.total(), new Meaning(id, 0));
      }
      List<String> items = m.itemsOrEmpty();
      for (int i = 0; i < items.size(); i++) {
        codes.put(items.get(i), new Meaning(id, i + 1));
      }
      itemCounts.put(id, m.numberOfItems());
    });
  }

  /** Converts every line of {@code ndjson}; returns the number of rows written. */
  long convert(Path ndjson, Path parquet) throws IOException {
    Files.deleteIfExists(parquet);
    IParser parser = FhirContext.forR4Cached().newJsonParser();
    // The same Hadoop configuration ParquetIO.sink builds from WriteTable's settings.
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    WriteTable.PARQUET_CONFIG.forEach(conf::set);
    long rows = 0;
    try (BufferedReader in = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8);
        ParquetWriter<GenericRecord> out = AvroParquetWriter
            .<GenericRecord>builder(new LocalOutputFile(parquet))
            .withSchema(schema)
            .withConf(conf)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        GenericRecord row = row(parser.parseResource(Observation.class, line));
        if (row != null) {
          out.write(row);
          rows++;
        }
      }
    }
    return rows;
  }

  private GenericRecord row(Observation o) {
    if (!o.hasStatus() || !KEPT_STATUSES.contains(o.getStatus().toCode())) {
      return null;
    }
    Meaning meaning = null;
    Coding source = null;
    for (Coding c : o.getCode().getCoding()) {
      meaning = codes.get(c.getCode());
      if (meaning != null && meaning.item() == 0) {
        source = c;
        break;
      }
    }
    if (source == null || !(o.getValue() instanceof IntegerType total)) {
      return null;
    }
    List<Integer> items = new ArrayList<>(
        Collections.nCopies(itemCounts.get(meaning.measure()), null));
    boolean anyItem = false;
    for (Observation.ObservationComponentComponent component : o.getComponent()) {
      for (Coding c : component.getCode().getCoding()) {
        Meaning item = codes.get(c.getCode());
        Type value = component.getValue();
        if (item != null && item.measure().equals(meaning.measure()) && item.item() > 0
            && value instanceof IntegerType answer) {
          items.set(item.item() - 1, answer.getValue());
          anyItem = true;
        }
      }
    }
    LocalDate day = o.hasEffectiveDateTimeType()
        ? LocalDate.parse(o.getEffectiveDateTimeType().getValueAsString().substring(0, 10))
        : null;
    // Built here, not by the release: the baseline converts records as they come, with no
    // de-identification, and writes nothing a study publishes.
    return new GenericRecordBuilder(schema)
        .set("participant_id", o.getSubject().getReferenceElement().getIdPart())
        .set("clinic", clinic)
        .set("measure", meaning.measure())
        .set("loinc", source.getCode())
        .set("source_system", source.getSystem())
        .set("source_code", source.getCode())
        .set("score", total.getValue())
        .set("item_scores", anyItem ? items : List.of())
        .set("effective_date", day == null ? null : (int) day.toEpochDay())
        .set("effective_year", day == null ? null : day.getYear())
        .set("days_since_index", null)
        .set("record_id", o.getIdElement().getIdPart())
        .set("record_version", o.getIdElement().getVersionIdPart())
        .set("run_id", runId)
        .build();
  }
}
