package org.longitude.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.longitude.config.CohortSettings;
import org.longitude.config.DeidRules;
import org.longitude.config.MeasureCatalog;
import org.longitude.config.Study;
import org.longitude.release.LinkedCells;
import org.longitude.release.SmallCells;
import org.longitude.report.ResearchTables.Attrition;
import org.longitude.report.ResearchTables.CourseOutcome;
import org.longitude.report.ResearchTables.Landmark;
import org.longitude.report.ResearchTables.Quarantine;
import org.longitude.report.ResearchTables.RunSummaryRow;
import org.longitude.report.ResearchTables.Survival;
import org.longitude.report.ResearchTables.Trajectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run report: one self-contained HTML page (inline CSS, charts as PNG data URIs, a
 * content security policy that forbids any network fetch) built from the run's research
 * tables only, so it shows exactly what the research zone holds — suppressed cells included,
 * as "suppressed (&lt;11)", never as 0.
 *
 * <pre>
 * &lt;output&gt;/report/index.html              the latest published run's report
 * &lt;output&gt;/runs/&lt;run&gt;/report/index.html    kept with the run
 * </pre>
 */
public final class Report {
  private static final Logger LOG = LoggerFactory.getLogger(Report.class);
  static final String SUPPRESSED_PREFIX = "suppressed (";
  private static final DateTimeFormatter GENERATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final List<String> STRATA = List.of("all", "maintenance", "none");

  private final Study study;
  private final String runId;
  private final String suppressed;
  private final Html page = new Html();

  private Report(Study study, String runId) {
    this.study = study;
    this.runId = runId;
    this.suppressed = SUPPRESSED_PREFIX + "<" + (study.deid().smallCellMax() + 1) + ")";
  }

  /** Prepares, on another thread, what the report needs first (DuckDB's native library). */
  public static void prepareAhead() {
    ResearchTables.loadDriverAhead();
  }

  /**
   * Writes the report of the research tables in {@code research} (a local folder: the report
   * needs nothing else) to {@code kept}, then the same page to {@code published}, replaced
   * atomically.
   *
   * @return the published page
   */
  public static Path write(Path research, Study study, String runId, Path kept, Path published)
      throws IOException {
    String html = render(research, study, runId, Instant.now());
    Files.createDirectories(kept.getParent());
    Files.writeString(kept, html);
    Files.createDirectories(published.getParent());
    Path tmp = published.resolveSibling(".index-" + runId + ".html");
    Files.writeString(tmp, html);
    Files.move(tmp, published, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    LOG.info("run {}: report at {}", runId, published);
    return published;
  }

  /** The page for the research tables in {@code research}. */
  static String render(Path research, Study study, String runId, Instant generated)
      throws IOException {
    Report report = new Report(study, runId);
    try (ResearchTables tables = ResearchTables.open(research)) {
      report.head(generated, tables.runSummary());
      report.durability(tables.survival(), tables.weightedSurvival());
      new MaintenanceSection(report, report.page).render(tables.comparisons(),
          tables.phChecks(), tables.balance());
      report.landmarks(tables.landmarks());
      report.courseOutcomes(tables.courseOutcomes());
      report.attrition(tables.attrition());
      report.trajectories(tables.trajectories(study.cohort().daysPerMonth()));
      report.dataQuality(tables.runSummary(), tables.quarantine());
      report.rules();
    }
    return report.page.raw("</main></body></html>\n").toString();
  }

  // ---- sections ----------------------------------------------------------------------------

  private void head(Instant generated, List<RunSummaryRow> summary) {
    page.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        // Self-contained by construction, and enforced: the page may fetch nothing.
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        + "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .element("title", "Longitude report — " + study.id() + " — " + runId)
        .raw("<style>").raw(CSS).raw("</style>").raw("<script>").raw(CHART_CHECK)
        .raw("</script></head><body><main>");
    page.element("h1", "Ketamine durability report: " + study.id());
    Map<String, String> clinicStatus = new TreeMap<>();
    study.clinics().forEach(c -> clinicStatus.put(c.id(), "no records"));
    summary.forEach(r -> clinicStatus.put(r.clinic(), r.clinicStatus()));
    List<String> clinics = new ArrayList<>();
    clinicStatus.forEach((c, s) -> clinics.add(c + " (" + s + ")"));
    page.raw("<p class=\"meta\">").text("Run " + runId + " · generated " + GENERATED.format(
        generated) + " · clinics: " + String.join(", ", clinics)).raw("</p>");
    page.raw("<p class=\"note\">").text("Everything here is read from this run's research "
        + "tables (de-identified). Counts from 1 to " + study.deid().smallCellMax()
        + " are withheld in the aggregate tables, as are values that would give them back; "
        + "they appear as \u201c" + suppressed + "\u201d, and as missing bars in the charts. "
        + "Intervals are 95%.").raw("</p>");
    page.raw("<nav><ol>"
        + "<li><a href=\"#durability\">Durability (Kaplan–Meier)</a></li>"
        + "<li><a href=\"#maintenance\">Does maintenance extend durability?</a></li>"
        + "<li><a href=\"#landmarks\">Landmarks</a></li>"
        + "<li><a href=\"#course\">Course outcomes</a></li>"
        + "<li><a href=\"#attrition\">Attrition</a></li>"
        + "<li><a href=\"#trajectories\">Score trajectories</a></li>"
        + "<li><a href=\"#quality\">Data quality</a></li>"
        + "<li><a href=\"#rules\">Rules and configuration</a></li></ol></nav>");
  }

  private void durability(List<Survival> rows, List<Survival> weighted) {
    int landmark = study.cohort().comparisonOrDefaults().landmarkDay();
    section("durability", "Durability of response (Kaplan–Meier)");
    paragraph("Time from first response to relapse, per condition: all responders; then the "
        + "landmark groups, fixed " + landmark + " days after first response among those "
        + "relapse-free and still followed then (maintenance = at least one booster after day "
        + study.cohort().initialCourseEndDay() + " by the landmark; none = no booster by "
        + "then), their curves starting at the landmark; then the same groups weighted to "
        + "balance their covariates (see “Does maintenance extend durability?”). "
        + "Shaded: 95% confidence band (log−log; Greenwood, or robust for the weighted "
        + "curves). +: censored. Below the curves: participants still at risk.");
    if (empty(rows, "survival")) {
      return;
    }
    double maxDay = rows.stream().mapToInt(Survival::day).max().orElse(1);
    int step = atRiskStep(maxDay);
    Map<String, List<Survival>> byCurve = Charts.group(rows,
        r -> r.condition() + "|" + r.stratum());
    Map<String, List<Survival>> byWeightedCurve = Charts.group(weighted,
        r -> r.condition() + "|" + r.stratum());
    for (String condition : conditions(rows.stream().map(Survival::condition).toList())) {
      page.element("h3", conditionTitle(condition));
      page.raw("<div class=\"grid3\">");
      List<Survival> all = byCurve.getOrDefault(condition + "|all", List.of());
      page.raw("<figure>");
      page.chart(Charts.kaplanMeier(conditionTitle(condition) + " · all", "all", all, maxDay),
          "Kaplan–Meier curve of durability, " + condition + ", all responders");
      atRiskTable(Map.of("all", all), 0, maxDay, step);
      page.raw("</figure>");
      Map<String, List<Survival>> groups = groups(byCurve, condition);
      page.raw("<figure>");
      if (groups.isEmpty()) {
        page.element("p", "empty", "No responder relapse-free and followed at the landmark.");
      } else {
        page.chart(Charts.kaplanMeier(conditionTitle(condition) + " · landmark day "
            + landmark, groups, maxDay, landmark), "Kaplan–Meier curves of durability from the "
            + "landmark, " + condition + ", maintenance and none");
        atRiskTable(groups, landmark, maxDay, step);
      }
      page.raw("</figure>");
      Map<String, List<Survival>> adjusted = groups(byWeightedCurve, condition);
      page.raw("<figure>");
      if (adjusted.isEmpty()) {
        page.element("p", "empty", "No weighted curves: the propensity model was not "
            + "estimable (see the comparisons table for the reason).");
      } else {
        page.chart(Charts.kaplanMeier(conditionTitle(condition) + " · weighted", adjusted,
            maxDay, landmark), "Weighted Kaplan–Meier curves of durability from the landmark, "
            + condition + ", maintenance and none");
      }
      page.raw("</figure>");
      page.raw("</div>");
    }
  }

  /** The landmark groups' curves of a condition, maintenance first. */
  private static Map<String, List<Survival>> groups(Map<String, List<Survival>> byCurve,
      String condition) {
    Map<String, List<Survival>> groups = new LinkedHashMap<>();
    for (String group : List.of("maintenance", "none")) {
      List<Survival> curve = byCurve.get(condition + "|" + group);
      if (curve != null && !curve.isEmpty()) {
        groups.put(group, curve);
      }
    }
    return groups;
  }

  /** Participants at risk every {@code step} days from {@code from}, one line per curve. */
  private void atRiskTable(Map<String, List<Survival>> curves, int from, double maxDay,
      int step) {
    List<String> header = new ArrayList<>(List.of("at risk on day"));
    for (int t = from; t <= maxDay; t += step) {
      header.add(String.valueOf(t));
    }
    List<List<String>> lines = new ArrayList<>();
    curves.forEach((stratum, curve) -> {
      List<String> counts = new ArrayList<>(List.of(stratum));
      for (int t = from; t <= maxDay; t += step) {
        counts.add(count(atRisk(curve, t), true));
      }
      lines.add(counts);
    });
    page.raw("<div class=\"atrisk\">").table(header, lines).raw("</div>");
  }

  /**
   * Participants at risk on day t: those whose time is at least t, which is the at-risk
   * count of the first row on or after t, and 0 after the last row.
   */
  static Long atRisk(List<Survival> curve, int t) {
    for (Survival r : curve) {
      if (r.day() >= t) {
        return r.atRisk();
      }
    }
    return 0L;
  }

  private static int atRiskStep(double maxDay) {
    for (int step : new int[] {30, 60, 90, 180, 365, 730}) {
      if (maxDay / step <= 6) {
        return step;
      }
    }
    return 1460;
  }

  private void landmarks(List<Landmark> rows) {
    section("landmarks", "Landmarks");
    paragraph("Responders still relapse-free at each landmark (months after index, "
        + study.cohort().daysPerMonth() + " days a month): bars show the Kaplan–Meier "
        + "relapse-free probability (entry at first response) with its 95% interval; a "
        + "missing bar is not estimable (no follow-up that long).");
    if (empty(rows, "landmarks")) {
      return;
    }
    Map<String, List<Landmark>> byCurve = Charts.group(rows,
        r -> r.condition() + "|" + r.stratum());
    page.raw("<div class=\"grid3\">");
    for (String condition : conditions(rows.stream().map(Landmark::condition).toList())) {
      for (String stratum : strata(rows.stream().filter(r -> r.condition().equals(condition))
          .map(Landmark::stratum).toList())) {
        List<Landmark> curve = byCurve.getOrDefault(condition + "|" + stratum, List.of());
        if (!curve.isEmpty()) {
          page.raw("<figure>").chart(Charts.landmarks(conditionTitle(condition)
              + " · " + stratum, stratum, curve), "Landmark relapse-free probabilities, "
              + condition + ", stratum " + stratum).raw("</figure>");
        }
      }
    }
    page.raw("</div>");
    List<List<String>> table = new ArrayList<>();
    for (Landmark l : rows) {
      table.add(List.of(l.condition(), l.measure(), l.stratum(), String.valueOf(l.months()),
          String.valueOf(l.day()), count(l.relapseFree(), l.suppressed()),
          count(l.evaluable(), l.suppressed()), count(l.lost(), l.suppressed()),
          estimate(l.km(), l.ciLower(), l.ciUpper(), false)));
    }
    details("Landmark table", List.of("condition", "measure", "stratum", "months", "day",
        "relapse-free", "evaluable", "lost", "KM relapse-free (95% CI)"), table);
  }

  private void courseOutcomes(List<CourseOutcome> rows) {
    var c = study.cohort();
    section("course", "Outcomes of the initial course");
    paragraph("Response and remission on the latest score of days "
        + c.courseOutcomeWindowDays().get(0) + "–" + c.courseOutcomeWindowDays().get(1)
        + ", among eligible participants; resolution of suicidal ideation (item > 0 at "
        + "baseline, 0 on a score by the day shown). Wilson 95% intervals.");
    if (empty(rows, "course_outcomes")) {
      return;
    }
    Map<String, List<CourseOutcome>> byCondition = Charts.group(rows, CourseOutcome::condition);
    page.raw("<div class=\"grid\">");
    for (String condition : conditions(byCondition.keySet())) {
      List<CourseOutcome> metrics = byCondition.get(condition);
      page.raw("<figure>").chart(Charts.courseOutcomes(conditionTitle(condition),
          metrics), "Course outcome rates, " + condition).raw("</figure>");
    }
    page.raw("</div>");
    List<List<String>> table = new ArrayList<>();
    for (CourseOutcome o : conditions(byCondition.keySet()).stream()
        .flatMap(k -> byCondition.get(k).stream()).toList()) {
      table.add(List.of(o.condition(), o.measure(), metricLabel(o.metric()),
          count(o.numerator(), o.suppressed()), count(o.denominator(), o.suppressed()),
          o.rate() == null ? (o.suppressed() ? suppressed : "—")
              : estimate(o.rate(), o.ciLower(), o.ciUpper(), true)));
    }
    page.table(List.of("condition", "measure", "outcome", "numerator", "denominator",
        "rate (95% CI)"), table);
  }

  private void attrition(List<Attrition> rows) {
    section("attrition", "Participant flow (attrition)");
    paragraph("From everyone pulled to responders and relapses, per condition, with the "
        + "reason participants leave at each step.");
    if (empty(rows, "attrition")) {
      return;
    }
    Map<String, List<Attrition>> byCondition = new LinkedHashMap<>();
    Map<String, List<Attrition>> grouped = Charts.group(rows, Attrition::condition);
    conditions(grouped.keySet()).forEach(c -> byCondition.put(c, grouped.get(c)));
    page.raw("<figure class=\"wide\">").chart(Charts.attrition(byCondition),
        "Participants at each step of the flow, by condition").raw("</figure>");
    page.raw("<div class=\"grid\">");
    byCondition.forEach((condition, steps) -> {
      List<List<String>> table = new ArrayList<>();
      for (Attrition a : steps) {
        table.add(List.of(a.stepOrder() + ". " + stepLabel(a.step()),
            count(a.participants(), a.suppressed()),
            a.stepOrder() == 1 ? "" : count(a.excluded(), a.suppressed()),
            a.reason() == null ? "" : a.reason()));
      }
      page.raw("<div>").table(conditionTitle(condition),
          List.of("step", "participants", "excluded", "reason"), table).raw("</div>");
    });
    page.raw("</div>");
  }

  private void trajectories(List<Trajectory> rows) {
    int minParticipants = study.deid().smallCellMax() + 1;
    section("trajectories", "Score trajectories");
    paragraph("Median score and interquartile range by whole month since index (days ÷ "
        + study.cohort().daysPerMonth() + ", month −1 is the baseline window), each "
        + "participant counted once a month (the median of their scores that month). Months "
        + "with fewer than " + minParticipants + " participants are not shown.");
    SmallCells cells = new SmallCells(study.deid().smallCellMax());
    List<Trajectory> shown = rows.stream()
        .filter(t -> t.participants() > 0 && !cells.isSmall(t.participants())).toList();
    if (empty(shown, "observations")) {
      return;
    }
    Map<String, List<Trajectory>> grouped = Charts.group(shown, Trajectory::measure);
    Map<String, List<Trajectory>> byMeasure = new LinkedHashMap<>();
    study.cohort().conditions().values().forEach(c -> {
      if (grouped.containsKey(c.measure())) {
        byMeasure.put(c.measure(), grouped.get(c.measure()));
      }
    });
    new TreeMap<>(grouped).forEach(byMeasure::putIfAbsent);
    page.raw("<div class=\"grid3\">");
    byMeasure.forEach((measure, points) -> {
      MeasureCatalog.Measure m = study.catalog().measure(measure);
      double yMax = m != null ? m.max()
          : points.stream().mapToDouble(Trajectory::q3).max().orElse(1);
      page.raw("<figure>").chart(Charts.trajectory(measure + (m == null ? "" : " · "
          + m.name()), points, yMax), "Median and interquartile range of " + measure
          + " by month since index").raw("</figure>");
    });
    page.raw("</div>");
    List<List<String>> table = new ArrayList<>();
    for (Trajectory t : byMeasure.values().stream().flatMap(List::stream).toList()) {
      table.add(List.of(t.measure(), String.valueOf(t.month()),
          String.valueOf(t.participants()), String.valueOf(t.scores()),
          Html.decimal(t.median(), 1), Html.decimal(t.q1(), 1) + "–" + Html.decimal(t.q3(), 1)));
    }
    details("Trajectory table", List.of("measure", "month", "participants", "scores",
        "median", "IQR"), table);
  }

  /**
   * The accounting as the research table has it. Withheld counts show as suppressed; so does
   * any total over them (a column total, a reason across clinics), which would give them back.
   * The identity was checked on the exact counts before the run was published.
   */
  private void dataQuality(List<RunSummaryRow> summary, List<Quarantine> quarantine) {
    section("quality", "Data quality");
    paragraph("Every record read is accounted for, per clinic and resource type: read = "
        + "written + filtered + quarantined, checked on the exact counts before the run was "
        + "published. Counts from 1 to " + study.deid().smallCellMax() + ", and counts that "
        + "would give one back, are suppressed here; the data steward has the exact counts "
        + "in the restricted zone.");
    if (empty(summary, "run_summary")) {
      return;
    }
    Map<String, Map<String, List<Long>>> byType = new TreeMap<>();
    Map<String, List<Long>> reasons = new TreeMap<>();
    for (RunSummaryRow r : summary) {
      byType.computeIfAbsent(r.clinic() + "\t" + r.resourceType(), k -> new TreeMap<>())
          .computeIfAbsent(r.outcome(), k -> new ArrayList<>()).add(r.records());
      if (r.reason() != null) {
        reasons.computeIfAbsent(r.outcome() + "\t" + r.reason(), k -> new ArrayList<>())
            .add(r.records());
      }
    }
    List<List<String>> table = new ArrayList<>();
    byType.forEach((k, outcomes) -> {
      String[] ct = k.split("\t");
      List<Long> t = Stream.of("read", "written", "filtered", "quarantined")
          .map(o -> LinkedCells.sum(outcomes.getOrDefault(o, List.of()))).toList();
      boolean complete = t.stream().allMatch(java.util.Objects::nonNull);
      table.add(List.of(ct[0], ct[1], count(t.get(0), true), count(t.get(1), true),
          count(t.get(2), true), count(t.get(3), true),
          !complete ? "ok (exact)" : t.get(0) == t.get(1) + t.get(2) + t.get(3) ? "ok"
              : "MISMATCH"));
    });
    page.table("Records by clinic and resource type", List.of("clinic", "resource", "read",
        "written", "filtered", "quarantined", "check"), table);
    List<List<String>> byReason = new ArrayList<>();
    reasons.forEach((k, n) -> {
      String[] or = k.split("\t");
      byReason.add(List.of(or[0], or[1], count(LinkedCells.sum(n), true)));
    });
    page.raw("<div class=\"grid\"><div>").table("Filtered and quarantined, by reason",
        List.of("outcome", "reason", "records"), byReason).raw("</div><div>");
    List<List<String>> q = new ArrayList<>();
    for (Quarantine r : quarantine) {
      q.add(List.of(r.clinic(), r.resourceType(), r.reason(), r.measure() == null ? ""
          : r.measure(), r.stage(), count(r.records(), r.suppressed())));
    }
    page.table("Quarantined records (research table quarantine)", List.of("clinic",
        "resource", "reason", "measure", "stage", "records"), q).raw("</div></div>");
  }

  private void rules() {
    CohortSettings c = study.cohort();
    DeidRules d = study.deid();
    section("rules", "Rules and configuration used");
    paragraph("As loaded for this run from the study's configuration; the README explains "
        + "each rule. Days are days since the index (first ketamine administration = day 0).");
    page.raw("<div class=\"grid\"><div>");
    page.table("Cohort rules (cohort.yaml)", List.of("setting", "value"), List.of(
        List.of("baseline window (days)", range(c.baselineWindowDays())),
        List.of("initial course ends (day)", String.valueOf(c.initialCourseEndDay())),
        List.of("course outcome window (days)", range(c.courseOutcomeWindowDays())),
        List.of("consecutive failing scores for relapse",
            String.valueOf(c.relapseConsecutiveScores())),
        List.of("suicidal ideation resolved by (days)", join(c.siResolutionDays())),
        List.of("landmarks (months)", join(c.landmarkMonths())),
        List.of("days per month", String.valueOf(c.daysPerMonth())),
        List.of("strata", "all; landmark groups: maintenance (a booster after day "
            + c.initialCourseEndDay() + " by the landmark), none"),
        List.of("comparison: landmark (days after first response)",
            String.valueOf(c.comparisonOrDefaults().landmarkDay())),
        List.of("comparison: covariates", String.join(", ", c.comparisonOrDefaults()
            .covariates())),
        List.of("comparison: minimum relapses per model term",
            String.valueOf(c.comparisonOrDefaults().minEventsPerTerm())),
        List.of("comparison: weights truncated at percentiles", String.valueOf(
            c.comparisonOrDefaults().weightTruncationPercentiles())),
        List.of("comparison: Newton–Raphson", c.comparisonOrDefaults().maxIterations()
            + " iterations, ε = " + c.comparisonOrDefaults().convergenceEpsilon())));
    page.raw("</div><div>");
    page.table("De-identification (deidentification.yaml)", List.of("setting", "value"),
        List.of(List.of("date mode", d.dateMode().name().toLowerCase(Locale.ROOT)),
            List.of("maximum date shift (days)", "±" + d.maxShiftDays()),
            List.of("age cap (years)", String.valueOf(d.ageCap())),
            List.of("restricted ZIP3 (reported as 000)", String.join(", ", d.restrictedZip3())),
            List.of("small cells suppressed", "1–" + d.smallCellMax()),
            List.of("study key from", d.keyFile() != null ? "key file"
                : "environment variable " + d.keyEnv())));
    page.raw("</div></div>");
    List<List<String>> conditions = new ArrayList<>();
    c.conditions().forEach((name, r) -> conditions.add(List.of(name, r.measure(),
        "≥ " + r.eligibilityMin(), responseRule(r.response()), "< " + r.remissionBelow(),
        r.diagnoses() == null || r.diagnoses().isEmpty() ? "not required"
            : String.join(", ", r.diagnoses().stream()
                .map(x -> x.system() + "|" + x.codePrefix() + "*").toList()))));
    page.table("Conditions", List.of("condition", "measure", "eligible at baseline",
        "response", "remission", "diagnosis codes"), conditions);
    List<List<String>> measures = new ArrayList<>();
    study.catalog().measures().forEach((id, m) -> measures.add(List.of(id, m.name(),
        m.condition() == null ? "" : m.condition(), range(m.range()),
        m.total() == null ? "" : m.total(),
        m.suicidalIdeationItem() == null ? "" : "item " + m.suicidalIdeationItem())));
    page.table("Measures (canonical catalogue)", List.of("measure", "name", "condition",
        "score range", "LOINC total", "suicidal ideation"), measures);
    List<List<String>> clinics = new ArrayList<>();
    study.clinics().forEach(cl -> clinics.add(List.of(cl.id(),
        cl.source().kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        cl.source().kind() == org.longitude.config.Source.Kind.FHIR_SEARCH
            ? String.valueOf(cl.source().pageSizeOrDefault()) : "")));
    page.table("Clinics", List.of("clinic", "source", "page size"), clinics);
    List<List<String>> views = new ArrayList<>();
    study.viewsOrEmpty().forEach(v -> v.columns().forEach((column, release) -> views.add(
        List.of("views/" + v.name(), column, release.rule().yamlName()
            + (release.systems().isEmpty() ? "" : " " + release.systems()),
            String.join(", ", v.codes())))));
    if (!views.isEmpty()) {
      page.table("Study views (each column's release rule; drop: never written)",
          List.of("table", "column", "rule", "Observation codes read"), views);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  void section(String id, String title) {
    page.raw("<h2 id=\"" + Html.escape(id) + "\">").text(title).raw("</h2>");
  }

  void paragraph(String text) {
    page.element("p", text);
  }

  boolean empty(List<?> rows, String table) {
    if (rows.isEmpty()) {
      page.element("p", "empty", "No rows in table " + table + " for this run.");
      return true;
    }
    return false;
  }

  void details(String summary, List<String> header, List<List<String>> rows) {
    page.raw("<details>").element("summary", summary).table(header, rows).raw("</details>");
  }

  /** A count as shown: the number, the suppression label, or a dash if simply absent. */
  String count(Long value, boolean rowSuppressed) {
    if (value != null) {
      return String.valueOf(value);
    }
    return rowSuppressed ? suppressed : "—";
  }

  static String estimate(Double value, Double lower, Double upper, boolean percent) {
    if (value == null) {
      return "not estimable";
    }
    String v = percent ? Html.percent(value) : Html.decimal(value, 3);
    if (lower == null || upper == null) {
      return v;
    }
    return v + " (" + (percent ? Html.percent(lower) : Html.decimal(lower, 3)) + "–"
        + (percent ? Html.percent(upper) : Html.decimal(upper, 3)) + ")";
  }

  /** Conditions in the study's order, then any others the tables hold. */
  List<String> conditions(java.util.Collection<String> present) {
    List<String> order = new ArrayList<>();
    study.cohort().conditions().keySet().stream().filter(present::contains)
        .forEach(order::add);
    new TreeSet<>(present).stream().filter(c -> !order.contains(c)).forEach(order::add);
    return order;
  }

  private static List<String> strata(List<String> present) {
    List<String> order = new ArrayList<>(STRATA.stream().filter(present::contains).toList());
    new TreeSet<>(present).stream().filter(s -> !order.contains(s)).forEach(order::add);
    return order;
  }

  private String measureOf(String condition) {
    CohortSettings.ConditionRule rule = study.cohort().conditions().get(condition);
    return rule == null ? "" : rule.measure();
  }

  String conditionTitle(String condition) {
    String measure = measureOf(condition);
    // Short names are acronyms (ptsd); longer ones are words (depression).
    String name = condition.length() <= 4 ? condition.toUpperCase(Locale.ROOT)
        : Character.toUpperCase(condition.charAt(0)) + condition.substring(1);
    return measure.isEmpty() ? name : name + " (" + measure + ")";
  }

  static String metricLabel(String metric) {
    if (metric.startsWith("si_resolved_day")) {
      return "SI resolved by day " + metric.substring("si_resolved_day".length());
    }
    return metric;
  }

  static String stepLabel(String step) {
    return step.replace('_', ' ');
  }

  private static String responseRule(CohortSettings.Response r) {
    if ("relative".equals(r.rule())) {
      return "score ≤ " + Html.decimal(100 * r.fraction(), 0) + "% of baseline";
    }
    return "≥ " + r.points() + " points below baseline";
  }

  private static String range(List<Integer> r) {
    return r.get(0) + " … " + r.get(1);
  }

  private static String join(List<Integer> values) {
    return String.join(", ", values.stream().map(String::valueOf).toList());
  }

  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
        color:#1d2330;background:#f6f7f9;margin:0}
      main{max-width:1400px;margin:0 auto;padding:24px 32px 64px;background:#fff}
      h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 8px;padding-top:12px;
        border-top:2px solid #1f4e79}h3{font-size:15px;margin:18px 0 6px}
      .meta{color:#555;margin:0 0 8px}.note{background:#eef3f8;border-left:4px solid #1f4e79;
        padding:8px 12px}nav ol{columns:2;margin:8px 0}
      .grid{display:flex;flex-wrap:wrap;gap:16px 28px;align-items:flex-start}
      .grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:16px 20px}
      figure{margin:0;max-width:100%}figure img{max-width:100%;height:auto;display:block}
      figure.wide img{width:1000px}
      table{border-collapse:collapse;margin:8px 0 12px;font-size:12.5px}
      caption{text-align:left;font-weight:600;padding:2px 0 4px}
      th,td{border:1px solid #d6dae0;padding:3px 8px;text-align:left;vertical-align:top}
      th{background:#f0f2f5}td.suppressed{color:#8a5a00;font-style:italic;background:#fff8e6}
      .atrisk{max-width:100%;overflow-x:auto}.atrisk table{font-size:11px;margin-top:2px}.atrisk td,.atrisk th{padding:2px 5px}
      .empty{color:#8a5a00}details{margin:6px 0}summary{cursor:pointer;color:#1f4e79}
      """;

  /**
   * Records, once the page has loaded, how many chart images decoded; the browser test reads
   * these attributes from the rendered DOM.
   */
  private static final String CHART_CHECK = """
      window.addEventListener('load', function () {
        var charts = document.querySelectorAll('img.chart'), loaded = 0;
        for (var i = 0; i < charts.length; i++) {
          if (charts[i].complete && charts[i].naturalWidth > 0) { loaded++; }
        }
        document.body.setAttribute('data-charts', String(charts.length));
        document.body.setAttribute('data-charts-loaded', String(loaded));
      });
      """;
}
