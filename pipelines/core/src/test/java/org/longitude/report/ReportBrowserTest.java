package org.longitude.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.StudyLoader;

/**
 * Loads the report in real headless Chromium (the OS package; .ci/run installs it) and checks
 * that every chart image decoded. Without Chromium this test fails: it must not pass unseen.
 */
class ReportBrowserTest {
  private static final List<String> FLAGS = List.of("--headless", "--no-sandbox",
      "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--virtual-time-budget=5000");

  @TempDir Path temp;

  @Test
  void chartsRenderInChromium() throws Exception {
    String chromium = chromium();
    Path research = temp.resolve("research");
    ResearchFixture.write(research);
    Path page = Report.write(research, StudyLoader.load(StudyLoader.DEMO), ResearchFixture.RUN,
        temp.resolve("run/report/index.html"), temp.resolve("report/index.html"));
    int expected = Files.readString(page).split("class=\"chart\"", -1).length - 1;
    assertTrue(expected > 0);

    String dom = run(chromium, "--dump-dom", page);
    assertEquals(String.valueOf(expected), attribute(dom, "data-charts"),
        "the page's check script ran and counted every chart");
    assertEquals(String.valueOf(expected), attribute(dom, "data-charts-loaded"),
        "every chart image decoded (naturalWidth > 0)");
    assertTrue(dom.contains("suppressed (&lt;11)"), "suppressed cells survive rendering");

    // A screenshot for people to look at (kept under target/), and proof the page paints.
    Path shot = Files.createDirectories(Path.of("target", "report-browser"))
        .resolve("report.png");
    Files.deleteIfExists(shot);
    run(chromium, "--screenshot=" + shot.toAbsolutePath(), page, "--window-size=1400,2400",
        "--hide-scrollbars");
    BufferedImage image = ImageIO.read(shot.toFile());
    assertEquals(1400, image.getWidth());
    assertTrue(distinctColours(image) > 8, "the screenshot shows more than a blank page");
  }

  private static String chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, "chromium");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    fail("Chromium not found (looked for /usr/bin/chromium and chromium on PATH). This test "
        + "loads the report in a real browser; install it: apt-get install -y chromium "
        + "(.ci/run does).");
    return null;
  }

  private String run(String chromium, String action, Path page, String... extra)
      throws Exception {
    Path profile = Files.createTempDirectory(temp, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(chromium));
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(List.of(extra));
    command.add(action);
    command.add(page.toUri().toString());
    Path stdout = temp.resolve("chromium-stdout.txt");
    Path stderr = temp.resolve("chromium-stderr.txt");
    Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("Chromium did not finish within 120 s: " + tail(stderr));
    }
    if (process.exitValue() != 0) {
      fail("Chromium exited with " + process.exitValue() + ": " + tail(stderr));
    }
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static String attribute(String dom, String name) {
    Matcher m = Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(dom);
    if (!m.find()) {
      fail("no " + name + " attribute in the rendered DOM: the page's script did not run");
    }
    return m.group(1);
  }

  private static String tail(Path file) throws Exception {
    String text = Files.exists(file) ? Files.readString(file) : "";
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
