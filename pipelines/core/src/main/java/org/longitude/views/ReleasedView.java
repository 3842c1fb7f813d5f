package org.longitude.views;

import java.io.Serializable;
import java.util.List;
import org.longitude.config.StudyView;

/**
 * A study view that passed {@link ReleaseCheck}: what the workers need to run it and release
 * its rows. Serializable, so the launcher checks once and the workers only compile paths.
 *
 * @param name the table's name ({@code research/views/<name>/})
 * @param view the ViewDefinition
 * @param columns every column of the view in row order, each with its release
 * @param codes the Observation codes ({@code system|code}) the view reads, or empty for all
 * @param participantPath the path to the participant's key on the view's resource
 *     ({@code getResourceKey()} on Patient, {@code subject.getReferenceKey(Patient)} ...)
 * @param schema the table's Avro schema (JSON)
 */
public record ReleasedView(String name, ViewDefinition view, List<Column> columns,
    List<String> codes, String participantPath, String schema) implements Serializable {

  /** What a released column's values become. */
  public enum Output { STRING, BOOLEAN, LONG, DOUBLE, INT, DATE }

  /**
   * A column and its release.
   *
   * @param rule null never: DROP columns are kept (they are evaluated) but not written
   * @param systems a CODE column's declared code systems
   * @param idOf for a PSEUDONYM column of resource ids, the resource type they identify
   */
  public record Column(String name, String path, StudyView.Rule rule, List<String> systems,
      Output output, String idOf) implements Serializable {
    /** Written to the table (every rule but drop). */
    public boolean released() {
      return rule != StudyView.Rule.DROP;
    }
  }

  /** The released columns, in row order. */
  public List<Column> releasedColumns() {
    return columns.stream().filter(Column::released).toList();
  }
}
