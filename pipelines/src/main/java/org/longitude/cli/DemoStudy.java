package org.longitude.cli;

import java.util.ArrayList;
import java.util.List;
import org.longitude.config.ConfigException;
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
      String url = c.source().baseUrl();
      if (url == null || !url.startsWith(EMBEDDED)) {
        resolved.add(c);
        continue;
      }
      String id = url.substring(EMBEDDED.length());
      DemoClinic running = clinics.clinics().stream()
          .filter(d -> d.clinicId().equals(id)).findFirst()
          .orElseThrow(() -> new ConfigException(study.source() + ": clinic '" + c.id()
              + "' names " + url + " but no such demo clinic runs"));
      resolved.add(c.withSource(c.source().withBaseUrl(running.baseUrl())));
    }
    return study.withClinics(resolved);
  }
}
