package org.longitude.extract;

import java.io.Serializable;
import org.longitude.config.Source;

/**
 * One independent unit of pulling: a resource type (or one {@code _lastUpdated} slice of it)
 * from a FHIR search source, one NDJSON file, or one Bulk Data export job. Tasks are spread
 * over workers.
 *
 * @param query search parameters for fhir-search (without {@code _count}); the file path for
 *     ndjson; the kick-off parameters for bulk-export (without {@code _since})
 * @param since ISO instant: ask only for what changed after it (incremental pull); null = all
 */
public record PullTask(String clinic, Source source, String resourceType, String query,
    String since) implements Serializable {

  public PullTask(String clinic, Source source, String resourceType, String query) {
    this(clinic, source, resourceType, query, null);
  }
}
