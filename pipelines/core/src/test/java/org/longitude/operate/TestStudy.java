package org.longitude.operate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

/**
 * A study folder on disk like a real one: the demo's rules and mappings copied from the
 * classpath, clinics at the given base URLs, an owner-only key file, an optional schedule.
 */
final class TestStudy {
  static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i + 1);
    }
  }

  private TestStudy() {}

  /** Writes {@code dir/study.yaml} and the files it names; returns the study file. */
  static Path write(Path dir, Map<String, String> baseUrls, String scheduleLine)
      throws IOException {
    Files.createDirectories(dir.resolve("mappings"));
    copy("longitude/config/demo/cohort.yaml", dir.resolve("cohort.yaml"));
    copy("longitude/fhir-mappings/measures.yaml", dir.resolve("measures.yaml"));
    String deid = resource("longitude/config/demo/deidentification.yaml")
        .replace("key_file: null", "key_file: study.key");
    Files.writeString(dir.resolve("deidentification.yaml"), deid);
    Path key = dir.resolve("study.key");
    Files.deleteIfExists(key);
    Files.createFile(key, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    Files.writeString(key, Base64.getEncoder().encodeToString(KEY));
    StringBuilder study = new StringBuilder("study: operate-test\nclinics:\n");
    for (Map.Entry<String, String> c : baseUrls.entrySet()) {
      copy("longitude/fhir-mappings/clinics/" + c.getKey() + ".yaml",
          dir.resolve("mappings").resolve(c.getKey() + ".yaml"));
      study.append("  - id: ").append(c.getKey()).append('\n')
          .append("    mapping: mappings/").append(c.getKey()).append(".yaml\n")
          .append("    source: {kind: fhir-search, base_url: \"").append(c.getValue())
          .append("\", page_size: 100}\n");
    }
    study.append("measures: measures.yaml\ndeidentification: deidentification.yaml\n")
        .append("cohort: cohort.yaml\n");
    if (scheduleLine != null) {
      study.append(scheduleLine).append('\n');
    }
    Path file = dir.resolve("study.yaml");
    Files.writeString(file, study);
    return file;
  }

  private static void copy(String resource, Path to) throws IOException {
    Files.writeString(to, resource(resource));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = TestStudy.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("no resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
