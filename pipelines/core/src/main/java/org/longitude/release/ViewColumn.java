package org.longitude.release;

import java.io.Serializable;
import java.util.List;
import org.longitude.config.StudyView;

/**
 * A view's column and its release rule, as {@link ViewRows} applies it.
 *
 * @param rule null never: DROP columns are kept (they are evaluated) but not written
 * @param systems a CODE column's declared code systems
 * @param output what the column's values become
 * @param idOf for a PSEUDONYM column of resource ids, the resource type they identify
 */
public record ViewColumn(String name, String path, StudyView.Rule rule, List<String> systems,
    Output output, String idOf) implements Serializable {

  /** What a released column's values become. */
  public enum Output { STRING, BOOLEAN, LONG, DOUBLE, INT, DATE }

  /** Written to the table (every rule but drop). */
  public boolean released() {
    return rule != StudyView.Rule.DROP;
  }
}
