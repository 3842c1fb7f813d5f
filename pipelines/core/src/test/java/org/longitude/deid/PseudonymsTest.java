package org.longitude.deid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.longitude.config.StudyKey;

/** Keyed pseudonyms and date shifts, with worked examples pinned to fixed keys. */
class PseudonymsTest {
  /** Bytes 1..32. */
  static final StudyKey KEY_A = key(1);
  /** Bytes 101..132: the "rotated" key. */
  static final StudyKey KEY_B = key(101);

  static StudyKey key(int first) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (first + i);
    }
    return StudyKey.of(b);
  }

  @Test
  void participantIsHmacSha256OverLengthPrefixedPurposeClinicAndId() throws Exception {
    // Worked example, recomputed from the definition: HMAC-SHA256 under the study key over
    // len("participant") "participant" len("north") "north" len("p-17") "p-17" (4-byte lengths).
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY_A.bytes(), "HmacSHA256"));
    for (String part : new String[] {"participant", "north", "p-17"}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      mac.update(bytes);
    }
    String expected = HexFormat.of().formatHex(mac.doFinal());
    assertEquals(expected, new Pseudonyms(KEY_A, 182).participant("north", "p-17"));
    assertEquals(64, expected.length());
  }

  @Test
  void pseudonymsArePinned() {
    // Stability across releases: a change here would unlink every study's past runs.
    Pseudonyms p = new Pseudonyms(KEY_A, 182);
    assertEquals(PINNED_PARTICIPANT, p.participant("north", "p-17"));
    assertEquals(PINNED_RECORD, p.record("north", "Observation", "obs-1"));
    assertEquals(PINNED_SHIFT, p.shiftDays("north", "p-17"));
  }

  static final String PINNED_PARTICIPANT =
      "ee78b5435eab5a55fdb90be0f07514f61eae13c07c09c4c7f5c2dc1b6d9ea6a3";
  static final String PINNED_RECORD =
      "dbd8dd60353e3ad681144c5e23a37f2a36ab19e5b4850002e03cae51fd1de59c";
  static final int PINNED_SHIFT = 37;

  @Test
  void sameKeyAndIdsGiveTheSamePseudonymEveryTime() {
    Pseudonyms first = new Pseudonyms(KEY_A, 182);
    Pseudonyms second = new Pseudonyms(key(1), 182); // a new instance, as in another run
    for (int i = 0; i < 200; i++) {
      String id = "patient-" + i;
      assertEquals(first.participant("harbor", id), second.participant("harbor", id));
      assertEquals(first.participant("harbor", id), first.participant("harbor", id));
      assertEquals(first.shiftDays("harbor", id), second.shiftDays("harbor", id));
      assertEquals(first.record("harbor", "Observation", id),
          second.record("harbor", "Observation", id));
    }
  }

  @Test
  void theLastPseudonymKeptIsTheOneAsked() {
    // Each kind remembers its last pseudonym: asking again, or for another clinic, type or
    // id in between, gives what a fresh instance gives.
    Pseudonyms p = new Pseudonyms(KEY_A, 182);
    String[][] asks = {{"north", "Observation", "1"}, {"north", "Observation", "1"},
        {"north", "Condition", "1"}, {"harbor", "Condition", "1"}, {"harbor", "Condition", "2"},
        {"north", "Observation", "1"}};
    for (String[] ask : asks) {
      Pseudonyms fresh = new Pseudonyms(KEY_A, 182);
      assertEquals(fresh.record(ask[0], ask[1], ask[2]), p.record(ask[0], ask[1], ask[2]));
      assertEquals(fresh.participant(ask[0], ask[2]), p.participant(ask[0], ask[2]));
    }
  }

  @Test
  void theClinicIsPartOfTheIdentity() {
    Pseudonyms p = new Pseudonyms(KEY_A, 182);
    assertNotEquals(p.participant("north", "42"), p.participant("harbor", "42"));
    assertNotEquals(p.record("north", "Observation", "42"),
        p.record("harbor", "Observation", "42"));
  }

  @Test
  void lengthPrefixingKeepsSplitsApart() {
    Pseudonyms p = new Pseudonyms(KEY_A, 182);
    assertNotEquals(p.participant("a", "bc"), p.participant("ab", "c"));
    assertNotEquals(p.participant("", "abc"), p.participant("abc", ""));
    assertNotEquals(p.shiftDays("a", "bc") + "/" + p.participant("a", "bc"),
        p.shiftDays("ab", "c") + "/" + p.participant("ab", "c"));
    // Record ids join type and id with '/'; the clinic is still a separate, prefixed part.
    assertNotEquals(p.record("a", "Observation", "bc"), p.record("aObservation", "", "bc"));
  }

  @Test
  void purposesAreSeparated() {
    Pseudonyms p = new Pseudonyms(KEY_A, 182);
    // The same clinic and id as a participant and as a record never give the same value.
    assertNotEquals(p.participant("north", "Patient/7"), p.record("north", "Patient", "7"));
  }

  @Test
  void rotatedKeyGivesUnlinkablePseudonymsAndDifferentShifts() {
    Pseudonyms a = new Pseudonyms(KEY_A, 182);
    Pseudonyms b = new Pseudonyms(KEY_B, 182);
    Set<String> underA = new HashSet<>();
    Set<String> underB = new HashSet<>();
    int sameShift = 0;
    int n = 2000;
    for (int i = 0; i < n; i++) {
      String id = "patient-" + i;
      underA.add(a.participant("north", id));
      underA.add(a.record("north", "Observation", id));
      underB.add(b.participant("north", id));
      underB.add(b.record("north", "Observation", id));
      if (a.shiftDays("north", id) == b.shiftDays("north", id)) {
        sameShift++;
      }
    }
    assertEquals(2 * n, underA.size());
    Set<String> common = new HashSet<>(underA);
    common.retainAll(underB);
    assertTrue(common.isEmpty(), "no pseudonym survives a key rotation");
    // Independent shifts agree by chance 1 time in 365.
    assertTrue(sameShift < n / 50, "shifts agreed for " + sameShift + " of " + n);
  }

  @Test
  void shiftsStayWithinTheMaximumAndUseTheWholeRange() {
    for (int max : new int[] {1, 7, 182, 365}) {
      Pseudonyms p = new Pseudonyms(KEY_A, max);
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      long sum = 0;
      int n = 5000;
      for (int i = 0; i < n; i++) {
        int s = p.shiftDays("summit", "p" + i);
        assertTrue(s >= -max && s <= max, "shift " + s + " outside +-" + max);
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
        sum += s;
      }
      assertEquals(-max, lo, "reaches -max");
      assertEquals(max, hi, "reaches +max");
      double mean = (double) sum / n;
      assertTrue(Math.abs(mean) < max / 10.0 + 0.5, "centred: mean " + mean);
    }
  }
}
