package org.longitude.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * One resource as the clinic sent it: PHI-bearing, restricted zone only.
 *
 * @param clinic the clinic id
 * @param resourceType the FHIR type the clinic was asked for (or the NDJSON file's type)
 * @param json the resource's JSON, unchanged: UTF-8 bytes as received (parsed, landed and
 *     quarantined without being decoded to a String and encoded again)
 */
public record RawResource(String clinic, String resourceType, byte[] json) {

  /** The JSON as text. */
  public String text() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** Never the content: runners log elements (Beam's DirectRunner at debug level). */
  @Override
  public String toString() {
    return "RawResource[clinic=" + clinic + ", resourceType=" + resourceType + ", json=<"
        + (json == null ? 0 : json.length) + " bytes, restricted>]";
  }

  /** A compact, deterministic coder: two UTF-8 strings, then the JSON's bytes. */
  public static final class RawResourceCoder extends AtomicCoder<RawResource> {
    private static final RawResourceCoder INSTANCE = new RawResourceCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    public static RawResourceCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RawResource value, OutputStream out) throws IOException {
      STRING.encode(value.clinic(), out);
      STRING.encode(value.resourceType(), out);
      BYTES.encode(value.json(), out);
    }

    @Override
    public RawResource decode(InputStream in) throws IOException {
      return new RawResource(STRING.decode(in), STRING.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }
  }
}
