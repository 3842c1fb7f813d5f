package org.longitude.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output lock: live holders refused, dead ones' locks cleared with a notice. */
class RunLockTest {
  @TempDir Path output;

  @Test
  void secondRunInThisJvmIsRefusedUntilTheFirstEnds() throws Exception {
    try (RunLock first = RunLock.acquire(output, "run-1", h -> { })) {
      RunLock.HeldException e = assertThrows(RunLock.HeldException.class,
          () -> RunLock.acquire(output, "run-2", h -> { }));
      assertTrue(e.getMessage().contains("run run-1"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()));
    }
    try (RunLock again = RunLock.acquire(output, "run-2", h -> { })) {
      assertTrue(Files.readString(again.file()).contains("run=run-2"));
    }
    assertEquals("", Files.readString(output.resolve(RunLock.FILE)), "emptied on release");
  }

  @Test
  void lockNamingALiveProcessIsRefused() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      // The OS lock is free (the sleeper never took it): the pid check alone must refuse.
      writeLock(sleeper.pid(), RunLock.hostName(), Instant.now().plusSeconds(1));
      RunLock.HeldException e = assertThrows(RunLock.HeldException.class,
          () -> RunLock.acquire(output, "mine", h -> { }));
      assertTrue(e.getMessage().contains("pid " + sleeper.pid()), e.getMessage());
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void staleLockOfADeadProcessIsClearedWithANotice() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    writeLock(done.pid(), RunLock.hostName(), Instant.now());
    List<RunLock.Holder> stale = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(output, "mine", stale::add)) {
      assertEquals(1, stale.size());
      assertEquals(done.pid(), stale.get(0).pid());
      assertEquals("dead-run", stale.get(0).runId());
      assertTrue(Files.readString(lock.file())
          .contains("pid=" + ProcessHandle.current().pid()));
    }
  }

  @Test
  void statusTellsALiveHolderFromADeadOne() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunLock.Holder live = new RunLock.Holder(sleeper.pid(), RunLock.hostName(), "live-run",
          Instant.now().plusSeconds(1));
      assertEquals("run live-run (pid " + sleeper.pid() + " on " + RunLock.hostName()
          + ", since " + live.started() + ")", RunLock.describeHolder(live));
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
    RunLock.Holder dead = new RunLock.Holder(sleeper.pid(), RunLock.hostName(), "dead-run",
        Instant.now());
    assertTrue(RunLock.describeHolder(dead).startsWith("no (stale lock: run dead-run (pid "
        + sleeper.pid()), RunLock.describeHolder(dead));
  }

  @Test
  void livePidThatStartedAfterTheLockIsAReusedPidAndTheLockStale() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      writeLock(sleeper.pid(), RunLock.hostName(), Instant.now().minusSeconds(3600));
      List<RunLock.Holder> stale = new ArrayList<>();
      RunLock.acquire(output, "mine", stale::add).close();
      assertEquals(1, stale.size());
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  private void writeLock(long pid, String host, Instant started) throws Exception {
    Files.writeString(output.resolve(RunLock.FILE), "pid=" + pid + "\nhost=" + host
        + "\nrun=dead-run\nstarted=" + started + "\n");
  }
}
