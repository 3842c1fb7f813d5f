package org.longitude.views;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.longitude.config.ConfigException;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyView;

/**
 * A study's views checked together ({@link ReleaseCheck} each, and names unique): what the
 * config loader refuses with and the pipeline runs. A refusal is a {@link ConfigException}
 * (exit code 3) naming the view's file, the view, where in it and why.
 */
public final class StudyViews {
  private StudyViews() {}

  public static List<ReleasedView> check(List<StudyView> views, DeidRules deid) {
    FhirContext fhir = FhirContext.forR4Cached();
    List<ReleasedView> released = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (StudyView view : views) {
      ReleasedView r;
      try {
        r = ReleaseCheck.check(view, deid, fhir);
      } catch (ViewException e) {
        throw new ConfigException(view.source() + ": " + e.getMessage(), e);
      }
      if (!names.add(r.name())) {
        throw new ConfigException(view.source() + ": view '" + r.name() + "': another view of "
            + "the study has this name; view names name tables and must be unique");
      }
      released.add(r);
    }
    return List.copyOf(released);
  }
}
