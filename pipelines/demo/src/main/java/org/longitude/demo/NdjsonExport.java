package org.longitude.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a clinic in Bulk Data NDJSON layout: one {@code <ResourceType>.ndjson} file per type
 * (Patient, Observation, Condition, MedicationAdministration), one compact HAPI JSON resource
 * per line. Output is deterministic for a given dataset.
 */
public final class NdjsonExport {

  /** The resource types written, in this order; every file is written, possibly empty. */
  public static final List<String> RESOURCE_TYPES =
      List.of("Patient", "Observation", "Condition", "MedicationAdministration");

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private NdjsonExport() {}

  /** Writes the current version of every resource into {@code dir} (created if missing). */
  public static Map<String, Path> write(ClinicDataset dataset, Path dir) throws IOException {
    return write(dataset.resources(), dir);
  }

  /**
   * Writes every version of every resource, as an export that caught several versions of one
   * id would: versions of one id appear in ascending order.
   */
  public static Map<String, Path> writeAllVersions(ClinicDataset dataset, Path dir)
      throws IOException {
    return write(dataset.history(), dir);
  }

  private static Map<String, Path> write(List<Resource> resources, Path dir) throws IOException {
    Files.createDirectories(dir);
    IParser parser = FHIR.newJsonParser();
    Map<String, Path> files = new LinkedHashMap<>();
    for (String type : RESOURCE_TYPES) {
      Path file = dir.resolve(type + ".ndjson");
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Resource resource : resources) {
          if (resource.fhirType().equals(type)) {
            out.write(parser.encodeResourceToString(resource));
            out.write('\n');
          }
        }
      }
      files.put(type, file);
    }
    return files;
  }
}
