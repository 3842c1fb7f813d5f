package org.longitude.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a cluster on this machine: a JVM started from this JVM's own java and class
 * path, its output in {@code <dir>/logs/<name>.log}, stopped (or killed) by its own handle,
 * never by name.
 */
final class JvmProcess {
  private final String name;
  private final Process process;

  private JvmProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * The jar (or, under Maven, the class folder) {@code type} was loaded from: one of
   * Longitude's modules' (README, "Modules").
   */
  static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JVM on this JVM's own class path (the Flink cluster's processes). */
  static JvmProcess start(Path dir, String name, List<String> jvmOptions, String mainClass,
      List<String> args) throws IOException {
    return start(dir, name, System.getProperty("java.class.path"), Map.of(), jvmOptions,
        mainClass, args);
  }

  /**
   * A JVM on {@code classPath} (Spark's processes: Spark's jars are not on this one), with
   * {@code environment} added to this process's.
   */
  static JvmProcess start(Path dir, String name, String classPath,
      Map<String, String> environment, List<String> jvmOptions, String mainClass,
      List<String> args) throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    // Flink's own log at info (its restarts, lost TaskManagers), in the process's file.
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(List.of("-cp", classPath, mainClass));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    builder.environment().putAll(environment);
    return new JvmProcess(name, builder.start());
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int exitCode() throws InterruptedException {
    return process.waitFor();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}, for a process that did not stop when asked. */
  private void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(30));
  }

  /** Asks the process to stop (SIGTERM), and kills it if it has not within 20 s. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitFor(Duration.ofSeconds(20))) {
      kill();
    }
  }

  private boolean waitFor(Duration limit) {
    try {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A port free on 127.0.0.1 just now (for a configuration that needs a fixed one). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
