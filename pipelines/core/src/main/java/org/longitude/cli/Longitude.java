package org.longitude.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.longitude.common.Phases;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code longitude} command. */
@Command(name = "longitude", mixinStandardHelpOptions = true, version = "Longitude 0.1.0",
    description = "Clinical research data pipeline for longitudinal outcome studies: extract "
        + "FHIR data from clinics, de-identify, normalize, and compute durability cohorts.",
    // The subcommands are added by commandLine(), core's and those of the modules above it.
    subcommands = {})
public final class Longitude {
  /**
   * Core's commands, and those {@link Subcommands} adds from the modules on the class path
   * (longitude-app: demo, demo-clinics, bench, bench-pull, cluster-check), in the order help
   * lists them. A command of neither is listed after these, before help.
   */
  private static final List<String> ORDER = List.of("demo", "demo-clinics", "run", "runs",
      "status", "query", "validate", "schedule", "bench", "bench-pull", "views-conformance",
      "cluster-check");
  private static final List<Class<?>> CORE = List.of(RunCommand.class, RunsCommand.class,
      StatusCommand.class, QueryCommand.class, ValidateCommand.class, ScheduleCommand.class,
      ViewsConformanceCommand.class);

  public static void main(String[] args) {
    Phases.mark("jvm_started");
    configureLogging();
    int exitCode = commandLine().execute(args);
    Phases.mark("done");
    System.exit(exitCode);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Longitude());
    Map<String, Class<?>> commands = new LinkedHashMap<>();
    List<Class<?>> found = new ArrayList<>(CORE);
    ServiceLoader.load(Subcommands.class, Longitude.class.getClassLoader())
        .forEach(added -> found.addAll(added.commands()));
    for (Class<?> command : found) {
      commands.put(command.getAnnotation(Command.class).name(), command);
    }
    for (String name : ORDER) {
      Class<?> command = commands.remove(name);
      if (command != null) {
        cli.addSubcommand(command);
      }
    }
    commands.values().forEach(cli::addSubcommand);
    cli.addSubcommand(CommandLine.HelpCommand.class);
    // Set after the subcommands are added: picocli passes these settings on to them.
    // Options Longitude does not know are Beam pipeline options (see PipelineArgs).
    cli.setUnmatchedArgumentsAllowed(true);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      // Messages only: stack traces may carry values from the data.
      line.getErr().println("longitude: " + e.getMessage());
      return e instanceof org.longitude.config.ConfigException
          ? org.longitude.operate.StudyRun.Status.BAD_CONFIG.exitCode
          : org.longitude.operate.StudyRun.Status.FAILED.exitCode;
    });
    return cli;
  }

  /** Longitude's own progress at info, libraries' chatter at warn, unless set otherwise. */
  static void configureLogging() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.log.org.longitude",
        System.getProperty("org.slf4j.simpleLogger.log.org.longitude", "info"));
    // Beam warns that it cannot check equals() of our interface-typed coders (records do
    // define it); Flink warns about every long Beam step name. Only their errors matter here.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.sdk.coders.SerializableCoder",
        "error");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink",
        System.getProperty("org.slf4j.simpleLogger.log.org.apache.flink", "error"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat",
        System.getProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss"));
  }
}
