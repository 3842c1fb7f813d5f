package org.longitude.cli;

import java.nio.file.Path;
import org.longitude.config.ConfigException;
import org.longitude.config.Location;
import org.longitude.config.Study;
import org.longitude.config.StudyKey;
import org.longitude.config.StudyLoader;
import org.longitude.views.StudyViews;
import picocli.CommandLine.Option;

/** {@code --study F [--output DIR]} for the commands that read a study's outputs. */
final class StudyOutputArgs {
  @Option(names = "--study", description = "The study YAML file.")
  Path studyFile;

  @Option(names = "--output", description = "Output folder (default: out/<study id>).")
  Path output;

  /** The study, loaded and checked; requires {@code --study}. */
  Study study() {
    if (studyFile == null) {
      throw new ConfigException("give the study: --study path/to/study.yaml");
    }
    return checked(StudyLoader.load(Location.file(studyFile)));
  }

  /** The study, its views checked too: refused before a key is read or anything runs. */
  static Study checked(Study study) {
    StudyViews.check(study.viewsOrEmpty(), study.deid());
    return study;
  }

  /** The study's key: its key_file (beside the study YAML) or the environment. */
  StudyKey key(Study study) {
    return StudyKey.resolve(study.deid(), studyFile.toAbsolutePath().getParent(),
        System.getenv());
  }

  /** The output folder: {@code --output}, or {@code out/<study id>} from {@code --study}. */
  Path output() {
    if (output == null && studyFile == null) {
      throw new ConfigException("give --study path/to/study.yaml or --output DIR");
    }
    return output != null ? output : outputFor(study());
  }

  /** The output folder of an already loaded study. */
  Path outputFor(Study study) {
    return output != null ? output : Path.of("out", study.id());
  }
}
