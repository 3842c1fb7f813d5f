package org.longitude.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longitude.cli.Longitude;
import org.longitude.testing.StudyFiles;

/**
 * Hostile views through the command line: a column of a name, of a note, of an unshifted
 * date. Each is refused before any work with exit code 3 and a message naming the view, the
 * column, its rule, what the path reaches and why it may not leave.
 */
class HostileViewTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "Patient; name.family.first(); '{rule: code, systems: [\"http://example.org\"]}';"
          + "column 'leak' (rule code): name.family.first() reaches HumanName.family (a "
          + "string): names, addresses, telecom, identifiers, notes and other free text are "
          + "never released",
      "Observation; note.text.first(); pseudonym;"
          + "column 'leak' (rule pseudonym): note.text.first() reaches Annotation.text (a "
          + "markdown): names, addresses, telecom, identifiers, notes and other free text are "
          + "never released",
      "Observation; effective.ofType(dateTime); '{rule: code, systems: [\"http://loinc.org\"]}';"
          + "column 'leak' (rule code): effective.ofType(dateTime) reaches "
          + "[Observation.effective (dateTime)], which rule code does not release; dates are "
          + "released only under shift_date, never as they are",
      "Observation; effective.ofType(dateTime); '';"
          + "column 'leak': the column has no release rule"})
  void isRefusedBeforeTheRunWithExitCode3(String resource, String path, String rule,
      String reason) throws Exception {
    StudyFiles.copy("longitude/fhir-mappings/clinics/north.yaml", dir.resolve("north.yaml"));
    Path exports = Files.createDirectories(dir.resolve("exports"));
    Path study = StudyFiles.oneClinicStudy(dir, "hostile", "north", "north.yaml",
        "{kind: ndjson, directory: " + exports + "}");
    Files.writeString(dir.resolve("hostile.json"), """
        {"resourceType": "ViewDefinition", "name": "hostile", "resource": "%s",
         "select": [{"column": [{"name": "id", "path": "getResourceKey()"},
                                {"name": "leak", "path": "%s"}]}]}
        """.formatted(resource, path));
    Files.writeString(study, Files.readString(study) + """
        views:
          - view: hostile.json
            columns:
              id: pseudonym
        """ + (rule.isEmpty() ? "" : "      leak: " + rule + "\n"));
    Path output = dir.resolve("out");

    StringWriter err = new StringWriter();
    var cli = Longitude.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int exit = cli.execute("run", "--study", study.toString(), "--output", output.toString());

    assertEquals(3, exit, err.toString());
    assertTrue(err.toString().contains(study + ": views[0] (" + dir.resolve("hostile.json")
        + "): view 'hostile', " + reason), err.toString());
    assertFalse(Files.exists(output.resolve("runs")), "nothing ran");
  }
}
