package org.longitude.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** References are read by hand; the grammar's regular expression is the second reading. */
class ReferencesTest {
  /** {@code [base/]Type/id[/_history/version]}: the reading References replaced. */
  private static final Pattern LITERAL =
      Pattern.compile("(?:.*/)?([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?");

  @Test
  void readsEachShapeAsTheGrammarDoes() {
    List<String> cases = new ArrayList<>(List.of("Patient/123", "http://x.org/fhir/Patient/p-1.2",
        "Patient/123/_history/2", "https://h/fhir/Patient/9/_history/v1", "#contained",
        "urn:uuid:5d6c0a4e-2f1b-4c1e-9b0e-1d2a3b4c5d6e", "Patient/", "/Patient/1", "patient/1",
        "Patient/a_b", "Patient/_history/5", "Observation/1/_history/", "Patient",
        "Patient/1/_history/2/3", "a/b/Patient/" + "x".repeat(64), "Patient/" + "x".repeat(65),
        "Patient//1", "P/1", "Pa/1", "Patient/1/"));
    Random random = new Random(7);
    String[] parts = {"Patient", "1", "a-b", "_history", "http:", "", "Observation", "x.y", "#",
        "p_q", "Z"};
    for (int i = 0; i < 5000; i++) {
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(6); n >= 0; n--) {
        s.append(parts[random.nextInt(parts.length)]).append(random.nextInt(4) == 0 ? "" : "/");
      }
      cases.add(s.toString());
    }
    for (String reference : cases) {
      Matcher m = LITERAL.matcher(reference);
      References.Key expected = m.matches() ? new References.Key(m.group(1), m.group(2)) : null;
      assertEquals(expected, References.parse(reference), reference);
    }
  }
}
