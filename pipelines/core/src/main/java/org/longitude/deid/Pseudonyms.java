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
    return HexFormat.of().formatHex(hmac("participant", clinic, patientId));
  }

  /** A record's pseudonymous id: HMAC(clinic, resource type, id), hex. */
  public String record(String clinic, String resourceType, String id) {
    return HexFormat.of().formatHex(hmac("record", clinic, resourceType + "/" + id));
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
