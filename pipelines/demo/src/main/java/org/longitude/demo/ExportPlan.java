package org.longitude.demo;

/**
 * How a demo clinic serves FHIR Bulk Data {@code $export}, including the ways real servers
 * (and hostile ones) depart from the happy path. Immutable; derive variants with the
 * {@code withX} methods.
 *
 * @param only serve nothing but {@code $export}: searches and reads are refused
 * @param polls how many status polls answer 202 (with {@code X-Progress} and
 *     {@code Retry-After}) before the manifest is ready
 * @param retryAfterSeconds the {@code Retry-After} of a 202 status answer
 * @param resourcesPerFile how many resources one output file holds at most
 * @param binary answer every file as a Binary resource with base64 data, whatever the
 *     request's {@code Accept} (as HAPI FHIR does without {@code application/fhir+ndjson})
 * @param fileBase the base written before {@code /Binary/<id>} in the manifest; null = the
 *     clinic's own base. Another origin or a {@code file:} URL makes a hostile manifest.
 * @param errors how many OperationOutcomes an error file of the manifest lists (0 = none)
 */
public record ExportPlan(boolean only, int polls, int retryAfterSeconds, int resourcesPerFile,
    boolean binary, String fileBase, int errors) {

  /** Search and $export; the manifest at the first poll; 500 resources per file. */
  public static ExportPlan defaults() {
    return new ExportPlan(false, 0, 0, 500, false, null, 0);
  }

  public ExportPlan exportOnly() {
    return new ExportPlan(true, polls, retryAfterSeconds, resourcesPerFile, binary,
        fileBase, errors);
  }

  /** {@code n} polls answer "in progress", each asking the client to wait {@code seconds}. */
  public ExportPlan withPolls(int n, int seconds) {
    return new ExportPlan(only, n, seconds, resourcesPerFile, binary, fileBase, errors);
  }

  public ExportPlan withResourcesPerFile(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("must be >= 1: " + n);
    }
    return new ExportPlan(only, polls, retryAfterSeconds, n, binary, fileBase, errors);
  }

  public ExportPlan binaryOnly() {
    return new ExportPlan(only, polls, retryAfterSeconds, resourcesPerFile, true, fileBase,
        errors);
  }

  /** A manifest whose file URLs start with {@code base} instead of the clinic's own base. */
  public ExportPlan withFileBase(String base) {
    return new ExportPlan(only, polls, retryAfterSeconds, resourcesPerFile, binary, base,
        errors);
  }

  /** A manifest with an error file of {@code n} OperationOutcomes. */
  public ExportPlan withErrors(int n) {
    return new ExportPlan(only, polls, retryAfterSeconds, resourcesPerFile, binary,
        fileBase, n);
  }
}
