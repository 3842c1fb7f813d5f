package org.longitude.extract;

import java.time.Instant;
import java.util.function.Consumer;
import org.longitude.config.Source;

/**
 * The product's search pull ({@link FhirSearchPull} over {@link FhirHttp}, the clinic's auth,
 * trust store and time limit) outside a pipeline: for benchmarks and tools that measure or
 * inspect the pull itself. Resources are streamed to the sink page by page, never collected.
 */
public final class DirectSearchPull {
  private DirectSearchPull() {}

  /**
   * Pulls every current {@code resourceType} resource of a fhir-search source, following the
   * server's next links, and hands each resource's JSON to {@code sink}; returns the number of
   * pages read. Throws {@link PullFailedException} (naming clinic, URL and pages read) when
   * the pull fails after the retries.
   */
  public static int pull(String clinic, Source source, String resourceType,
      Consumer<String> sink) {
    if (source.kind() != Source.Kind.FHIR_SEARCH) {
      throw new IllegalArgumentException("clinic '" + clinic + "' is not a fhir-search source");
    }
    FhirSearchPull pull = new FhirSearchPull(FhirHttp.forSource(source, Instant.now()));
    return pull.pull(new PullTask(clinic, source, resourceType, ""), sink);
  }
}
