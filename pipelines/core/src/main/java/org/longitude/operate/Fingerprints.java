package org.longitude.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.longitude.config.Location;

/** SHA-256 fingerprints: of files, of a study's configuration, of the running code. */
public final class Fingerprints {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String VERSION = "0.1.0";

  private Fingerprints() {}

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest digest = sha256();
    try (DigestInputStream d = new DigestInputStream(in, digest)) {
      d.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

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
    MessageDigest digest = sha256();
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
    try {
      var source = Fingerprints.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path where = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(where)) {
          return VERSION + " (jar sha256:" + sha256(where).substring(0, 12) + ")";
        }
      }
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      // fall through: the version alone
    }
    return VERSION + " (classes)";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
