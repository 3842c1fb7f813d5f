package org.longitude.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operating commands without a pipeline run: help, schedules, validate's problems. */
class OperateCommandsTest {
  @TempDir Path temp;

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"runs", "status", "query", "validate", "schedule"}) {
      OperateRunsTest.Cli cli = OperateRunsTest.cli(command, "--help");
      assertEquals(0, cli.exit(), command);
      assertTrue(cli.out().contains("Usage: longitude " + command), cli.out());
    }
  }

  @Test
  void schedulePrintsCrontabAndSystemdEntries() throws Exception {
    Path study = TestStudy.write(temp, Map.of("north", "http://127.0.0.1:9/fhir"),
        "schedule: {cron: \"30 2 * * 1-5\", time_zone: Europe/Berlin}");
    OperateRunsTest.Cli cron = OperateRunsTest.cli("schedule", "--study", study.toString(),
        "--output", temp.resolve("out").toString(), "--print-crontab");
    assertEquals(0, cron.exit(), cron.err());
    assertTrue(cron.out().contains("CRON_TZ=Europe/Berlin\n30 2 * * 1-5 "), cron.out());
    assertTrue(cron.out().contains("org.longitude.cli.Longitude run --study " + study), cron.out());

    OperateRunsTest.Cli systemd = OperateRunsTest.cli("schedule", "--study", study.toString(),
        "--print-systemd");
    assertEquals(0, systemd.exit(), systemd.err());
    assertTrue(systemd.out().contains("OnCalendar=Mon..Fri *-*-* 02:30:00 Europe/Berlin"),
        systemd.out());
  }

  @Test
  void onCalendarTranslations() {
    ZoneId utc = ZoneId.of("UTC");
    assertEquals("Mon *-*-* 02:00:00 UTC",
        OsSchedule.onCalendar(CronSchedule.of("0 2 * * 1", utc)));
    assertEquals("*-*-01 00:0/15:00 UTC",
        OsSchedule.onCalendar(CronSchedule.of("*/15 0 1 * *", utc)));
    assertEquals("Sat,Sun *-01..06-* 06:05:00 UTC",
        OsSchedule.onCalendar(CronSchedule.of("5 6 * 1-6 6,0", utc)));
  }

  @Test
  void scheduleWithoutAScheduleKeyIsBadConfig() throws Exception {
    Path study = TestStudy.write(temp, Map.of("north", "http://127.0.0.1:9/fhir"), null);
    OperateRunsTest.Cli cli = OperateRunsTest.cli("schedule", "--study", study.toString(),
        "--max-runs", "1");
    assertEquals(3, cli.exit());
    assertTrue(cli.err().contains("'schedule' is missing"), cli.err());
  }

  @Test
  void validateReportsFileKeyAndFix() throws Exception {
    Path study = TestStudy.write(temp, Map.of("north", "http://127.0.0.1:9/fhir"), null);
    OperateRunsTest.Cli unreachable = OperateRunsTest.cli("validate", "--study",
        study.toString(), "--timeout", "3");
    assertEquals(1, unreachable.exit(), unreachable.out());
    assertTrue(unreachable.out().contains("ok       study key found (32 bytes)"),
        unreachable.out());
    assertTrue(unreachable.out().contains("PROBLEM  clinic north: cannot reach "
        + "http://127.0.0.1:9/fhir/metadata"), unreachable.out());
    assertTrue(unreachable.out().contains("key: clinics[0].source.base_url"), unreachable.out());
    assertTrue(unreachable.out().contains("fix:"), unreachable.out());

    Path bad = TestStudy.write(temp.resolve("bad"), Map.of("north", "http://127.0.0.1:9/fhir"),
        "schedule: {cron: \"0 2 * * * *\"}");
    OperateRunsTest.Cli badCron = OperateRunsTest.cli("validate", "--study", bad.toString());
    assertEquals(3, badCron.exit(), badCron.out());
    assertTrue(badCron.out().contains("schedule.cron '0 2 * * * *' is not a 5-field"),
        badCron.out());
  }
}
