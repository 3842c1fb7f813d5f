package org.longitude.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.longitude.common.Jars;
import org.longitude.common.Sha256;
import org.longitude.config.Location;

/** SHA-256 fingerprints: of a study's configuration, of the running code. */
public final class Fingerprints {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String VERSION = "0.1.0";

  private Fingerprints() {}

  /**
   * SHA-256 over the study YAML and, in order, the measure catalogue, the de-identification
   * and cohort rules and each clinic's mapping: each as its name relative to the study file,
   * a NUL, its bytes. The key file is never read.
   */
  public static String configSha256(Location studyFile) throws IOException {
    JsonNode root;
    try (InputStream in = studyFile.open()) {
      root = YAML.readTree(in);
    }
    List<String> named = new ArrayList<>();
    for (String key : List.of("measures", "deidentification", "cohort")) {
      if (root.hasNonNull(key)) {
        named.add(root.get(key).asText());
      }
    }
    root.path("clinics").forEach(c -> {
      if (c.hasNonNull("mapping")) {
        named.add(c.get("mapping").asText());
      }
    });
    MessageDigest digest = Sha256.digest();
    update(digest, "study.yaml", studyFile);
    for (String name : named) {
      update(digest, name, studyFile.resolveSibling(name));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void update(MessageDigest digest, String name, Location file)
      throws IOException {
    digest.update(name.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    try (InputStream in = file.open()) {
      digest.update(in.readAllBytes());
    }
  }

  /** Longitude's version, plus the jar's SHA-256 prefix when running from a jar. */
  public static String codeVersion() {
    Optional<Path> jar = Jars.of(Fingerprints.class);
    if (jar.isPresent()) {
      try {
        return VERSION + " (jar sha256:" + Sha256.of(jar.get()).substring(0, 12) + ")";
      } catch (IOException | RuntimeException e) {
        // fall through: the version alone
      }
    }
    return VERSION + " (classes)";
  }
}
