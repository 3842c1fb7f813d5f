package org.longitude.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;

/**
 * The packaged demo study, pointed at running demo clinics: north is searched, harbor offers
 * only Bulk Data {@code $export}, summit delivers NDJSON files.
 */
public final class DemoStudy {
  private static final String EMBEDDED = StudyLoader.EMBEDDED;

  private DemoStudy() {}

  /**
   * Starts the demo's clinics: harbor serves only {@code $export}, and makes its client poll
   * twice (as a scheduler-driven server does) before its manifest is ready.
   */
  public static DemoClinics startClinics(SyntheticStudy synthetic) {
    return DemoClinics.start(synthetic, ClinicServerOptions.defaults(), harbor());
  }

  /**
   * As {@link #startClinics(SyntheticStudy)}, the clinics read from a {@link ClinicCache}: they
   * serve at once and load meanwhile, summit first, whose files {@link #pointAt} writes.
   */
  public static DemoClinics startClinics(Path kept) {
    return DemoClinics.startFromNdjson(kept, ClinicServerOptions.defaults(), harbor(),
        ClinicProfile.SUMMIT);
  }

  private static Map<String, ClinicServerOptions> harbor() {
    return Map.of("harbor", ClinicServerOptions.defaults()
        .withExport(ExportPlan.defaults().exportOnly().withPolls(2, 1)));
  }

  /**
   * Loads the demo study and points it at {@code clinics}; NDJSON clinics' exports go to a
   * temporary folder removed when the JVM exits.
   */
  public static Study against(DemoClinics clinics) {
    try {
      Path exports = Files.createTempDirectory("longitude-demo-exports");
      exports.toFile().deleteOnExit();
      return pointAt(StudyLoader.load(StudyLoader.DEMO), clinics, exports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the demo's NDJSON exports", e);
    }
  }

  /**
   * Replaces every {@code embedded://<clinic>} base URL with that running clinic's, and every
   * {@code embedded://<clinic>} NDJSON directory with {@code exports/<clinic>}, where that
   * clinic's current data are written in Bulk Data layout. {@code exports} must lie outside
   * the run's output folder.
   */
  public static Study pointAt(Study study, DemoClinics clinics, Path exports) {
    List<Study.Clinic> resolved = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      Source source = c.source();
      String placeholder = source.kind() == Source.Kind.NDJSON ? source.directory()
          : source.baseUrl();
      if (placeholder == null || !placeholder.startsWith(EMBEDDED)) {
        resolved.add(c);
        continue;
      }
      DemoClinic running = running(study, c, clinics, placeholder);
      if (source.kind() == Source.Kind.NDJSON) {
        Path dir = exports.resolve(running.clinicId());
        writeExport(running, dir);
        resolved.add(c.withSource(source.withDirectory(dir.toString())));
      } else {
        resolved.add(c.withSource(source.withBaseUrl(running.baseUrl())));
      }
    }
    return study.withClinics(resolved);
  }

  private static DemoClinic running(Study study, Study.Clinic c, DemoClinics clinics,
      String placeholder) {
    String id = placeholder.substring(EMBEDDED.length());
    return clinics.clinics().stream()
        .filter(d -> d.clinicId().equals(id)).findFirst()
        .orElseThrow(() -> new ConfigException(study.source() + ": clinic '" + c.id()
            + "' names " + placeholder + " but no such demo clinic runs"));
  }

  private static void writeExport(DemoClinic clinic, Path dir) {
    try {
      clinic.exportNdjson(dir);
      dir.toFile().deleteOnExit();
      try (var files = Files.list(dir)) {
        files.map(Path::toFile).forEach(File::deleteOnExit); // deleted before their folder
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write demo clinic " + clinic.clinicId()
          + "'s NDJSON export to " + dir, e);
    }
  }
}
