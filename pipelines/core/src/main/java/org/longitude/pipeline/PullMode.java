package org.longitude.pipeline;

/**
 * How a run gets its data.
 *
 * @param fullPull pull everything even where a high-water mark exists ({@code --full})
 * @param fromLanding re-run the later stages from this run's landed NDJSON, pulling nothing
 *     ({@code --from-landing}); null = pull
 */
public record PullMode(boolean fullPull, String fromLanding) {
  /** The default: incremental for clinics with a high-water mark, full for the others. */
  public static PullMode incremental() {
    return new PullMode(false, null);
  }

  public static PullMode full() {
    return new PullMode(true, null);
  }

  public static PullMode fromLanding(String runId) {
    return new PullMode(false, runId);
  }
}
