package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.ConfigException;
import org.longitude.config.DeidRules;
import org.longitude.config.StudyKey;

/** Where the study key comes from, what is refused, and that it never shows. */
class StudyKeyTest {
  private static final byte[] KEY = PseudonymsTest.KEY_A.bytes();
  private static final String KEY_B64 = Base64.getEncoder().encodeToString(KEY);
  private static final String HOW_TO = "head -c 32 /dev/urandom | base64 > study.key";

  @TempDir Path dir;

  private static DeidRules rules(String keyFile) {
    return new DeidRules("LONGITUDE_STUDY_KEY", keyFile, DeidRules.DateMode.SHIFT, 182, 90,
        SafeHarborTest.RESTRICTED, 10);
  }

  private Path keyFile(String perms, String content) throws Exception {
    Path file = dir.resolve("study.key");
    Files.deleteIfExists(file);
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    return file;
  }

  @Test
  void readsTheKeyFromTheEnvironment() {
    StudyKey key = StudyKey.resolve(rules(null), dir, Map.of("LONGITUDE_STUDY_KEY", KEY_B64 + "\n"));
    assertEquals(PseudonymsTest.KEY_A, key);
    assertFalse(key.isEphemeral());
  }

  @Test
  void readsAnOwnerOnlyKeyFileRelativeToTheConfig() throws Exception {
    keyFile("rw-------", KEY_B64 + "\n");
    StudyKey key = StudyKey.resolve(rules("study.key"), dir, Map.of());
    assertEquals(PseudonymsTest.KEY_A, key);
    keyFile("r--------", KEY_B64);
    assertEquals(PseudonymsTest.KEY_A, StudyKey.resolve(rules("study.key"), dir, Map.of()));
  }

  @Test
  void refusesAKeyFileOthersCanReadOrWrite() throws Exception {
    for (String perms : List.of("rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw-rw-rw-",
        "rw-r--r--")) {
      keyFile(perms, KEY_B64);
      ConfigException e = assertThrows(ConfigException.class,
          () -> StudyKey.resolve(rules("study.key"), dir, Map.of()), perms);
      assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
      assertKeyNotIn(e.getMessage());
    }
  }

  @Test
  void missingKeyRefusesWithTheHowTo() {
    ConfigException noEnv = assertThrows(ConfigException.class,
        () -> StudyKey.resolve(rules(null), dir, Map.of()));
    assertTrue(noEnv.getMessage().contains("LONGITUDE_STUDY_KEY"), noEnv.getMessage());
    assertTrue(noEnv.getMessage().contains(HOW_TO), noEnv.getMessage());
    ConfigException blank = assertThrows(ConfigException.class,
        () -> StudyKey.resolve(rules(null), dir, Map.of("LONGITUDE_STUDY_KEY", "  ")));
    assertTrue(blank.getMessage().contains(HOW_TO), blank.getMessage());
    ConfigException noFile = assertThrows(ConfigException.class,
        () -> StudyKey.resolve(rules("absent.key"), dir, Map.of("LONGITUDE_STUDY_KEY", KEY_B64)));
    assertTrue(noFile.getMessage().contains("does not exist"), noFile.getMessage());
    assertTrue(noFile.getMessage().contains(HOW_TO), noFile.getMessage());
  }

  @Test
  void refusesShortOrMalformedKeysWithoutEchoingThem() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
    ConfigException tooShort = assertThrows(ConfigException.class,
        () -> StudyKey.resolve(rules(null), dir, Map.of("LONGITUDE_STUDY_KEY", shortKey)));
    assertTrue(tooShort.getMessage().contains("31 bytes"), tooShort.getMessage());
    assertTrue(tooShort.getMessage().contains(HOW_TO));
    assertFalse(tooShort.getMessage().contains(shortKey));
    String notBase64 = "not base64 but a secret!" + KEY_B64;
    ConfigException malformed = assertThrows(ConfigException.class,
        () -> StudyKey.resolve(rules(null), dir, Map.of("LONGITUDE_STUDY_KEY", notBase64)));
    assertFalse(malformed.getMessage().contains("secret"), malformed.getMessage());
    assertKeyNotIn(malformed.getMessage());
    assertThrows(ConfigException.class, () -> StudyKey.of(new byte[16]));
  }

  @Test
  void toStringNeverShowsTheKey() {
    StudyKey key = StudyKey.of(KEY);
    assertEquals("StudyKey[redacted]", key.toString());
    assertKeyNotIn(key.toString());
    assertKeyNotIn(String.valueOf(java.util.Optional.of(key)));
    assertKeyNotIn(StudyKey.ephemeral().toString());
  }

  @Test
  void ephemeralKeysAreRandomAndMarked() {
    StudyKey a = StudyKey.ephemeral();
    assertTrue(a.isEphemeral());
    assertEquals(32, a.bytes().length);
    assertFalse(a.equals(StudyKey.ephemeral()));
  }

  @Test
  void bytesAreDefensiveCopies() {
    StudyKey key = StudyKey.of(KEY.clone());
    key.bytes()[0] = 99;
    assertEquals(PseudonymsTest.KEY_A, key);
  }

  private static void assertKeyNotIn(String text) {
    assertFalse(text.contains(KEY_B64), "base64 key in: " + text);
    assertFalse(text.contains(HexFormat.of().formatHex(KEY)), "hex key in: " + text);
  }
}
