package org.longitude.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;

/**
 * Flink's embedded cluster, started on another thread while the command is still reading its
 * configuration and building the job. Beam's FlinkRunner would start the same cluster only once
 * the job is submitted, about a second of a small study's run (README, "Start-up"). The runner
 * finds this one as Flink's context environment (its default master, {@code [auto]}, asks Flink
 * for that); it runs the one job and shuts down when the job ends, as the runner's own would.
 *
 * <p>One per JVM at a time; {@link #close} shuts down a cluster no job used and takes the
 * context environment away again.
 */
public final class EmbeddedFlink extends ExecutionEnvironment implements AutoCloseable {
  private final CompletableFuture<MiniCluster> cluster;

  private EmbeddedFlink(Configuration configuration, CompletableFuture<MiniCluster> cluster,
      int slots) {
    super(new Submitter(cluster), configuration, EmbeddedFlink.class.getClassLoader());
    this.cluster = cluster;
    setParallelism(slots);
  }

  /**
   * Starts a cluster of one task manager with {@code slots} slots, on another thread, and makes
   * it the environment the Flink runner submits to from now on.
   */
  public static EmbeddedFlink start(int slots) {
    Configuration configuration = new Configuration();
    configuration.set(DeploymentOptions.TARGET, Submitter.NAME);
    configuration.set(DeploymentOptions.ATTACHED, true);
    configuration.set(RestOptions.BIND_PORT, "0"); // any free port, as Flink's local executor
    // As Beam's runner configures its own local cluster: the job runs on the JVM's class
    // loader, which outlives the job, so Flink's check for leaked job class loaders only warns.
    configuration.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    MiniClusterConfiguration settings = new MiniClusterConfiguration.Builder()
        .setConfiguration(configuration)
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(slots)
        .setRpcServiceSharing(RpcServiceSharing.SHARED)
        .build();
    CompletableFuture<MiniCluster> cluster = CompletableFuture.supplyAsync(() -> {
      MiniCluster started = new MiniCluster(settings);
      try {
        started.start();
      } catch (Exception e) {
        started.closeAsync();
        throw new IllegalStateException("Flink's embedded cluster did not start: "
            + e.getMessage(), e);
      }
      return started;
    }, task -> {
      Thread thread = new Thread(task, "longitude-flink-start");
      thread.setDaemon(true);
      thread.start();
    });
    EmbeddedFlink flink = new EmbeddedFlink(configuration, cluster, slots);
    initializeContextEnvironment(() -> flink);
    return flink;
  }

  /** Shuts the cluster down if no job did (a failed or refused run), and forgets it. */
  @Override
  public void close() {
    resetContextEnvironment();
    cluster.thenAccept(MiniCluster::closeAsync);
  }

  /** Whether the cluster has started and not yet shut down (after its job, or closed). */
  boolean running() {
    return cluster.join().isRunning();
  }

  /** Submits Flink's plan of the Beam job to the cluster, once it has started. */
  private record Submitter(CompletableFuture<MiniCluster> cluster)
      implements PipelineExecutorServiceLoader, PipelineExecutorFactory, PipelineExecutor {
    private static final String NAME = "longitude-embedded";

    @Override
    public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
      return this;
    }

    @Override
    public Stream<String> getExecutorNames() {
      return Stream.of(NAME);
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean isCompatibleWith(Configuration configuration) {
      return true;
    }

    @Override
    public PipelineExecutor getExecutor(Configuration configuration) {
      return this;
    }

    @Override
    public CompletableFuture<JobClient> execute(Pipeline plan, Configuration configuration,
        ClassLoader classLoader) throws Exception {
      JobGraph job = PipelineExecutorUtils.getJobGraph(plan, configuration, classLoader);
      MiniCluster started = cluster.join();
      return started.submitJob(job).thenApply(submitted -> new MiniClusterJobClient(
          submitted.getJobID(), started, classLoader,
          MiniClusterJobClient.JobFinalizationBehavior.SHUTDOWN_CLUSTER));
    }
  }
}
