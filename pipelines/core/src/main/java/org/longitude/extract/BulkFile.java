package org.longitude.extract;

import java.io.Serializable;
import org.longitude.config.Source;

/**
 * One file of an export job's manifest, to be downloaded on any worker.
 *
 * @param type the resource type the file holds (OperationOutcome for error files)
 * @param error whether it is one of the manifest's error files
 * @param requiresAccessToken whether to send the clinic's credentials with the download
 */
record BulkFile(String clinic, Source source, String type, String url, boolean error,
    boolean requiresAccessToken) implements Serializable {

  @Override
  public String toString() {
    return "BulkFile[clinic=" + clinic + ", type=" + type + ", error=" + error + "]";
  }
}
