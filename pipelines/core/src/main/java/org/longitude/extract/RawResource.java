package org.longitude.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.longitude.common.CompactCoding;
import org.longitude.common.Ledger;

/**
 * One resource as the clinic sent it: PHI-bearing, restricted zone only. Or, once per bundle
 * of a pull, the pull's {@link Ledger} handed on with the resources to the step that reads
 * them ({@link #handingOn}): a second output would cost more than the ledger itself (Flink
 * ships every element of a step with two outputs to both).
 *
 * @param clinic the clinic id
 * @param resourceType the FHIR type the clinic was asked for (or the NDJSON file's type)
 * @param json the resource's JSON, unchanged: UTF-8 bytes as received (parsed, landed and
 *     quarantined without being decoded to a String and encoded again)
 * @param ledger null for a resource; for a ledger handed on, the ledger (and no resource)
 */
public record RawResource(String clinic, String resourceType, byte[] json, Ledger ledger) {

  public RawResource(String clinic, String resourceType, byte[] json) {
    this(clinic, resourceType, json, null);
  }

  /** No resource: a pull's ledger, handed on to the step that reads the resources. */
  public static RawResource handingOn(Ledger ledger) {
    return new RawResource(null, null, null, ledger);
  }

  /** Hands a bundle's ledger on to {@code out} at the end of the bundle, unless it is empty. */
  static void handOn(Ledger ledger, Consumer<RawResource> out) {
    if (!ledger.isEmpty()) {
      out.accept(handingOn(ledger));
    }
  }

  /** The JSON as text. */
  public String text() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** Never the content: runners log elements (Beam's DirectRunner at debug level). */
  @Override
  public String toString() {
    if (ledger != null) {
      return "RawResource[ledger]";
    }
    return "RawResource[clinic=" + clinic + ", resourceType=" + resourceType + ", json=<"
        + (json == null ? 0 : json.length) + " bytes, restricted>]";
  }

  /**
   * A compact, deterministic coder: two UTF-8 strings, then the JSON's bytes; a ledger handed
   * on is marked by an absent clinic.
   */
  public static final class RawResourceCoder extends AtomicCoder<RawResource> {
    private static final RawResourceCoder INSTANCE = new RawResourceCoder();
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<byte[]> BYTES = ByteArrayCoder.of();

    public static RawResourceCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RawResource value, OutputStream out) throws IOException {
      CompactCoding.writeString(value.clinic(), out);
      if (value.ledger() != null) {
        value.ledger().writeTo(out);
        return;
      }
      STRING.encode(value.resourceType(), out);
      BYTES.encode(value.json(), out);
    }

    @Override
    public RawResource decode(InputStream in) throws IOException {
      String clinic = CompactCoding.readString(in);
      if (clinic == null) {
        return handingOn(Ledger.readFrom(in));
      }
      return new RawResource(clinic, STRING.decode(in), BYTES.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of();
    }
  }
}
