package org.longitude.pipeline;

import java.io.Serializable;
import org.longitude.common.BeamFiles;

/**
 * Where a run's data live, the files the workers write: the research tables, the landing and
 * the quarantine, under a root that is the local output folder or a URL on shared storage
 * ({@code s3://bucket/prefix}, {@code hdfs://namenode/path}), in the same sub-layout:
 *
 * <pre>
 * &lt;root&gt;/runs/&lt;run&gt;/research/&lt;table&gt;/*.parquet|*.avro
 * &lt;root&gt;/restricted/landing/&lt;run&gt;/&lt;clinic&gt;/&lt;Type&gt;-*.ndjson
 * &lt;root&gt;/restricted/quarantine/&lt;run&gt;/&lt;clinic&gt;-*.ndjson
 * &lt;root&gt;/restricted/summary/&lt;run&gt;/ledger/ledger-*.tsv  (the exact accounting)
 * &lt;root&gt;/restricted/progress/&lt;run&gt;/*.tsv     (live pull counts, while the run lasts)
 * &lt;root&gt;/research/LATEST                         (shared storage: the published run's id)
 * </pre>
 *
 * @param root a local folder's absolute path or a URL, without a trailing separator
 */
public record DataLocation(String root, String runId) implements Serializable {
  /** The object naming the published run on shared storage (a link cannot be used there). */
  public static final String LATEST = "LATEST";
  /** In a run's research folder on shared storage: its files, written before LATEST. */
  public static final String FILES = "_files.json";

  public DataLocation {
    root = root.replaceAll("/+$", "");
  }

  /** Whether the root is a URL (shared storage) rather than a local folder. */
  public boolean shared() {
    return BeamFiles.isUrl(root);
  }

  public String research() {
    return researchOf(runId);
  }

  /** The research folder of any run under this root. */
  public String researchOf(String run) {
    return root + "/runs/" + run + "/research";
  }

  /** Every run's landing folder lies here. */
  public String landings() {
    return root + "/restricted/landing";
  }

  public String landing() {
    return landings() + "/" + runId;
  }

  public String quarantine() {
    return root + "/restricted/quarantine/" + runId;
  }

  /** The folder of the run's ledger file ({@link LedgerFile}): exact counts, restricted. */
  public String ledger() {
    return root + "/restricted/summary/" + runId + "/ledger";
  }

  /** Where a cluster's pull tasks write their live counts while the run lasts. */
  public String progress() {
    return root + "/restricted/progress/" + runId;
  }

  /** Where the published run's id is written, on shared storage. */
  public String latest() {
    return root + "/research/" + LATEST;
  }
}
