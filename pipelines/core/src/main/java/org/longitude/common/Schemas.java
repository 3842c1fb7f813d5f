package org.longitude.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * The research tables' Avro schemas, read from the {@code schemas/} folder packaged on the
 * classpath. This is the only place that knows where they live; nothing else defines a table.
 */
public final class Schemas {
  public static final String OBSERVATIONS = "observations";
  public static final String PARTICIPANTS = "participants";
  public static final String TREATMENTS = "treatments";
  public static final String OUTCOMES = "outcomes";
  public static final String SURVIVAL = "survival";
  public static final String LANDMARKS = "landmarks";
  public static final String COURSE_OUTCOMES = "course_outcomes";
  public static final String ATTRITION = "attrition";
  public static final String INTERVALS = "intervals";
  public static final String COMPARISONS = "comparisons";
  public static final String PH_CHECKS = "ph_checks";
  public static final String BALANCE = "balance";
  public static final String WEIGHTED_SURVIVAL = "weighted_survival";
  public static final String QUARANTINE = "quarantine";
  public static final String RUN_SUMMARY = "run_summary";
  /** Rows per study view and clinic; the views' own tables have derived schemas. */
  public static final String VIEW_ROWS = "view_rows";

  private Schemas() {}

  /** The schema's JSON text, for serializable transforms that parse it in {@code @Setup}. */
  public static String json(String table) {
    String path = "longitude/schemas/" + table + ".avsc";
    try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("No schema for table '" + table + "' at " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Schema load(String table) {
    return new Schema.Parser().parse(json(table));
  }
}
