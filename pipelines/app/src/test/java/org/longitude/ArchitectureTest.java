package org.longitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture as a test: which package may import which, read from the compiled classes
 * by the JDK's {@code jdeps} (so fully-qualified uses count as imports; comments do not).
 * Packages are listed bottom up; each may import only packages listed before it. Stages
 * import only earlier stages and the shared bottom ({@code common}, {@code config}, the
 * measure rules, the quarantine); below de-identification nothing imports {@code extract} or
 * {@code normalize}; nothing but {@code release} builds a research record; the applications
 * ({@code cli}, {@code cluster}, {@code bench}) sit on top, and only they use the demo clinics.
 *
 * <p>It reads every module's classes (it runs in pipelines/app, the top module): core holds
 * every package but {@code demo}, {@code bench} and {@code cluster} (and {@code cli} only the
 * production commands), and none of its classes uses the FHIR server, Jetty or the servlet
 * API, so the job jars made of core hold none of them.
 */
class ArchitectureTest {
  /** Each module's compiled classes, from pipelines/app (Maven runs the tests there). */
  private static final Path CORE = Path.of("..", "core", "target", "classes");
  private static final Path DEMO = Path.of("..", "demo", "target", "classes");
  private static final Path APP = Path.of("target", "classes");
  /**
   * Packages of the demo clinics' web server (hapi-fhir-server's, Jetty's, the servlet API's):
   * in longitude-demo only. hapi-fhir-base's ca.uhn.fhir.rest.server.exceptions, which the
   * FHIR client throws, is not one of them.
   */
  private static final List<String> SERVER = List.of("ca.uhn.fhir.rest.server",
      "org.eclipse.jetty", "jakarta.servlet");
  private static final String CLIENT_EXCEPTIONS = "ca.uhn.fhir.rest.server.exceptions";
  private static final String ROOT = "org.longitude.";
  private static final Map<String, Set<String>> MAY_IMPORT = layers(
      "common", "",
      "config", "common",
      "measures", "common config",
      "quarantine", "common",
      "cohort.rules", "config",
      "extract", "common config",
      "normalize", "common config measures quarantine extract",
      // The gate: the only package that reads normalize's facts, with their PHI.
      "deid", "common config normalize",
      "timeline", "common config measures quarantine deid",
      // The gate's other half: every research record and published aggregate is built here.
      "release", "common config deid timeline cohort.rules",
      "cohort", "common config deid timeline cohort.rules release",
      "output", "common config timeline release",
      "views", "common config extract deid release output",
      "report", "common config release",
      "pipeline", "common config measures quarantine extract normalize deid timeline release "
          + "cohort output views",
      "operate", "common config release pipeline views report",
      "demo", "common config",
      "bench", "common config extract deid timeline release output pipeline operate demo",
      "cluster", "config pipeline operate demo bench",
      "cli", "common config extract release pipeline operate views demo bench cluster");
  /**
   * What builds a research record: outside {@code release}, only these classes may, each for
   * its reason.
   */
  private static final Set<String> RECORD_BUILDERS = Set.of(
      "org.apache.avro.generic.GenericData$Record",
      "org.apache.avro.generic.GenericRecordBuilder",
      ROOT + "release.Rows");
  private static final Map<String, String> BUILDS_OUTSIDE_THE_RELEASE = Map.of(
      "output.RowBatchCoder", "decodes the rows the release built, from their bytes",
      "bench.BaselineConverter", "the benchmark's baseline, which a study never publishes");
  /** Dependencies read from the compiled classes, by package, org.longitude. dropped. */
  private static Map<String, Set<String>> imports;
  /** The same, of core's classes only. */
  private static Map<String, Set<String>> coreImports;
  /** Every module's dependencies by class. */
  private static Map<String, Set<String>> classImports;

  @BeforeAll
  static void readClasses() {
    imports = new TreeMap<>();
    classImports = new TreeMap<>();
    for (Path module : List.of(CORE, DEMO, APP)) {
      Path classes = module.resolve(Path.of("org", "longitude"));
      assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
      jdeps(module, "-verbose:package").forEach((from, targets) ->
          imports.computeIfAbsent(from, k -> new TreeSet<>()).addAll(targets));
      jdeps(module, "-verbose:class").forEach((from, targets) ->
          classImports.computeIfAbsent(from, k -> new TreeSet<>()).addAll(targets));
    }
    coreImports = jdeps(CORE, "-verbose:package");
    assertTrue(imports.getOrDefault("pipeline", Set.of()).contains(ROOT + "cohort"),
        "jdeps' output read: " + imports.keySet());
    assertTrue(imports.getOrDefault("cli", Set.of()).contains(ROOT + "demo"),
        "app's classes read: " + imports.get("cli"));
  }

  @Test
  void coreHoldsNeitherTheDemoNorTheBenchmarkNorTheClusterCheck() {
    Set<String> packages = new TreeSet<>(coreImports.keySet());
    packages.retainAll(Set.of("demo", "bench", "cluster"));
    assertEquals(Set.of(), packages, "packages of longitude-demo or longitude-app in core");
    assertEquals(Set.of("demo"), jdeps(DEMO, "-verbose:package").keySet(), "longitude-demo's packages");
  }

  @Test
  void coreUsesNoWebServer() {
    List<String> wrong = new ArrayList<>();
    coreImports.forEach((from, targets) -> {
      for (String to : targets) {
        boolean server = SERVER.stream()
            .anyMatch(name -> to.equals(name) || to.startsWith(name + "."))
            && !to.equals(CLIENT_EXCEPTIONS);
        if (server || to.startsWith(ROOT + "demo") || to.startsWith(ROOT + "bench")
            || to.startsWith(ROOT + "cluster")) {
          wrong.add(from + " -> " + to);
        }
      }
    });
    assertEquals(List.of(), wrong, "core's classes using the demo clinics' server or module");
  }

  @Test
  void everyPackageHasItsPlace() {
    Set<String> unplaced = new TreeSet<>(imports.keySet());
    unplaced.removeAll(MAY_IMPORT.keySet());
    assertEquals(Set.of(), unplaced, "new packages: give each its place in MAY_IMPORT");
  }

  @Test
  void packagesImportOnlyWhatTheirLayerAllows() {
    List<String> wrong = new ArrayList<>();
    imports.forEach((from, targets) -> {
      for (String to : targets) {
        if (to.startsWith(ROOT) && !MAY_IMPORT.getOrDefault(from, Set.of())
            .contains(to.substring(ROOT.length()))) {
          wrong.add(from + " -> " + to.substring(ROOT.length()));
        }
      }
    });
    assertEquals(List.of(), wrong, "imports against the architecture");
  }

  @Test
  void belowTheGateNothingImportsExtractOrNormalize() {
    for (String stage : List.of("timeline", "release", "cohort", "cohort.rules", "output",
        "report")) {
      Set<String> allowed = MAY_IMPORT.get(stage);
      assertTrue(!allowed.contains("extract") && !allowed.contains("normalize"), stage);
    }
  }

  @Test
  void onlyTheApplicationsUseTheDemoClinicsAndTheBenchmark() {
    MAY_IMPORT.forEach((from, allowed) -> {
      if (!Set.of("cli", "bench", "cluster").contains(from)) {
        assertTrue(!allowed.contains("demo") && !allowed.contains("bench"), from);
      }
    });
  }

  @Test
  void onlyTheReleaseBuildsResearchRecords() {
    List<String> wrong = new ArrayList<>();
    classImports.forEach((from, targets) -> {
      String outer = from.replaceAll("\\$.*", "");
      if (!from.startsWith("release.") && !BUILDS_OUTSIDE_THE_RELEASE.containsKey(outer)) {
        targets.stream().filter(RECORD_BUILDERS::contains).forEach(to -> wrong.add(from
            + " -> " + to));
      }
    });
    assertEquals(List.of(), wrong, "research records built outside the release");
    assertTrue(classImports.getOrDefault("release.TimelineRows", Set.of())
        .contains(ROOT + "release.Rows"), "jdeps' class-level output read");
  }

  @Test
  void cohortRulesArePureJava() {
    Set<String> beam = new TreeSet<>();
    for (String to : imports.getOrDefault("cohort.rules", Set.of())) {
      if (to.startsWith("org.apache.beam") || to.startsWith("org.apache.avro")) {
        beam.add(to);
      }
    }
    assertEquals(Set.of(), beam, "cohort.rules: no Beam or Avro, rules only");
  }

  /** Pairs of package and what it may import; each import must be listed before it. */
  private static Map<String, Set<String>> layers(String... pairs) {
    Map<String, Set<String>> layers = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      Set<String> allowed = new TreeSet<>();
      for (String to : pairs[i + 1].split(" ")) {
        if (!to.isEmpty()) {
          if (!layers.containsKey(to)) {
            throw new IllegalStateException(pairs[i] + " may import " + to
                + ", which is not below it");
          }
          allowed.add(to);
        }
      }
      layers.put(pairs[i], allowed);
    }
    return layers;
  }

  private static final Pattern DEPENDENCY =
      Pattern.compile("^\\s*org\\.longitude\\.(\\S+)\\s+->\\s+(\\S+)");

  /** jdeps' dependencies of the classes under {@code classes}, by package or by class. */
  private static Map<String, Set<String>> jdeps(Path classes, String verbose) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), verbose,
        "-filter:none", classes.toString());
    assertEquals(0, exit, err.toString());
    Map<String, Set<String>> imports = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = DEPENDENCY.matcher(line);
      if (m.find()) {
        String from = m.group(1);
        String to = m.group(2);
        imports.computeIfAbsent(from, k -> new TreeSet<>());
        if (!to.equals(ROOT + from)) {
          imports.get(from).add(to);
        }
      }
    }
    return imports;
  }
}
