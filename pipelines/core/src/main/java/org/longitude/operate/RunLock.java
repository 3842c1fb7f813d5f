package org.longitude.operate;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * One run per output folder at a time: {@code <output>/.lock} holds the owner's pid, host,
 * run id and start, under an OS file lock ({@link FileChannel#tryLock}). The OS drops that
 * lock when the owner dies, so a file still naming a dead process is a stale lock: it is
 * cleared with a message. As a second check (file systems where locks are advisory or not
 * shared), a lock naming a live process on this host that started before the lock is
 * honoured even when the OS lock is free.
 *
 * <p>The file is never deleted, only emptied on release: deleting a lock file lets a second
 * process lock the old inode while a third locks a new one.
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE = ".lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Who holds (or held) a lock, as written in the lock file. */
  public record Holder(long pid, String host, String runId, Instant started) {
    String describe() {
      return "run " + runId + " (pid " + pid + " on " + host + ", started " + started + ")";
    }
  }

  /** Another live run holds the lock. */
  public static final class HeldException extends IOException {
    public HeldException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock for {@code runId} or throws {@link HeldException}. A stale lock is reported
   * to {@code notices} (with the holder, so its run can be marked interrupted) and cleared.
   */
  public static RunLock acquire(Path output, String runId, Consumer<Holder> staleNotices)
      throws IOException {
    Files.createDirectories(output);
    Path file = output.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM
    }
    Optional<Holder> previous = read(channel);
    if (lock == null) {
      channel.close();
      throw new HeldException(refusal(file, previous));
    }
    if (previous.isPresent()) {
      Holder h = previous.get();
      if (isLiveOnThisHost(h)) {
        lock.release();
        channel.close();
        throw new HeldException(refusal(file, previous));
      }
      staleNotices.accept(h);
    }
    Holder me = new Holder(ProcessHandle.current().pid(), hostName(), runId, Instant.now());
    write(channel, me);
    return new RunLock(file, channel, lock);
  }

  private static String refusal(Path file, Optional<Holder> holder) {
    return "another run is using this output: "
        + holder.map(Holder::describe).orElse("(holder unknown)") + ". Wait for it to finish"
        + " or stop it; the lock is " + file + " (it clears itself when that process ends)";
  }

  /** The holder named in a lock file, if any (for status displays). */
  public static Optional<Holder> peek(Path output) throws IOException {
    Path file = output.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel);
    }
  }

  /**
   * What {@code status} says of a lock's holder: running, or a stale lock of a process that
   * is gone (the next run clears it). A holder on another host cannot be checked here.
   */
  public static String describeHolder(Holder h) {
    String who = "run " + h.runId() + " (pid " + h.pid() + " on " + h.host() + ", since "
        + h.started() + ")";
    if (!h.host().equals(hostName())) {
      return who + ", on another host: not checked";
    }
    boolean live = h.pid() == ProcessHandle.current().pid() || isLiveOnThisHost(h);
    return live ? who
        : "no (stale lock: " + who + " is no longer running; the next run clears it)";
  }

  static boolean isLiveOnThisHost(Holder h) {
    if (!h.host().equals(hostName()) || h.pid() == ProcessHandle.current().pid()) {
      return false;
    }
    return ProcessHandle.of(h.pid())
        .filter(ProcessHandle::isAlive)
        // A process that started after the lock was written reuses a dead owner's pid.
        .map(p -> p.info().startInstant().map(s -> !s.isAfter(h.started())).orElse(true))
        .orElse(false);
  }

  private static Optional<Holder> read(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
    channel.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return Optional.empty();
    }
    Properties p = new Properties();
    p.load(new java.io.StringReader(text));
    try {
      return Optional.of(new Holder(Long.parseLong(p.getProperty("pid", "-1")),
          p.getProperty("host", "?"), p.getProperty("run", "?"),
          Instant.parse(p.getProperty("started", Instant.EPOCH.toString()))));
    } catch (RuntimeException e) {
      return Optional.of(new Holder(-1, "?", "?", Instant.EPOCH)); // unreadable: stale
    }
  }

  static void write(FileChannel channel, Holder h) throws IOException {
    String text = "pid=" + h.pid() + "\nhost=" + h.host() + "\nrun=" + h.runId()
        + "\nstarted=" + h.started() + "\n";
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  public Path file() {
    return file;
  }

  /** Empties the file and releases the OS lock. */
  @Override
  public void close() throws IOException {
    try {
      channel.truncate(0);
      channel.force(true);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
