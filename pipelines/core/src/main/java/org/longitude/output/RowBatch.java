package org.longitude.output;

import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Rows of one research table bound for one file, shipped together to the step that writes
 * the file: one participant's observations of a measure, say. {@link RowBatchCoder} writes a
 * value repeated from the row before (participant, clinic, measure, run) as one byte.
 *
 * @param table the table the rows belong to (their schema)
 */
public record RowBatch(String table, List<GenericRecord> rows) {}
