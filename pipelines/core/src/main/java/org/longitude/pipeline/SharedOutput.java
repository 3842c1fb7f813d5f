package org.longitude.pipeline;

import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.longitude.common.BeamFiles;
import org.longitude.config.ConfigException;
import org.longitude.config.Source;
import org.longitude.config.Study;

/**
 * Checks a shared data location ({@code --shared-output}) before any work: a URL of a file
 * system this build reaches through Beam (with the run's pipeline options registered), apart
 * from every clinic's NDJSON folder.
 */
public final class SharedOutput {
  private SharedOutput() {}

  /**
   * Call after {@link FileSystems#setDefaultPipelineOptions}, which registers the file systems.
   *
   * @throws ConfigException naming the option (or the study file and key) and the fix
   */
  public static void check(Study study, String url) {
    if (!BeamFiles.isUrl(url)) {
      throw new ConfigException("--shared-output " + url + ": not a URL; give the shared "
          + "location as s3://bucket/prefix or hdfs://namenode:8020/path (a local or mounted "
          + "folder is --output)");
    }
    String scheme = url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      throw new ConfigException("--shared-output " + url + ": a file: URL is a local folder; "
          + "give it as --output, or a shared location as s3://bucket/prefix");
    }
    try {
      FileSystems.matchNewResource(url, true);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--shared-output " + url + ": no file system for " + scheme
          + ":// is available" + (scheme.equals("hdfs") ? "; give the cluster's Hadoop "
              + "configuration: HADOOP_CONF_DIR=/etc/hadoop/conf (core-site.xml, hdfs-site.xml)"
              + " or --hdfsConfiguration" : "; Longitude writes to s3:// and hdfs://"));
    }
    String shared = url.replaceAll("/+$", "") + "/";
    for (int i = 0; i < study.clinics().size(); i++) {
      Source source = study.clinics().get(i).source();
      if (source.kind() != Source.Kind.NDJSON || !BeamFiles.isUrl(source.directory())) {
        continue;
      }
      String in = source.directory().replaceAll("/+$", "") + "/";
      if (in.startsWith(shared) || shared.startsWith(in)) {
        throw new ConfigException(study.source() + ": clinics[" + i + "].source.directory ("
            + source.directory() + ", clinic '" + study.clinics().get(i).id() + "') and "
            + "--shared-output " + url + " overlap; choose a --shared-output outside the "
            + "clinic's NDJSON location, e.g. another prefix");
      }
    }
  }
}
