package org.longitude.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.longitude.config.Study;
import org.longitude.operate.StudyRun;

/**
 * A cluster of separate JVMs on this machine that {@link ClusterCheck} runs studies on and
 * kills a worker of: {@link FlinkSession} or {@link SparkStandalone}. Closing it stops every
 * process it started, by its own handle.
 */
interface ClusterSession extends AutoCloseable {
  /** What runs where, for the check's log: the master's address, the workers, the logs. */
  String describe();

  /**
   * Runs the study on the cluster to its end, with the check's key, run id and reference date
   * ({@link CheckRun}), into {@code output}.
   */
  StudyRun.Status run(Study study, Path output) throws IOException;

  /** A live worker process holding tasks of a running job, if there is one just now. */
  Optional<BusyProcess> busyProcess();

  /**
   * How the cluster has recovered from lost workers so far, in words (restarts, retried
   * tasks); polled while a job runs, since a finished job's counts may be gone.
   */
  String recovery();

  @Override
  void close();

  /**
   * A worker JVM holding tasks (a Flink TaskManager, a Spark executor), to be killed as a lost
   * machine would be.
   */
  record BusyProcess(String name, ProcessHandle process) {
    long pid() {
      return process.pid();
    }

    /** {@code kill -9}, then waits (up to 30 s) until it is gone. */
    void kill() throws IOException {
      process.destroyForcibly();
      try {
        process.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        throw new IOException(name + " (pid " + pid() + ") did not die within "
            + Duration.ofSeconds(30), e);
      }
    }
  }
}
