package org.longitude.extract;

import java.io.Serializable;
import org.longitude.config.Source;

/**
 * One independent unit of pulling: a resource type (or one {@code _lastUpdated} slice of it)
 * from a FHIR search source, one NDJSON file (or a byte range of a large one), or one Bulk
 * Data export job. Tasks are spread over workers.
 *
 * @param query search parameters for fhir-search (without {@code _count}); the file path for
 *     ndjson; the kick-off parameters for bulk-export (without {@code _since})
 * @param since ISO instant: ask only for what changed after it (incremental pull); null = all
 * @param bytes the lines of an NDJSON file starting in this range; null = the whole file
 */
public record PullTask(String clinic, Source source, String resourceType, String query,
    String since, ByteRange bytes) implements Serializable {

  /** The lines starting at a byte offset in [from, to). */
  public record ByteRange(long from, long to) implements Serializable {}

  public PullTask(String clinic, Source source, String resourceType, String query) {
    this(clinic, source, resourceType, query, null, null);
  }

  public PullTask(String clinic, Source source, String resourceType, String query,
      String since) {
    this(clinic, source, resourceType, query, since, null);
  }

  /** What the task reads, for log lines and messages: the search, file or file range. */
  String where() {
    if (source.kind() == Source.Kind.FHIR_SEARCH) {
      return resourceType + " search";
    }
    return bytes == null ? query : query + " (lines from byte " + bytes.from() + ")";
  }
}
