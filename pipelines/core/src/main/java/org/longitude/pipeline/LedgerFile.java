package org.longitude.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.longitude.common.BeamFiles;

/**
 * The run's exact accounting as a file: the {@link org.longitude.common.Ledger} entries of
 * every bundle, summed per key,
 * one {@code <key>\t<count>} line each, in {@code <folder>/ledger-00000-of-00001.tsv}. It is
 * written through Beam's own file output (each bundle writes a temporary file, and only the
 * files of bundles that counted are moved into place at the end), so the ledger of a bundle
 * the runner retried is discarded with the rest of that bundle's output. The run summary is
 * read from it, never from metrics.
 */
public final class LedgerFile {
  static final String PREFIX = "ledger";
  private static final String SUFFIX = ".tsv";

  private LedgerFile() {}

  /** Sums the entries per key and writes them as the one ledger file of {@code folder}. */
  public static PTransform<PCollection<KV<String, Long>>, PDone> write(String folder) {
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<KV<String, Long>> entries) {
        return entries
            .apply("SumPerKey", Combine.perKey(Sum.ofLongs()))
            .apply("AsLines", MapElements.into(TypeDescriptors.strings())
                .via(e -> e.getKey() + "\t" + e.getValue()))
            .apply("WriteLedger", TextIO.write().to(BeamFiles.child(folder, PREFIX))
                .withSuffix(SUFFIX).withoutSharding());
      }
    };
  }

  /**
   * The entries of the ledger file in {@code folder} (local or on shared storage), by key.
   *
   * @throws IOException when there is no ledger file: the run did not finish its output
   */
  public static Map<String, Long> read(String folder) throws IOException {
    List<MatchResult.Metadata> files =
        BeamFiles.list(BeamFiles.child(folder, PREFIX + "*" + SUFFIX));
    if (files.isEmpty()) {
      throw new IOException("no ledger file in " + folder + ": the run's accounting is missing");
    }
    Map<String, Long> entries = new TreeMap<>();
    for (MatchResult.Metadata file : files) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(FileSystems.open(file.resourceId())), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          int tab = line.lastIndexOf('\t');
          entries.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)),
              Long::sum);
        }
      }
    }
    return entries;
  }
}
