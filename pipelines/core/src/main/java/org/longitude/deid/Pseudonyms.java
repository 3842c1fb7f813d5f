package org.longitude.deid;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.longitude.config.StudyKey;

/**
 * Keyed pseudonyms and date shifts. The same key and source ids always give the same values;
 * another key gives unlinkable ones. Not thread-safe (one per DoFn instance).
 */
public final class Pseudonyms {
  private final Mac mac;
  private final int maxShiftDays;
  private final ByteBuffer length = ByteBuffer.allocate(4);
  /** The last pseudonym made of each kind: a participant's resources come together. */
  private final Last lastParticipant = new Last();
  private final Last lastRecord = new Last();

  /** One pseudonym and what it was made of. */
  private static final class Last {
    private String clinic;
    private String id;
    private String pseudonym;

    String get(String clinic, String id) {
      return id.equals(this.id) && clinic.equals(this.clinic) ? pseudonym : null;
    }

    String set(String clinic, String id, String pseudonym) {
      this.clinic = clinic;
      this.id = id;
      this.pseudonym = pseudonym;
      return pseudonym;
    }
  }

  public Pseudonyms(StudyKey key, int maxShiftDays) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    this.maxShiftDays = maxShiftDays;
  }

  /** The participant's pseudonymous id: HMAC(clinic, Patient id), hex. */
  public String participant(String clinic, String patientId) {
    String last = lastParticipant.get(clinic, patientId);
    return last != null ? last : lastParticipant.set(clinic, patientId,
        HexFormat.of().formatHex(hmac("participant", clinic, patientId)));
  }

  /** A record's pseudonymous id: HMAC(clinic, resource type, id), hex. */
  public String record(String clinic, String resourceType, String id) {
    String key = resourceType + "/" + id;
    String last = lastRecord.get(clinic, key);
    return last != null ? last : lastRecord.set(clinic, key,
        HexFormat.of().formatHex(hmac("record", clinic, key)));
  }

  /** The participant's date shift in days, uniform in [-max, +max]. */
  public int shiftDays(String clinic, String patientId) {
    long bits = ByteBuffer.wrap(hmac("shift", clinic, patientId)).getLong() >>> 1;
    return (int) (bits % (2L * maxShiftDays + 1)) - maxShiftDays;
  }

  private byte[] hmac(String purpose, String clinic, String id) {
    // Length-prefixed parts: ("a", "bc") and ("ab", "c") must not collide.
    for (String part : new String[] {purpose, clinic, id}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      mac.update(length.putInt(0, bytes.length).array());
      mac.update(bytes);
    }
    return mac.doFinal();
  }
}
