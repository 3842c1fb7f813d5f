package org.longitude.views;

import java.io.Serializable;
import java.util.List;
import org.longitude.release.ViewColumn;

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
public record ReleasedView(String name, ViewDefinition view, List<ViewColumn> columns,
    List<String> codes, String participantPath, String schema) implements Serializable {

  /** The released columns, in row order. */
  public List<ViewColumn> releasedColumns() {
    return columns.stream().filter(ViewColumn::released).toList();
  }
}
