package org.longitude.operate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.longitude.common.BeamFiles;
import org.longitude.config.ConfigException;
import org.longitude.config.Location;
import org.longitude.config.Source;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.views.StudyViews;

/**
 * Pre-flight checks of a study, each problem with the file, the key and the fix: the config
 * and the files it names (mappings, measures, rules, schedule), the study key, and each
 * clinic's reachability ({@code GET [base]/metadata}, or the NDJSON folder).
 */
public final class StudyCheck {
  /** What a problem blocks: the config (exit 3) or a clinic's pull (exit 1). */
  public enum Kind { CONFIG, CLINIC }

  /** One finding; {@code ok} lines are findings too, so the report says what was checked. */
  public record Finding(boolean ok, Kind kind, String file, String key, String message,
      String fix) {}

  private final HttpClient http;
  private final Duration timeout;

  public StudyCheck(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public List<Finding> check(Path studyFile, Map<String, String> env) {
    List<Finding> findings = new ArrayList<>();
    String file = studyFile.toAbsolutePath().normalize().toString();
    Study study;
    try {
      study = StudyLoader.load(Location.file(studyFile));
      StudyViews.check(study.viewsOrEmpty(), study.deid());
      findings.add(new Finding(true, Kind.CONFIG, file, null, "config, mappings, measures, "
          + "de-identification and cohort rules" + (study.schedule() == null ? "" : ", schedule")
          + " load and check", null));
    } catch (ConfigException e) {
      // The loader stops at the first problem; its message names the file, key and fix.
      findings.add(new Finding(false, Kind.CONFIG, null, null, e.getMessage(),
          "fix it and run validate again (later checks need a loadable config)"));
      return findings;
    }
    Path configDir = studyFile.toAbsolutePath().normalize().getParent();
    try {
      StudyKey key = StudyKey.resolve(study.deid(), configDir, env);
      findings.add(new Finding(true, Kind.CONFIG, null, null, "study key found ("
          + key.bytes().length + " bytes)", null));
    } catch (ConfigException e) {
      findings.add(new Finding(false, Kind.CONFIG, "the deidentification file named in " + file,
          study.deid().keyFile() != null ? "key_file" : "key_env", e.getMessage(),
          "see README, 'Running a real study', step 3"));
    }
    for (int i = 0; i < study.clinics().size(); i++) {
      findings.add(checkClinic(file, "clinics[" + i + "].source", study.clinics().get(i)));
    }
    return findings;
  }

  /** An NDJSON location on shared storage, listed through Beam's file systems. */
  private static Finding checkNdjsonUrl(String file, String key, String who, String url) {
    try {
      long n = BeamFiles.list(BeamFiles.child(url, "*.ndjson")).size()
          + BeamFiles.list(BeamFiles.child(url, "*.ndjson.gz")).size();
      return n == 0
          ? new Finding(false, Kind.CLINIC, file, key + ".directory", who + url
              + " has no .ndjson files", "point directory at the location holding the "
              + "export's <Type>.ndjson files")
          : new Finding(true, Kind.CLINIC, file, key, who + n + " NDJSON file(s) in " + url,
              null);
    } catch (IOException | RuntimeException e) {
      return new Finding(false, Kind.CLINIC, file, key + ".directory", who + "cannot list "
          + url + ": " + e.getClass().getSimpleName(), "check the URL, and the storage's "
          + "credentials and region in the environment (AWS_REGION, AWS_ACCESS_KEY_ID, ...)");
    }
  }

  private Finding checkClinic(String file, String key, Study.Clinic clinic) {
    Source s = clinic.source();
    String who = "clinic " + clinic.id() + ": ";
    if (s.kind() == Source.Kind.NDJSON && s.directory().startsWith(StudyLoader.EMBEDDED)) {
      return new Finding(true, Kind.CLINIC, file, key, who + s.directory() + " is a demo "
          + "export written only inside 'longitude demo'; not checked", null);
    }
    if (s.kind() == Source.Kind.NDJSON && BeamFiles.isUrl(s.directory())) {
      return checkNdjsonUrl(file, key, who, s.directory());
    }
    if (s.kind() == Source.Kind.NDJSON) {
      Path dir = Path.of(s.directory());
      if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
        return new Finding(false, Kind.CLINIC, file, key + ".directory", who + "folder " + dir
            + " does not exist or cannot be read", "set directory to the clinic's export folder"
            + " (relative to the study file) and check its permissions");
      }
      try (Stream<Path> files = Files.list(dir)) {
        long n = files.filter(f -> f.toString().endsWith(".ndjson")).count();
        return n == 0
            ? new Finding(false, Kind.CLINIC, file, key + ".directory", who + "folder " + dir
                + " has no .ndjson files", "point directory at the folder holding the export's "
                + "<Type>.ndjson files")
            : new Finding(true, Kind.CLINIC, file, key, who + n + " .ndjson file(s) in " + dir,
                null);
      } catch (IOException e) {
        return new Finding(false, Kind.CLINIC, file, key + ".directory", who + "cannot list "
            + dir + ": " + e.getMessage(), "check the folder's permissions");
      }
    }
    String base = s.baseUrl();
    if (base.startsWith("embedded://")) {
      return new Finding(true, Kind.CLINIC, file, key, who + base + " is a demo clinic served "
          + "only inside 'longitude demo'; not checked", null);
    }
    URI metadata = URI.create(base.replaceAll("/+$", "") + "/metadata");
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(metadata)
          .timeout(timeout).header("Accept", "application/fhir+json").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      int code = response.statusCode();
      if (code == 401 || code == 403) {
        return new Finding(false, Kind.CLINIC, file, key + ".base_url", who + "GET " + metadata
            + " was refused (HTTP " + code + "): credentials missing or not accepted",
            "ask the clinic for access for this host and check the credentials");
      }
      if (code != 200) {
        return new Finding(false, Kind.CLINIC, file, key + ".base_url", who + "GET " + metadata
            + " answered HTTP " + code, "check base_url is the FHIR R4 base (the URL that "
            + "serves /metadata), e.g. https://host/fhir");
      }
      if (!response.body().contains("CapabilityStatement")) {
        return new Finding(false, Kind.CLINIC, file, key + ".base_url", who + metadata
            + " did not return a CapabilityStatement", "check base_url points at a FHIR server");
      }
      return new Finding(true, Kind.CLINIC, file, key, who + "FHIR server answers at "
          + metadata, null);
    } catch (IOException e) {
      return new Finding(false, Kind.CLINIC, file, key + ".base_url", who + "cannot reach "
          + metadata + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
          : ": " + e.getMessage()) + ")", "check base_url, DNS, the network route and firewall "
          + "from this host");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Finding(false, Kind.CLINIC, file, key, who + "check interrupted", null);
    }
  }
}
