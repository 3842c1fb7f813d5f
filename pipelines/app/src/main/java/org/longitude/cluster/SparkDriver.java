package org.longitude.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.longitude.config.Study;
import org.longitude.operate.StudyRun;
import org.longitude.pipeline.PipelineRun;

/**
 * The Spark check's driver (client mode), in a JVM of its own on the job jar (core's), this
 * class's jar and the demo's (the reference date), and Spark's jars ({@link SparkStandalone}
 * starts it): runs the serialized study as {@link CheckRun} does, exits with the run's exit
 * code.
 *
 * <p>Arguments: the serialized study, the output folder, then Beam's options ({@code
 * --runner=SparkRunner --sparkMaster=spark://... --filesToStage=<job jar>}).
 */
public final class SparkDriver {
  private SparkDriver() {}

  public static void main(String[] args) throws IOException, ClassNotFoundException {
    Study study;
    try (InputStream file = Files.newInputStream(Path.of(args[0]));
        ObjectInputStream in = new ObjectInputStream(file)) {
      study = (Study) in.readObject();
    }
    PipelineOptions options = PipelineOptionsFactory.fromArgs(
        Arrays.copyOfRange(args, 2, args.length)).withValidation().create();
    PipelineRun.tuneForProduction(options);
    StudyRun.Status status = CheckRun.run(study, Path.of(args[1]), options);
    System.exit(status.exitCode); // Spark's non-daemon threads would keep the JVM alive
  }
}
