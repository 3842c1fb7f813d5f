package org.longitude.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.longitude.common.Instants;

/**
 * Reads a study YAML and the files it names, and checks them before any work starts. Every
 * error names the file, the key and the fix.
 */
public final class StudyLoader {
  /** The demo study packaged in the jar. */
  public static final Location DEMO = Location.classpath("longitude/config/demo/study.yaml");

  /** Demo placeholders ({@code embedded://<clinic>}) that {@code longitude demo} replaces. */
  public static final String EMBEDDED = "embedded://";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private StudyLoader() {}

  public static Study load(Location studyFile) {
    StudyFile raw = read(studyFile, StudyFile.class);
    require(studyFile, "study", raw.study(), "give the study an id, e.g. 'study: my-study'");
    require(studyFile, "clinics", raw.clinics(), "list at least one clinic");
    require(studyFile, "measures", raw.measures(),
        "name the measure catalogue, e.g. 'measures: ../fhir-mappings/measures.yaml'");
    require(studyFile, "deidentification", raw.deidentification(),
        "name the de-identification rules file, e.g. 'deidentification: deidentification.yaml'");
    require(studyFile, "cohort", raw.cohort(), "name the cohort rules file");

    Location catalogFile = studyFile.resolveSibling(raw.measures());
    MeasureCatalog catalog = read(catalogFile, MeasureCatalog.class);
    validateCatalog(catalogFile, catalog);

    List<Study.Clinic> clinics = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < raw.clinics().size(); i++) {
      StudyFile.ClinicEntry entry = raw.clinics().get(i);
      String key = "clinics[" + i + "]";
      require(studyFile, key + ".id", entry.id(), "give each clinic a unique id");
      if (!entry.id().matches("[a-z0-9][a-z0-9_-]*")) {
        throw new ConfigException(studyFile.describe() + ": " + key + ".id '" + entry.id()
            + "' must be lower-case letters, digits, '-' or '_' (it names folders)");
      }
      if (!ids.add(entry.id())) {
        throw new ConfigException(studyFile.describe() + ": " + key + ".id '" + entry.id()
            + "' is used twice; clinic ids must be unique");
      }
      require(studyFile, key + ".mapping", entry.mapping(), "name the clinic's mapping file");
      require(studyFile, key + ".source", entry.source(), "describe where the data comes from");
      validateSource(studyFile, key + ".source", entry.source());
      Location mappingFile = studyFile.resolveSibling(entry.mapping());
      ClinicMapping mapping = read(mappingFile, ClinicMapping.class);
      validateMapping(mappingFile, mapping, catalog);
      Source source = entry.source();
      if (source.kind() == Source.Kind.NDJSON && studyFile instanceof Location.OnDisk disk
          && !source.directory().startsWith(EMBEDDED)
          && !org.longitude.common.BeamFiles.isUrl(source.directory())) { // s3://... as is
        source = new Source(source.kind(), null, null,
            disk.path().resolveSibling(source.directory()).normalize().toString());
      }
      if (source.auth() != null && studyFile instanceof Location.OnDisk disk) {
        source = source.withAuth(source.auth().withFiles(
            f -> disk.path().resolveSibling(f).normalize().toString()));
      }
      if (source.auth() != null) {
        checkSecrets(studyFile, key + ".source.auth", source.auth());
      }
      if (source.trustStore() != null && studyFile instanceof Location.OnDisk disk) {
        source = source.withTrustStore(
            disk.path().resolveSibling(source.trustStore()).normalize().toString(),
            source.trustStorePasswordEnv(), source.trustStorePasswordFile() == null ? null
                : disk.path().resolveSibling(source.trustStorePasswordFile()).normalize()
                    .toString());
      }
      clinics.add(new Study.Clinic(entry.id(), source, mapping));
    }

    Location deidFile = studyFile.resolveSibling(raw.deidentification());
    DeidRules deid = read(deidFile, DeidRules.class);
    if (deid.dateMode() == null) {
      throw new ConfigException(deidFile.describe() + ": date_mode is missing; "
          + "set 'date_mode: shift' or 'date_mode: year_only'");
    }
    if (deid.maxShiftDays() < 1 || deid.smallCellMax() < 0 || deid.ageCap() < 1) {
      throw new ConfigException(deidFile.describe() + ": max_shift_days and age_cap must be "
          + "positive and small_cell_max not negative");
    }
    Location cohortFile = studyFile.resolveSibling(raw.cohort());
    CohortSettings cohort = read(cohortFile, CohortSettings.class);
    validateCohort(cohortFile, cohort, catalog);
    validateSchedule(studyFile, raw.schedule());
    List<StudyView> views = views(studyFile, raw.views());
    return new Study(raw.study(), studyFile.describe(), List.copyOf(withViewCodesIgnored(
        clinics, views)), catalog, deid, cohort, raw.schedule(), views);
  }

  /** The study's views: each ViewDefinition file read, its rules as written. */
  private static List<StudyView> views(Location studyFile, List<StudyFile.ViewEntry> entries) {
    List<StudyView> views = new ArrayList<>();
    for (int i = 0; entries != null && i < entries.size(); i++) {
      StudyFile.ViewEntry entry = entries.get(i);
      String key = "views[" + i + "]";
      require(studyFile, key + ".view", entry.view(), "name the ViewDefinition's JSON file");
      Location file = studyFile.resolveSibling(entry.view());
      String json;
      try (InputStream in = file.open()) {
        json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(studyFile.describe() + ": " + key + ".view: cannot read "
            + file.describe() + ": " + e.getMessage(), e);
      }
      String name;
      try {
        name = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("name")
            .asText(entry.view());
      } catch (IOException e) {
        throw new ConfigException(file.describe() + ": not JSON; a ViewDefinition is a JSON "
            + "object");
      }
      views.add(new StudyView(name, studyFile.describe() + ": " + key + " ("
          + file.describe() + ")", json, entry.columns() == null ? java.util.Map.of()
              : new java.util.LinkedHashMap<>(entry.columns()),
          entry.codes() == null ? List.of() : List.copyOf(entry.codes())));
    }
    return List.copyOf(views);
  }

  /**
   * Observation codes pulled only for views are filtered by the measure stages (counted
   * {@code IGNORED_CODE}), not quarantined as unmapped: each clinic's mapping ignores them.
   */
  private static List<Study.Clinic> withViewCodesIgnored(List<Study.Clinic> clinics,
      List<StudyView> views) {
    List<ClinicMapping.Coding> codes = new ArrayList<>();
    for (StudyView v : views) {
      for (String code : v.codes()) {
        int bar = code.indexOf('|');
        codes.add(new ClinicMapping.Coding(code.substring(0, bar), code.substring(bar + 1)));
      }
    }
    if (codes.isEmpty()) {
      return clinics;
    }
    List<Study.Clinic> out = new ArrayList<>();
    for (Study.Clinic c : clinics) {
      ClinicMapping m = c.mapping();
      List<ClinicMapping.Coding> ignore = new ArrayList<>(m.ignoreOrEmpty());
      codes.stream().filter(code -> !ignore.contains(code)).forEach(ignore::add);
      out.add(new Study.Clinic(c.id(), c.source(), new ClinicMapping(m.clinic(), m.codes(),
          List.copyOf(ignore), m.medications(), m.procedures())));
    }
    return out;
  }

  static <T> T read(Location file, Class<T> type) {
    try (InputStream in = file.open()) {
      T value = YAML.readValue(in, type);
      if (value == null) {
        throw new ConfigException(file.describe() + ": the file is empty");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(file.describe() + ": unknown key '" + e.getPropertyName()
          + "' at " + path(e) + "; known keys here: " + e.getKnownPropertyIds()
          + ". Remove it or fix its spelling.");
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      Class<?> expected = e.getTargetType();
      String fix = expected == null ? "" : expected.isEnum()
          ? "; use one of " + java.util.Arrays.toString(expected.getEnumConstants())
              .toLowerCase().replace('_', '-')
          : "; give a value of type " + expected.getSimpleName();
      throw new ConfigException(file.describe() + ": wrong value at " + path(e) + ": "
          + e.getOriginalMessage() + fix);
    } catch (JsonMappingException e) {
      throw new ConfigException(file.describe() + ": wrong value at " + path(e) + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException(file.describe() + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static String path(JsonMappingException e) {
    String p = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
    return p.isEmpty() ? "the top level" : "'" + p.replace(".[", "[") + "'";
  }

  private static void require(Location file, String key, Object value, String fix) {
    if (value == null || (value instanceof List<?> list && list.isEmpty())
        || (value instanceof String s && s.isBlank())) {
      throw new ConfigException(file.describe() + ": '" + key + "' is missing; " + fix);
    }
  }

  private static void validateSource(Location file, String key, Source source) {
    require(file, key + ".kind", source.kind(), "set kind: fhir-search, bulk-export or ndjson");
    switch (source.kind()) {
      case FHIR_SEARCH -> {
        require(file, key + ".base_url", source.baseUrl(), "give the clinic's FHIR base URL");
        if (!source.baseUrl().matches("(https?|embedded)://.+")) {
          throw new ConfigException(file.describe() + ": " + key + ".base_url must start with "
              + "http:// or https://");
        }
        if (source.pageSize() != null && (source.pageSize() < 1 || source.pageSize() > 5000)) {
          throw new ConfigException(file.describe() + ": " + key + ".page_size must be 1..5000");
        }
        if (source.auth() != null) {
          validateAuth(file, key + ".auth", source.auth());
        }
        validateTransport(file, key, source);
      }
      case BULK_EXPORT -> {
        require(file, key + ".base_url", source.baseUrl(),
            "give the clinic's FHIR base URL (the one that serves $export)");
        if (!source.baseUrl().matches("(https?|embedded)://.+")) {
          throw new ConfigException(file.describe() + ": " + key + ".base_url must start with "
              + "http:// or https://");
        }
        if (source.pageSize() != null || source.directory() != null) {
          throw new ConfigException(file.describe() + ": " + key + "."
              + (source.pageSize() != null ? "page_size" : "directory") + " is not used by "
              + "kind bulk-export (it takes base_url, auth and poll_deadline); remove it");
        }
        try {
          source.pollDeadlineOrDefault();
        } catch (IllegalArgumentException e) {
          throw new ConfigException(file.describe() + ": " + key + ".poll_deadline "
              + e.getMessage() + "; write e.g. poll_deadline: PT30M or poll_deadline: 1800");
        }
        if (source.auth() != null) {
          validateAuth(file, key + ".auth", source.auth());
        }
      }
      case NDJSON -> {
        require(file, key + ".directory", source.directory(),
            "give the folder holding the clinic's .ndjson files");
        if (source.auth() != null) {
          throw new ConfigException(file.describe() + ": " + key + ".auth applies only to "
              + "servers (kind: fhir-search or bulk-export); remove it from this ndjson "
              + "source");
        }
      }
    }
    if (source.pollDeadline() != null && source.kind() != Source.Kind.BULK_EXPORT) {
      throw new ConfigException(file.describe() + ": " + key + ".poll_deadline applies only to "
          + "kind bulk-export; remove it");
    }
  }

  /** Slices, time limit and trust store of a fhir-search source. */
  private static void validateTransport(Location file, String key, Source source) {
    String where = file.describe() + ": " + key;
    if (source.slices() != null && (source.slices() < 1 || source.slices() > 64)) {
      throw new ConfigException(where + ".slices must be 1..64");
    }
    if (source.slicesOrDefault() > 1 && source.sliceFrom() == null) {
      throw new ConfigException(where + ".slices needs slice_from: the start of the range to "
          + "split, e.g. slice_from: 2015-01-01 (the first slice also takes anything earlier)");
    }
    if (source.sliceFrom() != null) {
      try {
        Instants.parse(source.sliceFrom());
      } catch (RuntimeException e) {
        throw new ConfigException(where + ".slice_from must be a date (2020-01-01) or an "
            + "instant (2020-01-01T00:00:00Z)");
      }
    }
    if (source.timeLimit() != null) {
      try {
        Source.parseDuration(source.timeLimit());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ".time_limit must be like 6h, 90m, 30s or PT6H: "
            + e.getMessage());
      }
    }
    if (source.trustStore() != null) {
      if (!source.baseUrl().startsWith("https://")) {
        throw new ConfigException(where + ".trust_store applies only to https:// servers; "
            + "remove it or use the server's https URL");
      }
      if ((source.trustStorePasswordEnv() == null) == (source.trustStorePasswordFile() == null)) {
        throw new ConfigException(where + ": give exactly one of trust_store_password_env or "
            + "trust_store_password_file (never the password itself)");
      }
    } else if (source.trustStorePasswordEnv() != null || source.trustStorePasswordFile() != null) {
      throw new ConfigException(where + ": a trust store password is given without "
          + "trust_store; add trust_store: path/to/truststore.p12 or remove the password key");
    }
  }

  /** The auth object's shape: which keys each kind needs, and no stray ones. */
  static void validateAuth(Location file, String key, SourceAuth auth) {
    require(file, key + ".kind", auth.kind(), "set kind: none, basic, bearer or smart-backend");
    String where = file.describe() + ": " + key;
    java.util.Map<String, Object> given = new java.util.LinkedHashMap<>();
    given.put("username", auth.username());
    given.put("password_env", auth.passwordEnv());
    given.put("password_file", auth.passwordFile());
    given.put("token_env", auth.tokenEnv());
    given.put("token_file", auth.tokenFile());
    given.put("client_id", auth.clientId());
    given.put("token_url", auth.tokenUrl());
    given.put("private_key_file", auth.privateKeyFile());
    given.put("algorithm", auth.algorithm());
    given.put("scope", auth.scope());
    Set<String> allowed = switch (auth.kind()) {
      case NONE -> Set.of();
      case BASIC -> Set.of("username", "password_env", "password_file");
      case BEARER -> Set.of("token_env", "token_file");
      case SMART_BACKEND -> Set.of("client_id", "token_url", "private_key_file", "algorithm",
          "scope");
    };
    String kindName = auth.kind().name().toLowerCase().replace('_', '-');
    given.forEach((k, v) -> {
      if (v != null && !allowed.contains(k)) {
        throw new ConfigException(where + "." + k + " is not used by kind " + kindName
            + " (it takes " + (allowed.isEmpty() ? "no other keys" : new java.util.TreeSet<>(allowed))
            + ")");
      }
    });
    switch (auth.kind()) {
      case NONE -> { }
      case BASIC -> {
        require(file, key + ".username", auth.username(), "give the user name");
        exactlyOne(where, "password_env", auth.passwordEnv(), "password_file",
            auth.passwordFile(), "the password");
      }
      case BEARER -> exactlyOne(where, "token_env", auth.tokenEnv(), "token_file",
          auth.tokenFile(), "the token");
      case SMART_BACKEND -> {
        require(file, key + ".client_id", auth.clientId(),
            "give the client id registered with the clinic");
        require(file, key + ".token_url", auth.tokenUrl(), "give the clinic's token endpoint");
        if (!auth.tokenUrl().matches("https?://.+")) {
          throw new ConfigException(where + ".token_url must start with http:// or https://");
        }
        require(file, key + ".private_key_file", auth.privateKeyFile(),
            "name the PKCS#8 PEM file holding the client's private key");
        if (!"RS384".equals(auth.algorithm()) && !"ES384".equals(auth.algorithm())) {
          throw new ConfigException(where + ".algorithm must be RS384 (RSA key) or ES384 "
              + "(EC P-384 key)" + (auth.algorithm() == null ? "; it is missing" : ""));
        }
      }
    }
  }

  private static void exactlyOne(String where, String envKey, String env, String fileKey,
      String path, String what) {
    if ((env == null) == (path == null)) {
      throw new ConfigException(where + ": give exactly one of " + envKey + " (an environment "
          + "variable's name) or " + fileKey + " (a file's path) for " + what
          + "; secrets are never written in the study file");
    }
  }

  /** Secrets must be reachable before work starts; their values are not read here. */
  private static void checkSecrets(Location file, String key, SourceAuth auth) {
    String where = file.describe() + ": " + key;
    for (String[] env : new String[][] {{"password_env", auth.passwordEnv()},
        {"token_env", auth.tokenEnv()}}) {
      if (env[1] != null && (System.getenv(env[1]) == null || System.getenv(env[1]).isBlank())) {
        throw new ConfigException(where + "." + env[0] + " names the environment variable "
            + env[1] + ", which is not set");
      }
    }
    for (String[] f : new String[][] {{"password_file", auth.passwordFile()},
        {"token_file", auth.tokenFile()}, {"private_key_file", auth.privateKeyFile()}}) {
      if (f[1] != null && !(file instanceof Location.OnDisk)) {
        continue; // packaged studies name no secret files
      }
      if (f[1] != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(f[1]))) {
        throw new ConfigException(where + "." + f[0] + " names " + f[1]
            + ", which does not exist or is not readable");
      }
    }
  }

  private static void validateSchedule(Location file, Schedule schedule) {
    if (schedule == null) {
      return;
    }
    require(file, "schedule.cron", schedule.cron(),
        "give a 5-field cron expression, e.g. cron: \"0 2 * * 1\" (Mondays at 02:00)");
    try {
      Schedule.parseCron(schedule.cron());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file.describe() + ": schedule.cron '" + schedule.cron()
          + "' is not a 5-field Unix cron expression (minute hour day-of-month month "
          + "day-of-week): " + e.getMessage());
    }
    try {
      java.time.ZoneId.of(schedule.timeZoneOrDefault());
    } catch (java.time.DateTimeException e) {
      throw new ConfigException(file.describe() + ": schedule.time_zone '"
          + schedule.timeZone() + "' is not a time zone; use an IANA name such as UTC or "
          + "Europe/Berlin");
    }
  }

  private static void validateCatalog(Location file, MeasureCatalog catalog) {
    require(file, "measures", catalog.measures(), "define at least one measure");
    catalog.measures().forEach((id, m) -> {
      String key = "measures." + id;
      if (m.range() == null || m.range().size() != 2 || m.range().get(0) > m.range().get(1)) {
        throw new ConfigException(file.describe() + ": " + key
            + ".range must be [min, max] with min <= max");
      }
      if (m.numberOfItems() > 0 && (m.itemRange() == null || m.itemRange().size() != 2)) {
        throw new ConfigException(file.describe() + ": " + key
            + ".item_range must be [min, max] when items are listed");
      }
      Integer si = m.suicidalIdeationItem();
      if (si != null && (si < 1 || si > m.numberOfItems())) {
        throw new ConfigException(file.describe() + ": " + key + ".suicidal_ideation_item "
            + si + " is not one of the " + m.numberOfItems() + " items");
      }
    });
  }

  private static void validateMapping(Location file, ClinicMapping mapping,
      MeasureCatalog catalog) {
    List<ClinicMapping.CodeMapping> codes = mapping.codesOrEmpty();
    for (int i = 0; i < codes.size(); i++) {
      ClinicMapping.CodeMapping c = codes.get(i);
      String key = "codes[" + i + "]";
      require(file, key + ".system", c.system(), "give the code system URI");
      require(file, key + ".code", c.code(), "give the code");
      require(file, key + ".role", c.role(), "set role: total, item or panel");
      MeasureCatalog.Measure m = catalog.measure(c.measure());
      if (m == null) {
        throw new ConfigException(file.describe() + ": " + key + ".measure '" + c.measure()
            + "' is not in the measure catalogue; known: " + catalog.measures().keySet());
      }
      if (c.role() == ClinicMapping.Role.ITEM) {
        int n = m.numberOfItems();
        if (c.item() == null || c.item() < 1 || c.item() > n) {
          throw new ConfigException(file.describe() + ": " + key + ".item must be 1.." + n
              + " for " + c.measure());
        }
      }
    }
  }

  private static void validateCohort(Location file, CohortSettings cohort,
      MeasureCatalog catalog) {
    require(file, "conditions", cohort.conditions(), "define the cohorts");
    cohort.conditions().forEach((condition, rule) -> {
      if (catalog.measure(rule.measure()) == null) {
        throw new ConfigException(file.describe() + ": conditions." + condition + ".measure '"
            + rule.measure() + "' is not in the measure catalogue");
      }
      String kind = rule.response() == null ? null : rule.response().rule();
      if (!"relative".equals(kind) && !"absolute_drop".equals(kind)) {
        throw new ConfigException(file.describe() + ": conditions." + condition
            + ".response.rule must be 'relative' (with fraction) or 'absolute_drop' (with points)");
      }
    });
    validateComparison(file, cohort.comparisonOrDefaults());
  }

  private static void validateComparison(Location file, CohortSettings.Comparison c) {
    String at = file.describe() + ": comparison.";
    if (c.landmarkDay() < 1) {
      throw new ConfigException(at + "landmark_day must be at least 1 (days after response)");
    }
    if (c.minEventsPerTerm() < 1 || c.maxIterations() < 1) {
      throw new ConfigException(at + "min_events_per_term and max_iterations must be >= 1");
    }
    if (!(c.convergenceEpsilon() > 0 && c.convergenceEpsilon() < 1e-3)) {
      throw new ConfigException(at + "convergence_epsilon must be in (0, 0.001), e.g. 1e-9");
    }
    List<Double> cut = c.weightTruncationPercentiles();
    if (cut.size() != 2 || !(cut.get(0) >= 0 && cut.get(0) < cut.get(1) && cut.get(1) <= 100)) {
      throw new ConfigException(at + "weight_truncation_percentiles must be two percentiles,"
          + " lower before upper, e.g. [1, 99]");
    }
    for (String covariate : c.covariates()) {
      if (!CohortSettings.Comparison.COVARIATES.contains(covariate)) {
        throw new ConfigException(at + "covariates: unknown '" + covariate + "'; known: "
            + CohortSettings.Comparison.COVARIATES);
      }
    }
  }

}
