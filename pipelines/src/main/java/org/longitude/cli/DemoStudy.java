package org.longitude.cli;

import java.util.ArrayList;
import java.util.List;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.demo.DemoClinic;
import org.longitude.demo.DemoClinics;

/** The packaged demo study, pointed at running demo clinics. */
public final class DemoStudy {
  private static final String EMBEDDED = "embedded://";

  private DemoStudy() {}

  /** Loads the demo study and replaces its {@code embedded://<clinic>} URLs. */
  public static Study against(DemoClinics clinics) {
    return pointAt(StudyLoader.load(StudyLoader.DEMO), clinics);
  }

  /** Replaces every {@code embedded://<clinic>} base URL with that running clinic's. */
  public static Study pointAt(Study study, DemoClinics clinics) {
    List<Study.Clinic> resolved = new ArrayList<>();
    for (Study.Clinic c : study.clinics()) {
      Source source = c.source();
      if (source.baseUrl() != null && source.baseUrl().startsWith(EMBEDDED)) {
        String id = source.baseUrl().substring(EMBEDDED.length());
        DemoClinic running = clinics.clinics().stream()
            .filter(d -> d.clinicId().equals(id)).findFirst()
            .orElseThrow(() -> new ConfigException(study.source() + ": clinic '" + c.id()
                + "' names " + source.baseUrl() + " but no such demo clinic runs"));
        source = source.withBaseUrl(running.baseUrl());
      }
      resolved.add(c.withSource(source));
    }
    return study.withClinics(resolved);
  }
}
