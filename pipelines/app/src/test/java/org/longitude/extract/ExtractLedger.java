package org.longitude.extract;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.longitude.pipeline.LedgerFile;

/**
 * For tests that run the extract stage alone: the ledgers it hands on with its resources,
 * summed into a ledger file as a whole run's are, and read back.
 */
final class ExtractLedger {
  private ExtractLedger() {}

  static void write(PCollection<RawResource> resources, Path dir) {
    resources.apply("Ledgers", ParDo.of(new DoFn<RawResource, KV<String, Long>>() {
      @ProcessElement
      public void process(@Element RawResource raw, OutputReceiver<KV<String, Long>> out) {
        if (raw.ledger() != null) {
          raw.ledger().entries().forEach((k, n) -> out.output(KV.of(k, n)));
        }
      }
    })).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("WriteLedger", LedgerFile.write(dir.toString()));
  }

  static Map<String, Long> read(Path dir) throws IOException {
    return LedgerFile.read(dir.toString());
  }

  /** An entry's count, 0 when absent ({@code key} as a {@code Ledger} writes it). */
  static long count(Map<String, Long> ledger, String key) {
    return ledger.getOrDefault(key, 0L);
  }
}
