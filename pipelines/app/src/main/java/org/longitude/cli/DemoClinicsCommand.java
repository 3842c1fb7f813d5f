package org.longitude.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.longitude.demo.DemoClinics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code longitude demo-clinics}: only the synthetic clinics, until stopped. */
@Command(name = "demo-clinics", mixinStandardHelpOptions = true,
    description = "Start the synthetic demo clinics and print their FHIR base URLs; they serve "
        + "until the process is stopped (Ctrl-C). Try them with any FHIR client, e.g. "
        + "curl '<base>/Observation?_count=5'.")
final class DemoClinicsCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  SyntheticOptions synthetic;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    try (DemoClinics clinics = DemoClinics.start(synthetic.generate())) {
      clinics.clinics().forEach(c -> out.println(c.clinicId() + "\t" + c.baseUrl()));
      out.println("serving; press Ctrl-C to stop");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
