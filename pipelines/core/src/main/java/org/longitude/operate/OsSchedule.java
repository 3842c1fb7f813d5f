package org.longitude.operate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The study's cron schedule as entries for the OS scheduler (crontab, systemd timer). */
public final class OsSchedule {
  private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("JAN", "1"), Map.entry("FEB", "2"), Map.entry("MAR", "3"), Map.entry("APR", "4"),
      Map.entry("MAY", "5"), Map.entry("JUN", "6"), Map.entry("JUL", "7"), Map.entry("AUG", "8"),
      Map.entry("SEP", "9"), Map.entry("OCT", "10"), Map.entry("NOV", "11"),
      Map.entry("DEC", "12"), Map.entry("SUN", "0"), Map.entry("MON", "1"),
      Map.entry("TUE", "2"), Map.entry("WED", "3"), Map.entry("THU", "4"), Map.entry("FRI", "5"),
      Map.entry("SAT", "6"));

  private OsSchedule() {}

  /** A crontab entry (cronie's CRON_TZ gives the time zone). */
  public static String crontab(CronSchedule cron, String command, String log) {
    return "# Longitude: run the study on its schedule. A run that finds the previous one still\n"
        + "# going exits 1 without starting (the output's lock). cron has no login environment:\n"
        + "# name the study key in key_file in the de-identification rules.\n"
        + "CRON_TZ=" + cron.zone().getId() + "\n"
        + cron.expression() + " " + command + " >> " + log + " 2>&1\n";
  }

  /** A systemd service and timer pair. */
  public static String systemd(CronSchedule cron, String unit, String command,
      String workingDir) {
    String onCalendar;
    String warning = "";
    try {
      onCalendar = onCalendar(cron);
      String[] f = cron.expression().split("\\s+");
      if (!f[2].equals("*") && !f[4].equals("*")) {
        warning = "# Note: cron runs when EITHER day-of-month or day-of-week matches; systemd\n"
            + "# needs both. Split into two timers if that matters.\n";
      }
    } catch (IllegalArgumentException e) {
      onCalendar = null;
      warning = "# Could not translate '" + cron.expression() + "' (" + e.getMessage()
          + "); write OnCalendar= by hand (man systemd.time) or use --print-crontab.\n";
    }
    return "# /etc/systemd/system/" + unit + ".service\n"
        + "[Unit]\n"
        + "Description=Longitude study run (" + unit + ")\n\n"
        + "[Service]\n"
        + "Type=oneshot\n"
        + "WorkingDirectory=" + workingDir + "\n"
        + "# The study key: key_file in the de-identification rules, or\n"
        + "# EnvironmentFile=/etc/longitude/" + unit + ".env holding LONGITUDE_STUDY_KEY=...\n"
        + "ExecStart=" + command + "\n"
        + "# Exit codes: 0 success, 1 failed or locked by another run, 2 partial, 3 bad config\n"
        + "SuccessExitStatus=2\n\n"
        + "# /etc/systemd/system/" + unit + ".timer\n"
        + warning
        + "[Unit]\n"
        + "Description=Longitude study schedule (" + unit + ")\n\n"
        + "[Timer]\n"
        + (onCalendar == null ? "# OnCalendar=...\n" : "OnCalendar=" + onCalendar + "\n")
        + "Persistent=true\n\n"
        + "[Install]\n"
        + "WantedBy=timers.target\n\n"
        + "# Then: systemctl daemon-reload && systemctl enable --now " + unit + ".timer\n";
  }

  /** {@code m h dom mon dow} to systemd's {@code DOW *-MON-DOM H:M:00 ZONE}. */
  static String onCalendar(CronSchedule cron) {
    String[] f = cron.expression().toUpperCase(Locale.ROOT).split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("not 5 fields");
    }
    String dow = f[4].equals("*") || f[4].equals("?") ? "" : days(f[4]) + " ";
    return dow + "*-" + field(f[3], 1) + "-" + field(f[2].replace("?", "*"), 1) + " "
        + field(f[1], 0) + ":" + field(f[0], 0) + ":00 " + cron.zone().getId();
  }

  private static String field(String cron, int first) {
    List<String> parts = new ArrayList<>();
    for (String p : cron.split(",")) {
      String v = names(p);
      if (v.startsWith("*/")) {
        v = first + "/" + v.substring(2);
      } else if (v.contains("-")) {
        String[] ab = v.split("/", 2)[0].split("-");
        String step = v.contains("/") ? "/" + v.split("/", 2)[1] : "";
        if (!step.isEmpty()) {
          throw new IllegalArgumentException("stepped ranges have no OnCalendar form");
        }
        v = pad(ab[0]) + ".." + pad(ab[1]);
      } else if (!v.equals("*")) {
        v = v.contains("/") ? pad(v.split("/")[0]) + "/" + v.split("/")[1] : pad(v);
      }
      if (v.contains("L") || v.contains("W") || v.contains("#")) {
        throw new IllegalArgumentException("L, W and # have no OnCalendar form");
      }
      parts.add(v);
    }
    return String.join(",", parts);
  }

  private static String days(String cron) {
    List<String> parts = new ArrayList<>();
    for (String p : cron.split(",")) {
      String v = names(p);
      if (v.contains("/") || v.contains("#") || v.contains("L")) {
        throw new IllegalArgumentException("day-of-week steps, # and L have no OnCalendar form");
      }
      if (v.contains("-")) {
        String[] ab = v.split("-");
        parts.add(DAYS[Integer.parseInt(ab[0])] + ".." + DAYS[Integer.parseInt(ab[1])]);
      } else {
        parts.add(DAYS[Integer.parseInt(v)]);
      }
    }
    return String.join(",", parts);
  }

  private static String names(String p) {
    String v = p;
    for (Map.Entry<String, String> e : NAMES.entrySet()) {
      v = v.replace(e.getKey(), e.getValue());
    }
    return v;
  }

  private static String pad(String n) {
    return n.length() == 1 ? "0" + n : n;
  }
}
