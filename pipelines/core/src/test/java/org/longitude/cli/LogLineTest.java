package org.longitude.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A log line stays readable on one terminal line, whatever the logging thread is named. */
class LogLineTest {
  @Test
  void aFlinkTaskThreadsLineNamesTheThreadByNumber() throws Exception {
    // Flink names a task thread after its whole operator chain: up to ~850 characters.
    String chain = "CHAIN MapPartition (MapPartition at Normalize/ReadFacts/ParMultiDo(ReadFacts))"
        + " -> FlatMap (FlatMap at Normalize/ReadFacts/ParMultiDo(ReadFacts).output)".repeat(10)
        + " (1/2)#0";
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Thread task = new Thread(() -> LoggerFactory.getLogger(LogLineTest.class)
          .warn("clinic 'north': 12 resource(s) read so far"), chain);
      task.start();
      task.join();
    } finally {
      System.setErr(err);
    }

    String line = captured.toString(StandardCharsets.UTF_8).strip();
    assertTrue(line.endsWith("clinic 'north': 12 resource(s) read so far"), line);
    assertTrue(line.startsWith("tid="), line);
    assertFalse(line.contains("MapPartition"), line);
    assertTrue(line.length() < 120, line);
  }
}
