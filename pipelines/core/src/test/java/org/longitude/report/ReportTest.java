package org.longitude.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Study;
import org.longitude.config.StudyLoader;
import org.longitude.report.ResearchTables.Survival;

/** The report page built from a small set of research tables (no browser: see the other test). */
class ReportTest {
  private static final Study STUDY = StudyLoader.load(StudyLoader.DEMO);

  @TempDir Path temp;

  private String render() throws Exception {
    Path research = temp.resolve("research");
    ResearchFixture.write(research);
    return Report.render(research, STUDY, ResearchFixture.RUN, Instant.EPOCH);
  }

  @Test
  void suppressedCellsShowAsSuppressedNeverAsZero() throws Exception {
    String html = render();
    String label = "<td class=\"suppressed\">suppressed (&lt;11)</td>";
    // course outcome "remission": numerator, denominator and rate are withheld
    assertTrue(html.contains("<td>remission</td><td class=\"suppressed\">suppressed (&lt;11)"
        + "</td><td class=\"suppressed\">suppressed (&lt;11)</td><td class=\"suppressed\">"
        + "suppressed (&lt;11)</td>"), "suppressed course outcome shown as suppressed");
    // attrition step 2: excluded withheld; the quarantine count withheld
    assertTrue(html.contains("<td>2. with index</td><td>75</td>" + label), html);
    assertTrue(html.contains("<td>normalize</td>" + label));
    // numbers at risk: the maintenance group starts at the landmark with 30 and drops into
    // small cells
    assertTrue(html.contains("<td>maintenance</td><td>30</td>"), html);
    assertTrue(count(html, label) >= 5);
    assertFalse(html.contains("<td>remission</td><td>0</td>"));
  }

  @Test
  void withheldRunCountsShowAsSuppressedAndSoDoTheirTotals() throws Exception {
    String html = render();
    String label = "<td class=\"suppressed\">suppressed (&lt;11)</td>";
    // north has 7 patients: withheld in run_summary, never shown as 0
    assertTrue(html.contains("<td>north</td><td>Patient</td>" + label + label), html);
    // Observation: read shown; the rest withheld, checked on exact counts before publishing
    assertTrue(html.contains("<td>north</td><td>Observation</td><td>100</td>" + label + label
        + label + "<td>ok (exact)</td>"), html);
    // a reason total across clinics that includes a withheld count is withheld
    assertTrue(html.contains("<td>filtered</td><td>DUPLICATE</td>" + label), html);
    assertFalse(html.contains("<td>Patient</td><td>0</td>"));
  }

  @Test
  void textFromTablesIsEscaped() throws Exception {
    String html = render();
    assertFalse(html.contains(ResearchFixture.HOSTILE));
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    // the only script is the page's own chart check
    assertEquals(1, count(html, "<script>"));
  }

  @Test
  void pageIsSelfContained() throws Exception {
    String html = render();
    Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
    int charts = 0;
    while (refs.find()) {
      String ref = refs.group(1);
      assertTrue(ref.startsWith("data:image/png;base64,") || ref.startsWith("#"),
          "only embedded images and in-page links, found " + ref);
      charts += ref.startsWith("data:") ? 1 : 0;
    }
    assertFalse(html.contains("<link"));
    assertTrue(html.contains("default-src 'none'"), "a CSP forbids fetching anything");
    // all, the landmark groups and the weighted groups; a forest and a Love plot; 1 landmark
    // chart, 1 course outcome chart, attrition and 1 trajectory
    assertEquals(9, charts);
    assertEquals(charts, count(html, "class=\"chart\""));
  }

  @Test
  void maintenanceComparisonShowsEstimatesRefusalsAndChecks() throws Exception {
    String html = render();
    assertTrue(html.contains("Does maintenance extend durability?"));
    assertTrue(html.contains("no comparison here proves that maintenance works"));
    assertTrue(html.contains("<td>maintenance</td><td>wald z</td><td>0.480 (0.310–0.740)</td>"),
        html);
    assertTrue(html.contains("<td>initial_infusions</td><td>wald z</td><td></td><td></td>"
        + "<td></td>"), "a covariate left out shows no numbers");
    assertTrue(html.contains("not estimable: SPARSE"));
    assertTrue(html.contains("<td>maintenance</td><td>4.20</td><td>1</td><td>0.0404</td>"));
    assertTrue(html.contains("<td>baseline_score</td><td>0.270</td><td>-0.020</td>"));
    assertTrue(html.contains("<td>comparison: landmark (days after first response)</td>"
        + "<td>60</td>"));
  }

  @Test
  void rulesAndConfigurationAreListed() throws Exception {
    String html = render();
    assertTrue(html.contains("<td>baseline window (days)</td><td>-30 … 0</td>"));
    assertTrue(html.contains("<td>ptsd</td><td>PCL5</td><td>≥ 33</td>"
        + "<td>≥ 10 points below baseline</td><td>&lt; 33</td>"));
    assertTrue(html.contains("<td>small cells suppressed</td><td>1–10</td>"));
    assertFalse(html.contains("embedded://"), "no source addresses in the page");
  }

  @Test
  void trajectoriesOmitMonthsWithFewParticipants() throws Exception {
    Path research = temp.resolve("research");
    ResearchFixture.write(research);
    try (ResearchTables tables = ResearchTables.open(research)) {
      List<ResearchTables.Trajectory> t = tables.trajectories(30.4375);
      assertEquals(List.of(-1, 0, 1, 2), t.stream().map(ResearchTables.Trajectory::month).toList());
      assertEquals(15, t.get(0).participants());
    }
  }

  @Test
  void numbersAtRiskFollowTheCurve() {
    List<Survival> curve = List.of(
        new Survival("d", "PHQ9", "all", 10, 50L, 2L, 0L, 0.96, 0.9, 0.99, false),
        new Survival("d", "PHQ9", "all", 30, null, null, null, 0.8, 0.7, 0.9, true),
        new Survival("d", "PHQ9", "all", 60, 12L, 2L, 10L, 0.6, 0.4, 0.8, true));
    assertEquals(50L, Report.atRisk(curve, 0));
    assertEquals(50L, Report.atRisk(curve, 10));
    assertNull(Report.atRisk(curve, 11), "withheld count stays withheld");
    assertEquals(12L, Report.atRisk(curve, 31));
    assertEquals(0L, Report.atRisk(curve, 61));
  }

  @Test
  void writeKeepsACopyWithTheRunAndPublishesOne() throws Exception {
    Path research = temp.resolve("research");
    ResearchFixture.write(research);
    Path kept = temp.resolve("runs/r1/report/index.html");
    Path published = Report.write(research, STUDY, ResearchFixture.RUN, kept,
        temp.resolve("report/index.html"));
    assertEquals(temp.resolve("report/index.html"), published);
    assertEquals(Files.readString(kept), Files.readString(published));
    assertEquals(List.of(published), Files.list(published.getParent()).toList(),
        "only the page: its temporary copy was moved into place");
    assertTrue(Files.readString(published).startsWith("<!DOCTYPE html>"));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
