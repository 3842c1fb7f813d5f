package org.longitude.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * The study's pseudonymisation key (at least 32 bytes). It comes from an environment variable
 * or an owner-only key file, never from a command line or a config text, and its
 * {@link #toString()} never shows it.
 */
public final class StudyKey implements Serializable {
  public static final int MIN_BYTES = 32;
  private static final String HOW_TO = "Make one with: head -c 32 /dev/urandom | base64 > study.key"
      + " && chmod 600 study.key, then set key_file, or export LONGITUDE_STUDY_KEY=$(cat study.key).";

  private final byte[] bytes;
  private final boolean ephemeral;

  private StudyKey(byte[] bytes, boolean ephemeral) {
    if (bytes.length < MIN_BYTES) {
      throw new ConfigException("The study key has " + bytes.length + " bytes; it needs at least "
          + MIN_BYTES + ". " + HOW_TO);
    }
    this.bytes = bytes.clone();
    this.ephemeral = ephemeral;
  }

  /** A random key for the demo: pseudonyms are not stable across demo runs. */
  public static StudyKey ephemeral() {
    byte[] b = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(b);
    return new StudyKey(b, true);
  }

  /** A fixed key, for tests and benchmarks. */
  public static StudyKey of(byte[] bytes) {
    return new StudyKey(bytes, false);
  }

  /**
   * Finds the key named by the rules: the key file if set (relative to the config folder),
   * else the environment variable.
   */
  public static StudyKey resolve(DeidRules rules, Path configDir, Map<String, String> env) {
    if (rules.keyFile() != null) {
      return fromFile(configDir.resolve(rules.keyFile()));
    }
    String envName = rules.keyEnv() == null ? "LONGITUDE_STUDY_KEY" : rules.keyEnv();
    String value = env.get(envName);
    if (value == null || value.isBlank()) {
      throw new ConfigException("No study key: neither key_file is set in the de-identification "
          + "config nor the environment variable " + envName + ". " + HOW_TO);
    }
    return new StudyKey(decode(value.trim(), "environment variable " + envName), false);
  }

  static StudyKey fromFile(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("The key file " + file + " does not exist. " + HOW_TO);
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new ConfigException("The key file " + file + " is readable or writable by others;"
            + " make it owner-only: chmod 600 " + file);
      }
      return new StudyKey(decode(Files.readString(file).trim(), "key file " + file), false);
    } catch (IOException e) {
      throw new ConfigException("Cannot read the key file " + file + ": " + e.getMessage());
    }
  }

  private static byte[] decode(String base64, String where) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("The study key in the " + where + " is not valid base64. "
          + HOW_TO);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isEphemeral() {
    return ephemeral;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StudyKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StudyKey[redacted]";
  }
}
