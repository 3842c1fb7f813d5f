package org.longitude.extract;

import java.io.Serializable;
import org.longitude.config.Source;

/**
 * One independent unit of pulling: a resource type from a FHIR search source, or one NDJSON
 * file. Tasks are spread over workers.
 *
 * @param query search parameters for fhir-search (without {@code _count}); the file path for
 *     ndjson; the kick-off parameters for bulk-export (without {@code _since})
 * @param since only what changed at or after this instant (ISO-8601), or null for everything
 */
public record PullTask(String clinic, Source source, String resourceType, String query,
    String since) implements Serializable {}
