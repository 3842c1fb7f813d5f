package org.longitude.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  static JvmProcess start(Path dir, String name, List<String> jvmOptions, String mainClass,
      List<String> args) throws IOException {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    // Flink's own log at info (its restarts, lost TaskManagers), in the process's file.
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile()).start();
    return new JvmProcess(name, process);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}: the process dies at once, as a lost machine would. */
  void kill() {
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
